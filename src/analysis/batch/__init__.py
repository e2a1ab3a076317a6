"""The report batch builder behind ``treaty-exits reports``: notebooks in, an offline HTML site out.

The modules follow one run: ``plan`` (which reports, their parameters, stamps) → ``pool`` (warm kernels that
execute the notebooks) → ``render`` (nbconvert HTML, atomic writes) → ``index`` (the site's index page) → ``run``
(``build_reports``, the steps of one run). papermill, nbclient, nbconvert and jupyter_client are imported inside
functions, so importing this package (and the CLI) stays cheap.
"""

from .index import index_html
from .plan import NOTEBOOK, BuildResult, Job, Result, one_line, plan, read_stamp, split_list, stamp
from .pool import KERNEL, Pool, Task, WarmKernel
from .render import page_info, render_html, write_atomic
from .run import build_reports, refresh_notebooks

__all__ = [
    "build_reports",
    "refresh_notebooks",
    "BuildResult",
    "Result",
    "Job",
    "plan",
    "split_list",
    "stamp",
    "read_stamp",
    "one_line",
    "NOTEBOOK",
    "KERNEL",
    "Pool",
    "Task",
    "WarmKernel",
    "render_html",
    "page_info",
    "write_atomic",
    "index_html",
]
