"""Tables for people, the CSV behind them, sources as labelled links, the citation box."""

import base64
import csv
import io

import pandas as pd
import pytest
from lxml import html

import analysis as a
from analysis import present, tables
from analysis.palette import STATUS_COLOR
from analysis.schema import NO_RECORD

ON = "2026-02-03"


def _doc(markup: str):
    return html.fragment_fromstring(markup, create_parent="div")


def _csv_rows(markup: str) -> list[dict]:
    href = _doc(markup).xpath("//a[@class='tx-csv']/@href")[0]
    text = base64.b64decode(href.split("base64,", 1)[1]).decode("utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def test_a_table_has_no_index_labels_in_words_badges_with_words_and_its_rows_as_csv(ds):
    frame = tables.status_dates(a.country_profile("LTU", on=ON, ds=ds), ds)
    shown = present.table(frame, "status-dates")
    doc = _doc(shown.markup)
    heads = doc.xpath("//th/text()")
    assert heads[:3] == ["Code", "Treaty", "Status"] and "exit_notice" not in heads and "Exit notice" in heads
    rows = doc.xpath("//tbody/tr")
    assert len(rows) == len(frame) == len(_csv_rows(shown.markup))
    ccm = next(r for r in rows if r.xpath("td[1]/text()") == ["ccm"])
    (badge,) = ccm.xpath(".//span[@class='tx-badge']")
    assert badge.text == "withdrawn" and STATUS_COLOR["withdrawn"] in badge.get("style")
    dates = [td for td in ccm.xpath("td") if td.text and td.text[:4].isdigit()]
    assert dates and all("nowrap" in td.get("style", "") for td in dates)
    assert doc.xpath("//div[@class='tx-table-box']/@style")[0].startswith("overflow-x:auto")
    assert repr(shown) == f"[table status-dates: {len(ds.treaties)} rows × 9 columns]"  # one row per treaty


def test_the_csv_holds_exactly_the_rows_and_values_shown():
    frame = pd.DataFrame({"state": ["LTU", "EST"], "effective": pd.to_datetime(["2025-03-06", None])})
    rows = _csv_rows(present.table(frame, "t").markup)
    assert rows == [{"State": "LTU", "In effect": "2025-03-06"}, {"State": "EST", "In effect": ""}]


def test_csv_links_become_files_beside_the_page():
    page = present.table(pd.DataFrame({"a": [1, 2, 3]}), "three").markup
    page += present.csv_link(pd.DataFrame({"b": [1]}), "one").markup
    out, files = present.extract_csv_links(page, "LTU_data")
    assert set(files) == {"three.csv", "one.csv"} and "base64" not in out
    assert files["three.csv"].decode().splitlines() == ["A", "1", "2", "3"]
    assert _doc(out).xpath("//a[@class='tx-csv']/@href") == ["LTU_data/three.csv", "LTU_data/one.csv"]


def test_a_bad_csv_name_is_one_clear_error():
    with pytest.raises(ValueError, match="letters, digits"):
        present.csv_link(pd.DataFrame({"a": [1]}), "../x")


def test_source_labels_name_the_publisher_what_and_the_day():
    untc = "https://treaties.un.org/Pages/ViewDetails.aspx?src=TREATY&mtdsg_no=XXVI-6&chapter=26&clang=_en"
    assert (
        present.source_label(untc, pd.Timestamp("2026-02-03")) == "UN Treaty Collection: status page XXVI-6, 2026-02-03"
    )
    press = "https://www.delfi.lt/en/politics/lithuania-withdraws-from-convention-on-cluster-munitions-120037271"
    assert present.source_label(press, pd.Timestamp("2024-07-18")).startswith("delfi.lt: lithuania withdraws from")
    assert present.source_label("a printed gazette") == "a printed gazette"


def test_sources_are_links_grouped_by_kind_with_the_rows_they_support(ds):
    rows = present.rows_of(ds, states=["LTU"], on=ON)
    doc = _doc(present.sources(rows, ds).markup)
    kinds = [h.split(" (")[0] for h in doc.xpath("//h4/text()")]
    assert kinds == [k for k in ["Depositary", "Government", "International organisation", "Press"] if k in kinds]
    assert "Depositary" in kinds and "Press" in kinds
    links = doc.xpath("//a/@href")
    assert set(links) == {s for s in rows["source"] if "://" in s}
    supported = doc.xpath("//details//li/text()")
    assert len(supported) == len(rows)
    assert any(
        "C.N.347.2024.TREATIES-XXVI-6" in line and "depositary: UN Secretary-General" in line for line in supported
    )


def test_the_citation_box_names_the_data_version_and_status_date(ds):
    from analysis import about

    box = present.citation("Lithuania: country report", ds)
    assert ds.version in box.markup and ds.status_date.isoformat() in box.markup
    assert about.cite("text", ds) in repr(box) and "@misc{" in box.markup
    assert 'id="cite"' in box.markup and "Lithuania: country report" in repr(box)


def test_participation_steps_are_the_days_the_counts_change(ds):
    steps = present.participation_steps("apmbc", pd.Timestamp(ON), ds)
    assert steps["day"].is_unique and steps["day"].iloc[-1] <= ON
    counts = steps.drop(columns="day")
    assert (counts.diff().iloc[1:].abs().sum(axis=1) > 0).all()


def test_csv_links_are_found_whatever_the_order_of_their_attributes():
    tag = '<a class="tx-csv" data-rows="1" download="x.csv" href="data:text/csv;charset=utf-8;base64,YQox">CSV</a>'
    out, files = present.extract_csv_links(tag, "P_data")
    assert files == {"x.csv": b"a\n1"} and 'href="P_data/x.csv"' in out


def test_addresses_in_a_table_are_links_with_readable_labels_and_stay_addresses_in_the_csv():
    url = "https://www.delfi.lt/en/politics/lithuania-withdraws-from-convention-on-cluster-munitions-120037271"
    shown = present.table(pd.DataFrame({"source": [url]}), "s")
    (link,) = _doc(shown.markup).xpath("//td/a")
    assert link.get("href") == url and link.text.startswith("delfi.lt: lithuania withdraws")
    assert _csv_rows(shown.markup) == [{"Source": url}]


def test_no_record_is_a_badge_like_every_status():
    """A status column that holds "no record (events only)" beside statuses is still drawn as badges."""
    import pandas as pd

    shown = present.table(pd.DataFrame({"treaty": ["INF", "NPT"], "status": [NO_RECORD, "party"]}), "x")
    assert shown.markup.count("tx-badge") == 2 and f'data-status="{NO_RECORD}"' in shown.markup
