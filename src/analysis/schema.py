"""The vocabulary of the data, defined once: columns, actions, statuses, conflict rules, and (from ``dates``) the
one day parser and the one EDTF parser.

Every module takes its column lists, its action and status names and its days from here, so that the writer
(``sources``), the loader (``dataset``) and the analytics agree by construction. A test checks that none of
these is defined a second time anywhere else. This module imports only ``dates`` from ``analysis``: with it, it is
the ground floor, beside ``config``.
"""

from __future__ import annotations

from .dates import (  # the ground floor of days and EDTF dates, re-exported: every module takes them from here
    ACCEPTED_DAYS,
    ACCEPTED_EDTF,
    DayError,
    Edtf,
    EdtfError,
    add_months,
    bounds_text,
    describe_day,
    describe_edtf,
    is_iso_day,
    notice_effect,
    parse_day,
    parse_edtf,
)

__all__ = [
    "days_apart",
    "EVENT_COLUMNS",
    "NOTE_COLUMNS",
    "CONFLICT_COLUMNS",
    "STATES_COLUMNS",
    "SUCCESSIONS_COLUMNS",
    "SUCCESSION_KINDS",
    "CARRY_OVER_KINDS",
    "GAPS_COLUMNS",
    "ATTRIBUTIONS_COLUMNS",
    "CORRECTION_COLUMNS",
    "GROUPS_COLUMNS",
    "GROUPS",
    "BRACKET_NOTE",
    "STEP_GAPS_COLUMNS",
    "EXIT_LINKS",
    "LINK_FINDINGS",
    "TREATY_REQUIRED",
    "CLAUSE_COLUMNS",
    "REASON_COLUMNS",
    "REASON_STEPS",
    "REASON_CODE_DOC",
    "DATE_COLUMNS",
    "INTEGER_COLUMNS",
    "CONSENT",
    "EXIT_ACTIONS",
    "STEP_ACTIONS",
    "ACTIONS",
    "SOURCE_KINDS",
    "LATER_SOURCE",
    "SOURCE_KIND_DOC",
    "EXIT_KIND_TEXT",
    "STATUSES",
    "STATUS_DOC",
    "NOT_KNOWN",
    "NO_RECORD",
    "STATUS_CODE",
    "STATUS_SHORT",
    "DEPOSITED",
    "IN_FORCE",
    "EXIT_STATUSES",
    "MERGE_RULE",
    "CONFLICT_SOURCES",
    "UNODA2018",
    "TIMELINE2026",
    "ICRC2020",
    "UNTC",
    "CORRECTIONS",
    "ACCEPTED_DAYS",
    "ACCEPTED_EDTF",
    "DayError",
    "EdtfError",
    "Edtf",
    "parse_day",
    "is_iso_day",
    "parse_edtf",
    "describe_edtf",
    "describe_day",
    "bounds_text",
    "add_months",
    "notice_effect",
    "EDTF_COLUMNS",
    "BOUND_COLUMNS",
    "BUILT_EVENT_COLUMNS",
]

# ---- columns ---------------------------------------------------------------------------------------------------

#: ``data/curated_events.csv`` (and the first columns of ``events.csv``): one row per action of one state in one
#: treaty. ``date_edtf`` / ``effective_date_edtf``: empty for a day known exactly (``date`` holds it); else the
#: EDTF text, and ``date`` / ``effective_date`` stay empty (docs/data-model.md).
EVENT_COLUMNS = [
    "state",
    "treaty",
    "action",
    "date",
    "effective_date",
    "date_edtf",
    "effective_date_edtf",
    "depositary",
    "source",
    "source_date",
    "source_kind",
    "ref",
    "note",
]
#: The EDTF text columns, each beside the exact-day column it stands in for.
EDTF_COLUMNS = {"date_edtf": "date", "effective_date_edtf": "effective_date"}
#: What the build derives from them: each date's first and last possible day (empty: open, or no effect recorded).
BOUND_COLUMNS = ["date_earliest", "date_latest", "effective_earliest", "effective_latest"]
#: ``data/events.csv``: the hand-kept columns with the bounds after the EDTF text.
BUILT_EVENT_COLUMNS = EVENT_COLUMNS[:7] + BOUND_COLUMNS + EVENT_COLUMNS[7:]
#: ``data/untc_notes.csv``: the End Notes of the UNTC status pages, classified.
NOTE_COLUMNS = ["treaty", "number", "kind", "states", "date", "effective_date", "ref", "text", "source", "source_date"]
#: ``data/conflicts.csv``: where two sources disagree, and which one the merge chose.
CONFLICT_COLUMNS = ["state", "treaty", "action", "source_a", "date_a", "source_b", "date_b", "days_apart", "chosen",
                    "rule", "note"]  # fmt: skip
#: ``data/states.csv``.
STATES_COLUMNS = [
    "iso3",
    "iso2",
    "name",
    "official_name",
    "m49",
    "cow",
    "cow_abb",
    "gw",
    "region",
    "subregion",
    "aliases",
    "predecessor_of",
    "successor_of",
    "historical",
    "since",
    "since_source",
    "until",
    "source",
]
#: ``data/successions.csv``: one link between a state that ended (or changed) and a state that followed it.
SUCCESSIONS_COLUMNS = ["predecessor", "successor", "kind", "date", "source", "note"]
#: The kinds of link; data/README.md gives each one's legal basis.
SUCCESSION_KINDS = frozenset({"continuation", "dissolution", "separation", "absorption", "unification"})
#: Links across which the status engine carries the predecessor's status over to the successor on ``date``.
CARRY_OVER_KINDS = frozenset({"continuation", "unification"})
#: ``data/lifetime_gaps.csv``: a span in which a state did not exist (``ended`` its first day, ``resumed`` the next).
GAPS_COLUMNS = ["iso3", "gw", "ended", "resumed", "source", "note"]
#: ``data/attributions.csv``: acts a source lists under one state that another state performed.
ATTRIBUTIONS_COLUMNS = ["listed_under", "treaty", "action", "date", "from", "before", "performer",
                        "successor_succession", "source", "source_date", "note"]  # fmt: skip
#: ``data/corrections.csv``: a depositary's statement that corrects the kind of one act a source lists (merge step 5).
CORRECTION_COLUMNS = ["state", "treaty", "action", "date", "corrects", "corrected_action", "source", "source_date",
                      "note"]  # fmt: skip
#: ``data/groups.csv``: dated NATO and EU memberships.
GROUPS_COLUMNS = ["group", "iso3", "joined", "left", "source"]
#: The groups groups.csv may name (as the analytics spell them); the note of a row a UNTC page brackets.
GROUPS = ("NATO", "EU")
BRACKET_NOTE = "bracketed on the status page (withdrawal in effect)"
#: ``data/step_gaps.csv``: a link of an exit's chain that no row dates, and why (read by ``chains.exit_steps``).
STEP_GAPS_COLUMNS = ["state", "treaty", "exit_date", "link", "finding", "looked_in", "note"]
#: ``data/treaties.csv``: the columns a registry row must have.
TREATY_REQUIRED = [
    "id",
    "short_name",
    "full_name",
    "category",
    "entry_into_force",
    "eif_rule",
    "coverage",
    "source",
]
#: ``data/clauses.csv``: one treaty's withdrawal clause, the one home of the notice rule the engine checks exits by.
CLAUSE_COLUMNS = [
    "treaty", "withdrawal_article", "notice_months", "notice_days", "notice_to", "reasons_required", "supreme_interests",
    "armed_conflict_clause", "duration", "suspension_clause", "terms", "quote", "source", "read_in", "note"]  # fmt: skip
#: ``data/reasons.csv``: one step of an exit stating (or checked for) its reasons, coded; REASON_STEPS: the steps.
REASON_COLUMNS = ["state", "treaty", "exit_date", "step", "date", "date_edtf", "quote", "translation", "codes",
                  "evidence", "source", "read_in", "note"]  # fmt: skip
REASON_STEPS = ("notice", "announcement", "statement", "decree", "law", "explanatory_note", "meeting_statement")
#: The reason codes (``reasons.csv``'s ``codes``, ``|``-separated); data/README.md gives the rule and an example.
REASON_CODE_DOC = {
    "adversary_conduct": "an adversary's conduct or threat (aggression, a war nearby, its arms)",
    "counterpart_breach": "another party's breach of the treaty (violation, non-compliance)",
    "counterpart_exit": "another party's exit or suspension from the same treaty",
    "changed_circumstances": "a fundamental change of circumstances or of the security situation",
    "supreme_interests": "the treaty's extraordinary-events or supreme-interests clause invoked",
    "obsolete_ineffective": "the treaty outdated, ineffective or no longer serving its purpose",
    "alliance_coordination": "a decision taken or coordinated with allies",
    "military_need": "the need for the banned or limited means for defence or deterrence",
    "sovereignty": "sovereignty or constitutional freedom of action put above the treaty",
    "none_stated": "no reason stated in the step checked (the row says where it was looked for)",
    "not_found": "no statement of reasons found in the sources read (the row lists them); some may exist",
}
#: Columns that hold ISO days, in any data file (the descriptor types them; the loader parses them).
DATE_COLUMNS = frozenset(
    ("date", "effective_date", "source_date", "adopted", "opened_for_signature", "entry_into_force", "known_until")
    + ("joined", "left", "since", "until", "ended", "resumed", "exit_date")
    + ("date_earliest", "date_latest", "effective_earliest", "effective_latest")
)
#: Columns that hold whole numbers, in any data file.
INTEGER_COLUMNS = frozenset({"number", "m49", "cow", "gw", "notice_months", "notice_days"})

# ---- actions ---------------------------------------------------------------------------------------------------

#: Consent to be bound: makes a state a party once the treaty is in force for it.
CONSENT = ("ratification", "accession", "acceptance", "approval", "succession", "consent", "definitive_signature")
#: Exits and interruptions, as the exits table counts them.
EXIT_ACTIONS = ("withdrawal", "signature_withdrawal", "ratification_revocation", "suspension")
#: Domestic and political steps: they change no status, they lead to an exit.
STEP_ACTIONS = ("announcement", "statement", "decree", "parliament_vote", "law")
#: The links of an exit's chain, in order (``chains.exit_steps``), and what a link no row dates was found to be.
EXIT_LINKS = ("announcement", "decision", "vote", "law", "notice", "notice_ref", "effect")
LINK_FINDINGS = ("not found", "not applicable")
#: Every action a row may hold (docs/data-model.md explains each).
ACTIONS = frozenset(
    CONSENT
    + EXIT_ACTIONS
    + STEP_ACTIONS
    + (
        "signature",
        "provisional_application",
        "suspension_lifted",
        "withdrawal_suspended",
        "termination",
        "declaration",
        "communication",
        "note",
    )
)
#: What kind of publisher a row's source is; ``later source`` flags an act dated after its treaty's
#: ``known_until`` that the build took from a source later than the depositary's record (issue 11, currency).
LATER_SOURCE = "later source"
SOURCE_KIND_DOC = {
    "depositary": "the depositary's own record (status page, notification, treaty database)",
    "government": "a government's or parliament's own publication",
    "international organisation": "an international organisation's record (UNODA, ICRC)",
    "press": "a news report",
    LATER_SOURCE: "an act dated after the treaty's known_until, known only from a source later than the "
    "depositary's record (the 2026-08-22 UNODA timeline): the record is complete only to known_until",
}
SOURCE_KINDS = frozenset(SOURCE_KIND_DOC)
#: An exit's kind in words.
EXIT_KIND_TEXT = {
    "withdrawal": "withdrawal",
    "signature_withdrawal": "signature withdrawn",
    "ratification_revocation": "ratification revoked",
    "suspension": "suspension",
}

# ---- statuses --------------------------------------------------------------------------------------------------

#: The status vocabulary, in the order reports list it (the position is the status's code).
STATUSES = (
    "not signed",
    "signatory",
    "consent deposited",
    "party",
    "withdrawal pending",
    "withdrawn",
    "signature withdrawn",
    "ratification revoked",
    "suspended",
    "terminated",
    "ceased to exist",
    "not yet a state",
)
#: A label over "not signed" (status.with_no_record): no act in a treaty held only as curated events (NOT_KNOWN: old name)
NO_RECORD = NOT_KNOWN = "no record (events only)"
STATUS_DOC = {
    "not signed": f"no signature or consent on record (coverage 'events' and no act on record: {NO_RECORD!r})",
    "signatory": "signed, no instrument of consent deposited",
    "consent deposited": "instrument deposited, treaty not yet in force for the state (or not in force at all)",
    "party": "bound: the treaty is in force for the state",
    "withdrawal pending": "notice of withdrawal given, not yet in effect: still bound",
    "withdrawn": "withdrawal in effect",
    "signature withdrawn": "a signatory declared it does not intend to become a party",
    "ratification revoked": "consent revoked before the treaty entered into force",
    "suspended": "the state suspended its performance of a treaty in force",
    "terminated": "the treaty itself ended (expiry or termination)",
    "ceased to exist": "the state itself no longer exists (its successors have their own rows), or during a gap in "
    "its existence (lifetime_gaps.csv)",
    "not yet a state": "before the state's first day (states.csv since): its predecessor held the record",
}
#: A status's code: its position in ``STATUSES`` (the status engine stores codes, not strings).
STATUS_CODE = {s: i for i, s in enumerate(STATUSES)}
#: One- or two-letter codes for the index page's status strip.
STATUS_SHORT = {
    "not signed": "–",
    "signatory": "S",
    "consent deposited": "D",
    "party": "P",
    "withdrawal pending": "WP",
    "withdrawn": "W",
    "signature withdrawn": "SW",
    "ratification revoked": "RR",
    "suspended": "SU",
    "terminated": "T",
    "ceased to exist": "X",
    "not yet a state": "NY",
}
#: Which statuses count as a party: as the depositary's header does, and as bound in force.
DEPOSITED = frozenset({"consent deposited", "party", "withdrawal pending", "suspended"})
IN_FORCE = frozenset({"party", "withdrawal pending", "suspended"})
#: The statuses an exit leads to: entering one of them from any other status is an exit event (the panels'
#: ``exit`` flag); a state in one of them at a day "has left" (or is leaving) the treaty on that day.
EXIT_STATUSES = frozenset(
    {"withdrawal pending", "withdrawn", "signature withdrawn", "ratification revoked", "suspended"}
)

# ---- the merge of the non-UN sources, and its conflicts register ---------------------------------------------

#: The labels of the sources a conflict row compares: the raw sources (also the names of
#: ``data/sources/<label>.json``) and the depositaries' statements kept by hand in ``data/corrections.csv``.
UNODA2018, TIMELINE2026, ICRC2020, UNTC = "unoda2018", "timeline2026", "icrc2020", "untc"
CORRECTIONS = "corrections"
CONFLICT_SOURCES = frozenset({UNODA2018, TIMELINE2026, ICRC2020, UNTC, CORRECTIONS})
#: Why the merge chose what it chose; ``conflicts.csv``'s ``rule`` column holds these keys.
MERGE_RULE = {
    "unoda2018": "UNODA per-state record (depositary-reported, one row per depositary) wins; every depositary's "
    "row is kept",
    "timeline_fills": "UNODA 2018 harvest lacks the action (skipped row or after July 2018): the 2026 UNODA "
    "timeline's row is added",
    "icrc_fills": "no UNODA source has a consent (Geneva Protocol only; the timeline does not cover it): the ICRC "
    "date becomes a 'consent' row",
    "icrc_not_used": "ICRC is a cross-check only: its date is never used where a UNODA source has the action",
    "left_out": "only one source has the action and a more recent UNODA source that covers the treaty lacks it: "
    "left out of events",
    "kept_unoda2018": "the newer source lacks an action the 2018 UNODA record has: the 2018 row is kept",
    "untc_wins": "UN-deposited treaty: the UNTC status page (the depositary) wins; compared here only",
    "depositary_corrects": "a depositary's statement (data/corrections.csv) corrects the kind of a source's row",
}


def days_apart(day_a: str, day_b: str) -> int | str:
    """A conflict row's ``days_apart``: the days between its two ISO days, "" when one is missing. The merge
    writes it and the validator checks it with this one function."""
    if not day_a or not day_b:
        return ""
    return abs((parse_day(day_b) - parse_day(day_a)).days)
