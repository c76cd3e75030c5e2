"""The Ansvar section-per-entry JSON parser, on the real corpus files and on bad input."""

from __future__ import annotations

import json
import re

import pytest

from conftest import by_number, parse_corpus_file

from harmonize.model import Instrument
from harmonize.parse.ansvar_json import parse
from harmonize.errors import ParseError

PAK_CNSA = "national/PAK/control-of-narcotic-substances-act-1997.json"
PAK_AML = "national/PAK/anti-money-laundering-act-2010.json"
PAK_PPC = "national/PAK/pakistan-penal-code-1860.json"
NGA_MLPA = "national/NGA/money-laundering-prohibition-act.json"
NGA_EXT = "national/NGA/extradition-act.json"
NGA_MLA = "national/NGA/mutual-assistance-criminal-matters-commonwealth-act.json"
NGA_RF = "national/NGA/robbery-and-firearms-special-provisions-act.json"
BGD_ARMS = "national/BGD/arms-act-1878.json"
BGD_ATA = "national/BGD/anti-terrorism-act-2009.bn.json"
ZWE_TIP = "national/ZWE/trafficking-in-persons-act-2014.json"
SGP_MDA = "national/SGP/misuse-of-drugs-act-1973.json"


def section(source: str, number: str):
    return by_number(parse_corpus_file(source), number, kind="section")


def section_numbers(source: str) -> list[str]:
    return [p.number for p in parse_corpus_file(source).provisions if p.kind == "section"]


# ---------------------------------------------------------------- sections glued into one entry


def test_pak_cnsa_s9_is_cut_out_of_entry_8_with_its_punishment_table(corpus):
    s8, s9 = section(PAK_CNSA, "8"), section(PAK_CNSA, "9")
    assert s9.heading == "Punishment for contravention of Sections 6, 7 and 8"
    assert "Bhang" in s9.text and "Heroin and morphine" in s9.text
    assert "shall not be less than life" in s9.text
    assert "Bhang" not in s8.text and s8.text.startswith("No one shall")
    assert by_number(parse_corpus_file(PAK_CNSA), "9(1)").text.startswith("(1) Whoever contravenes")
    assert by_number(parse_corpus_file(PAK_CNSA), "9(2)").text.startswith(
        "(2) Whoever contravenes the provisions of sections 6, 7 and 8 regarding psychotropic"
    )


def test_pak_aml_s4_is_cut_out_of_entry_3(corpus):
    s4 = section(PAK_AML, "4")
    assert s4.heading == "Punishment for money laundering"
    assert "rigorous imprisonment for a term which shall not be less than one" in s4.text
    assert "Punishment for money laundering" not in section(PAK_AML, "3").text
    assert {"5", "6", "6A"} <= set(section_numbers(PAK_AML))


def test_pak_penal_code_165a_is_cut_out_of_165(corpus):
    s165a = section(PAK_PPC, "165A")
    assert s165a.heading == "Punishment for abetment of offences defined in sections 161 and 165"
    assert "Whoever\nabets any offence punishable under section 161 or section 165" in s165a.text
    assert "165A" not in section(PAK_PPC, "165").text


def test_pak_penal_code_heading_joins_title_and_content(corpus):
    # The title is the first printed line; the heading goes on in the content.
    s165 = section(PAK_PPC, "165")
    assert s165.heading.startswith("Public servant obtaining valuable thing, without consideration from person")
    assert s165.heading.endswith("transacted by such public servant")


def test_pak_penal_code_footnote_glued_to_record_number_is_removed(corpus):
    numbers = section_numbers(PAK_PPC)
    assert "366" in numbers and "1366" not in numbers
    assert "1S" not in numbers


@pytest.mark.parametrize("number", ["6", "7", "11", "12", "13", "16", "17", "21", "24", "25", "26"])
def test_nga_mlpa_sections_merged_into_previous_records_exist(corpus, number):
    assert section(NGA_MLPA, number)


def test_nga_mlpa_split_sections_have_their_own_text_and_heading(corpus):
    s6 = section(NGA_MLPA, "6")
    assert s6.heading == "Special surveillance on certain transactions"  # letter-spaced in the scrape
    assert s6.text.startswith("6. S p e cial surveillance on certain transactions (1) When a financial institution")
    assert "Special surveillance" not in section(NGA_MLPA, "5").text
    assert "6. S p e cial" not in section(NGA_MLPA, "5").text
    s16 = section(NGA_MLPA, "16")
    assert s16.heading == "Retention of proceeds of a criminal conduct"
    assert "imprisonment from a term of not less than five years" in s16.text
    assert section(NGA_MLPA, "17").heading == "Conspiracy, aiding, etc."
    assert section(NGA_MLPA, "21").heading == "Obstruction of the Agency or authorised officers"


def test_nga_extradition_15_and_16_are_cut_out_of_14(corpus):
    s14, s15, s16 = (section(NGA_EXT, n) for n in ("14", "15", "16"))
    assert s15.heading == "Fugitive surrendered to Nigeria not triable for previous crimes"
    assert s16.heading == "Transit of surrendered fugitives through Nigeria"
    assert s15.text.startswith("15. Fugitive surrendered to Nigeria")
    # the marginal note printed again before "15." does not stay at the end of s.14
    assert s14.text.endswith("the fugitive, if in custody, to be released.")
    assert by_number(parse_corpus_file(NGA_EXT), "16(1)").text.startswith("(1) Transit through Nigeria")


def test_nga_mla_18_and_22_exist(corpus):
    assert section(NGA_MLA, "18").heading == "Personal appearance of persons in custody"
    assert section(NGA_MLA, "22").text.startswith("22. Confirmation and enforcement of orders for forfeiture")
    assert by_number(parse_corpus_file(NGA_MLA), "17(1)").text.startswith("(l) A request")  # OCR "(l)"


def test_nga_robbery_unnumbered_section_8_and_section_12(corpus):
    s8 = section(NGA_RF, "8")
    assert s8.heading == "Power to arrest by force without warrant, etc."
    assert "arrest without warrant any person reasonably suspected" in s8.text
    assert "Power to arrest" not in section(NGA_RF, "7").text
    assert section(NGA_RF, "12").heading == "Short title"


# ---------------------------------------------------------------- BGD record numbers


@pytest.mark.parametrize(
    "number, start",
    [
        ("19", "19. Whoever commits any of the following offences (namely):-"),
        ("19A", "[19A. Notwithstanding anything contained in section 19, whoever commits an offence"),
        ("20", "20. Whoever does any act mentioned in clause (a), (c), (d) or (f) of section 19"),
        ("20A", "[20A. Notwithstanding anything contained in this Act, whoever goes armed"),
        ("22", "22. Whoever knowingly purchases any arms, ammunition or military stores"),
    ],
)
def test_bgd_arms_act_uses_printed_section_numbers(corpus, number, start):
    assert section(BGD_ARMS, number).text.startswith(start)


def test_bgd_arms_act_headings_and_provisos(corpus):
    assert section(BGD_ARMS, "19").heading == "For breach of sections 5, 6, 10, 13 to 17"
    assert section(BGD_ARMS, "20A").heading == "Enhanced punishment in certain cases"
    # sec2 ("But nothing herein contained ...") is the proviso of printed s.1
    assert "But nothing herein contained shall apply to" in section(BGD_ARMS, "1").text
    numbers = section_numbers(BGD_ARMS)
    assert numbers.count("4") == 1  # records sec5 and sec6 repeat s.4
    assert numbers[-1] == "33" and "43" not in numbers


def test_bgd_bengali_file_has_ascii_numbers_and_bengali_text(corpus):
    doc = parse_corpus_file(BGD_ATA)
    sections = [p for p in doc.provisions if p.kind == "section"]
    assert len(sections) > 40
    assert all(re.fullmatch(r"\d+[A-Z]?", p.number) for p in sections)
    s20a = section(BGD_ATA, "20A")  # printed "২০ক"
    assert s20a.text.startswith("[২০ক। (১)")
    assert by_number(doc, "20A(1)").text.startswith("(১)")
    assert section(BGD_ATA, "1").heading.startswith("সংক্ষিপ্ত শিরোনাম, ")  # title "1. সংক্ষিপ্ত ..."
    first_chapter = [p for p in doc.provisions if p.kind == "chapter"][0]
    # "প্রথম অধ্যায়: প্রারম্ভিক" (Chapter 1: Preliminary); the heading is split off the label
    assert first_chapter.label.split()[0] == "প্রথম"
    assert first_chapter.path == [first_chapter.label] and ":" not in first_chapter.label


# ---------------------------------------------------------------- ZWE schedule, SGP sub-units


def test_zwe_tip_schedule_paragraphs_are_apart_from_sections(corpus):
    doc = parse_corpus_file(ZWE_TIP)
    schedule = [p for p in doc.provisions if p.kind == "schedule"]
    assert [p.label for p in schedule] == ["Schedule 2"]
    paragraphs = [p for p in doc.provisions if p.parent == schedule[0].id]
    assert [p.number for p in paragraphs] == [str(n) for n in range(1, 9)]
    assert section(ZWE_TIP, "3").heading == "Crime of trafficking in persons"
    assert paragraphs[2].heading == "Vacation of office by appointed members"
    assert paragraphs[2].id != section(ZWE_TIP, "3").id
    assert section_numbers(ZWE_TIP) == [str(n) for n in range(1, 13)]
    assert paragraphs[0].order > section(ZWE_TIP, "12").order  # the schedule follows the Act


def test_zwe_code_fragment_record_does_not_take_the_number_of_s18(corpus):
    source = "national/ZWE/criminal-law-codification-reform-act-2004.json"
    s18 = section(source, "18")
    assert s18.id.endswith("/sec-18") and s18.heading == "Degree and burden of proof in criminal cases"
    assert section_numbers(source).count("18") == 1


def test_sgp_mda_s5_heading_subsections_and_paragraphs(corpus):
    doc = parse_corpus_file(SGP_MDA)
    s5 = section(SGP_MDA, "5")
    assert s5.heading == "Trafficking in controlled drugs"
    assert s5.path == ["PART 2", "5"]
    assert by_number(doc, "5(1)").text.startswith("(1) Except as authorised by this Act")
    assert by_number(doc, "5(1)(a)").text == "( a ) to traffic in a controlled drug;"
    assert by_number(doc, "5(2)").text.startswith("(2) For the purposes of this Act, a person commits the offence")
    assert by_number(doc, "5(1)(a)").path == ["PART 2", "5", "(1)", "(a)"]


def test_sgp_inserted_subsections_and_amendment_notes(corpus):
    doc = parse_corpus_file(SGP_MDA)
    numbers = [p.number for p in doc.provisions if p.parent == section(SGP_MDA, "33").id]
    assert numbers[:6] == ["33(1)", "33(2)", "33(3)", "33(3A)", "33(3B)", "33(3C)"]
    assert "33(4AA)" in numbers and "33(4A)" in numbers and "33(5)" in numbers
    # the amendment note stays in the text of the unit it follows
    assert "[Act 12 of 2023 wef 01/06/2023]" in by_number(doc, "33(1)").text


def test_arabic_files_parse_with_ascii_article_numbers(corpus):
    for source in (
        "national/ARE/narcotic-drugs-psychotropic-substances-fdl-30-2021.ar.json",
        "national/ARE/crimes-and-penalties-law-fdl-31-2021.ar.json",
        "national/ARE/combating-human-trafficking-fdl-24-2023.ar.json",
    ):
        articles = [p for p in parse_corpus_file(source).provisions if p.kind == "article"]
        assert len(articles) > 20
        assert all(p.number.isdigit() for p in articles)
    doc = parse_corpus_file("national/ARE/narcotic-drugs-psychotropic-substances-fdl-30-2021.ar.json")
    art37 = by_number(doc, "37", kind="article")
    assert art37.heading == "الاحتفاظبالوصفاتالطبيةللموادالمخدرة وحظرتكرارصرفها"
    assert by_number(doc, "37(2)").text.startswith("2-يُحظر تكرارصرف")


# ---------------------------------------------------------------- bad input


def instrument_for(path) -> Instrument:
    return Instrument(
        id="TST/sample",
        country="TST",
        title="Sample",
        year=2000,
        topic="drugs",
        language="en",
        source="national/TST/sample.json",
        format="ansvar-json",
        content_hash="0",
    )


def test_invalid_json_names_line_and_column(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{"id": "x",\n "provisions": [\n  {"section": "1", }\n ]}', encoding="utf-8")
    with pytest.raises(ParseError) as err:
        parse(path, instrument_for(path))
    assert err.value.where.startswith("line 3, column")
    assert "invalid JSON" in err.value.message


def test_top_level_without_provisions_list_is_an_error(tmp_path):
    path = tmp_path / "shape.json"
    path.write_text(json.dumps({"id": "x", "provisions": {"s1": "text"}}), encoding="utf-8")
    with pytest.raises(ParseError, match="'provisions' list"):
        parse(path, instrument_for(path))


OFFENCE = "3. —(1) A person commits an offence. (2) The penalty is a fine."


def test_entry_without_content_is_skipped_with_a_warning(tmp_path):
    path = tmp_path / "entries.json"
    provisions = [
        {"provision_ref": "s1", "section": "1", "title": "Short title", "content": "1. This Act is the Sample Act."},
        {"provision_ref": "s2", "section": "2", "title": "Interpretation", "content": ""},
        "not an entry",
        {"provision_ref": "s3", "section": "3", "title": "Offence", "content": OFFENCE},
    ]
    path.write_text(json.dumps({"id": "x", "provisions": provisions}), encoding="utf-8")
    doc = parse(path, instrument_for(path))
    assert [p.number for p in doc.provisions if p.kind == "section"] == ["1", "3"]
    assert [p.number for p in doc.provisions if p.kind == "subsection"] == ["3(1)", "3(2)"]
    wheres = [w.where for w in doc.warnings]
    assert "provisions[1] (s2)" in wheres and "provisions[2]" in wheres


def test_file_with_no_usable_entry_is_an_error(tmp_path):
    path = tmp_path / "empty.json"
    path.write_text(json.dumps({"provisions": [{"provision_ref": "s1", "section": "1"}]}), encoding="utf-8")
    with pytest.raises(ParseError, match="no entry"):
        parse(path, instrument_for(path))


def test_references_are_not_taken_for_sub_units(tmp_path):
    path = tmp_path / "refs.json"
    content = (
        "4. Penalty (1) A person who contravenes subsection (2) of section 3 or paragraphs (a), (b) and (c) "
        "of section 5 commits an offence. (2) The court may — ( a ) fine the person; or ( b ) imprison the person."
    )
    provisions = [{"provision_ref": "s4", "section": "4", "title": "Penalty", "content": content}]
    path.write_text(json.dumps({"provisions": provisions}), encoding="utf-8")
    doc = parse(path, instrument_for(path))
    assert [p.number for p in doc.provisions] == ["4", "4(1)", "4(2)", "4(2)(a)", "4(2)(b)"]
    assert doc.provisions[0].heading == "Penalty"
    assert doc.provisions[0].text == content
