"""The withdrawal clauses (``data/clauses.csv``) as a table for people and as covariates for models.

Why: the clause decides what an exit costs (how long the notice runs, whether reasons must be given, whether a
state at war stays bound), so researchers want it as a column, not as prose. ``clauses`` is the table with its
flags typed; ``clause_features`` is one row per treaty, ready to join to ``panels.event_panel`` on ``treaty``.
The notice rule itself reaches the status engine through ``dataset.load`` (clauses.csv is its one home).
"""

from __future__ import annotations

import pandas as pd

from .dataset import Dataset, load

__all__ = ["clauses", "clause_features", "FEATURES", "DAYS_PER_MONTH"]

#: A month's notice in days, for a notice length comparable across clauses written in months and in days.
DAYS_PER_MONTH = 365.25 / 12
#: The covariates ``clause_features`` returns, with what each means (the hazard notebook's labels).
FEATURES = {
    "has_withdrawal_clause": "the treaty has a withdrawal (denunciation) article",
    "notice_days": "the notice period, in days (months × 30.44); missing where there is no clause",
    "reasons_required": "the notice must state its reasons (or the extraordinary events)",
    "supreme_interests": "withdrawal is conditioned on extraordinary events jeopardizing supreme interests",
    "armed_conflict_deferral": "a state engaged in an armed conflict stays bound until it ends",
}
_FLAGS = ("reasons_required", "supreme_interests", "armed_conflict_clause")


def _flag(values: pd.Series) -> pd.Series:
    """'true'/'false'/'' (not read) as a nullable boolean."""
    return values.map({"true": True, "false": False}).astype("boolean")


def clauses(ds: Dataset | None = None) -> pd.DataFrame:
    """One row per treaty of the registry: its withdrawal article, notice period, to whom notice goes, the flags
    (reasons required, supreme interests, armed-conflict deferral; missing where not read), duration,
    suspension clause, terms in words, a short quote and its source."""
    ds = ds or load()
    out = ds.clauses.reset_index(drop=True).copy()
    out.insert(1, "treaty_name", out["treaty"].map(ds.treaties["short_name"]))
    for column in _FLAGS:
        out[column] = _flag(out[column])
    return out


def clause_features(ds: Dataset | None = None) -> pd.DataFrame:
    """The clause as covariates, one row per treaty (``treaty`` column and index): join to the event panel with
    ``panel.merge(clause_features(ds), on="treaty", how="left")``."""
    table = clauses(ds)
    months = table["notice_months"].astype("Float64") * DAYS_PER_MONTH
    days = table["notice_days"].astype("Float64")
    out = pd.DataFrame(
        {
            "treaty": table["treaty"],
            "has_withdrawal_clause": table["withdrawal_article"].ne(""),
            "notice_days": months.fillna(days).round(1),
            "reasons_required": table["reasons_required"],
            "supreme_interests": table["supreme_interests"],
            "armed_conflict_deferral": table["armed_conflict_clause"],
        }
    )
    return out.set_index("treaty", drop=False).rename_axis(None)
