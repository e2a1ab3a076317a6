"""The parser refuses what it cannot read, naming the page, the row and the column; nothing becomes an empty
value or a dropped row. Each broken page is derived from our own fixture pages (tests/pagevariants.py)."""

import pytest
from pagevariants import (
    CCM,
    emptied,
    renamed,
    text,
    truncated,
    with_cell,
    without_cell,
    without_notes,
    without_row,
)

from analysis.countries import source_country
from analysis.sources.endnotes import ParseError
from analysis.sources.pagecheck import count_problems
from analysis.sources.untc import page_events, parse_page


def _write(tmp_path, page: str, encoding="utf-8"):
    path = tmp_path / CCM.name
    path.write_bytes(page.encode(encoding))
    return path


def test_the_fixture_page_itself_parses_and_agrees_with_its_header():
    page = parse_page(CCM)
    assert len(page.participants) == 6 and count_problems(page) == []


@pytest.mark.parametrize("share", [0.5, 0.8, 0.9, 0.97])
def test_a_truncated_page_is_refused(tmp_path, share):
    with pytest.raises(ParseError, match=r"cut short|participants row|no participants table|STATUS AS AT") as caught:
        parse_page(_write(tmp_path, truncated(text(), share)))
    assert CCM.name in str(caught.value)


def test_missing_end_notes_name_the_row_and_the_note(tmp_path):
    with pytest.raises(ParseError) as caught:
        parse_page(_write(tmp_path, without_notes(text())))
    message = str(caught.value)
    assert CCM.name in message and "row 6 (Lithuania)" in message and "'Participant'" in message
    assert "End Note 3" in message


def test_a_date_in_an_unknown_format_names_row_and_column(tmp_path):
    page = with_cell(text(), "Japan", "3 Dec\t 2008", "Dec 3, 2008")
    with pytest.raises(ParseError) as caught:
        parse_page(_write(tmp_path, page))
    message = str(caught.value)
    assert CCM.name in message and "row 5 (Japan)" in message and "'signature'" in message
    assert "Dec 3, 2008" in message


def test_a_row_with_a_missing_cell_names_row_and_column(tmp_path):
    with pytest.raises(ParseError) as caught:
        parse_page(_write(tmp_path, without_cell(text(), "Andorra")))
    message = str(caught.value)
    assert CCM.name in message and "row 3 (Andorra)" in message and "Ratification" in message


def test_an_unknown_participant_names_row_and_column(tmp_path):
    page = parse_page(_write(tmp_path, renamed(text(), "Angola", "Atlantis")))
    with pytest.raises(ParseError) as caught:
        page_events(page, source_country)
    message = str(caught.value)
    assert CCM.name in message and "row 4" in message and "'Participant'" in message and "Atlantis" in message


def test_a_page_that_is_not_utf8_is_refused_naming_it(tmp_path):
    with pytest.raises(ParseError, match="not UTF-8") as caught:
        parse_page(_write(tmp_path, text(), encoding="cp1252"))
    assert CCM.name in str(caught.value)


def test_a_thinned_or_emptied_page_disagrees_with_its_header(tmp_path):
    thinned = parse_page(_write(tmp_path, without_row(text(), "Japan")))
    assert count_problems(thinned) == [
        f"{thinned.path}: header says Signatories : 4, but the rows give 3",
        f"{thinned.path}: header says Parties : 4, but the rows give 3",
    ]
    empty = parse_page(_write(tmp_path, emptied(text())))
    assert empty.participants == [] and len(count_problems(empty)) == 2
