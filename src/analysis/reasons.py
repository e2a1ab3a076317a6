"""The reasons states stated for their exits (``data/reasons.csv``), coded, one row per quote.

Why: the first question anyone asks about an exit is why. Each row quotes one step of an exit (the notice, an
announcement, a statement, a decree, a law's explanatory note) with its source, and carries codes of
``schema.REASON_CODE_DOC``, each with the words of the quote that support it. ``reasons`` is that table;
``codes_by_exit`` folds it to one row per exit (what ``exits.withdrawals`` joins); ``code_table`` is one row per
exit and code, for tabulating.
"""

from __future__ import annotations

import pandas as pd

from .countries import country_name
from .dataset import Dataset, load
from .schema import REASON_CODE_DOC

__all__ = ["reasons", "codes_by_exit", "code_table", "CODES"]

#: The codes in the order tables list them (``none_stated`` last).
CODES = tuple(REASON_CODE_DOC)
_EXIT_KEY = ["state", "treaty", "exit_date"]
#: The codes that say no reason is on record (``none_stated``: the step stated none; ``not_found``: none was found).
_NO_REASON = ("none_stated", "not_found")


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split("|")] if text else []


def reasons(ds: Dataset | None = None, state: str | None = None, treaty: str | None = None) -> pd.DataFrame:
    """The coded quotes, optionally for one state (ISO3) and/or one treaty id, oldest first; ``code_list`` and
    ``evidence_list`` hold the ``|``-separated cells as lists."""
    ds = ds or load()
    out = ds.reasons.copy()
    if state is not None:
        out = out[out["state"] == state]
    if treaty is not None:
        out = out[out["treaty"] == treaty]
    out.insert(1, "name", out["state"].map(country_name))
    out.insert(3, "treaty_name", out["treaty"].map(ds.treaties["short_name"]))
    out["code_list"] = out["codes"].map(_split)
    out["evidence_list"] = out["evidence"].map(_split)
    return out.sort_values(["exit_date", "state", "treaty"], kind="stable").reset_index(drop=True)


def code_table(ds: Dataset | None = None) -> pd.DataFrame:
    """One row per exit and code (state, treaty, exit_date, code, evidence, source), each pair once."""
    columns = _EXIT_KEY + ["code", "evidence", "source"]
    rows = reasons(ds)
    out = pd.DataFrame(
        [
            (*key, code, evidence, source)
            for *key, codes, evidence_list, source in rows[
                _EXIT_KEY + ["code_list", "evidence_list", "source"]
            ].itertuples(index=False)
            for code, evidence in zip(codes, evidence_list + [""] * len(codes), strict=False)
        ],
        columns=columns,
    )
    return out.drop_duplicates(_EXIT_KEY + ["code"]).reset_index(drop=True)


def codes_by_exit(ds: Dataset | None = None) -> pd.DataFrame:
    """One row per exit with a reasons row: ``reason_codes`` (the codes, ``|``-separated in the vocabulary's order;
    ``none_stated`` or ``not_found`` only where no row states a reason) and ``reason_quotes`` (how many quotes)."""
    rows = reasons(ds)
    out = []
    for key, group in rows.groupby(_EXIT_KEY, sort=True):
        found = {code for codes in group["code_list"] for code in codes}
        if found - set(_NO_REASON):
            found -= set(_NO_REASON)
        quoted = int(group["quote"].ne("").sum())
        out.append(
            dict(zip(_EXIT_KEY, key), reason_codes="|".join(c for c in CODES if c in found), reason_quotes=quoted)
        )
    return pd.DataFrame(out, columns=_EXIT_KEY + ["reason_codes", "reason_quotes"])
