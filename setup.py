"""Only what pyproject.toml cannot say: the packages are every one under src/ plus the folders mapped into
the package as data (pyproject.toml's package-dir), so that a new sub-package is never left out of the wheel."""

from setuptools import find_packages, setup

SHIPPED = ["analysis._data", "analysis._notebooks", "analysis._meta", "analysis._docs"]

setup(packages=find_packages("src") + SHIPPED)
