"""The batch builder behind `treaty-exits reports`.

``build_reports`` / ``reports_command``: parameterize each notebook (papermill), execute it in a warm kernel
(one per worker thread, reused from report to report), render offline HTML (nbconvert, no code, no CDN) and
write ``index.html``. The tables the notebooks show live in ``tables``.

papermill, nbclient, nbconvert and jupyter_client are imported inside functions: the CLI's other commands do not
pay for them.
"""

from __future__ import annotations

import contextlib
import copy
import hashlib
import html
import json
import os
import queue
import re
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import typer

REPO = Path(__file__).resolve().parents[2]
NOTEBOOKS_DIR = Path(os.environ.get("TREATY_EXITS_NOTEBOOKS") or REPO / "notebooks")
TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
TEMPLATE = "treaty_exits"
NOTEBOOK = {
    "country": "country_report.ipynb",
    "treaty": "treaty_report.ipynb",
    "overview": "withdrawals_overview.ipynb",
}
KERNEL = "python3"


@dataclass
class Job:
    kind: str  # country | treaty | overview
    key: str  # ISO3, treaty id, "overview"
    title: str
    params: dict
    path: str  # relative to the output folder
    error: str | None = None  # failed before running (e.g. unknown country)


@dataclass
class Result:
    job: Job
    status: str  # built | skipped | failed
    error: str = ""
    seconds: float = 0.0


@dataclass
class BuildResult:
    out: Path
    results: list[Result] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def failed(self) -> list[Result]:
        return [r for r in self.results if r.status == "failed"]

    def count(self, status: str) -> int:
        return sum(r.status == status for r in self.results)


def one_line(exc: BaseException) -> str:
    """An exception as one line: 'Name: message' (for a failed cell, the cell's own exception)."""
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    if isinstance(exc, CellExecutionError) and getattr(exc, "ename", None):
        name, msg = exc.ename, exc.evalue or ""
    elif isinstance(exc, CellTimeoutError):
        name, msg = "Timeout", str(exc).splitlines()[0] if str(exc) else "a cell ran too long"
    elif isinstance(exc, DeadKernelError):
        name, msg = "KernelDied", str(exc)
    else:
        name, msg = type(exc).__name__, str(exc)
    msg = re.sub(r"\x1b\[[0-9;]*m", "", msg)  # ANSI colours
    msg = " ".join(msg.split())
    return f"{name}: {msg}" if msg else name


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def _template_hash() -> str:
    h = hashlib.sha256()
    for p in sorted((TEMPLATES_DIR / TEMPLATE).rglob("*")):
        if p.is_file():
            h.update(p.read_bytes())
    return h.hexdigest()[:8]


def stamp(job: Job, version: str, nb_hash: str) -> str:
    """What a report was built from: data version, notebook hash, template, parameters."""
    return f"{version}|{nb_hash}|{_template_hash()}|{json.dumps(job.params, sort_keys=True)}"


# nbconvert re-serializes the page (attribute order, quotes): find the tag, then its content attribute
_STAMP_TAG = re.compile(r"<meta\b[^>]*\bname=[\"']treaty-exits-stamp[\"'][^>]*>")
_CONTENT = re.compile(r"\bcontent=(\"([^\"]*)\"|'([^']*)')")


def read_stamp(path: Path) -> str | None:
    try:
        with path.open("r", encoding="utf-8", errors="replace") as fh:
            head = fh.read(4096)
    except OSError:
        return None
    tag = _STAMP_TAG.search(head)
    m = _CONTENT.search(tag.group(0)) if tag else None
    return html.unescape(m.group(2) if m.group(2) is not None else m.group(3)) if m else None


def write_atomic(path: Path, text: str) -> None:
    """Write to a temporary file beside `path`, then move it into place (never a half-written report)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def split_list(values) -> list[str]:
    """['LTU,EST', 'FIN'] → ['LTU', 'EST', 'FIN'] (repeatable options and comma lists alike)."""
    out = []
    if isinstance(values, str):
        values = [values]
    for v in values or []:
        out += [x.strip() for x in str(v).split(",") if x.strip()]
    return out


def plan(countries=None, all_countries=False, treaties=None, overview=False, as_of=None, ds=None) -> list[Job]:
    """The reports to build. Unknown countries or treaties become failed jobs (one line each), not an abort."""
    from . import params
    from .countries import country_name
    from .dataset import load

    ds = ds or load()
    day = params.as_of(as_of, ds)
    on = None if as_of is None else day.isoformat()
    jobs: list[Job] = []
    seen: set[tuple[str, str]] = set()

    def add(job: Job):
        if (job.kind, job.key) not in seen:
            seen.add((job.kind, job.key))
            jobs.append(job)

    names = list(ds.states.index) if all_countries else split_list(countries)
    for raw in names:
        try:
            iso3 = params.country(raw)
        except params.UnknownCountryError as exc:
            add(Job("country", raw, raw, {}, "", error=one_line(exc)))
            continue
        add(Job("country", iso3, country_name(iso3), {"country": iso3, "as_of": on}, f"countries/{iso3}.html"))
    tlist = split_list(treaties)
    if any(t.lower() == "all" for t in tlist):
        tlist = list(ds.treaties.index)
    for raw in tlist:
        try:
            tid = params.treaty(raw, ds)
        except params.UnknownTreatyError as exc:
            add(Job("treaty", raw, raw, {}, "", error=one_line(exc)))
            continue
        add(
            Job("treaty", tid, ds.treaties.loc[tid, "short_name"], {"treaty": tid, "as_of": on}, f"treaties/{tid}.html")
        )
    if overview:
        add(Job("overview", "overview", "Withdrawals overview", {}, "overview.html"))
    return jobs


class _Worker:
    """One warm kernel, reused for every notebook this worker runs; restarted if it dies."""

    def __init__(self, cwd: Path, timeout: int):
        self.cwd, self.timeout = cwd, timeout
        self.km = self.kc = None

    # imports, data, status steps and exit table, and one figure drawn (fonts, caches): paid once per kernel;
    # figures are already laid out (tight_layout), so the inline backend need not draw them twice to crop
    WARM_UP = (
        "import io, analysis, analysis.plots, analysis.tables, analysis.params\n"
        "import matplotlib.pyplot, pandas\n%matplotlib inline\n"
        "%config InlineBackend.print_figure_kwargs = {'bbox_inches': None}\n"
        "_ds = analysis.load()\nanalysis.status.transitions(_ds)\nanalysis.withdrawals(_ds)\n"
        "_p = analysis.country_profile(_ds.states.index[0], ds=_ds)\n"
        "analysis.plots.country_timeline(_p).savefig(io.BytesIO(), format='png')\n"
        "analysis.tables.status_dates(_p, _ds)._repr_html_()\n"
        "matplotlib.pyplot.close('all')\ndel _ds, _p\n"
        "_treaty_exits_keep = set(globals())"
    )
    # between reports: drop what the last notebook defined (cheaper than %reset, which also collects garbage)
    CLEAN_UP = (
        "import matplotlib.pyplot as _plt\n_plt.close('all')\n"
        "for _k in [k for k in list(globals()) if k not in _treaty_exits_keep and not k.startswith('_')]:\n"
        "    del globals()[_k]\n"
    )

    async def start(self, while_booting=None):
        """Start the kernel and warm it up (imports, data, status steps); `while_booting()` runs meanwhile."""
        from jupyter_client.manager import AsyncKernelManager

        self.km = AsyncKernelManager(kernel_name=KERNEL)
        # the kernel's own start-up chatter (e.g. ipykernel's TCP warning) would break the progress bar
        await self.km.start_kernel(cwd=str(self.cwd), stderr=subprocess.DEVNULL)
        self.kc = self.km.client()
        self.kc.start_channels()
        if while_booting is not None:  # the kernel process boots meanwhile
            while_booting()
        await self.kc.wait_for_ready(timeout=120)  # (it drains the shell channel: execute only after it)
        await self._run(self.WARM_UP, timeout=120)

    async def stop(self):
        if self.kc is not None:
            self.kc.stop_channels()
        if self.km is not None:
            with contextlib.suppress(Exception):  # already gone
                await self.km.shutdown_kernel(now=True)
        self.km = self.kc = None

    async def restart(self):
        await self.stop()
        await self.start()

    async def _run(self, code: str, timeout: float = 60):
        return await self._wait(self.kc.execute(code, silent=True, store_history=False), timeout)

    async def _wait(self, msg_id: str, timeout: float):
        while True:
            reply = await self.kc.get_shell_msg(timeout=timeout)
            if reply["parent_header"].get("msg_id") == msg_id:
                return reply

    async def execute(self, nb):
        from nbclient import NotebookClient

        if self.km is None or not await self.km.is_alive():
            await self.restart()
        client = NotebookClient(
            nb,
            km=self.km,
            kernel_name=KERNEL,
            timeout=self.timeout,
            allow_errors=False,
            resources={"metadata": {"path": str(self.cwd)}},
        )
        client.kc = self.kc  # reuse this worker's channels; the client does not own (nor shut down) the kernel
        try:
            await client.async_execute()
        finally:
            if await self.km.is_alive():
                try:  # a clean namespace and no figure left over for the next report
                    await self._run(self.CLEAN_UP, timeout=30)
                except Exception:
                    await self.restart()
        return nb


def _exporter():
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    c = Config()
    c.TagRemovePreprocessor.enabled = True
    c.TagRemovePreprocessor.remove_cell_tags = {"injected-parameters", "parameters", "remove-cell"}
    c.HTMLExporter.exclude_input = True
    c.HTMLExporter.exclude_input_prompt = True
    c.HTMLExporter.exclude_output_prompt = True
    c.HTMLExporter.embed_images = True
    c.HTMLExporter.extra_template_basedirs = [str(TEMPLATES_DIR)]
    c.HTMLExporter.template_name = TEMPLATE
    return HTMLExporter(config=c)


def render_html(nb, title: str, page: dict, exporter=None) -> str:
    """The executed notebook as one offline HTML page (no code, no CDN, images embedded)."""
    exporter = exporter or _exporter()
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}, "treaty_exits": page})
    return body


def _page_info(ds, job: Job, stamp_text: str, index_href: str) -> dict:
    return {
        "version": ds.version,
        "status_date": ds.status_date.isoformat(),
        "sources": list(ds.sources),
        "stamp": stamp_text,
        "index": index_href,
        "title": job.title,
    }


def _expected_count(countries, all_countries, treaties, overview) -> int:
    """How many reports were asked for, known before the data is loaded (to start that many kernels at most)."""
    if all_countries:
        return 10**6
    tl = split_list(treaties)
    return len(split_list(countries)) + (10**6 if any(t.lower() == "all" for t in tl) else len(tl)) + bool(overview)


def build_reports(
    countries=None,
    all_countries: bool = False,
    treaties=None,
    overview: bool = False,
    as_of: str | None = None,
    jobs: int | None = None,
    out: Path | str = "reports",
    resume: bool = False,
    progress: bool = True,
    timeout: int = 600,
    notebooks_dir: Path | str | None = None,
) -> BuildResult:
    """Build the reports into `out` and write `out/index.html`. Never raises for one report's failure.

    The workers' kernels start first, so that they boot and warm up while this process loads the data, checks
    the parameters and reads the notebooks.
    """
    import asyncio

    t0 = time.perf_counter()
    out = Path(out)
    nb_dir = Path(notebooks_dir) if notebooks_dir else NOTEBOOKS_DIR
    pending: queue.Queue = queue.Queue()
    n_workers = max(1, min(jobs or os.cpu_count() or 1, _expected_count(countries, all_countries, treaties, overview)))
    state: dict = {}  # filled below, before the first job reaches a worker
    lock = threading.Lock()

    def worker_thread():
        async def main():
            w = _Worker(nb_dir, timeout)
            exporter = None

            def make_exporter():  # ~0.7 s of template loading, done while the kernel boots
                nonlocal exporter
                exporter = exporter or _exporter()

            started = False
            try:
                try:
                    await w.start(make_exporter)
                    started = True
                except Exception:  # retried for the first job, which then fails with the reason
                    pass
                while True:
                    item = await asyncio.to_thread(pending.get)
                    if item is None:
                        return
                    j, st = item
                    t1 = time.perf_counter()
                    try:
                        if not started:
                            await w.start(make_exporter)
                            started = True
                        make_exporter()
                        # papermill edits the notebook it is given: each report gets its own copy
                        nb = state["parameterize"](
                            copy.deepcopy(state["nbs"][j.kind]), dict(j.params), report_mode=False
                        )
                        await w.execute(nb)
                        depth = j.path.count("/")
                        page = _page_info(state["ds"], j, st, "../" * depth + "index.html")
                        write_atomic(out / j.path, render_html(nb, f"{j.title} · treaty-exits", page, exporter))
                        state["record"](Result(j, "built", seconds=time.perf_counter() - t1))
                    except Exception as exc:  # one report's failure never stops the others
                        state["record"](Result(j, "failed", one_line(exc), time.perf_counter() - t1))
                        from nbclient.exceptions import CellTimeoutError, DeadKernelError

                        if isinstance(exc, (DeadKernelError, CellTimeoutError)) or (
                            w.km is not None and not await w.km.is_alive()
                        ):
                            try:
                                await w.restart()
                            except Exception:
                                started = False
            finally:
                await w.stop()

        asyncio.run(main())

    threads = [threading.Thread(target=worker_thread, name=f"report-worker-{i}", daemon=True) for i in range(n_workers)]
    for t in threads:
        t.start()
    try:
        from papermill.iorw import load_notebook_node
        from papermill.parameterize import parameterize_notebook
        from tqdm import tqdm

        from .dataset import load

        ds = load()
        todo = plan(countries, all_countries, treaties, overview, as_of, ds)
        result = BuildResult(out=out)
        if not todo:
            raise ValueError("nothing to build: give --countries, --all, --treaties or --overview")
        nbs = {
            k: load_notebook_node(str(nb_dir / f))
            for k, f in NOTEBOOK.items()
            if any(j.kind == k and not j.error for j in todo)
        }
        hashes = {k: _sha(nb_dir / f) for k, f in NOTEBOOK.items() if k in nbs}
        bar = tqdm(total=len(todo), unit="report", disable=not progress, file=sys.stderr, dynamic_ncols=True)

        def record(r: Result):
            with lock:
                result.results.append(r)
                bar.update(1)
                if r.status == "failed":
                    bar.write(f"failed: {r.job.kind} {r.job.key}: {r.error}", file=sys.stderr)

        state.update(ds=ds, nbs=nbs, parameterize=parameterize_notebook, record=record)
        for j in todo:
            if j.error:
                record(Result(j, "failed", j.error))
                continue
            st = stamp(j, ds.version, hashes[j.kind])
            if resume and read_stamp(out / j.path) == st:
                record(Result(j, "skipped"))
                continue
            pending.put((j, st))
    finally:
        for _ in threads:
            pending.put(None)  # one stop signal per worker, after the last job
        for t in threads:
            t.join()
    bar.close()
    order = {j.kind + j.key: i for i, j in enumerate(todo)}
    result.results.sort(key=lambda r: order[r.job.kind + r.job.key])
    result.seconds = time.perf_counter() - t0
    write_atomic(out / "index.html", index_html(result, ds, as_of))
    return result


# ---- index.html ---------------------------------------------------------------------------------

STATUS_SHORT = {
    "not signed": "–",
    "signatory": "S",
    "consent deposited": "D",
    "party": "P",
    "withdrawal pending": "WP",
    "withdrawn": "W",
    "signature withdrawn": "SW",
    "ratification revoked": "RR",
    "suspended": "SU",
    "terminated": "T",
    "ceased to exist": "X",
}

_INDEX_CSS = """
body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:1.5em;color:#111}
h1{font-size:1.5em;margin:0 0 .2em} h2{font-size:1.15em;margin:1.4em 0 .4em}
.meta{color:#444;margin:.2em 0 1em} .controls{margin:.6em 0;display:flex;gap:1em;flex-wrap:wrap;align-items:center}
table{border-collapse:collapse;font-size:12px} th,td{border:1px solid #ccc;padding:2px 5px;text-align:left}
th{background:#f2f2f2;cursor:pointer;position:sticky;top:0;white-space:nowrap} th.num,td.num{text-align:right}
th[aria-sort=ascending]::after{content:" ▲"} th[aria-sort=descending]::after{content:" ▼"}
td.st{text-align:center;font-family:ui-monospace,monospace} td.st-P{background:#d9d9d9;font-weight:600}
td.st-W,td.st-WP,td.st-SW,td.st-RR,td.st-SU{background:#fff;font-weight:700;text-decoration:underline}
tr.failed td{background:#fde8e8} .err{color:#a00} .wrap{overflow-x:auto}
footer{margin-top:2em;color:#444;font-size:12px} details{margin:.4em 0}
"""

_INDEX_JS = r"""
(function(){
  function cellValue(td){var v=td.getAttribute('data-sort');return v!==null?v:td.textContent.trim();}
  document.querySelectorAll('table.sortable').forEach(function(table){
    var ths=table.tHead.rows[0].cells;
    Array.prototype.forEach.call(ths,function(th,col){
      th.addEventListener('click',function(){
        var asc=th.getAttribute('aria-sort')!=='ascending';
        Array.prototype.forEach.call(ths,function(h){h.removeAttribute('aria-sort');});
        th.setAttribute('aria-sort',asc?'ascending':'descending');
        var rows=Array.prototype.slice.call(table.tBodies[0].rows);
        var num=th.classList.contains('num');
        rows.sort(function(a,b){
          var x=cellValue(a.cells[col]),y=cellValue(b.cells[col]);
          if(num){x=parseFloat(x);y=parseFloat(y);x=isNaN(x)?-1e18:x;y=isNaN(y)?-1e18:y;return asc?x-y:y-x;}
          return asc?x.localeCompare(y):y.localeCompare(x);
        });
        rows.forEach(function(r){table.tBodies[0].appendChild(r);});
      });
    });
  });
  var q=document.getElementById('filter'),reg=document.getElementById('region'),
      ex=document.getElementById('exits'),fl=document.getElementById('failedonly'),
      cnt=document.getElementById('count');
  function apply(){
    var words=q.value.toLowerCase().split(/\s+/).filter(Boolean),r=reg.value,n=0;
    document.querySelectorAll('#states tbody tr').forEach(function(tr){
      var text=(tr.textContent+' '+(tr.getAttribute('data-search')||'')).toLowerCase();
      var ok=words.every(function(w){return text.indexOf(w)>=0;})
        &&(!r||tr.getAttribute('data-region')===r)
        &&(!ex.checked||tr.getAttribute('data-exits')!=='0')
        &&(!fl.checked||tr.classList.contains('failed'));
      tr.style.display=ok?'':'none'; if(ok)n++;
    });
    cnt.textContent=n+' shown';
  }
  [q,reg,ex,fl].forEach(function(el){el.addEventListener('input',apply);el.addEventListener('change',apply);});
  apply();
})();
"""


def index_html(result: BuildResult, ds, as_of: str | None = None) -> str:
    """The index page: every report, each state's key statuses; sortable and filterable without a network."""
    from .exits import withdrawals
    from .status import IN_FORCE, status_table

    e = html.escape
    day = date.fromisoformat(as_of) if as_of else ds.status_date
    tids = list(ds.treaties.index)
    countries = [r for r in result.results if r.job.kind == "country"]
    known = [r.job.key for r in countries if not r.job.error]
    tab = status_table(day, countries=known, ds=ds) if known else None
    st = (
        {}
        if tab is None
        else {(s, t): str(v) for s, t, v in tab[["state", "treaty", "status"]].itertuples(index=False)}
    )
    w = withdrawals(ds, on=day)
    w = w[w["notice_deposited"] <= str(day)]
    n_exits = w.groupby("state").size().to_dict()

    def link(r: Result) -> str:
        if r.status == "failed":
            return f'<span class="err" title="{e(r.error)}">failed</span>'
        return f'<a href="{e(r.job.path)}">{e(r.job.title)}</a>'

    rows = []
    for r in countries:
        j = r.job
        if j.error:
            rows.append(
                f'<tr class="failed" data-region="" data-exits="0"><td>{e(j.key)}</td><td></td>'
                f'<td colspan="{4 + len(tids)}" class="err">{e(r.error)}</td></tr>'
            )
            continue
        s = ds.states.loc[j.key]
        stats = [st.get((j.key, t), "not signed") for t in tids]
        for i, t in enumerate(tids):
            if stats[i] == "not signed" and ds.treaties.loc[t, "coverage"] == "events":
                stats[i] = "no record"
        bound = sum(x in IN_FORCE for x in stats)
        cells = "".join(
            f'<td class="st st-{STATUS_SHORT.get(x, "NR")}" title="{e(ds.treaties.loc[t, "short_name"])}: '
            f'{e(x)}">{STATUS_SHORT.get(x, "?")}</td>'
            for t, x in zip(tids, stats)
        )
        first = link(r) if r.status != "failed" else f'{e(j.title)} <span class="err">(failed)</span>'
        err = f'<br><span class="err">{e(r.error)}</span>' if r.status == "failed" else ""
        search = " ".join(f"{t}:{x}" for t, x in zip(tids, stats))
        rows.append(
            f'<tr class="{"failed" if r.status == "failed" else ""}" data-region="{e(s["region"])}" '
            f'data-exits="{n_exits.get(j.key, 0)}" data-search="{e(search)}"><td>{j.key}</td><td>{first}{err}</td>'
            f'<td>{e(s["region"])}</td><td>{e(s["subregion"])}</td><td class="num">{bound}</td>'
            f'<td class="num">{n_exits.get(j.key, 0)}</td>{cells}</tr>'
        )
    regions = sorted({ds.states.loc[r.job.key, "region"] for r in countries if not r.job.error} - {""})
    theads = "".join(
        f'<th title="{e(ds.treaties.loc[t, "full_name"])}">{e(ds.treaties.loc[t, "short_name"])}</th>' for t in tids
    )
    legend = (
        ", ".join(f"<b>{e(v)}</b> {e(k)}" for k, v in STATUS_SHORT.items()) + ", <b>?</b> no record "
        "(treaty covered by curated events only)"
    )
    other = [r for r in result.results if r.job.kind != "country"]
    other_rows = "".join(
        f'<tr class="{"failed" if r.status == "failed" else ""}"><td>{e(r.job.kind)}</td><td>{link(r)}</td>'
        f'<td>{e(r.status)}</td><td class="err">{e(r.error)}</td></tr>'
        for r in other
    )
    failed = result.failed
    fail_html = (
        "<p>None.</p>"
        if not failed
        else "<ul>"
        + "".join(
            f"<li><b>{e(r.job.kind)} {e(r.job.key)}</b>: <span class=err>{e(r.error)}</span></li>" for r in failed
        )
        + "</ul>"
    )
    sources = "".join(f"<li>{e(s)}</li>" for s in ds.sources)
    built = sum(r.status == "built" for r in result.results)
    skipped = sum(r.status == "skipped" for r in result.results)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>treaty-exits reports</title><style>{_INDEX_CSS}</style></head>
<body>
<h1>Arms-control treaty exits: reports</h1>
<p class="meta">Status on {day:%d %B %Y} · dataset version {e(ds.version)} · status date {ds.status_date:%d %B %Y} ·
{built} built, {skipped} up to date, {len(failed)} failed.</p>
<h2>Failures</h2>
{fail_html}
<h2>Treaties and overview</h2>
<table class="sortable" id="others"><thead><tr><th>kind</th><th>report</th><th>build</th><th>error</th></tr></thead>
<tbody>{other_rows}</tbody></table>
<h2>States</h2>
<div class="controls">
<label>Filter <input id="filter" type="search" placeholder="name, code, region, apmbc:withdrawn …" size="32"></label>
<label>Region <select id="region"><option value="">all</option>{"".join(f"<option>{e(x)}</option>" for x in regions)}
</select></label>
<label><input id="exits" type="checkbox"> with exits only</label>
<label><input id="failedonly" type="checkbox"> failed only</label>
<span id="count"></span></div>
<p class="meta">Click a column to sort. Status on the day: {legend}.</p>
<div class="wrap"><table class="sortable" id="states"><thead><tr><th>code</th><th>state</th><th>region</th>
<th>subregion</th><th class="num">bound</th><th class="num">exits</th>{theads}</tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody></table></div>
<footer><p>Dataset version {e(ds.version)} · status date {ds.status_date.isoformat()} · built in
{result.seconds:.0f} s by <code>treaty-exits reports</code>.</p>
<details><summary>{len(ds.sources)} sources</summary><ul>{sources}</ul></details></footer>
<script>{_INDEX_JS}</script>
</body></html>
"""


# ---- the command ----------------------------------------------------------------------------------


def reports_command(
    countries: list[str] | None = typer.Option(
        None, "--countries", "-c", help="states (ISO3 or names); repeat the option or give a comma list"
    ),
    all_countries: bool = typer.Option(False, "--all", help="a report for every state in the registry"),
    treaties: list[str] | None = typer.Option(
        None, "--treaties", "-t", help="treaty ids (repeat or comma list), or 'all'"
    ),
    overview: bool = typer.Option(False, "--overview/--no-overview", help="also build the withdrawals overview"),
    as_of: str | None = typer.Option(None, "--as-of", help="status day YYYY-MM-DD (default: the data's status date)"),
    jobs: int = typer.Option(0, "--jobs", "-j", help="parallel workers, one warm kernel each (default: cores)"),
    out: Path = typer.Option(Path("reports"), "--out", "-o", help="output folder"),
    resume: bool = typer.Option(
        False, "--resume", help="skip reports already up to date with the data and the notebook"
    ),
):
    """Build the country, treaty and overview reports as offline HTML, plus an index.html."""
    from . import params

    if not (countries or all_countries or treaties or overview):
        typer.echo("error: nothing to build: give --countries, --all, --treaties or --overview", err=True)
        raise typer.Exit(2)
    if jobs < 0:
        typer.echo(f"error: --jobs must be 1 or more, not {jobs}", err=True)
        raise typer.Exit(2)
    try:
        params.as_of(as_of)
    except ValueError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    res = build_reports(countries, all_countries, treaties, overview, as_of, jobs or None, out, resume)
    typer.echo(
        f"{res.count('built')} built, {res.count('skipped')} up to date, {len(res.failed)} failed in "
        f"{res.seconds:.1f} s → {out / 'index.html'}"
    )
    for r in res.failed:
        typer.echo(f"failed: {r.job.kind} {r.job.key}: {r.error}", err=True)
    if res.failed:
        raise typer.Exit(1)


# ---- the committed notebooks ----------------------------------------------------------------------


def refresh_notebooks(names=None, notebooks_dir: Path | str | None = None) -> list[Path]:
    """Re-execute the committed notebooks in place with their default parameters (what nbval compares).

    Run after the data changes: ``python -m analysis.reports`` (no timing metadata is written, so the diff
    shows only what the data changed).
    """
    import nbformat
    from nbclient import NotebookClient

    d = Path(notebooks_dir) if notebooks_dir else NOTEBOOKS_DIR
    done = []
    for name in names or NOTEBOOK.values():
        path = d / name
        nb = nbformat.read(path, as_version=4)
        NotebookClient(
            nb, kernel_name=KERNEL, timeout=600, record_timing=False, resources={"metadata": {"path": str(d)}}
        ).execute()
        nb.metadata.pop("widgets", None)
        nbformat.write(nb, path)
        done.append(path)
    return done


if __name__ == "__main__":
    for p in refresh_notebooks(sys.argv[1:] or None):
        print(f"executed {p}")
