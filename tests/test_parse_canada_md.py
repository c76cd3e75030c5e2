"""The Criminal Code Markdown parser, checked against facts read from the raw corpus file."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from conftest import by_number, parse_corpus_file

from harmonize.model import Instrument
from harmonize.parse import canada_md
from harmonize.errors import ParseError

SOURCE = "national/CAN/criminal-code.md"


@pytest.fixture(scope="module")
def doc(corpus):
    return parse_corpus_file(SOURCE)


def sections(doc):
    return [p for p in doc.provisions if p.kind == "section"]


def test_section_count_and_no_duplicate_ids(doc):
    secs = sections(doc)
    # 1602 numbered `### N` headings precede the schedules; none of them repeats.
    assert len(secs) == 1602
    assert len({p.id for p in secs}) == len(secs)
    assert not [p.id for p in doc.provisions if "~" in p.id]
    assert len(doc.provisions) == 10799


def test_trafficking_in_persons(doc):
    sec = by_number(doc, "279.01", "section")
    assert sec.id == "CAN/criminal-code/sec-279.01"
    assert sec.heading == "Trafficking in persons"
    assert "imprisonment for life" in sec.text
    assert sec.path == ["Offences Against the Person and Reputation", "279.01"]
    consent = by_number(doc, "279.01(2)")
    assert consent.kind == "subsection" and consent.heading == "Consent"
    para = by_number(doc, "279.01(1)(a)")
    assert para.kind == "paragraph" and para.text.startswith("(a) to imprisonment for life")
    minor = by_number(doc, "279.011", "section")
    assert minor.heading == "Trafficking of a person under the age of eighteen years"


def test_laundering_and_criminal_organizations(doc):
    laundering = by_number(doc, "462.31", "section")
    assert laundering.heading == "Laundering proceeds of crime"
    assert laundering.path[0] == "Proceeds of Crime"
    assert "with intent to conceal or convert that property" in laundering.text
    org = by_number(doc, "467.11", "section")
    assert org.heading == "Participation in activities of criminal organization"


def test_main_body_sections_win_over_trailing_parts(doc):
    # 21, 22, 163, 354 repeat in RELATED PROVISIONS / AMENDMENTS NOT IN FORCE; only the
    # main-body sections may appear.
    counts = Counter(p.number for p in sections(doc))
    for number in ("2", "21", "22", "163", "354"):
        assert counts[number] == 1, number
    parties = by_number(doc, "21", "section")
    assert parties.id == "CAN/criminal-code/sec-21"
    assert parties.heading == "Parties to offence"
    assert by_number(doc, "21(1)(b)").text.startswith("(b) does or omits to do anything")
    assert by_number(doc, "22", "section").heading == "Person counselling offence"
    assert by_number(doc, "354", "section").heading == "Possession of property obtained by crime"
    assert by_number(doc, "163", "section").heading == "Obscene materials"
    assert not any("Pending applications" in p.heading for p in doc.provisions)


def test_definitions_keep_their_text_without_markup(doc):
    defs = by_number(doc, "2", "section")
    assert defs.heading == "Definitions"
    assert "Act includes\n(a) an Act of Parliament," in defs.text
    assert "**" not in defs.text
    # Items of a definition are not paragraphs of section 2.
    assert not [p for p in doc.provisions if p.number.startswith("2(")]


def test_firearms_trafficking(doc):
    assert by_number(doc, "99", "section").heading == "Weapons trafficking"
    assert by_number(doc, "100", "section").heading == "Possession for purpose of weapons trafficking"
    assert by_number(doc, "99", "section").path[0] == "Firearms and Other Weapons"


def test_conspiracy_subparagraphs(doc):
    sec = by_number(doc, "465", "section")
    assert sec.heading == "Conspiracy"
    sub = by_number(doc, "465(1)(b)(ii)")
    assert sub.kind == "subparagraph"
    assert sub.path == ["Attempts — Conspiracies — Accessories", "465", "(1)", "(b)", "(ii)"]
    assert by_number(doc, "465(3)").heading == "Conspiracy to commit offences"


def test_text_is_clean(doc):
    for prov in doc.provisions:
        assert "**" not in prov.text and "<" not in prov.text, prov.id
        assert "Historical Note" not in prov.text, prov.id
        assert "R.S., c. C-34, s. 1" not in prov.text, prov.id


def test_parts_and_schedules(doc):
    parts = [p for p in doc.provisions if p.kind == "part"]
    assert parts[0].label == "Part I"
    assert "Proceeds of Crime" in [p.label for p in parts]
    schedule = next(p for p in doc.provisions if p.label == "SCHEDULE TO PART XXII.1")
    assert schedule.kind == "schedule"
    assert "(z.4) section 462.31 (laundering proceeds of crime)." in schedule.text


INSTRUMENT = Instrument(
    id="CAN/test",
    country="CAN",
    title="Test",
    year=None,
    topic="test",
    language="en",
    source="national/CAN/test.md",
    format="canada-md",
    content_hash="",
)


def test_file_without_sections_is_an_error(tmp_path: Path):
    path = tmp_path / "empty.md"
    path.write_text('---\ntitle: "X"\nchapter: "C-1"\n---\n\n# X\n\n## Part I\n\n### General\n\nSome text.\n')
    with pytest.raises(ParseError) as err:
        canada_md.parse(path, INSTRUMENT)
    assert err.value.source == "national/CAN/test.md"
    assert "numbered section heading" in err.value.message


def test_unclosed_front_matter_is_an_error(tmp_path: Path):
    path = tmp_path / "open.md"
    path.write_text('---\ntitle: "X"\n\n### 1 Short title\n\nText.\n')
    with pytest.raises(ParseError) as err:
        canada_md.parse(path, INSTRUMENT)
    assert err.value.where == "line 1"


def test_small_file_structure_and_warning(tmp_path: Path):
    path = tmp_path / "small.md"
    path.write_text(
        "---\nchapter: \"C-1\"\n---\n\n## Part I\n\n### 5 Offence\n\n(1) Every one who\n\n"
        "- (a) does a thing, or\n  - (i) in one way,\n- (b) does another,\n\nis guilty.\n\n"
        "**Lonely note**\n\n### Cross heading\n\nstray text\n\n"
        "## RELATED PROVISIONS\n\n### 5 Other\n\nNot main body.\n"
    )
    doc = canada_md.parse(path, INSTRUMENT)
    numbers = [p.number for p in doc.provisions]
    assert numbers == ["Part I", "5", "5(1)", "5(1)(a)", "5(1)(a)(i)", "5(1)(b)"]
    assert by_number(doc, "5").text == "(1) Every one who\n(a) does a thing, or\n(i) in one way,\n(b) does another,\nis guilty.\nLonely note"
    assert any("outside any section" in w.message for w in doc.warnings)
