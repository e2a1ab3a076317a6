"""tools/compare_sites.py: two sites are the same when only the stamps and the build time differ."""

import importlib.util

from conftest import ROOT

spec = importlib.util.spec_from_file_location("compare_sites", ROOT / "tools" / "compare_sites.py")
compare_sites = importlib.util.module_from_spec(spec)
spec.loader.exec_module(compare_sites)

PAGE = """<head><meta content='{stamp}' name="treaty-exits-stamp"/></head><body><p>{text}</p>
<footer>built in
{seconds} s by <code>treaty-exits reports</code>.</footer></body>"""


def _site(root, stamp="v1|abc", text="Lithuania", seconds=60, extra=None):
    (root / "countries").mkdir(parents=True)
    (root / "countries" / "LTU.html").write_text(PAGE.format(stamp=stamp, text=text, seconds=seconds))
    if extra:
        (root / extra).write_text("<p>more</p>")
    return root


def test_stamps_and_build_time_are_ignored(tmp_path, capsys):
    old = _site(tmp_path / "old")
    new = _site(tmp_path / "new", stamp="v2|def", seconds=142)
    assert compare_sites.main([str(old), str(new)]) == 0
    assert "1 pages compared, 0 differ" in capsys.readouterr().out


def test_any_other_difference_is_reported(tmp_path, capsys):
    old = _site(tmp_path / "old", extra="index.html")
    new = _site(tmp_path / "new", text="Lithuanie")
    assert compare_sites.main([str(old), str(new)]) == 1
    out = capsys.readouterr().out
    assert "countries/LTU.html: line 1:" in out and "Lithuanie" in out
    assert "index.html: only in" in out and "2 differ beyond the stamps" in out
    assert compare_sites.main([str(old), str(tmp_path / "missing")]) == 2
