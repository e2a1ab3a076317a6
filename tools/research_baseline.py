"""Write the research notebooks' baseline of release 0.3.0 from what that release committed, read from git.

    .venv/bin/python tools/research_baseline.py            # writes src/analysis/baselines/research_0.3.0.json
    .venv/bin/python tools/research_baseline.py --check    # exits 1 if the committed file differs

Why: each research notebook says what changed since 0.3.0 (``analysis.changes.since_release``), and a reader must be
able to trust the "then" column. No number is typed here: the hazard model's exits and figures and the contagion
test's figures are parsed from the executed outputs the 0.3.0 notebooks were committed with (``git show
COMMIT:notebooks/...``; the cells are found by their source, their tables read from text/html, or text/plain where
no HTML was stored); the kind of each exit and the record's exit acts and treaty ids come from data/events.csv and
data/treaties.csv of the same commit. The method of 0.3.0 is stated in words, and each statement is checked against
that commit's source, so that the tool refuses to write a claim the code of 0.3.0 contradicts.
"""

from __future__ import annotations

import ast
import csv
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
RELEASE, COMMIT = "0.3.0", "4cfab6f5f106de528f6401e64918898ee245dda7"
HAZARD, CONTAGION = "notebooks/exit_hazard.ipynb", "notebooks/contagion.ipynb"
OUT = ROOT / "src" / "analysis" / "baselines" / f"research_{RELEASE}.json"
COMMAND = "python tools/research_baseline.py"
#: The record's actions that are exits (as the 0.3.0 record spelled them).
EXIT_ACTIONS = ("withdrawal", "suspension", "signature_withdrawal", "ratification_revocation")
#: What the method was at 0.3.0, each with the check on that commit's source that must hold for it to be written.
METHOD_THEN = [
    ("hazard", "a plain maximum-likelihood logit (statsmodels) with Wald intervals",
     lambda src: "sm.Logit(" in src["src/analysis/models.py"] and "src/analysis/firth.py" not in src),
    ("hazard", "events: withdrawal notices and suspensions",
     lambda src: "a withdrawal notice or a suspension deposited that year" in src["src/analysis/models.py"]),
    ("contagion", "each exit moved alone to a random state (exits taken together were not one decision)",
     lambda src: "src/analysis/decisions.py" not in src),
    ("contagion", "one test (one window, one grouping), no adjustment for multiple tests",
     lambda src: "holm" not in src["src/analysis/contagion.py"].lower()),
]  # fmt: skip


def git_show(path: str, commit: str = COMMIT) -> str:
    """One file as committed; one clear line when git or the commit is not there."""
    try:
        done = subprocess.run(["git", "show", f"{commit}:{path}"], cwd=ROOT, capture_output=True, text=True)
    except FileNotFoundError:
        raise SystemExit("git is not installed: the baseline is read from the history") from None
    if done.returncode:
        raise SystemExit(f"cannot read {path} at {commit[:7]}: {done.stderr.strip().splitlines()[-1]}")
    return done.stdout


def _source(cell: dict) -> str:
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def _cell(nb: dict, needle: str) -> dict:
    """The one code cell whose source holds ``needle`` (found by its code, not its place)."""
    found = [c for c in nb["cells"] if c["cell_type"] == "code" and needle in _source(c)]
    if len(found) != 1:
        raise SystemExit(f"expected one cell with {needle!r} in the notebook, found {len(found)}")
    return found[0]


def _output(cell: dict, mime: str) -> str | None:
    for out in cell.get("outputs", []):
        value = out.get("data", {}).get(mime)
        if value is not None:
            return "".join(value) if isinstance(value, list) else value
    return None


def plain_table(text: str) -> pd.DataFrame:
    """A DataFrame's text/plain repr (wrapped in blocks with a trailing backslash, index name on its own line):
    the column names from each block's first line, the values the last tokens of each row, the label the rest."""
    frames = []
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = [line.rstrip(" \\") for line in block.splitlines() if line.strip()]
        columns = lines[0].split()
        named = len(lines) > 1 and len(lines[1].split()) == 1 and not lines[1].startswith(" ")
        rows = {}
        for line in lines[1 + named :]:
            tokens = line.split()
            rows[" ".join(tokens[: -len(columns)])] = tokens[-len(columns) :]
        frames.append(pd.DataFrame.from_dict(rows, orient="index", columns=columns))
    return pd.concat(frames, axis=1).apply(_numeric)


def _numeric(column: pd.Series) -> pd.Series:
    try:
        return pd.to_numeric(column)
    except (TypeError, ValueError):
        return column


def table(cell: dict) -> pd.DataFrame:
    """A cell's table from its text/html (pandas' own reader), else from its text/plain."""
    markup = _output(cell, "text/html")
    if markup is None:
        return plain_table(_output(cell, "text/plain") or "")
    frame = pd.read_html(io.StringIO(markup), index_col=0)[0]
    if isinstance(frame.columns, pd.MultiIndex):  # the index name's header row
        frame.columns = [next(level for level in col if not str(level).startswith("Unnamed")) for col in frame.columns]
    frame.index = frame.index.astype(str)
    return frame


def _markdown(cell: dict) -> str:
    text = _output(cell, "text/markdown") or _output(cell, "text/plain")
    if not text:
        raise SystemExit("a headline cell of the 0.3.0 notebook has no output")
    return text


def _number(pattern: str, text: str, kind=int):
    found = re.search(pattern, text)
    if not found:
        raise SystemExit(f"no match for {pattern!r} in {text[:80]!r}")
    return kind(found.group(1).replace(",", ""))


def record(commit: str = COMMIT) -> dict:
    """The 0.3.0 record's treaty ids and exit acts (state, treaty, action, date, effective date)."""
    treaties = sorted(row["id"] for row in csv.DictReader(io.StringIO(git_show("data/treaties.csv", commit))))
    keep = ("state", "treaty", "action", "date", "effective_date")
    acts = [
        {k: row[k] for k in keep}
        for row in csv.DictReader(io.StringIO(git_show("data/events.csv", commit)))
        if row["action"] in EXIT_ACTIONS
    ]
    return {"treaties": treaties, "acts": sorted(acts, key=lambda a: (a["state"], a["treaty"], a["date"]))}


def _kinds(state: str, treaty: str, year: int, acts: list[dict]) -> str:
    """The kinds of the pair's exit acts noticed or in effect that year in the 0.3.0 record (the notebook did not
    print them); all the pair's exit acts where none falls in the year."""
    mine = [a for a in acts if (a["state"], a["treaty"]) == (state, treaty)]
    that_year = [a for a in mine if str(year) in (a["date"][:4], a["effective_date"][:4])] or mine
    if not that_year:
        raise SystemExit(f"the 0.3.0 model counts {state} {treaty} {year}, but its record has no exit act for it")
    return ", ".join(dict.fromkeys(a["action"] for a in sorted(that_year, key=lambda a: a["date"])))


def hazard(nb: dict, acts: list[dict]) -> dict:
    """The hazard model's headline (events, state-years, pairs, states), its terms and the exits it counted."""
    head = _markdown(_cell(nb, "fit.events"))
    caveat = _markdown(_cell(nb, "caveat(fit)"))
    terms = table(_cell(nb, "fit.table"))
    exits = table(_cell(nb, 'rows["event"] == 1'))
    years = pd.to_datetime(exits["period"]).dt.year
    return {
        "events": _number(r"\*\*(\d+) exits\*\*", head),
        "state_years": _number(r"in ([\d,]+) state-years", head),
        "pairs": _number(r"([\d,]+) state–treaty pairs", head),
        "states_with_events": _number(r"by (\d+) states", caveat),
        "reference": re.search(r"reference category: \*([^*]+)\*", head).group(1),
        "terms": {
            term: {k: float(terms.loc[term, k]) for k in ("odds_ratio", "or_low", "or_high", "p_value")}
            for term in terms.index
        },
        "rounded_to": "3 decimals, as the 0.3.0 notebook printed fit.table.round(3)",
        "exits": [
            {"state": s, "treaty": t, "year": int(y), "kind": _kinds(s, t, int(y), acts)}
            for s, t, y in zip(exits["state"], exits["treaty"], years)
        ],
    }


def _parameters(nb: dict) -> dict:
    tree = ast.parse(_source(_cell(nb, "# Parameters")))
    return {
        node.target.id if isinstance(node, ast.AnnAssign) else node.targets[0].id: ast.literal_eval(node.value)
        for node in tree.body
        if isinstance(node, (ast.Assign, ast.AnnAssign))
    }


def contagion(nb: dict) -> dict:
    """The contagion test's parameters, its sentence's figures, and the exits it tested."""
    sentence = _markdown(_cell(nb, "test.sentence()"))
    exits = table(_cell(nb, "test.exits"))
    p = re.search(r"\(p ([=<]) ([\d.]+)", sentence)
    return {
        "parameters": _parameters(nb),
        "observed": _number(r"^(\d+) pairs", sentence.strip()),
        "expected": _number(r"give ([\d.]+) on average", sentence, float),
        "p_value": float(p.group(2)),
        "p_text": f"{'' if p.group(1) == '=' else '< '}{p.group(2)}",
        "permutations": _number(r"(\d+) permutations", sentence),
        "exits_tested": _number(r"(\d+) exits\)", sentence),
        "sentence": sentence.strip(),
        "exits": [
            {"state": s, "treaty": t, "kind": k, "notice": str(n)[:10]}
            for s, t, k, n in zip(exits["state"], exits["treaty"], exits["kind"], exits["notice_deposited"])
        ],
    }


def method(commit: str = COMMIT) -> dict:
    """The method of 0.3.0 in words, each statement checked against that commit's source."""
    files = git_show_tree(commit)
    src = {path: git_show(path, commit) for path in ("src/analysis/models.py", "src/analysis/contagion.py")}
    src.update({path: "" for path in files if path not in src})
    out: dict[str, list[str]] = {"hazard": [], "contagion": []}
    for where, words, holds in METHOD_THEN:
        if not holds(src):
            raise SystemExit(f"the source of {commit[:7]} contradicts the statement {words!r}")
        out[where].append(words)
    return out


def git_show_tree(commit: str = COMMIT) -> list[str]:
    done = subprocess.run(["git", "ls-tree", "-r", "--name-only", commit], cwd=ROOT, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"cannot list the files of {commit[:7]}: is the git history there?")
    return done.stdout.split()


def build(commit: str = COMMIT) -> dict:
    """The whole baseline, from git alone."""
    old = record(commit)
    return {
        "release": RELEASE,
        "provenance": {
            "commit": commit,
            "notebooks": {"hazard": HAZARD, "contagion": CONTAGION},
            "record": "data/events.csv and data/treaties.csv at the same commit",
            "command": COMMAND,
            "note": "figures parsed from the executed outputs committed with the notebooks; exit kinds from the "
            "record of the same commit (the 0.3.0 hazard notebook did not print them)",
            "changed_by": "issue 19 (uncertain dates), issue 20 (new instruments, the CFE allies' suspensions, exit "
            "steps), issue 22 (exits taken together as one decision, Firth's estimator, Holm's adjustment)",
        },
        "method": method(commit),
        "hazard": hazard(json.loads(git_show(HAZARD, commit)), old["acts"]),
        "contagion": contagion(json.loads(git_show(CONTAGION, commit))),
        "record": old,
    }


def text(baseline: dict) -> str:
    return json.dumps(baseline, indent=1, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    written = text(build())
    if "--check" in argv:
        same = OUT.is_file() and OUT.read_text(encoding="utf-8") == written
        print(f"{OUT.relative_to(ROOT)} {'matches' if same else 'differs from'} the 0.3.0 notebooks in git")
        return 0 if same else 1
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(written, encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
