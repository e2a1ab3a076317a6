"""Only what pyproject.toml cannot say: the packages are every one under src/ plus the folders mapped into
the package as data (pyproject.toml's package-dir), so that a new sub-package is never left out of the wheel;
and the project's kernel spec (pyproject.toml's data-files) installed by an editable install too.

setuptools' editable_wheel installs the data files "as non editable" only if the distribution answers
`has_data()`, a method distutils never had (it has `has_data_files()`), so `pip install -e .` dropped
share/jupyter/kernels/treaty-exits and papermill failed with NoSuchKernel. `_Distribution` answers it."""

from setuptools import find_packages, setup
from setuptools.dist import Distribution

SHIPPED = ["analysis._data", "analysis._notebooks", "analysis._meta", "analysis._docs"]


class _Distribution(Distribution):
    def has_data(self):
        """The name editable_wheel asks for (install_data's category is "data")."""
        return self.has_data_files()


setup(packages=find_packages("src") + SHIPPED, distclass=_Distribution)
