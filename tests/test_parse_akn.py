"""The Akoma Ntoso parser on the real Indian acts (national/IND/*.xml) and on broken input."""

from __future__ import annotations

import re

import pytest

from conftest import by_number, parse_corpus_file

from harmonize.model import Instrument
from harmonize.parse import akn
from harmonize.errors import ParseError

NDPS = "national/IND/ndps-act-1985.xml"
IPC = "national/IND/indian-penal-code-1860.xml"


def sections(source: str) -> list[str]:
    return [p.number for p in parse_corpus_file(source).provisions if p.kind == "section"]


def children(doc, prov) -> list[str]:
    return [p.number for p in doc.provisions if p.parent == prov.id]


# ---- NDPS Act 1985 ---------------------------------------------------------------------


def test_ndps_has_sections_1_to_83_with_inserted_ones():
    numbers = sections(NDPS)
    assert len(numbers) == 129  # 83 original sections plus 46 inserted ones (7A ... 74A)
    assert numbers[0] == "1" and numbers[-1] == "83"
    for inserted in ("7A", "8A", "27A", "27B", "31A", "36A", "50A", "64A", "68A", "68Z", "74A"):
        assert inserted in numbers
    assert numbers.index("27") < numbers.index("27A") < numbers.index("27B") < numbers.index("28")


def test_ndps_section_21_heading_text_and_clauses():
    doc = parse_corpus_file(NDPS)
    s21 = by_number(doc, "21")
    assert s21.kind == "section"
    assert s21.heading == "Punishment for contravention in relation to manufactured drugs and preparations"
    assert s21.path == ["Chapter IV", "21"]
    assert s21.id == "IND/ndps-act-1985/sec-21"
    assert "twenty years" in s21.text
    assert s21.text.startswith("Whoever, in contravention of any provision of this Act")
    # The proviso reads after clause (c), as printed.
    lines = s21.text.splitlines()
    assert lines[-1].startswith("Provided that the court may")
    assert lines[-2].startswith("(c) where the contravention involves commercial quantity")
    assert children(doc, s21) == ["21(a)", "21(b)", "21(c)"]
    c = by_number(doc, "21(c)")
    assert c.kind == "paragraph" and c.id == "IND/ndps-act-1985/sec-21/para-c"
    assert "not be less than ten years but which may extend to twenty years" in c.text


def test_ndps_inserted_section_27A():
    s27a = by_number(parse_corpus_file(NDPS), "27A")
    assert s27a.heading == "Punishment for financing illicit traffic and harbouring offenders"
    assert s27a.path == ["Chapter IV", "27A"]
    assert "not be less than ten years but which may extend to twenty years" in s27a.text


def test_ndps_subsections_are_addressable():
    doc = parse_corpus_file(NDPS)
    assert children(doc, by_number(doc, "1")) == ["1(1)", "1(2)", "1(3)"]
    s1_1 = by_number(doc, "1(1)")
    assert s1_1.kind == "subsection" and s1_1.path == ["Chapter I", "1", "(1)"]
    assert s1_1.text == "(1) This Act may be called the Narcotic Drugs and Psychotropic Substances Act, 1985."
    assert by_number(doc, "1(2)(a)").text == "(a) to all citizens of India outside India;"
    assert by_number(doc, "1(2)").text.endswith("wherever they may be.")


def test_ndps_definitions_flattened_by_the_source_are_renested():
    doc = parse_corpus_file(NDPS)
    # Slaw put (a)-(c) of "cannabis (hemp)" beside (i)-(vi) in one list.
    assert children(doc, by_number(doc, "2(iii)")) == ["2(iii)(a)", "2(iii)(b)", "2(iii)(c)"]
    assert "charas" in by_number(doc, "2(iii)(a)").text
    # ... and tagged the "(1) financing" items of "illicit traffic" as sub-sections.
    viiib = by_number(doc, "2(viiib)")
    assert children(doc, viiib) == [f"2(viiib)({n})" for n in ("i", "ii", "iii", "iv", "v", "1", "2", "3")]
    assert by_number(doc, "2(viiib)(1)").text.startswith("(1) financing, directly or indirectly")
    assert by_number(doc, "2(ix)").parent == by_number(doc, "2").id


def test_ndps_chapters_and_schedule():
    doc = parse_corpus_file(NDPS)
    chapters = [(p.number, p.heading) for p in doc.provisions if p.kind == "chapter"]
    assert [c[0] for c in chapters] == [f"Chapter {n}" for n in ("I", "II", "IIA", "III", "IV", "V", "VA", "VI")]
    assert ("Chapter IV", "Offences and Penalties") in chapters
    schedule = by_number(doc, "Schedule", kind="schedule")
    assert schedule.heading == "[See clause (xxiii) of section 2]"
    assert "4 | (+)-LYSERGIDE | LSD, LSD-25" in schedule.text


def test_texts_have_no_markup():
    for prov in parse_corpus_file(NDPS).provisions:
        # "***" is the statute's own mark for omitted words; "**x**" would be markup.
        assert not re.search(r"<[a-zA-Z/]|\]\(|\*\*\w[^*]*\*\*", prov.text), prov.number


# ---- the other acts --------------------------------------------------------------------


@pytest.mark.parametrize(
    "source, count, first, last, inserted",
    [
        ("national/IND/indian-penal-code-1860.xml", 572, "1", "511", ["120A", "120B", "153AA", "370A", "498A"]),
        ("national/IND/arms-act-1959.xml", 48, "1", "46", ["24A", "24B"]),
        ("national/IND/pmla-2002.xml", 75, "1", "75", ["12A"]),
        ("national/IND/extradition-act-1962.xml", 41, "1", "37", ["34A", "34B", "34C"]),
        ("national/IND/uapa-1967.xml", 66, "1", "53", ["51A"]),
        ("national/IND/pitndps-act-1988.xml", 16, "1", "16", []),
        ("national/IND/prevention-of-corruption-act-1988.xml", 31, "1", "31", []),
        ("national/IND/immoral-traffic-prevention-act-1956.xml", 32, "1", "25", ["2A"]),
        ("national/IND/emigration-act-1983.xml", 45, "1", "45", []),
    ],
)
def test_section_counts(source, count, first, last, inserted):
    numbers = sections(source)
    assert len(numbers) == count
    assert numbers[0] == first and numbers[-1] == last
    assert set(inserted) <= set(numbers)


def test_ipc_headings_word_labels_and_repeated_section():
    doc = parse_corpus_file(IPC)
    assert by_number(doc, "302").heading == "Punishment for murder"
    assert by_number(doc, "370").heading == "Trafficking of a Person"
    assert by_number(doc, "370").path == ["Chapter XVI", "370"]
    assert "Of Offences Affecting Life" in by_number(doc, "Chapter XVI").text
    # s.53's "(1) Rigorous" and "(2) Simple" are the two kinds of "(Fourthly) Imprisonment".
    assert children(doc, by_number(doc, "53")) == ["53(First)", "53(Fourthly)", "53(Fifthly)", "53(Sixthly)"]
    assert children(doc, by_number(doc, "53(Fourthly)")) == ["53(Fourthly)(1)", "53(Fourthly)(2)"]
    # The source prints s.334 twice (and has no s.333): both kept, the copy flagged.
    assert [p.id for p in doc.provisions if p.number == "334"] == [
        "IND/indian-penal-code-1860/sec-334",
        "IND/indian-penal-code-1860/sec-334~2",
    ]
    assert any("334" in w.message for w in doc.warnings)


def test_pmla_arms_extradition_facts():
    pmla = parse_corpus_file("national/IND/pmla-2002.xml")
    assert "43" not in sections("national/IND/pmla-2002.xml")  # missing in the source
    s4 = by_number(pmla, "4")
    assert s4.heading == "Punishment for money-laundering"
    assert "not be less than three years but which may extend to seven years" in s4.text
    assert by_number(pmla, "2(1)(za)").text.startswith("(za) “transfer” includes sale")

    arms = parse_corpus_file("national/IND/arms-act-1959.xml")
    assert by_number(arms, "25").heading == "Punishment for certain offences"
    assert by_number(arms, "24A").heading == "Prohibition as to possession of notified arms in disturbed areas, etc."

    extradition = parse_corpus_file("national/IND/extradition-act-1962.xml")
    assert by_number(extradition, "34A").heading == "Prosecution on refusal to extradition"
    assert any(w.where == "section 21" for w in extradition.warnings)


def test_uapa_schedules():
    doc = parse_corpus_file("national/IND/uapa-1967.xml")
    schedules = [p for p in doc.provisions if p.kind == "schedule"]
    assert [s.number for s in schedules] == ["First Schedule", "Second Schedule", "Third Schedule"]
    assert schedules[0].id == "IND/uapa-1967/sch-First-Schedule"
    assert "(1) Babbar Khalsa International." in schedules[0].text
    assert by_number(doc, "17").heading == "Punishment for raising fund for terrorist act"


# ---- bad input -------------------------------------------------------------------------


def instrument(source: str) -> Instrument:
    return Instrument(
        id="TST/act", country="TST", title="Test", year=None, topic="test", language="en",
        source=source, format="akn", content_hash="0",
    )


AKN_HEAD = '<akomaNtoso xmlns="http://www.akomantoso.org/2.0"><act><body>'
AKN_TAIL = "</body></act></akomaNtoso>"


def test_wrong_root_element_is_a_parse_error(tmp_path):
    path = tmp_path / "statute.xml"
    path.write_text('<Statute><Body/></Statute>', encoding="utf-8")
    with pytest.raises(ParseError) as err:
        akn.parse(path, instrument("tst/statute.xml"))
    assert "akomaNtoso" in err.value.message and err.value.source == "tst/statute.xml"


def test_section_without_number_names_the_element(tmp_path):
    path = tmp_path / "act.xml"
    path.write_text(
        AKN_HEAD + '<section id="section-x"><heading>Oops.—</heading></section>' + AKN_TAIL, encoding="utf-8"
    )
    with pytest.raises(ParseError) as err:
        akn.parse(path, instrument("tst/act.xml"))
    assert 'section id="section-x"' in err.value.where and "line 1" in err.value.where
    assert "27A." in err.value.message


def test_missing_body_and_malformed_xml(tmp_path):
    path = tmp_path / "act.xml"
    path.write_text('<akomaNtoso xmlns="http://www.akomantoso.org/2.0"><act><meta/></act></akomaNtoso>')
    with pytest.raises(ParseError, match="<body>"):
        akn.parse(path, instrument("tst/act.xml"))
    path.write_text(AKN_HEAD + "<section>" + AKN_TAIL)
    with pytest.raises(ParseError, match="malformed XML"):
        akn.parse(path, instrument("tst/act.xml"))
