"""The status-page parser: fixture excerpts (always) and the 12 real pages in ../shared (when present)."""

from datetime import date

import pytest
from conftest import FIXTURES, SHARED, SHARED_REASON

from analysis import config
from analysis.sources.untc import ParseError, classify_note, parse_date, parse_page

UNTC = config.untc_dir(SHARED)
needs_shared = pytest.mark.skipif(not UNTC.exists(), reason=SHARED_REASON)


def test_dates_and_suffix_codes():
    assert parse_date(" \xa03 Dec\t 2008 ") == (date(2008, 12, 3), "")
    assert parse_date("[24 Mar\t 2011 n]") == (date(2011, 3, 24), "n")
    assert parse_date("14 Jul\t 2009 AA") == (date(2009, 7, 14), "AA")
    assert parse_date("\xa0") is None


def test_ccm_excerpt_rows_brackets_and_withdrawal_note():
    p = parse_page(FIXTURES / "untc_ccm_excerpt.html", mtdsg="XXVI-6")
    assert p.status_date == date(2026, 2, 3)
    assert p.entry_into_force == date(2010, 8, 1)
    assert p.title.startswith("Convention on Cluster Munitions")
    by = {x.name: x for x in p.participants}
    assert by["Andorra"].consent.code == "a" and by["Andorra"].signature is None
    assert by["Japan"].consent.code == "A"
    ltu = by["Lithuania"]
    assert ltu.bracketed and ltu.notes == [3]
    assert ltu.provisional.date == date(2011, 3, 24)
    note = p.notes[3]
    assert note.kind == "withdrawal"
    assert (note.date, note.effective_date) == (date(2024, 9, 6), date(2025, 3, 6))
    assert note.ref == "C.N.347.2024.TREATIES-XXVI-6"
    assert p.notes[6].kind == "declaration"


def test_apmbc_excerpt_pending_withdrawal_and_communications():
    p = parse_page(FIXTURES / "untc_apmbc_excerpt.html", mtdsg="XXVI-5")
    pol = next(x for x in p.participants if x.name == "Poland")
    assert not pol.bracketed  # a pending withdrawal is not bracketed
    assert p.notes[8].kind == "withdrawal" and p.notes[8].effective_date == date(2026, 2, 20)
    assert {p.notes[10].kind, p.notes[11].kind} == {"communication"}


@pytest.mark.parametrize(
    "text, kind",
    [
        (
            "In a communication received on 18 July 2019, the Government of the United States of America informed the "
            "Secretary-General of the following: ... the United States does not intend to become a party to the treaty.",
            "signature_withdrawal",
        ),
        (
            "Czechoslovakia had signed and ratified the Convention on 18 May 1977 and 12 May 1978, respectively.",
            "predecessor",
        ),
        (
            'See note 1 under "Montenegro" in the "Historical Information" section in the front matter of this volume.',
            "reference",
        ),
        ("Something the parser has never seen.", "note"),
    ],
)
def test_note_classification(text, kind):
    assert classify_note(1, text).kind == kind


def test_predecessor_acts_are_read():
    n = classify_note(
        3,
        "Czechoslovakia had signed and ratified the Convention accepting Protocols I, II and III, "
        "on 10 April 1981 and 31 August 1982, respectively.",
    )
    assert n.predecessor == "Czechoslovakia"
    assert n.acts == [("signed", date(1981, 4, 10)), ("ratified", date(1982, 8, 31))]


def test_withdrawal_note_without_dates_is_an_error():
    with pytest.raises(ParseError, match="withdrawal"):
        classify_note(9, "The Government deposited a notification of withdrawal.")


def test_not_a_status_page(tmp_path):
    bad = tmp_path / "x.html"
    bad.write_text("<html><body>nothing here</body></html>")
    with pytest.raises(ParseError, match="STATUS AS AT"):
        parse_page(bad)


@needs_shared
@pytest.mark.shared
def test_every_real_page_parses_and_every_note_is_classified():
    pages = sorted(UNTC.glob("*.html"))
    assert len(pages) == 12
    for path in pages:
        p = parse_page(path)
        assert p.participants, path
        unclassified = [n.number for n in p.notes.values() if n.kind == "note"]
        assert not unclassified, f"{path.name}: End Notes {unclassified} not classified"
