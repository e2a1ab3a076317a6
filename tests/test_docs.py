"""The documentation site (issue 23): its API reference lists every name of ``analysis.__all__`` from the object
that defines it; its pages link only to pages it holds; the built site (``make docs``) loads nothing remote, and
its search answers from ``file://`` in a real browser (Material's offline plugin and the shipped iframe-worker)."""

from __future__ import annotations

import importlib
import os
import re
import sys
from pathlib import Path

import pytest
from conftest import ROOT

import analysis

sys.path.insert(0, str(ROOT / "tools"))
import docs_site

SITE = ROOT / "build" / "site"
_HREF = re.compile(r'(?:href|src)="([^"#?]*)(?:#[^"]*)?"')


def test_the_api_reference_lists_every_public_name():
    page = docs_site.api_page()
    for name, path, documented in docs_site.api_names():
        assert f"## `analysis.{name}`" in page
        if documented:  # the block names the defining object, which is the package's own
            module, _, attr = path.rpartition(".")
            assert f"::: {path}" in page and getattr(importlib.import_module(module), attr) is getattr(analysis, name)
    assert [n for n, _, _ in docs_site.api_names()] == list(analysis.__all__)
    assert sum(documented for *_, documented in docs_site.api_names()) >= 30


def test_the_site_pages_link_only_to_pages_it_holds(tmp_path):
    docs_site.build(tmp_path)
    assert {"guide.md", "api.md", "codebook.md", "data.md", "changelog.md", "index.md"} <= {
        p.name for p in tmp_path.glob("*.md")
    }
    assert len(list((tmp_path / "notebooks").glob("*.ipynb"))) == len(list((ROOT / "notebooks").glob("*.ipynb")))
    for page in tmp_path.glob("*.md"):
        for target in re.findall(r"\]\(([^)\s]+)\)", page.read_text(encoding="utf-8")):
            if target.startswith(("http://", "https://", "mailto:", "#")):
                continue
            assert (tmp_path / target.split("#")[0]).exists(), (page.name, target)
    guide = (tmp_path / "guide.md").read_text(encoding="utf-8")
    assert "](codebook.md)" in guide and "](docs/codebook.md)" not in guide


def test_links_to_files_the_site_does_not_hold_become_their_names():
    text = docs_site.rewrite_links("see [the kernel](lab/kernel/kernel.json) and [codebook](docs/codebook.md#x)", "")
    assert text == "see the kernel (`lab/kernel/kernel.json` in the repository) and [codebook](codebook.md#x)"


def _built() -> Path:
    if (SITE / "index.html").exists():
        return SITE
    msg = "the documentation site is not built: run `make docs` (CI runs it before the tests)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(msg)
    pytest.skip(msg)


def test_the_built_site_has_no_broken_internal_link_and_no_remote_resource():
    site = _built()
    pages = sorted(p for p in site.rglob("*.html") if p.name != "404.html")  # a server's page, absolute paths
    assert {"index.html", "api.html", "guide.html", "codebook.html", "data.html", "changelog.html"} <= {
        p.name for p in pages
    }
    for page in pages:
        html = page.read_text(encoding="utf-8")
        for tag in re.findall(r"<(?:script|link|img|iframe)\b[^>]*>", html):
            assert not re.search(r'(?:src|href)="(?:https?:)?//', tag), (page.name, tag)  # nothing fetched remotely
        for target in _HREF.findall(html):
            if not target or target.startswith(("http:", "https:", "mailto:", "data:", "javascript:")):
                continue
            assert (page.parent / target).resolve().exists(), (str(page.relative_to(site)), target)
    api = (site / "api.html").read_text(encoding="utf-8")
    assert all(f"analysis.{name}" in api for name in analysis.__all__)


def _record_failure(request, errors: list[str]) -> None:
    """A request that failed is an error, unless a navigation cancelled it (``net::ERR_ABORTED``: clicking a result
    while the page's favicon still loads); a file missing from the site fails as ``net::ERR_FILE_NOT_FOUND``."""
    failure = request.failure or ""
    if "ERR_ABORTED" not in failure:
        errors.append(f"failed: {request.url} ({failure})")


@pytest.mark.browser
def test_the_search_answers_from_file_in_a_browser():
    """Opened from the disk, with no server: a query typed in the search lists the pages that hold it, and a
    result opens its page. Without the offline plugin Material hides the search on file:// (the index is fetched
    and the search runs in a web worker, both refused to a file:// page); the plugin inlines the index in
    search/search_index.js and the iframe-worker shim, shipped with the site, runs the worker in an iframe."""
    site = _built()
    from playwright.sync_api import expect, sync_playwright
    from test_browser import _need_chromium

    exe = _need_chromium()
    assert (site / "search" / "search_index.js").read_text(encoding="utf-8").startswith("var __index = ")
    shim = '<script src="assets/iframe-worker/shim.js"></script>'
    assert shim in (site / "index.html").read_text(encoding="utf-8")  # the shipped copy, not the plugin's CDN one
    with sync_playwright() as play:
        browser = play.chromium.launch(executable_path=exe, headless=True, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on("requestfailed", lambda request: _record_failure(request, errors))
        page.goto((site / "index.html").as_uri())
        page.locator("input.md-search__input").fill("Czechoslovakia", timeout=30_000)
        results = page.locator(".md-search-result__item")
        expect(results.first).to_be_visible(timeout=30_000)
        meta = page.locator(".md-search-result__meta").inner_text()
        titles = results.locator("h1, h2").all_inner_texts()
        results.first.locator("a").first.click()
        page.wait_for_load_state()
        opened, body = page.url, page.locator("article").inner_text()
        page.goto((site / "index.html").as_uri())
        page.locator("input.md-search__input").fill("zzqxjv", timeout=30_000)
        expect(page.locator(".md-search-result__meta")).to_have_text("No matching documents", timeout=30_000)
        browser.close()
    assert re.fullmatch(r"\d+ matching documents?", meta) and int(meta.split()[0]) >= 1, meta
    assert any("dataset" in t.lower() for t in titles), titles  # data/README.md names the vanished states
    assert opened.startswith(site.as_uri()) and "Czechoslovakia" in body, opened
    assert errors == [], errors
