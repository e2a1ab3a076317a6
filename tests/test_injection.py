"""Hostile data strings reach the built pages as text, never as markup: checked in the real browser.

Names of a state and a treaty, the treaty's full name, event notes and End Notes are given
``<script>`` and ``onerror=``/``onload=`` payloads (and a Markdown ``javascript:`` link); the country, treaty and
overview reports and the index are built from that data, opened in headless chromium, and no injected element,
handler or script may exist or have run.
"""

from __future__ import annotations

import csv

import pytest
from minidata import make_mini_data
from test_browser import _open, browser  # noqa: F401  (the chromium fixture)

from analysis import batch, config
from analysis.sources.build import write_datapackage

pytestmark = [pytest.mark.browser, pytest.mark.slow]

MARK = "document.documentElement.dataset.pwned"
PAYLOADS = {
    "img": f"<img src=x onerror=\"{MARK}='img'\">",
    "script": f"<script>{MARK}='script'</script>",
    "svg": f"<svg onload=\"{MARK}='svg'\"></svg>",
    "link": f"[click](javascript:{MARK}='link')",
}
HOSTILE = " ".join(PAYLOADS.values())


def _edit(path, change):
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        rows, columns = list(reader), reader.fieldnames
    for row in rows:
        change(row)
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def _poison(row, key, value, columns):
    if row.get(key[0]) == key[1]:
        for column in columns:
            row[column] = f"{row[column]} {value}"


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    data = make_mini_data(tmp_path_factory.mktemp("hostile") / "data")
    _edit(data / "states.csv", lambda r: _poison(r, ("iso3", "LTU"), HOSTILE, ["name", "official_name"]))
    _edit(data / "treaties.csv", lambda r: _poison(r, ("id", "ccm"), HOSTILE, ["short_name", "full_name"]))
    # a group's name is no free text any more: one outside schema.GROUPS is refused by validate (issue 25)
    _edit(data / "events.csv", lambda r: _poison(r, ("state", "LTU"), HOSTILE, ["note"]))
    _edit(data / "untc_notes.csv", lambda r: r.update(text=f"{r['text']} {HOSTILE}"))
    write_datapackage(data)
    out = tmp_path_factory.mktemp("site")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TREATY_EXITS_DATA", str(data))  # the kernels read it when they start
        patch.setattr(config, "DATA_DIR", data)
        result = batch.build_reports(
            countries=["LTU"], treaties=["ccm"], overview=True, jobs=2, out=out, progress=False
        )
    assert not result.failed, [r.error for r in result.failed]
    return out


PAGES = ["index.html", "countries/LTU.html", "treaties/ccm.html", "overview.html"]


@pytest.mark.parametrize("page", PAGES)
def test_no_injected_element_handler_or_script_exists_or_ran(hostile_site, browser, tmp_path, page):  # noqa: F811
    _open(browser, hostile_site / page, tmp_path / "page.png")
    assert browser.js(MARK) is None, f"an injected payload ran: {browser.js(MARK)}"
    handlers = browser.js(
        "Array.from(document.querySelectorAll('*')).flatMap(e => Array.from(e.attributes)"
        ".filter(a => a.name.startsWith('on')).map(a => e.tagName + ' ' + a.name + '=' + a.value))"
    )
    assert not [h for h in handlers if "pwned" in h], handlers
    scripts = browser.js(
        "Array.from(document.scripts).filter(s => s.type !== 'application/json').map(s => s.textContent)"
    )
    assert not [s for s in scripts if "pwned" in s]
    # data islands (the status map's names) may hold the hostile text, as data: each must still parse as JSON,
    # so nothing broke out of it
    islands = browser.js(
        "Array.from(document.querySelectorAll('script[type=\"application/json\"]')).map(s => "
        "{ try { JSON.parse(s.textContent); return true } catch (e) { return false } })"
    )
    assert all(islands), islands
    assert browser.js('document.querySelectorAll(\'img[src="x"], svg[onload], a[href^="javascript"]\').length') == 0
    if page != "overview.html":  # the overview names states and treaties by code only
        assert "pwned" in browser.js("document.body.innerText"), "the hostile text should show, as text"
