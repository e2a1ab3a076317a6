"""The explorer in the real JupyterLab, in a real browser (Debian's chromium driven by Playwright).

Starts ``jupyter lab`` headless on a free loopback port with a token and the repository's Lab settings (as
``make lab`` does), opens a copy of ``explore.ipynb``, runs every cell through the Lab's own Run menu, switches the
treaty selector and checks that the party count shown is the one ``analysis`` computes for that treaty, that no
cell shows an error and no dialog asked anything; a screenshot is kept (``tests/artefacts/explore-lab.png``,
git-ignored; ``docs/img/explorer-lab.png`` in the README is one of these). In a Lab of 1024 × 768 every figure of
the explorer, and everything its map draws, lies inside the widgets' box (``explore-lab-narrow.png``).
"""

from __future__ import annotations

import json
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import ARTEFACTS, NOTEBOOKS, ROOT

import analysis

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SETTINGS = ROOT / "lab" / "settings"
KERNEL = "treaty-exits"
CHROMIUM = "/usr/bin/chromium"


def _need_chromium() -> str:
    from test_browser import _need_chromium as need  # one rule: skip here, fail in CI

    return need()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for_server(url: str, proc: subprocess.Popen, log: Path, timeout: float = 90) -> None:
    end = time.time() + timeout
    while time.time() < end:
        if proc.poll() is not None:
            pytest.fail(f"jupyter lab exited with {proc.returncode}: {log.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"jupyter lab did not answer within {timeout} s: {log.read_text()[-2000:]}")


@pytest.fixture()
def lab(tmp_path):
    """A running Lab on a copy of the explorer notebook: (base URL, token)."""
    specs = json.loads(
        subprocess.run(
            [sys.executable, "-m", "jupyter", "kernelspec", "list", "--json"], capture_output=True, text=True
        ).stdout
        or "{}"
    )
    assert KERNEL in specs.get("kernelspecs", {}), f"kernel {KERNEL!r} is not registered: run `make setup`"
    root = tmp_path / "notebooks"
    root.mkdir()
    shutil.copy(NOTEBOOKS / "explore.ipynb", root)
    port, token = _free_port(), secrets.token_hex(16)
    log = tmp_path / "lab.log"
    args = [
        sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}", "--ServerApp.port_retries=0", "--allow-root", f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root}", f"--LabApp.app_settings_dir={SETTINGS}",
        f"--LabApp.user_settings_dir={tmp_path / 'user-settings'}", f"--LabApp.workspaces_dir={tmp_path / 'ws'}",
    ]  # fmt: skip
    env = {"JUPYTER_CONFIG_DIR": str(tmp_path / "config"), "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime")}
    with log.open("w") as out:
        proc = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT, env={**_base_env(), **env})
    try:
        _wait_for_server(f"http://127.0.0.1:{port}/api/status?token={token}", proc, log)
        yield f"http://127.0.0.1:{port}", token
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()


def _base_env() -> dict:
    import os

    return {key: value for key, value in os.environ.items() if not key.startswith("JUPYTER")}


def _run_all_from_the_menu(page) -> None:
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()


def _live_count(page) -> str:
    return page.locator(".widget-html .te-count").first.inner_text(timeout=120_000)


def _open_explorer(page, base: str, token: str) -> None:
    """Open the notebook and wait for its own kernel (it starts by itself) to be idle."""
    from playwright.sync_api import expect

    page.goto(f"{base}/lab/tree/explore.ipynb?token={token}")
    page.locator(".jp-NotebookPanel .jp-Cell").first.wait_for(timeout=120_000)
    expect(page.locator(".jp-Toolbar-kernelName").first).to_have_text("treaty-exits (Python)", timeout=120_000)
    page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").first.wait_for(timeout=120_000)


# Where the live explorer's figures are drawn, against the box they are shown in: per figure its rectangle on
# screen, the rectangle of what it draws (the world map's shapes, exit marks, captions and legend), and the output
# box (the widgets' box, which hides what runs past its edges behind a scroll bar).
_FIGURES_IN_THEIR_BOX = """() => {
  const rect = n => { const r = n.getBoundingClientRect(); return {top: r.top, bottom: r.bottom, left: r.left,
                                                                    right: r.right}; };
  const box = document.querySelector('.widget-vbox');
  const b = box.getBoundingClientRect();
  const map = document.querySelector('.widget-html .tx-treaty-map');
  let drawn = null;
  for (const n of map.querySelectorAll('[data-iso3], .tx-exit, .tx-legend, :scope > text')) {
    if (n.closest('.tx-inset')) continue;  // the inset's copy of the world, clipped by the inset's own viewport
    const r = n.getBoundingClientRect();
    if (!r.width && !r.height) continue;
    drawn = drawn ? {top: Math.min(drawn.top, r.top), bottom: Math.max(drawn.bottom, r.bottom),
                     left: Math.min(drawn.left, r.left), right: Math.max(drawn.right, r.right)} : rect(n);
  }
  return {box: {top: b.top + box.clientTop, left: b.left + box.clientLeft,
                right: b.left + box.clientLeft + box.clientWidth, scrollWidth: box.scrollWidth,
                clientWidth: box.clientWidth},
          figures: [...document.querySelectorAll('.widget-html svg:not(svg svg)')].map(rect),
          map: rect(map), drawn};
}"""


def test_explorer_runs_in_jupyterlab_and_the_treaty_selector_updates_the_count(lab, tmp_path):
    exe = _need_chromium()
    from playwright.sync_api import expect, sync_playwright

    base, token = lab
    ds = analysis.load()
    on = ds.status_date
    expected = {tid: len(analysis.parties(tid, on=on, ds=ds)) for tid in ("apmbc", "ccm")}
    assert expected["apmbc"] != expected["ccm"]
    with sync_playwright() as play:
        browser = play.chromium.launch(executable_path=exe, headless=True, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1400, "height": 1300})
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        _open_explorer(page, base, token)  # its own kernel starts by itself: no "Select Kernel" dialog, no news
        assert page.locator(".jp-Dialog").count() == 0, page.locator(".jp-Dialog").first.inner_text()
        assert page.locator(".jp-Notification-Toast, .Toastify__toast").count() == 0
        # before any cell runs, the committed output is the static picture of the default selection
        expect(page.locator(".jp-RenderedHTMLCommon .te-count").first).to_have_text(str(expected["apmbc"]))
        assert "Error displaying widget" not in page.locator(".jp-NotebookPanel").first.inner_text()
        _run_all_from_the_menu(page)
        assert _live_count(page) == str(expected["apmbc"])
        page.locator(".widget-dropdown select").first.select_option(label="CCM (ccm)")
        page.wait_for_function(
            "n => document.querySelector('.widget-html .te-count').textContent === n",
            arg=str(expected["ccm"]),
            timeout=30_000,
        )
        page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").first.wait_for(timeout=60_000)
        # the world map of the day, recoloured for the CCM: Lithuania left it in 2025
        lithuania = page.locator(".widget-html .tx-treaty-map [data-iso3='LTU']").first
        assert lithuania.get_attribute("data-status") == analysis.status("LTU", "ccm", on=on)
        page.locator(".widget-vbox").first.evaluate("node => node.scrollIntoView({block: 'start'})")
        page.screenshot(path=str(tmp_path / "explore-lab.png"), full_page=True)
        ARTEFACTS.mkdir(parents=True, exist_ok=True)
        shutil.copy(tmp_path / "explore-lab.png", ARTEFACTS / "explore-lab.png")
        shown_errors = page.locator("[data-mime-type='application/vnd.jupyter.stderr']").all_inner_texts()
        body = page.locator(".jp-NotebookPanel").first.inner_text()
        browser.close()
    assert shown_errors == [], shown_errors
    assert "Error displaying widget" not in body and "Traceback" not in body
    assert errors == [], errors
    assert (tmp_path / "explore-lab.png").stat().st_size > 20_000


def test_the_lab_settings_name_real_settings_and_make_lab_uses_them():
    """Each override is a setting the installed Lab knows (a typo would silently leave the pop-up on)."""
    import jupyterlab

    schemas = Path(sys.prefix) / "share" / "jupyter" / "lab" / "schemas"
    overrides = json.loads((SETTINGS / "overrides.json").read_text())
    assert overrides["@jupyterlab/apputils-extension:notification"]["fetchNews"] == "false"
    for plugin, values in overrides.items():
        package, name = plugin.split(":")
        schema = json.loads((schemas / package / f"{name}.json").read_text())
        assert set(values) <= set(schema["properties"]), (plugin, jupyterlab.__version__)
    shipped = json.loads((ROOT / "lab" / "kernel" / "kernel.json").read_text())
    assert shipped["display_name"] == "treaty-exits (Python)" and shipped["argv"][0] == "python"
    makefile = (ROOT / "Makefile").read_text()
    assert "--LabApp.app_settings_dir=$(CURDIR)/lab/settings" in makefile
    assert f"KERNEL := {KERNEL}" in makefile and '--display-name "$(KERNEL) (Python)"' in makefile


def test_the_explorers_figures_lie_inside_their_box_in_a_narrow_lab(lab):
    """A Lab of 1024 × 768 with its file browser open leaves the output about 590 px: the map (drawn 960 px wide
    before issue 23) ran past the widgets' box, which cut Asia, Australia and the legend's third column off behind
    a scroll bar. Every figure, and everything the map draws, must now lie inside the box, top to right."""
    exe = _need_chromium()
    from playwright.sync_api import sync_playwright

    base, token = lab
    with sync_playwright() as play:
        browser = play.chromium.launch(executable_path=exe, headless=True, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1024, "height": 768})
        _open_explorer(page, base, token)
        _run_all_from_the_menu(page)
        _live_count(page)
        page.locator(".widget-html .tx-treaty-map").first.wait_for(timeout=120_000)
        page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").first.wait_for(timeout=60_000)
        page.locator(".widget-html .tx-treaty-map").first.evaluate("n => n.scrollIntoView({block: 'start'})")
        seen = page.evaluate(_FIGURES_IN_THEIR_BOX)
        ARTEFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTEFACTS / "explore-lab-narrow.png"))
        browser.close()
    box, map_, drawn = seen["box"], seen["map"], seen["drawn"]
    assert box["clientWidth"] < 700, box  # the narrow case, or the test proves nothing
    assert box["scrollWidth"] <= box["clientWidth"] + 1, box  # nothing runs past the box's right edge
    assert len(seen["figures"]) == 3, seen["figures"]  # the curve, the timelines and the map
    for figure in seen["figures"]:
        assert figure["left"] >= box["left"] - 1 and figure["right"] <= box["right"] + 1, (figure, box)
        assert figure["top"] >= box["top"] - 1, (figure, box)
    assert map_["right"] - map_["left"] > 0.9 * box["clientWidth"], (map_, box)  # as wide as the box, not shrunk away
    for side in ("top", "left"):
        assert drawn[side] >= map_[side] - 1, (side, drawn, map_)
    for side in ("bottom", "right"):
        assert drawn[side] <= map_[side] + 1, (side, drawn, map_)
