"""``python -m analysis.batch [NOTEBOOK ...]``: re-execute the committed notebooks in place (after a data change)."""

import sys

from .run import refresh_notebooks

for path in refresh_notebooks(sys.argv[1:] or None):
    print(f"executed {path}")
