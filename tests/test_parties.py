"""Party status from ../shared/corpus/parties.tsv (the real table) and its errors."""

import pytest

from harmonize.errors import ParseError
from harmonize.parties import COLUMNS, load_parties, party_status


def test_real_table_reads_every_cell():
    table = load_parties()
    assert len(table) == 130
    can = party_status("CAN", "UNTOC")
    assert (can.status, can.date, can.confidence) == ("party", "2002-05-13", "high")
    assert can.label == "party (2002-05-13, high confidence)"
    assert party_status("can", "FP").status == "signatory"


def test_unknown_cells_and_conventions_outside_the_table_say_unknown():
    assert party_status("CAN", "TIP").label == "unknown"  # the table says unknown
    assert party_status("CAN", "CETS24").status == "unknown"  # not in the table at all
    assert party_status("XYZ", "UN1988").status == "unknown"


def _write(tmp_path, *rows):
    (tmp_path / "parties.tsv").write_text("\n".join(["\t".join(COLUMNS), *rows]) + "\n", encoding="utf-8")
    return tmp_path


def test_bad_status_names_the_line(tmp_path):
    corpus = _write(tmp_path, "CAN\tUN1988\tparty\t\t\t\thigh", "CAN\tTIP\tratified\t\t\t\thigh")
    with pytest.raises(ParseError, match=r"line 3: status 'ratified': expected one of party"):
        load_parties(corpus)


def test_short_row_and_duplicate_are_errors(tmp_path):
    with pytest.raises(ParseError, match="line 2: expected 7 tab-separated cells, found 3"):
        load_parties(_write(tmp_path / "a" if (tmp_path / "a").mkdir() is None else tmp_path, "CAN\tTIP\tparty"))
    (tmp_path / "b").mkdir()
    with pytest.raises(ParseError, match="line 3: a second row for CAN TIP"):
        load_parties(_write(tmp_path / "b", "CAN\tTIP\tparty\t\t\t\thigh", "CAN\tTIP\tparty\t\t\t\tlow"))


def test_wrong_header_is_an_error(tmp_path):
    (tmp_path / "parties.tsv").write_text("country\tstatus\n", encoding="utf-8")
    with pytest.raises(ParseError, match="line 1: expected the header"):
        load_parties(tmp_path)
