"""Deprecated: the batch builder is ``analysis.batch`` (and the command ``treaty-exits reports`` is in ``cli``).

Kept for this release so that ``from analysis import reports`` and ``python -m analysis.reports`` still work.
"""

import sys
import warnings

from .batch import *  # noqa: F403
from .batch import __all__  # noqa: F401
from .batch.run import refresh_notebooks

warnings.warn(
    "analysis.reports is deprecated: use analysis.batch (build_reports, plan, refresh_notebooks, ...)",
    DeprecationWarning,
    stacklevel=2,
)

if __name__ == "__main__":
    for path in refresh_notebooks(sys.argv[1:] or None):
        print(f"executed {path}")
