"""The built pages in a real browser (Debian's chromium, headless, driven over the DevTools protocol).

Checks that every image loads, the console stays free of errors, nothing is fetched from the network, and the
index's filter and sort work; that every map has one shape per state, the index's treaty selector recolours the
map, every "download CSV" link names a file beside the page with the table's rows, and no element loads anything
remote. A screenshot of each page is kept in the test's tmp dir and copied to ``tests/artefacts/`` (git-ignored).
"""

from __future__ import annotations

import base64
import csv
import json
import os
import shutil
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import ARTEFACTS, ROOT

from analysis import batch

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = "/usr/bin/chromium"
#: Where the screenshots are kept after the run (the README's images are copied from here by hand).


def _need_chromium() -> str:
    exe = CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")
    if exe:
        return exe
    msg = (
        f"Debian's chromium is not installed ({CHROMIUM} not found): "
        "install it with `apt-get install -y chromium` (.ci/run does)"
    )
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(msg)
    pytest.skip(msg)


class Page:
    """A tiny DevTools-protocol client: enough to load a page, collect errors and evaluate JavaScript."""

    def __init__(self, ws_url: str):
        import websocket

        self.ws = websocket.create_connection(ws_url, timeout=30, suppress_origin=True)
        self.next_id = 0
        self.events: list[dict] = []

    def call(self, method: str, **params):
        self.next_id += 1
        my = self.next_id
        self.ws.send(json.dumps({"id": my, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == my:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get("result", {})
            self.events.append(msg)

    def wait_for(self, event: str, timeout: float = 30):
        end = time.time() + timeout
        while time.time() < end:
            if any(e.get("method") == event for e in self.events):
                return
            self.ws.settimeout(max(0.1, end - time.time()))
            self.events.append(json.loads(self.ws.recv()))
        raise TimeoutError(event)

    def js(self, expr: str):
        r = self.call("Runtime.evaluate", expression=expr, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in r:
            raise RuntimeError(f"{expr}: {r['exceptionDetails']}")
        return r["result"].get("value")

    def errors(self) -> list[str]:
        out = []
        for e in self.events:
            m, p = e.get("method"), e.get("params", {})
            if m == "Runtime.exceptionThrown":
                out.append(json.dumps(p.get("exceptionDetails", {}))[:300])
            elif m == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
                out.append(json.dumps(p.get("args", []))[:300])
            elif m == "Log.entryAdded" and p.get("entry", {}).get("level") == "error":
                out.append(p["entry"].get("text", "")[:300])
            elif m == "Network.loadingFailed":
                out.append(f"failed to load: {p.get('errorText')}")
        return out

    def requests(self) -> list[str]:
        return [e["params"]["request"]["url"] for e in self.events if e.get("method") == "Network.requestWillBeSent"]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("site")
    res = batch.build_reports(countries=["LTU", "USA"], treaties=["apmbc"], jobs=2, out=out, progress=False)
    assert not res.failed, [r.error for r in res.failed]
    return out


@pytest.fixture()
def browser(tmp_path):
    exe = _need_chromium()
    profile = tmp_path / "chromium-profile"  # fresh: no cache, no state from earlier runs
    proc = subprocess.Popen(
        [
            exe,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            "--no-default-browser-check",
            "--mute-audio",
            f"--user-data-dir={profile}",
            "--remote-debugging-port=0",
            "--window-size=1280,900",
            "about:blank",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        port_file = profile / "DevToolsActivePort"
        for _ in range(300):
            if port_file.exists() and port_file.read_text().strip():
                break
            if proc.poll() is not None:
                pytest.fail(f"chromium exited with code {proc.returncode} before opening its DevTools port")
            time.sleep(0.1)
        else:
            pytest.fail("chromium did not open its DevTools port within 30 s")
        port = int(port_file.read_text().split()[0])
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as r:
            target = next(t for t in json.load(r) if t["type"] == "page")
        yield Page(target["webSocketDebuggerUrl"])
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


def _open(page: Page, path: Path, shot: Path) -> None:
    for domain in ("Page", "Runtime", "Log", "Network"):
        page.call(f"{domain}.enable")
    page.call("Page.navigate", url=path.as_uri())
    page.wait_for("Page.loadEventFired")
    page.js("new Promise(r => setTimeout(r, 300))")
    data = page.call("Page.captureScreenshot", format="png", captureBeyondViewport=True)["data"]
    shot.write_bytes(base64.b64decode(data))


def _check_images_and_network(page: Page):
    imgs = page.js("Array.from(document.images).map(i => [i.complete, i.naturalWidth, i.src.slice(0, 30)])")
    assert all(c and w > 0 for c, w, _ in imgs), f"images not loaded: {[i for i in imgs if not i[1]]}"
    remote = [u for u in page.requests() if not u.startswith(("file:", "data:", "about:"))]
    assert remote == [], f"the page reached the network: {remote[:5]}"
    assert page.errors() == []
    return imgs


def test_country_report_in_chromium(site, browser, tmp_path):
    shot = tmp_path / "LTU.png"
    _open(browser, site / "countries" / "LTU.html", shot)
    _check_images_and_network(browser)
    # the timeline: an inline SVG figure (drawn, with a size), or an image
    figures = browser.js(
        "Array.from(document.querySelectorAll('.jp-OutputArea-output svg, .jp-OutputArea-output img'))"
        ".filter(f => f.getBoundingClientRect().width > 100).length"
    )
    assert figures >= 1
    assert "Lithuania (LTU)" in browser.js("document.body.innerText")
    assert shot.stat().st_size > 10_000
    # the link back to the index works from the report's folder
    href = browser.js("document.querySelector('nav a').href")
    assert Path(href.removeprefix("file://")) == site / "index.html"


def test_index_in_chromium_sorts_and_filters(site, browser, tmp_path):
    shot = tmp_path / "index.png"
    _open(browser, site / "index.html", shot)
    _check_images_and_network(browser)
    rows = "Array.from(document.querySelectorAll('#states tbody tr')).filter(r => r.style.display !== 'none')"
    assert browser.js(f"{rows}.length") == 2
    browser.js("var q=document.getElementById('filter'); q.value='lithuania'; q.dispatchEvent(new Event('input'))")
    assert browser.js(f"{rows}.map(r => r.cells[0].textContent)") == ["LTU"]
    browser.js("var q=document.getElementById('filter'); q.value=''; q.dispatchEvent(new Event('input'))")
    browser.js("document.querySelector('#states th').click(); document.querySelector('#states th').click()")
    assert browser.js(f"{rows}.map(r => r.cells[0].textContent)") == ["USA", "LTU"]
    assert browser.errors() == []
    assert shot.stat().st_size > 5_000


# ---- maps, CSV links, nothing remote (issue 13) ---------------------------------------------------------------

SHOTS = {"treaty": "treaty-apmbc.png", "index": "index.png"}


def _world_states() -> set[str]:
    """The states a world map draws on the data's day: existing in the registry and with a shape."""
    from analysis import load, maps

    st = load().states
    return {s for s in st.index[~st["historical"]] if s in maps.world().shapes}


def _check_maps(page: Page, world: set[str]) -> int:
    """Every map has one shape per state; a world map has one for every state with a shape."""
    maps_found = page.js(
        "Array.from(document.querySelectorAll('svg.tx-map')).map(svg => [svg.getAttribute('class'),"
        " Array.from(svg.querySelectorAll('[data-iso3]')).map(el => el.getAttribute('data-iso3'))])"
    )
    for css, shapes in maps_found:
        assert len(shapes) == len(set(shapes)), f"{css}: a state drawn twice"
        if "tx-country-map" not in css:
            assert set(shapes) == world, f"{css}: missing {sorted(world - set(shapes))[:5]}"
    return len(maps_found)


def _check_csv_links(page: Page, html_path: Path) -> int:
    """Each "download CSV" link names a file beside the page whose rows equal the table's (or the figure's)."""
    links = page.js(
        "Array.from(document.querySelectorAll('a.tx-csv')).map(a => {"
        " const box = a.closest('.tx-csv-line').previousElementSibling;"
        " const table = box && box.classList.contains('tx-table-box') ? box.querySelector('tbody') : null;"
        " return [a.getAttribute('href'), table ? table.rows.length : null, +a.dataset.rows]; })"
    )
    for href, table_rows, said in links:
        assert not href.startswith(("data:", "http")), href
        target = html_path.parent / href
        assert target.exists(), f"{href}: no such file beside {html_path.name}"
        with target.open(newline="", encoding="utf-8") as fh:
            rows = sum(1 for _ in csv.reader(fh)) - 1
        assert rows == said == (table_rows if table_rows is not None else said), (href, rows, said, table_rows)
    return len(links)


def _check_nothing_remote(page: Page) -> None:
    """No element loads anything from elsewhere; the sources' links (<a>, followed only on a click) are allowed."""
    remote = page.js(
        "Array.from(document.querySelectorAll('[src],[href]')).filter(el => el.tagName.toLowerCase() !== 'a')"
        ".map(el => el.getAttribute('src') || el.getAttribute('href')).filter(u => /^(https?:)?\\/\\//.test(u))"
    )
    assert remote == []


@pytest.mark.parametrize("page_path", ["countries/LTU.html", "countries/USA.html", "treaties/apmbc.html", "index.html"])
def test_pages_have_maps_csv_links_and_nothing_remote(site, browser, tmp_path, page_path):
    html_path = site / page_path
    shot = tmp_path / (SHOTS["treaty"] if "apmbc" in page_path else page_path.replace("/", "-") + ".png")
    _open(browser, html_path, shot)
    _check_images_and_network(browser)
    assert _check_maps(browser, _world_states()) >= 1
    if page_path != "index.html":
        assert _check_csv_links(browser, html_path) >= 3
        assert browser.js("!!document.getElementById('cite') && !!document.getElementById('Data')")
    _check_nothing_remote(browser)
    assert browser.errors() == []
    _keep(shot)


def test_index_treaty_selector_recolours_lithuania(site, browser, tmp_path):
    shot = tmp_path / SHOTS["index"]
    _open(browser, site / "index.html", shot)
    fill = "getComputedStyle(document.querySelector('svg.tx-index-map [data-iso3=LTU]')).fill"
    choose = "var s=document.querySelector('.tx-map-treaty'); s.value='{}'; s.dispatchEvent(new Event('change'))"
    browser.js(choose.format("ccm"))
    ccm = browser.js(fill)
    browser.js(choose.format("cwc"))
    cwc = browser.js(fill)
    assert ccm != cwc
    assert browser.js("document.querySelector('svg.tx-index-map [data-iso3=LTU]').dataset.status") == "party"
    browser.js(choose.format("ccm"))
    assert browser.js("document.querySelector('svg.tx-index-map [data-iso3=LTU]').dataset.status") == "withdrawn"
    # hovering shows the name and status; the shape links to the state's report
    browser.js(
        "document.querySelector('svg.tx-index-map [data-iso3=LTU] path').dispatchEvent(new MouseEvent('mouseover', {bubbles: true}))"
    )
    assert browser.js("document.querySelector('.tx-map-info').textContent").startswith("Lithuania: withdrawn")
    assert (
        browser.js("document.querySelector('svg.tx-index-map [data-iso3=LTU]').getAttribute('href')")
        == "countries/LTU.html"
    )
    # the status strip names treaty and status on hover; the full matrix is one click away
    from analysis import load

    k = list(load().treaties.index).index("ccm")
    strip = "Array.from(document.querySelectorAll('#states tbody tr')).find(r => r.cells[0].textContent === 'LTU')"
    hover = "new MouseEvent('mouseover', {bubbles: true})"
    browser.js(f"{strip}.querySelectorAll('td.strip i')[{k}].dispatchEvent({hover})")
    assert browser.js(f"{strip}.querySelectorAll('td.strip i')[{k}].title") == "CCM: withdrawn"
    assert browser.js("getComputedStyle(document.querySelector('#states td.full')).display") == "none"
    browser.js("document.getElementById('matrix').click()")
    assert browser.js("getComputedStyle(document.querySelector('#states td.full')).display") == "table-cell"
    assert browser.errors() == []
    _keep(shot)


def _keep(shot: Path) -> None:
    """Screenshots are test artefacts: kept in the test's tmp dir and copied to ``ARTEFACTS`` (git-ignored)."""
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(shot, ARTEFACTS / shot.name)


def test_index_opens_on_the_exits_and_the_map(site, browser, tmp_path):
    """The front page (issue 23): what a reader sees first are the recent exits, the exits in progress and the
    map; the treaties, the states and the build's own status follow."""
    _open(browser, site / "index.html", tmp_path / "front.png")
    _check_images_and_network(browser)
    tops = browser.js(
        "Object.fromEntries(Array.from(document.querySelectorAll('h2[id]'))"
        ".map(h => [h.id, h.getBoundingClientRect().top + window.scrollY]))"
    )
    order = ["recent", "in-progress", "map", "treaties", "states-list", "build"]
    assert [tops[k] for k in order] == sorted(tops[k] for k in order), tops
    assert browser.js("window.scrollY") == 0 and tops["recent"] < browser.js("window.innerHeight")
    assert browser.js("document.querySelectorAll('#recent-exits tbody tr').length") >= 5
    pol = browser.js(
        "Array.from(document.querySelectorAll('#exits-in-progress tbody tr'))"
        ".map(r => r.innerText).find(t => t.includes('Poland')) || ''"
    )
    assert "notice 2025-08-20" in pol and "20 Feb 2026" in pol
    shapes = browser.js("document.querySelectorAll('svg.tx-index-map [data-iso3]').length")
    assert shapes > 150 and tops["map"] < tops["treaties"]


def test_docs_site_in_chromium_loads_nothing_remote(browser, tmp_path):
    """The documentation site (`make docs`): its pages open from file:// without a request to the network."""
    site = ROOT / "build" / "site"
    if not (site / "index.html").exists():
        msg = "the documentation site is not built: run `make docs` (CI runs it before the tests)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(msg)
        pytest.skip(msg)
    for page in ("index.html", "api.html", "guide.html", "notebooks/country_report.html"):
        _open(browser, site / page, tmp_path / f"{page.replace('/', '_')}.png")
        remote = [u for u in browser.requests() if not u.startswith(("file:", "data:", "about:", "blob:"))]
        assert remote == [], (page, remote[:5])
        links = browser.js(
            "Array.from(document.querySelectorAll('a[href]')).map(a => a.href)"
            ".filter(h => h.startsWith('file:')).map(h => h.split('#')[0])"
        )
        assert links, page  # the page has its navigation (test_docs.py checks every link's target exists)
