"""treaty-exits: who joined and who left the arms-control treaties, when, and how.

The data's path, one way only (each module imports only the ones before it; docs/architecture.md draws it):
config, schema (ground floor) → countries → sources/ (parsers, merge, the writer of data/) → validation →
dataset (load) → about (versions, cite) → lookup → currency (how current each record is) → status → counts →
clauses, reasons (why states leave) → exits → chains (each exit's steps) → peers → panels (spells, event panel) →
codebook → export → plots → tables → params → batch/ (papermill builder: plan → pool → render → index → run) → cli.
"""

from .about import __version__, cite, data_version
from .chains import exit_steps
from .clauses import clause_features, clauses
from .countries import UnknownCountryError, country_name, resolve_country
from .counts import PartyList, panel, parties, party_counts
from .currency import currency
from .dataset import Dataset, DataValidationError, load, validate
from .exits import domestic_steps, exits_since, reasons_by_wave, waves, withdrawals
from .export import export
from .panels import event_panel, spells
from .peers import CountryProfile, country_profile, peers
from .reasons import reasons
from .schema import STATUS_DOC, STATUSES, DayError, parse_day
from .status import (
    BeyondRecordWarning,
    Status,
    UnknownTreatyError,
    resolve_treaty,
    signatories,
    status,
    status_table,
    transitions,
)


def __getattr__(name):
    # plots pulls in matplotlib and batch the report machinery: import them only when asked
    # (reports is the deprecated name of batch, kept for this release)
    if name in ("plots", "batch", "reports"):
        import importlib

        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(name)


__all__ = [
    "__version__",
    "data_version",
    "cite",
    "event_panel",
    "spells",
    "export",
    "load",
    "validate",
    "Dataset",
    "DataValidationError",
    "resolve_country",
    "country_name",
    "UnknownCountryError",
    "resolve_treaty",
    "UnknownTreatyError",
    "status",
    "status_table",
    "parties",
    "signatories",
    "party_counts",
    "PartyList",
    "panel",
    "transitions",
    "STATUSES",
    "STATUS_DOC",
    "withdrawals",
    "waves",
    "reasons_by_wave",
    "reasons",
    "clauses",
    "clause_features",
    "peers",
    "country_profile",
    "CountryProfile",
    "exits_since",
    "parse_day",
    "DayError",
    "domestic_steps",
    "exit_steps",
    "BeyondRecordWarning",
    "Status",
    "currency",
]
