"""What every column means, in at most 80 characters: the one place a column is described.

``codebook`` writes these labels into ``docs/codebook.md`` and the Stata export writes them as variable labels;
kept apart from the codebook's generator so that the list of columns can grow with the data (issue 19 added the
EDTF columns and the readings of the panels) without the generator outgrowing its file.
"""

from __future__ import annotations

__all__ = ["FIELDS", "FIELDS_IN"]

#: Every column of every data file and every export: (label, at most 80 characters as Stata allows).
FIELDS = {
    # events.csv, curated_events.csv
    "state": "State (ISO 3166-1 alpha-3; ISO 3166-3 for states that no longer exist)",
    "treaty": "Treaty id (data/treaties.csv)",
    "action": "What the state did (action vocabulary)",
    "date": "Day of the action (ISO date); empty when only date_edtf is known",
    "effective_date": "Day the action took effect; empty when only effective_date_edtf is known",
    "date_edtf": "Date of the action as EDTF when not known to the day (empty: exactly date)",
    "effective_date_edtf": "Effect as EDTF when not known to the day (empty: effective_date)",
    "date_earliest": "First possible day of the action (empty: no lower bound known)",
    "date_latest": "Last possible day of the action (empty: no upper bound known)",
    "effective_earliest": "First possible day of the effect (empty: none recorded or open)",
    "effective_latest": "Last possible day of the effect (empty: none recorded or open)",
    "depositary": "Depositary that received the instrument (multi-depositary treaties)",
    "source": "Address of the source the row was read from",
    "source_date": "Status date of the source (the day it was read or published)",
    "source_kind": "Kind of publisher of the source",
    "ref": "Reference in the source (depositary notification, document symbol)",
    "note": "What the source says, in short, and any decision taken",
    # untc_notes.csv
    "number": "End Note number on the UNTC status page",
    "kind": "What the End Note records (classified from its text)",
    "states": "States the End Note is attached to (ISO3, |-separated)",
    "text": "Text of the End Note as printed",
    # conflicts.csv
    "source_a": "First source compared",
    "date_a": "Day the first source gives (empty: it lacks the action)",
    "source_b": "Second source compared",
    "date_b": "Day the second source gives (empty: it lacks the action)",
    "days_apart": "Days between the two sources' days",
    "chosen": "Source whose row is in events.csv (none: neither)",
    "rule": "Merge rule that decided (MERGE_RULE)",
    # states.csv
    "iso3": "ISO 3166-1 alpha-3 code (ISO 3166-3 for former states)",
    "iso2": "ISO 3166-1 alpha-2 code",
    "name": "Common English name",
    "official_name": "Formal name",
    "m49": "UN M49 numeric code",
    "region": "UN M49 region",
    "subregion": "UN M49 sub-region (intermediate region in Africa and the Americas)",
    "aliases": "Other names the sources use (|-separated)",
    "predecessor_of": "States that followed this one (ISO3, |-separated)",
    "successor_of": "States this one followed (ISO3, |-separated)",
    "historical": "true for a state that no longer exists",
    "since": "First day of a state that began during the record",
    "since_source": "Source of since: successions.csv or the Gleditsch-Ward list (file, revision)",
    "until": "First day a former state no longer existed",
    "cow": "Correlates of War state number (State System Membership List v2016)",
    "cow_abb": "Correlates of War state abbreviation (v2016)",
    "gw": "Gleditsch-Ward state number (independent states and microstates lists, 2017)",
    # lifetime_gaps.csv
    "ended": "First day of a gap in the state's existence (GW: the day after a spell ends)",
    "resumed": "First day the state existed again (GW: the first day of its next spell)",
    # step_gaps.csv
    "exit_date": "Day of the exit act whose chain link the row explains (step_gaps.csv)",
    "link": "Link of an exit's chain (schema.EXIT_LINKS; * = every link no row dates)",
    "finding": "not found (looked_in says where) or not applicable (note says why)",
    "looked_in": "Where a link not found was looked for (registers, depositary pages, searches)",
    # successions.csv
    "predecessor": "State that ended or changed (ISO3)",
    "successor": "State that followed it (ISO3)",
    # attributions.csv
    "listed_under": "State a source lists the acts under (ISO3)",
    "from": "Rule applies to acts on or after this day (empty: no lower bound)",
    "before": "Rule applies to acts before this day (empty: no upper bound)",
    "performer": "State that performed the acts (ISO3)",
    "successor_succession": "true if the listed state's own succession follows the moved acts",
    # groups.csv
    "group": "Group (NATO; EU with its predecessor communities)",
    "joined": "Day membership took effect",
    "left": "Last day of membership",
    # treaties.csv
    "id": "Treaty id",
    "short_name": "Usual short name",
    "full_name": "Full title",
    "category": "Kind of arms control",
    "adopted": "Day the text was adopted (or done/signed)",
    "opened_for_signature": "Day the treaty opened for signature",
    "entry_into_force": "Day the treaty itself entered into force",
    "mtdsg": "UN MTDSG number (UN-deposited treaties)",
    "untc_file": "File of the UNTC status page read",
    "withdrawal_article": "Article that lets a party withdraw (empty: none or not confirmed)",
    "notice_months": "Notice period of a withdrawal, in months",
    "notice_days": "Notice period of a withdrawal, in days",
    "armed_conflict_clause": "true if withdrawal is delayed while the party is in an armed conflict",
    "extra_notice": "Who must be notified and what the notice must contain",
    "eif_rule": "Entry into force for a state joining later (rule vocabulary)",
    "eif_rule_text": "The entry-into-force article, in short",
    "coverage": "full: every state's record is held; events: only curated events",
    "known_until": "Status date of the newest source that covers the treaty",
    # spells
    "spell": "Spell number within the state and treaty (1 = first recorded status)",
    "status": "Status (on the period's last day, in the panel)",
    "start_day": "First day of the spell (empty for 'not yet a state')",
    "end_day": "Last day of the spell (empty: still running)",
    "days": "Days in the spell (to the status date if running; empty without a first day)",
    "ongoing": "1 if the spell is still running (right-censored at the status date)",
    "certain": "1 if every reading of the uncertain dates gives this status (0: it depends)",
    # event panel
    "period_start": "First day of the period",
    "period": "Last day of the period (the last period may be partial)",
    "bound": "1 if bound (treaty in force for the state) on the period's last day",
    "at_risk": "1 if bound on the day before the period starts (the risk set of exits)",
    "exit": "Number of exit events in the period (entering an exit status)",
    "exit_effective": "Number of withdrawals that took effect in the period",
    "days_since_consent": "Days from the first consent to the period's last day",
    "years_since_consent": "Years (365.25 days) from the first consent to the period's last day",
    "nato": "1 if a NATO member on any day of the period",
    "eu": "1 if an EU (EC/EEC) member on any day of the period",
    "peers_left_subregion": "Share of sub-region peers that had left the treaty by the period start",
    "peers_left_nato": "Share of NATO peers that had left the treaty by the period start",
    "peers_left_eu": "Share of EU peers that had left the treaty by the period start",
    "projected": "1 if the period ends past the record (known_until, else status date): projected",
}

#: Where one column name means something else in one file: (file, column) -> label.
FIELDS_IN = {
    ("successions.csv", "kind"): "Kind of succession (continuation, unification, dissolution, ...)",
    ("successions.csv", "date"): "Date of succession of States",
    ("attributions.csv", "treaty"): "Treaty id the rule applies to (* = every treaty)",
    ("attributions.csv", "action"): "Action the rule applies to (* = every action)",
    ("attributions.csv", "date"): "Day of the one act the rule moves (empty: every act in range)",
    ("treaties.csv", "aliases"): "Common names a person may type for the treaty (|-separated; input only)",
}
