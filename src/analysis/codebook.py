"""The codebook: every file, every field, every allowed value, and how each status is derived.

Generated, never hand-edited: the types come from ``data/datapackage.json``, the vocabularies from
``analysis.schema``, the coverage of each treaty and the disagreements between sources from the data itself,
and the labels from ``labels.FIELDS`` (the only place a column is described). ``docs/codebook.md`` is its output
(``treaty-exits codebook`` rewrites it; a test fails when it is stale), and the Stata export takes its variable
and value labels from here.
"""

from __future__ import annotations

import json
from pathlib import Path

from . import config, schema
from .dataset import Dataset, load
from .exits import EXIT_TABLE_COLUMNS
from .labels import FIELDS, FIELDS_IN
from .panels import PANEL_COLUMNS, PEER_GROUPS, SPELL_COLUMNS
from .schema import ACTIONS, CONSENT, STATUSES

__all__ = ["FIELDS", "EXPORT_COLUMNS", "label", "value_labels", "markdown", "write", "is_current"]

#: The columns of each export (``analysis.export``), documented like the data files.
EXPORT_COLUMNS = {"spells": SPELL_COLUMNS, "panel": PANEL_COLUMNS, "exits": EXIT_TABLE_COLUMNS}

_YES_NO = {0: "no", 1: "yes"}
_BINARY = ("bound", "at_risk", "ongoing", "nato", "eu", "projected")


def _vocabularies(ds: Dataset) -> dict[str, dict[str, str]]:
    """Allowed values of the coded columns, each with its meaning (empty meaning: the name says it)."""
    actions = {a: _action_role(a) for a in sorted(ACTIONS)}
    return {
        "action": actions,
        "corrected_action": actions,
        "corrects": {label: "" for label in sorted(schema.CONFLICT_SOURCES - {schema.CORRECTIONS})},
        "status": dict(schema.STATUS_DOC),
        "source_kind": {k: schema.SOURCE_KIND_DOC[k] for k in sorted(schema.SOURCE_KINDS)},
        "rule": dict(schema.MERGE_RULE),
        "coverage": {"full": "every state's record is expected", "events": "only curated events are held"},
        "group": {"NATO": "North Atlantic Treaty Organization", "EU": "European Union and its predecessors"},
        "category": {c: "" for c in sorted(set(ds.treaties["category"]))},
        "region": {r: "" for r in sorted(set(ds.states["region"].dropna()) - {""})},
        "kind": {k: "" for k in sorted(set(ds.notes["kind"]))} if "kind" in ds.notes else {},
        "step": {s: "" for s in schema.REASON_STEPS},
        "codes": dict(schema.REASON_CODE_DOC),
        "successions.csv:kind": {
            k: "the predecessor's status carries over" if k in schema.CARRY_OVER_KINDS else ""
            for k in sorted(schema.SUCCESSION_KINDS)
        },
    }


def _action_role(action: str) -> str:
    if action in CONSENT:
        return "consent to be bound"
    if action in schema.EXIT_ACTIONS:
        return "exit (counted by analysis.withdrawals)"
    if action in schema.STEP_ACTIONS:
        return "domestic or political step towards an exit (changes no status)"
    return ""


def label(column: str, file: str | None = None) -> str:
    """A column's label (what the Stata export writes as its variable label), in ``file`` if it differs there."""
    return FIELDS_IN.get((file, column)) or FIELDS.get(column, "")


def value_labels(columns) -> dict[str, dict[int, str]]:
    """Stata value labels for the 0/1 columns among ``columns`` (categoricals carry their own)."""
    return {c: dict(_YES_NO) for c in columns if c in _BINARY}


def _descriptor(ds_dir: Path) -> dict:
    return json.loads((ds_dir / "datapackage.json").read_text(encoding="utf-8"))


def _field_rows(file: str, fields: list[dict], vocab: dict) -> list[str]:
    rows = ["| field | type | label | values |", "|---|---|---|---|"]
    for field in fields:
        name = field["name"]
        values = ", ".join(f"`{v}`" for v in vocab.get(f"{file}:{name}", vocab.get(name, {})))
        text = label(name, file) or "**undocumented**"
        rows.append(f"| `{name}` | {field.get('type', 'string')} | {text} | {values} |")
    return rows


def _files_section(descriptor: dict, vocab: dict) -> list[str]:
    lines = ["## 1. Files and fields", ""]
    for resource in descriptor["resources"]:
        lines += [f"### `{resource['path']}`", ""]
        if resource.get("description"):
            lines += [resource["description"], ""]
        if "schema" in resource:  # a table; the map outlines (JSON) have no fields
            lines += _field_rows(resource["path"], resource["schema"]["fields"], vocab) + [""]
    return lines


def _vocab_section(vocab: dict) -> list[str]:
    lines = ["## 2. Vocabularies", ""]
    for name in ("action", "source_kind", "rule", "coverage", "group", "kind", "codes"):
        lines += [f"### `{name}`", "", "| value | meaning |", "|---|---|"]
        lines += [f"| `{value}` | {meaning} |" for value, meaning in vocab.get(name, {}).items()]
        lines.append("")
    return lines


def _status_section() -> list[str]:
    """Each status and the actions that lead to it (the state machine in ``analysis.status``)."""
    derived = {
        "not signed": "no action on record yet (the start of every history)",
        "signatory": "`signature` while not signed",
        "consent deposited": f"any consent ({', '.join(f'`{a}`' for a in CONSENT)}) before the treaty is in force "
        "for the state (its `eif_rule` gives the day it will be)",
        "party": "a consent once the treaty is in force for the state (deposit day, or the day the `eif_rule` "
        "gives; a `succession` takes effect from the date of succession of States: the state's `since`, else its "
        "link's date in `successions.csv`, else its own day); also `withdrawal_suspended` and `suspension_lifted`; "
        "a `continuation` or `unification` in `successions.csv` carries the predecessor's status over on its date",
        "withdrawal pending": "`withdrawal` with its effective day (or the notice period: `notice_months`/"
        "`notice_days` from the notice) still ahead",
        "withdrawn": "the effective day of a `withdrawal` (given, or the notice period run out)",
        "signature withdrawn": "`signature_withdrawal` while a signatory",
        "ratification revoked": "`ratification_revocation` after a consent",
        "suspended": "`suspension` (from its effective day) while a party",
        "terminated": "`termination`: the treaty itself ended",
        "ceased to exist": "the state's `until` day in `states.csv` (a former state), or a gap's `ended` day in "
        "`lifetime_gaps.csv` (to the day before its `resumed`, when the status its acts give resumes)",
        "not yet a state": "the days before the state's `since` day in `states.csv` (a state that began during "
        "the record: a successor, or a newly independent state dated by the Gleditsch-Ward list; `since_source`)",
    }
    lines = ["## 3. Statuses and how each is derived", ""]
    lines += [
        "A status holds from the day of the action (or its effect) that starts it until the next one. The last "
        "step of a day wins. `bound` = one of "
        f"{', '.join(f'`{s}`' for s in sorted(schema.IN_FORCE))}; the depositary's count of parties = one of "
        f"{', '.join(f'`{s}`' for s in sorted(schema.DEPOSITED))}; an exit event = entering one of "
        f"{', '.join(f'`{s}`' for s in sorted(schema.EXIT_STATUSES))} from another status.",
        "",
        "An act dated less precisely than a day (`date_edtf`, `effective_date_edtf`) is read at each of its "
        "alternatives (a set's members; a range's first and last possible day): the status is *certain* where "
        "every reading gives it, and the tables give the late reading (each act from the day it surely happened), "
        "mark the other cells `certain` = 0, and can be drawn in the early reading (docs/data-model.md).",
        "",
        "| code | status | meaning | derived from |",
        "|---|---|---|---|",
    ]
    lines += [f"| {i} | `{s}` | {schema.STATUS_DOC[s]} | {derived[s]} |" for i, s in enumerate(STATUSES)]
    lines += [
        f"| {len(STATUSES)} | `{schema.NO_RECORD}` | a label, not a step of the engine: for a treaty with coverage "
        "'events' (only curated events are held), a state without any act of its own there; the reports, maps, "
        "the explorer and the exports (spells, panel) use it where the engine's code is 0 | "
        "`analysis.status.with_no_record` |"
    ]
    return [*lines, ""]


def _coverage_section(ds: Dataset) -> list[str]:
    lines = [
        "## 4. Treaties: coverage and `known_until`",
        "",
        "| id | treaty | coverage | known until |",
        "|---" * 4 + "|",
    ]
    for tid, row in ds.treaties.iterrows():
        until = row["known_until"].date().isoformat() if row["known_until"] == row["known_until"] else ""
        lines.append(f"| `{tid}` | {row['short_name']} | {row['coverage']} | {until} |")
    return [*lines, ""]


def _succession_section(ds: Dataset) -> list[str]:
    carried = ", ".join(f"`{k}`" for k in sorted(schema.CARRY_OVER_KINDS))
    lines = [
        "## 5. Succession",
        "",
        "A former state keeps its own rows up to its `until` day; from that day its status in every treaty is "
        "`ceased to exist` and it is counted nowhere, as inside a gap in its existence (`lifetime_gaps.csv`; "
        "from the gap's end the status its acts give resumes). A state that began during the record is `not yet a state` "
        f"before its `since` day. Across a {carried} link (`successions.csv`) the status engine carries the "
        "predecessor's status over to the successor on the link's date; every other successor is bound only by "
        "its own acts: a `succession` row binds it from the date of the succession of States (its `since`, else "
        "its link's date; newly independent states too, from their `since`; never before the treaty is in force), "
        "not from the notification, which stays the row's `date` (Vienna Convention on Succession of States in "
        "respect of Treaties, 1978, arts. 17, 23, 34-35). `attributions.csv` moves acts a source "
        "lists under the wrong state to the state that performed them, each rule with its source.",
        "",
        "| predecessor | successor | kind | date |",
        "|---|---|---|---|",
    ]
    for row in ds.successions.itertuples():
        day = row.date.date().isoformat() if hasattr(row.date, "date") else str(row.date)
        lines.append(f"| `{row.predecessor}` | `{row.successor}` | {row.kind} | {day} |")
    return [*lines, ""]


def _conflicts_section(data_dir: Path) -> list[str]:
    import pandas as pd

    path = data_dir / "conflicts.csv"
    lines = ["## 6. Where sources disagree, and how the merge settles it", ""]
    if not path.exists():
        return [*lines, "No conflicts register in this copy of the data.", ""]
    conflicts = pd.read_csv(path, dtype=str, keep_default_na=False)
    counts = conflicts["rule"].value_counts()
    lines += ["| rule | rows | how it is settled |", "|---|---|---|"]
    lines += [f"| `{rule}` | {counts.get(rule, 0)} | {text} |" for rule, text in schema.MERGE_RULE.items()]
    return [
        *lines,
        "",
        "Every disagreement is a row of `conflicts.csv`; `data/README.md` discusses the large ones.",
        "",
    ]


def _exports_section() -> list[str]:
    lines = ["## 7. Exports (`analysis.export`, `treaty-exits export`)", ""]
    lines += [
        "`events` is `events.csv` as it is. `spells` and `panel` are derived (`analysis.spells`, "
        f"`analysis.event_panel`); the peer groups are {', '.join(PEER_GROUPS)}: a state's peers are the other "
        "states of its group in that period that had consented to the treaty before the period began (and still "
        "existed); they 'had left' if they were then in an exit status.",
        "",
    ]
    for name, columns in EXPORT_COLUMNS.items():
        lines += [f"### `{name}`", "", "| field | label |", "|---|---|"]
        lines += [f"| `{c}` | {label(c, name) or '**undocumented**'} |" for c in columns]
        lines.append("")
    return lines


def markdown(ds: Dataset | None = None, data_dir: Path | str | None = None) -> str:
    """The whole codebook as markdown, from the data in ``data_dir`` (default: the package's)."""
    folder = config.data_dir(data_dir)
    ds = ds or load(folder)
    descriptor = _descriptor(folder)
    vocab = _vocabularies(ds)
    head = [
        "# Codebook",
        "",
        f"Generated by `treaty-exits codebook` from `data/datapackage.json` and `analysis.schema`; do not edit. "
        f"Dataset version {ds.version} (status date {ds.status_date.isoformat()}).",
        "",
    ]
    body = _files_section(descriptor, vocab) + _vocab_section(vocab) + _status_section()
    body += _coverage_section(ds) + _succession_section(ds) + _conflicts_section(folder) + _exports_section()
    return "\n".join(head + body).rstrip() + "\n"


def write(path: Path | str | None = None, ds: Dataset | None = None) -> Path:
    """Write the codebook (default: ``docs/codebook.md`` in a checkout)."""
    target = config.outside_data(path, "--out") if path else config.CODEBOOK_FILE
    target.write_text(markdown(ds), encoding="utf-8")
    return target


def is_current(path: Path | str | None = None, ds: Dataset | None = None) -> bool:
    """True when the codebook on disk is what the data and schema generate now."""
    target = Path(path) if path else config.CODEBOOK_FILE
    return target.is_file() and target.read_text(encoding="utf-8") == markdown(ds)
