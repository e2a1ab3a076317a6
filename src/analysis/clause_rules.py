"""Row checks of the withdrawal clauses (``clauses.csv``) and of the reasons states gave for leaving
(``reasons.csv``), and the one check of an exit's effect against its clause.

``clauses.csv`` is the one home of the notice rule the status engine and the exits table read, so each treaty of
the registry has exactly one row there, with whole-number periods and ``true``/``false`` flags. ``reasons.csv``
quotes what states said: a quote is short (at most ``QUOTE_WORDS`` words), each code is of the documented
vocabulary, and each code's evidence is words that occur in the quote (or its translation): a code nobody can
find in the words quoted is an opinion, not a reading. Messages read ``'file, line N, column C: ...'``.
"""

from __future__ import annotations

import re

from .schema import (
    CLAUSE_COLUMNS,
    EXIT_ACTIONS,
    REASON_CODE_DOC,
    REASON_COLUMNS,
    REASON_STEPS,
    EdtfError,
    is_iso_day,
    notice_effect,
    parse_day,
    parse_edtf,
)

__all__ = [
    "clause_rows", "reason_rows", "withdrawal_effect_follows_clause", "evidence_pairs", "quote_words", "QUOTE_WORDS"]  # fmt: skip

#: The longest quote a reasons row may hold, in words (a quote, not a document).
QUOTE_WORDS = 50
_FLAGS = ("reasons_required", "supreme_interests", "armed_conflict_clause")
#: The codes that say no reason is on record: they stand alone, with no quote, and the row says where it looked.
_NO_REASON = ("none_stated", "not_found")
#: A clause's quote opens with the article it quotes ("art. XIII(2): …", "CCW art. 9(1)–(2): …"), so that a reader
#: (and this check) can tell which article the words come from; the article's number is its first number or numeral.
_LABEL = re.compile(r"^([^:]*?\bart\. ?([0-9]+|[IVXLC]+)\b[^:]*):\s")
_ARTICLE = re.compile(r"\bart\. ?([0-9]+|[IVXLC]+)\b")


def _columns(table, required) -> list[str]:
    return [f"{table.path}, line 1: missing column {c!r}" for c in required if c not in table.columns]


def _int_or_none(value: str) -> int | None:
    return int(value) if value and value.isdigit() else None


def clause_rows(clauses, treaties) -> list[str]:
    """One row per treaty id of the registry (no more, no fewer), whole-number notice periods, ``true``/``false``
    flags, a period only where an article is named, and a source on every row."""
    if clauses is None:
        return [f"{treaties.path.parent / 'clauses.csv'}: file not found (one row per treaty of treaties.csv)"]
    errors = list(clauses.errors) + _columns(clauses, CLAUSE_COLUMNS)
    if errors:
        return errors
    ids, seen = [r.get("id") for r in treaties.rows], set()
    for where, row in clauses.lines():
        if row["treaty"] not in ids:
            errors.append(f"{where}, column 'treaty': {row['treaty']!r} is not a treaty id of treaties.csv")
        elif row["treaty"] in seen:
            errors.append(f"{where}, column 'treaty': a second row for {row['treaty']!r}; one clause per treaty")
        seen.add(row["treaty"])
        errors += [
            f"{where}, column {c!r}: {row[c]!r} is not a whole number"
            for c in ("notice_months", "notice_days")
            if row[c] and not row[c].isdigit()
        ]
        errors += [
            f"{where}, column {c!r}: {row[c]!r}, expected 'true', 'false' or empty (not read)"
            for c in _FLAGS
            if row[c] not in ("true", "false", "")
        ]
        if (row["notice_months"] or row["notice_days"]) and not row["withdrawal_article"]:
            errors.append(f"{where}, column 'withdrawal_article': empty, but a notice period is given")
        if not row["source"]:
            errors.append(f"{where}, column 'source': empty; every row names its source")
        errors += _clause_quote(where, row)
    missing = [i for i in ids if i not in seen]
    errors += [f"{clauses.path}: no row for treaty {i!r} of treaties.csv" for i in missing if i]
    return errors


def quote_words(quote: str) -> int:
    """The words a clause's quote takes from the treaty: not its leading article label, not the ellipses."""
    label = _LABEL.match(quote)
    body = quote[label.end() :] if label else quote
    return sum(1 for word in body.split() if word not in ("…", "..."))


def _clause_quote(where: str, row: dict) -> list[str]:
    """A quote is short (``QUOTE_WORDS`` words at most) and opens with the article it quotes, which is the row's
    withdrawal article (or, for a treaty without one, the duration article its ``duration`` names) where the row
    names one: a quote of another article would put words in the wrong clause's mouth."""
    if not row["quote"]:
        return []
    label = _LABEL.match(row["quote"])
    if not label:
        return [f"{where}, column 'quote': does not open with the article it quotes ('art. X(2): …')"]
    errors = []
    if quote_words(row["quote"]) > QUOTE_WORDS:
        errors.append(f"{where}, column 'quote': {quote_words(row['quote'])} words; at most {QUOTE_WORDS}")
    column = "withdrawal_article" if row["withdrawal_article"] else "duration"
    named = set(_ARTICLE.findall(row[column]))
    if named and label.group(2) not in named:
        errors.append(
            f"{where}, column 'quote': quotes art. {label.group(2)}, but column {column!r} names {row[column]!r}"
        )
    return errors


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


def evidence_pairs(row: dict) -> list[tuple[str, str]]:
    """(code, evidence) pairs of a reasons row: ``codes`` and ``evidence`` are ``|``-separated, in the same order."""
    codes = [c.strip() for c in row["codes"].split("|")] if row["codes"] else []
    evidence = [e.strip() for e in row["evidence"].split("|")] if row["evidence"] else []
    return list(zip(codes, evidence + [""] * max(len(codes) - len(evidence), 0), strict=False))


def _codes(where: str, row: dict) -> list[str]:
    """Known codes, each with evidence that occurs in the quote or its translation; ``none_stated`` alone."""
    pairs = evidence_pairs(row)
    if not pairs:
        return [f"{where}, column 'codes': empty; give a code (none_stated or not_found where no reason is on record)"]
    errors = [f"{where}, column 'codes': {c!r} is not a code of schema.REASON_CODE_DOC" for c, _ in pairs
              if c not in REASON_CODE_DOC]  # fmt: skip
    if len(row["evidence"].split("|")) > len(pairs) and row["evidence"]:
        errors.append(f"{where}, column 'evidence': more pieces of evidence than codes")
    words = _normal(row["quote"]) + " \n " + _normal(row["translation"])
    for code, evidence in pairs:
        if code in _NO_REASON:
            if len(pairs) > 1 or row["quote"]:
                errors.append(f"{where}, column 'codes': {code} stands alone, with no quote")
        elif not evidence:
            errors.append(f"{where}, column 'evidence': no evidence for {code!r}")
        elif _normal(evidence) not in words:
            errors.append(f"{where}, column 'evidence': {evidence!r} ({code}) does not occur in the quote")
    return errors


def _reason_date(where: str, row: dict) -> list[str]:
    if row["date"]:
        return [] if is_iso_day(row["date"]) else [f"{where}, column 'date': {row['date']!r} is not a date YYYY-MM-DD"]
    if not row["date_edtf"]:
        return [f"{where}, column 'date': empty, and no date_edtf"]
    try:
        parse_edtf(row["date_edtf"])
    except EdtfError as exc:
        return [f"{where}, column 'date_edtf': {exc}"]
    return []


def _reason_row(where: str, row: dict, exits: set) -> list[str]:
    errors = _reason_date(where, row) + _codes(where, row)
    if (row["state"], row["treaty"], row["exit_date"]) not in exits:
        errors.append(
            f"{where}, column 'exit_date': no exit (withdrawal, suspension, ...) of {row['state']}/{row['treaty']} "
            f"dated {row['exit_date']!r} in events.csv"
        )
    if row["step"] not in REASON_STEPS:
        errors.append(f"{where}, column 'step': {row['step']!r}, expected one of {', '.join(REASON_STEPS)}")
    if len(row["quote"].split()) > QUOTE_WORDS:
        errors.append(f"{where}, column 'quote': {len(row['quote'].split())} words; at most {QUOTE_WORDS}")
    if not row["source"]:
        errors.append(f"{where}, column 'source': empty; every row names its source")
    return errors


def reason_rows(reasons, events) -> list[str]:
    """Each reasons row explains an exit on record, at a step of ``REASON_STEPS``, dated (a day or EDTF), with a
    short quote, known codes whose evidence occurs in the quote, a source; no row twice."""
    if reasons is None:
        return []
    errors = list(reasons.errors) + _columns(reasons, REASON_COLUMNS)
    if errors:
        return errors
    # an exit known to the day by its day; one known less precisely by its late reading, as the exits table has it
    exits = {(r["state"], r["treaty"], r["date"] or r.get("date_latest") or r.get("date_earliest", ""))
             for r in events.rows if r["action"] in EXIT_ACTIONS}  # fmt: skip
    seen: dict[tuple, str] = {}
    for where, row in reasons.lines():
        errors += _reason_row(where, row, exits)
        key = tuple(row[c] for c in ("state", "treaty", "exit_date", "step", "date", "date_edtf", "quote", "source"))
        if key in seen:
            errors.append(f"{where}: duplicate of {seen[key].split(', ')[-1]}")
        seen.setdefault(key, where)
    return errors


def withdrawal_effect_follows_clause(events, clauses) -> list[str]:
    """A withdrawal's effect is its notice plus the clause's period, unless the note explains ('effect: ...')."""
    rules = {r.get("treaty"): r for r in clauses.rows} if clauses is not None else {}
    errors = []
    for where, row in events.lines():
        clause = rules.get(row["treaty"])
        if row["action"] != "withdrawal" or not clause or not row["effective_date"]:
            continue
        if not (is_iso_day(row["date"]) and is_iso_day(row["effective_date"])):
            continue
        expected = notice_effect(
            parse_day(row["date"]), _int_or_none(clause["notice_months"]), _int_or_none(clause["notice_days"])
        )
        if expected and expected.isoformat() != row["effective_date"] and "effect:" not in row["note"]:
            errors.append(
                f"{where}, column 'effective_date': {row['effective_date']}, but the notice of "
                f"{row['date']} plus the clause's period gives {expected}; explain in the note "
                f"('effect: ...')"
            )
    return errors
