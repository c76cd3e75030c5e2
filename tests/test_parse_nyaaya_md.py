"""The nyaaya Markdown parser on national/IND/ndps-act-1985-nyaaya.md and on broken input."""

from __future__ import annotations

import re

import pytest

from conftest import by_number, parse_corpus_file

from harmonize.model import Instrument
from harmonize.parse import nyaaya_md
from harmonize.errors import ParseError

MD = "national/IND/ndps-act-1985-nyaaya.md"
AKN = "national/IND/ndps-act-1985.xml"


def doc():
    return parse_corpus_file(MD)


def children(d, prov) -> list[str]:
    return [p.number for p in d.provisions if p.parent == prov.id]


def test_format_is_detected():
    assert doc().instrument.format == "nyaaya-md"


def test_sections_1_to_83_with_inserted_ones():
    numbers = [p.number for p in doc().provisions if p.kind == "section"]
    # 25 sections are "### 1.Heading" lines, 104 (from s.26 on, and 9A) are bare "26.Heading" lines.
    assert len(numbers) == 129
    assert numbers[0] == "1" and numbers[-1] == "83"
    assert {"7A", "9A", "27A", "27B", "68Z", "74A"} <= set(numbers)
    assert len(set(numbers)) == len(numbers)


def test_same_sections_and_headings_as_the_akoma_ntoso_copy():
    md = {p.number: p.heading for p in doc().provisions if p.kind == "section"}
    akn = {p.number: p.heading for p in parse_corpus_file(AKN).provisions if p.kind == "section"}
    assert list(md) == list(akn)
    same = sum(md[n] == akn[n] for n in md)
    assert same >= 120  # a few headings differ in wording or punctuation between the two copies


def test_section_21_heading_text_and_clauses():
    d = doc()
    s21 = by_number(d, "21")
    assert s21.heading == "Punishment for contravention in relation to manufactured drugs and preparations"
    assert s21.path == ["Chapter IV", "21"]
    assert s21.id == "IND/ndps-act-1985-nyaaya/sec-21"
    assert "twenty years" in s21.text
    assert s21.text.startswith("Whoever, in contravention of any provision of this Act")
    lines = s21.text.splitlines()
    assert lines[-1] == (
        "Provided that the court may, for reasons to be recorded in the judgment, impose a fine exceeding two lakh rupees."
    )
    assert lines[-2].startswith("(c) where the contravention involves commercial quantity")
    assert children(d, s21) == ["21(a)", "21(b)", "21(c)"]
    assert by_number(d, "21(a)").text.startswith("(a) where the contravention involves small quantity")


def test_heading_dash_variants():
    d = doc()
    assert by_number(d, "1").heading == "Short title, extent and commencement"  # "### 1.Short title, ..."
    assert by_number(d, "5").heading == "Officers of Central Government"  # ".-—(1)"
    # ". —"
    assert by_number(d, "6").heading == "The Narcotics Drugs and Psychotropic Substances Consultative Committee"
    assert by_number(d, "27A").heading == "Punishment for financing illicit traffic and harbouring offenders"
    assert by_number(d, "4").heading.endswith("illicit traffic in narcotic drugs, etc.")


def test_subsections_bullets_and_inline_labels():
    d = doc()
    assert children(d, by_number(d, "1")) == ["1(1)", "1(2)", "1(3)"]  # "#### (1)" headings
    s1_1 = by_number(d, "1(1)")
    assert s1_1.text == "(1) This Act may be called the Narcotic Drugs and Psychotropic Substances Act, 1985."
    # "  - (a) ..." bullets, then an unlabelled line closing the list.
    assert by_number(d, "1(2)(a)").text == "(a) to all citizens of India outside India;"
    assert by_number(d, "1(2)").text.endswith("wherever they may be.")
    # "(2) In particular ..., namely:-- (a) coordination ...-- (i)" then "under this Act, or".
    assert by_number(d, "4(2)(a)(i)").text == "(i) under this Act, or"
    assert by_number(d, "4(2)(a)").kind == "paragraph" and by_number(d, "4(2)(a)(i)").kind == "subparagraph"
    # "( A) and involves small quantity" -> "(A)".
    assert by_number(d, "20(b)(ii)(A)").text.startswith("(A) and involves small quantity")


def test_definitions_nesting():
    d = doc()
    assert children(d, by_number(d, "2(iii)")) == ["2(iii)(a)", "2(iii)(b)", "2(iii)(c)"]
    viiib = by_number(d, "2(viiib)")
    assert children(d, viiib) == [f"2(viiib)({n})" for n in ("i", "ii", "iii", "iv", "v", "1", "2", "3")]
    assert "and includes—" in viiib.text
    # "**Explanation**:—" loses its emphasis and stays in s.2.
    assert "\nExplanation:— For the purposes of clauses (v), (vi), (xv) and (xvi)" in by_number(d, "2").text


def test_chapters_and_schedule():
    d = doc()
    chapters = [p.number for p in d.provisions if p.kind == "chapter"]
    # The file has no heading for Chapter VA: ss.68A-68Z sit under Chapter V.
    assert chapters == [f"Chapter {n}" for n in ("I", "II", "IIA", "III", "IV", "V", "VI")]
    assert by_number(d, "Chapter IIA").heading == "National Fund for Control of Drug Abuse"
    assert by_number(d, "68Z").path == ["Chapter V", "68Z"]
    schedule = by_number(d, "Schedule", kind="schedule")
    assert schedule.heading == "[See clause (xxiii) of section 2]"
    assert "LSD, LSD-25" in schedule.text
    assert by_number(d, "83").text.endswith("be laid before the Houses of Parliament.")


def test_texts_have_no_markdown():
    for prov in doc().provisions:
        assert not re.search(r"^#|\*\*\w[^*]*\*\*|\]\(|<[a-zA-Z/]|^\s*- \(", prov.text, re.M), prov.number
    assert by_number(doc(), "65").text == "***"  # omitted section, as printed


# ---- bad input -------------------------------------------------------------------------


def instrument(source: str) -> Instrument:
    return Instrument(
        id="TST/act", country="TST", title="Test", year=None, topic="test", language="en",
        source=source, format="nyaaya-md", content_hash="0",
    )


def test_file_without_sections_is_a_parse_error(tmp_path):
    path = tmp_path / "act.md"
    path.write_text("# Some Act, 2020\n\n#### ACT NO. 1 OF 2020\n\nAn Act to do things.\n", encoding="utf-8")
    with pytest.raises(ParseError) as err:
        nyaaya_md.parse(path, instrument("tst/act.md"))
    assert err.value.source == "tst/act.md" and "### 21." in err.value.message


def test_small_made_up_act(tmp_path):
    path = tmp_path / "act.md"
    path.write_text(
        "# Some Act\n#### ACT NO. 1 OF 2020\n\n## CHAPTER I Preliminary\n\n"
        "### 1.Short title.—(1)\nThis Act is the Some Act.\n\n(2)\nIt extends to all.\n\n"
        "2.Punishment.—Whoever does it shall be punishable,--(a)\nwith fine; or\n\n(b)\nwith prison.\n\n"
        "Provided that no one is punished twice.\n\n1.Not a section, a number in the text.\n",
        encoding="utf-8",
    )
    d = nyaaya_md.parse(path, instrument("tst/act.md"))
    assert [p.number for p in d.provisions] == ["Chapter I", "1", "1(1)", "1(2)", "2", "2(a)", "2(b)"]
    assert by_number(d, "1").heading == "Short title"
    assert by_number(d, "2").text.splitlines() == [
        "Whoever does it shall be punishable,--",
        "(a) with fine; or",
        "(b) with prison.",
        "Provided that no one is punished twice.",
        "1.Not a section, a number in the text.",
    ]
    # A "1." after section 2 cannot be a section: kept as text, with a warning naming the line.
    assert [w.where for w in d.warnings] == ["line 20"]


def test_invalid_utf8_is_a_parse_error(tmp_path):
    path = tmp_path / "act.md"
    path.write_bytes(b"### 1.Short title\n\xff\xfe bad\n")
    with pytest.raises(ParseError, match="UTF-8"):
        nyaaya_md.parse(path, instrument("tst/act.md"))
