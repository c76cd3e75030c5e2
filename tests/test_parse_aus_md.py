"""gitlaw-au Markdown parser (Australian Commonwealth Acts), checked against the real corpus files.

Every fact below was read off the raw Markdown in national/AUS/ (headings, labels, penalties).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import by_number, parse_corpus_file

from harmonize.model import KINDS, Instrument
from harmonize.parse import aus_md
from harmonize.errors import ParseError

AML = "national/AUS/aml-ctf-act-2006.md"
CTND = "national/AUS/crimes-traffic-narcotic-drugs-psychotropic-substances-act-1990.md"
CODE1 = "national/AUS/criminal-code-act-1995-vol1.md"
CODE2 = "national/AUS/criminal-code-act-1995-vol2.md"
EXTRADITION = "national/AUS/extradition-act-1988.md"
MIGRATION1 = "national/AUS/migration-act-1958-vol1.md"
MIGRATION2 = "national/AUS/migration-act-1958-vol2.md"
MACMA = "national/AUS/mutual-assistance-criminal-matters-act-1987.md"
NARCOTIC = "national/AUS/narcotic-drugs-act-1967.md"
POCA = "national/AUS/proceeds-of-crime-act-2002.md"
ALL_FILES = [AML, CTND, CODE1, CODE2, EXTRADITION, MIGRATION1, MIGRATION2, MACMA, NARCOTIC, POCA]

# Section headings in the body (between the contents and the endnotes), counted in the raw
# files with `grep '^##### [*_]*<number>  '`, plus the bullet-printed ss.1-2 of the two
# 2011-2012 compilations; 486O in Migration vol.2 lost its number and is not counted.
SECTIONS = {
    AML: 295,  # 294 + Schedule 1 clause 1
    CTND: 27,
    CODE1: 389,  # Act ss.1-5 + Code ss.1.1-261.3, 5 of them with "**" before the number
    CODE2: 490,
    EXTRADITION: 69,
    MIGRATION1: 511,
    MIGRATION2: 546,
    MACMA: 129,
    NARCOTIC: 29,
    POCA: 405,
}


def of_kind(doc, kind: str) -> list:
    return [p for p in doc.provisions if p.kind == kind]


def children(doc, prov) -> list[str]:
    return [p.number for p in doc.provisions if p.parent == prov.id]


# --- whole files ---------------------------------------------------------------------


@pytest.mark.parametrize("source", ALL_FILES)
def test_section_counts(corpus, source):
    doc = parse_corpus_file(source)
    assert len(of_kind(doc, "section")) == SECTIONS[source]
    assert doc.instrument.format == "aus-md"


@pytest.mark.parametrize("source", ALL_FILES)
def test_tree_is_well_formed(corpus, source):
    doc = parse_corpus_file(source)
    by_id = {p.id: p for p in doc.provisions}
    assert len(by_id) == len(doc.provisions)
    for order, prov in enumerate(doc.provisions):
        assert prov.order == order
        assert prov.kind in KINDS
        assert prov.parent is None or prov.parent in by_id
        if prov.parent:
            assert prov.path[:-1] == by_id[prov.parent].path


@pytest.mark.parametrize("source", ALL_FILES)
def test_text_is_clean(corpus, source):
    doc = parse_corpus_file(source)
    for prov in doc.provisions:
        for markup in ("**", "_", "#", "\t"):
            assert markup not in prov.text, (prov.number, markup)
            assert markup not in prov.heading, (prov.number, markup)


@pytest.mark.parametrize("source", ALL_FILES)
def test_no_section_comes_from_the_table_of_contents(corpus, source):
    """Contents entries have no body: every section has text, or was warned about."""
    doc = parse_corpus_file(source)
    warned = {w.where for w in doc.warnings}
    for section in of_kind(doc, "section"):
        assert section.text or f"section {section.number}" in warned, section.number
    numbers = [s.number for s in of_kind(doc, "section")]
    assert len(numbers) == len(set(numbers)) or source == AML  # AML: Schedule 1 clause 1


@pytest.mark.parametrize("source", ALL_FILES)
def test_endnotes_are_not_parsed(corpus, source):
    doc = parse_corpus_file(source)
    for prov in doc.provisions:
        assert "Endnote" not in prov.heading and "Amendment history" not in prov.text


# --- Criminal Code -------------------------------------------------------------------


def test_criminal_code_302_4_trafficking(corpus):
    doc = parse_corpus_file(CODE2)
    sec = by_number(doc, "302.4", "section")
    assert sec.heading == "Trafficking controlled drugs"
    assert sec.path == ["Schedule", "Chapter 9", "Part 9.1", "Division 302", "302.4"]
    assert sec.id == "AUS/criminal-code-act-1995-vol2/sec-302.4"
    assert children(doc, sec) == ["302.4(1)", "302.4(2)"]
    sub1 = by_number(doc, "302.4(1)")
    assert children(doc, sub1) == ["302.4(1)(a)", "302.4(1)(b)"]
    assert by_number(doc, "302.4(1)(b)").text == "(b) the substance is a controlled drug."
    # The penalty follows the paragraphs and belongs to subsection (1), printed last.
    assert sub1.text.endswith("Penalty: Imprisonment for 10 years or 2,000 penalty units, or both.")
    assert sec.text.index("(b) the substance") < sec.text.index("Penalty:") < sec.text.index("(2) The fault")


def test_criminal_code_302_2_commercial_quantities_carry_life(corpus):
    doc = parse_corpus_file(CODE2)
    sec = by_number(doc, "302.2", "section")
    assert sec.heading == "Trafficking commercial quantities of controlled drugs"
    assert "Penalty: Imprisonment for life or 7,500 penalty units, or both." in sec.text
    assert "(c) the quantity trafficked is a commercial quantity." in sec.text


def test_criminal_code_containers(corpus):
    doc = parse_corpus_file(CODE2)
    div = by_number(doc, "Division 302", "division")
    assert div.heading == "Trafficking controlled drugs"
    assert div.path == ["Schedule", "Chapter 9", "Part 9.1", "Division 302"]
    assert by_number(doc, "Part 9.1", "part").heading == "Serious drug offences"
    assert by_number(doc, "Chapter 9", "chapter").heading == "Dangers to the community"
    assert by_number(doc, "Schedule", "schedule").heading == "The Criminal Code"
    subdiv = by_number(doc, "Subdivision B", "division")
    assert subdiv.path == ["Schedule", "Chapter 8", "Division 268", "Subdivision B"]
    assert subdiv.heading == "Genocide"


def test_criminal_code_slavery_and_trafficking_in_persons(corpus):
    doc = parse_corpus_file(CODE2)
    slavery = by_number(doc, "270.3", "section")
    assert slavery.heading == "Slavery offences"
    assert "(aa) reduces a person to slavery; or" in slavery.text
    assert "Penalty: Imprisonment for 25 years." in slavery.text
    trafficking = by_number(doc, "271.2", "section")
    assert trafficking.heading == "Offence of trafficking in persons"
    # "Australia" was lost in the conversion (corpus Known defects): "... into ; and".
    assert "commits an offence of trafficking in persons if:" in by_number(doc, "271.2(1)").text
    assert "Penalty: Imprisonment for 12 years." in trafficking.text


def test_criminal_code_penalty_lists_are_not_paragraphs(corpus):
    """270.5(1): "Penalty:" followed by its own (a) and (b) stays text of the subsection."""
    doc = parse_corpus_file(CODE2)
    sub1 = by_number(doc, "270.5(1)")
    assert children(doc, sub1) == ["270.5(1)(a)", "270.5(1)(b)"]
    assert "Penalty:\n(a) in the case of an aggravated offence" in sub1.text
    # "Conducting a business involving servitude" heads subsection (2): text of the section.
    assert "Conducting a business involving servitude" not in sub1.text
    assert "Conducting a business involving servitude\n(2) A person" in by_number(doc, "270.5", "section").text


def test_criminal_code_money_laundering_and_firearms_trafficking(corpus):
    doc = parse_corpus_file(CODE2)
    ml = by_number(doc, "400.3", "section")
    assert ml.heading == "Dealing in proceeds of crime etc.--money or property worth $1,000,000 or more"
    assert ml.path[-3:] == ["Part 10.2", "Division 400", "400.3"]
    assert "Penalty: Imprisonment for 25 years, or 1500 penalty units, or both." in ml.text
    assert by_number(doc, "400.3(1)(b)(i)", "subparagraph").text.startswith("(i) the money or property is")
    firearms = by_number(doc, "360.2", "section")
    assert firearms.heading == "Crossborder offence of disposal or acquisition of a firearm or firearm part"
    assert firearms.path[-3:] == ["Part 9.4", "Division 360", "360.2"]
    assert "Penalty: Imprisonment for 10 years or a fine of 2,500 penalty units, or both." in firearms.text


def test_criminal_code_dictionary_is_a_schedule(corpus):
    doc = parse_corpus_file(CODE2)
    dictionary = by_number(doc, "Dictionary", "schedule")
    assert dictionary.text.startswith("ABN (short for Australian Business Number) has the meaning")


def test_criminal_code_vol1_emphasis_before_the_number(corpus):
    doc = parse_corpus_file(CODE1)
    incitement = by_number(doc, "11.4", "section")  # "##### **11.4  Incitement"
    assert incitement.heading == "Incitement"
    assert incitement.path == ["Schedule", "Chapter 2", "Part 2.4", "Division 11", "11.4"]
    assert by_number(doc, "Division 9", "division").heading == "Circumstances involving mistake or ignorance"
    # The Act's own s.3 comes before the Schedule holding the Code.
    assert by_number(doc, "3", "section").path == ["3"]
    people_smuggling = by_number(doc, "73.1", "section")
    assert people_smuggling.heading == "Offence of people smuggling"


def test_criminal_code_vol1_section_without_heading_is_warned(corpus):
    doc = parse_corpus_file(CODE1)
    assert by_number(doc, "3A", "section").text == "The Criminal Code extends to every external Territory."
    assert any("section 3A has no heading" in w.message for w in doc.warnings)


# --- Crimes (Traffic in Narcotic Drugs and Psychotropic Substances) Act 1990 -----------


def test_ctnd_penalty_tables_are_section_text(corpus):
    doc = parse_corpus_file(CTND)
    sec15 = by_number(doc, "15", "section")
    assert sec15.heading == "Penalties for offences against sections 10 to 13"
    sections = [s.number for s in of_kind(doc, "section")]
    assert "25" not in sections and "Life" not in sections
    sub2 = by_number(doc, "15(2)")
    assert "Cultivation of opium poppy and coca bush\nLife\n25 years\n10 years\n5 years" in sub2.text
    assert "If a commercial quantity of the drug or substance was sold, supplied or possessed\nLife\nLife" in (
        by_number(doc, "15(5)").text
    )
    assert any("inside section 15" in w.message for w in doc.warnings)
    # The bracketed subheading before (3) is the section's text, not subsection (2)'s.
    assert "[Penalty where offence involves separation" not in sub2.text
    assert by_number(doc, "15A", "section").path == ["Part 2", "15A"]


def test_ctnd_old_style_bullet_sections_and_schedules(corpus):
    doc = parse_corpus_file(CTND)
    short_title = by_number(doc, "1", "section")  # "     * 1**  Short Title **[_see_ Note 1]"
    assert short_title.heading == "Short Title"
    assert short_title.text.startswith("This Act may be cited as the Crimes (Traffic in Narcotic Drugs")
    assert by_number(doc, "2", "section").heading == "Commencement"
    schedule1 = by_number(doc, "Schedule 1", "schedule")
    assert schedule1.heading.startswith("United Nations Convention Against Illicit Traffic")
    assert "Adopted by the Conference at its 6th plenary meeting" in schedule1.text
    assert [s.number for s in of_kind(doc, "section")][-1] == "22"


# --- Migration Act 1958 --------------------------------------------------------------


def test_migration_233a_people_smuggling(corpus):
    doc = parse_corpus_file(MIGRATION1)
    sec = by_number(doc, "233A", "section")
    assert sec.heading == "Offence of people smuggling"
    assert sec.path == ["Part 2", "Division 12", "Subdivision A", "233A"]
    assert "Penalty: Imprisonment for 10 years or 1,000 penalty units, or both." in by_number(doc, "233A(1)").text
    assert children(doc, sec) == ["233A(1)", "233A(2)", "233A(3)"]
    aggravated = by_number(doc, "233C", "section")  # "##### _233C  Aggravated ..."
    assert aggravated.heading == "Aggravated offence of people smuggling (at least 5 people)"


def test_migration_known_conversion_faults_are_warned(corpus):
    doc1 = parse_corpus_file(MIGRATION1)
    # "##### (b) who is a member ..." is read as paragraph 91WB(1)(b).
    assert by_number(doc1, "91WB(1)(b)", "paragraph").text.startswith("(b) who is a member of the same family")
    assert any("bullet written as a heading" in w.message for w in doc1.warnings)
    doc2 = parse_corpus_file(MIGRATION2)
    # 486O lost its number: its heading and text stay in 486N, with a warning.
    assert "Ombudsman to give Minister assessment" in by_number(doc2, "486N", "section").text
    assert any("inside section 486N" in w.message for w in doc2.warnings)


# --- Extradition Act 1988 ------------------------------------------------------------


def test_extradition_7_objection(corpus):
    doc = parse_corpus_file(EXTRADITION)
    sec = by_number(doc, "7", "section")
    assert sec.heading == "Meaning of extradition objection"
    assert sec.path == ["Part I", "7"]
    assert children(doc, sec) == ["7(a)", "7(b)", "7(c)", "7(d)", "7(e)"]
    assert by_number(doc, "7(a)").text == (
        "(a) the extradition offence is a political offence in relation to the extradition country; or"
    )


def test_extradition_19_eligibility(corpus):
    doc = parse_corpus_file(EXTRADITION)
    sec = by_number(doc, "19", "section")
    assert sec.heading == "Determination of eligibility for surrender"
    assert by_number(doc, "19(1)(a)").text == "(a) a person is on remand under section 15;"
    assert "19(4A)" in children(doc, sec)
    assert by_number(doc, "19(3)(b)(ii)", "subparagraph").parent == by_number(doc, "19(3)(b)").id


def test_extradition_definitions_keep_their_paragraphs_as_text(corpus):
    doc = parse_corpus_file(EXTRADITION)
    sec5 = by_number(doc, "5", "section")
    assert children(doc, sec5) == []
    assert "extradition country means:\n(a) any country (other than ) that is declared" in sec5.text


# --- the other Acts ------------------------------------------------------------------


def test_aml_and_poca_containers(corpus):
    aml = parse_corpus_file(AML)
    assert by_number(aml, "Subdivision A", "division").path == ["Part 11", "Division 4", "Subdivision A"]
    poca = parse_corpus_file(POCA)
    assert by_number(poca, "1", "section").path == ["Chapter 1", "Part 11", "1"]
    assert by_number(poca, "Chapter 3", "chapter").heading == "Information gathering"


def test_narcotic_drugs_act(corpus):
    doc = parse_corpus_file(NARCOTIC)
    assert by_number(doc, "27", "section").heading == "Regulations"  # "##### 27   Regulations"
    convention = by_number(doc, "First Schedule", "schedule")
    assert convention.heading == "Single Convention On Narcotic Drugs, 1961"
    assert "Concerned with the health and welfare of mankind," in convention.text


# --- made-up files -------------------------------------------------------------------


def instrument(source: str) -> Instrument:
    return Instrument(
        id="AUS/test-act",
        country="AUS",
        title="Test Act",
        year=2000,
        topic="drugs",
        language="en",
        source=source,
        format="aus-md",
        content_hash="",
    )


DISCLAIMER = "Note: This is not the [authoritative source](https://www.comlaw.gov.au/x) for this act\n\n"


def test_file_without_sections_is_a_parse_error(tmp_path: Path):
    path = tmp_path / "empty-act.md"
    path.write_text(
        DISCLAIMER + "# Test Act\n\n## Contents\n\n  * Part 1--Preliminary\t1\n\n"
        "### Part 1--Preliminary\n\nSome words but no section.\n",
        encoding="utf-8",
    )
    with pytest.raises(ParseError) as err:
        aus_md.parse(path, instrument("national/AUS/empty-act.md"))
    assert err.value.source == "national/AUS/empty-act.md"
    assert err.value.where == "line 9"
    assert "expected a section heading" in err.value.message


def test_made_up_act(tmp_path: Path):
    path = tmp_path / "test-act.md"
    path.write_text(
        DISCLAIMER + "# Test Act\n\n## Contents\n\n"
        "  * Part 1--Offences\t1\n\n       * 1\tDrugs\t1\n\n"
        "### Part 1--Offences\n\n"
        "##### **1  Drugs\n\n"
        "    * (1) A person commits an offence if:\n\n"
        "     * (a) the person **_deals_** in a drug; and\n\n"
        "      * (i) for profit; or\n\n"
        "      * (ii) for reward;\n\n"
        "     * and the drug is listed.\n\n"
        "      * Penalty: Imprisonment for life.\n\n"
        "##### Life\n\n"
        "#### Endnotes\n\n"
        "##### 2  Amendment history\n",
        encoding="utf-8",
    )
    doc = aus_md.parse(path, instrument("national/AUS/test-act.md"))
    assert [(p.kind, p.number) for p in doc.provisions] == [
        ("part", "Part 1"),
        ("section", "1"),
        ("subsection", "1(1)"),
        ("paragraph", "1(1)(a)"),
        ("subparagraph", "1(1)(a)(i)"),
        ("subparagraph", "1(1)(a)(ii)"),
    ]
    sec = by_number(doc, "1", "section")
    assert sec.heading == "Drugs"
    assert sec.text == (
        "(1) A person commits an offence if:\n(a) the person deals in a drug; and\n(i) for profit; or\n"
        "(ii) for reward;\nand the drug is listed.\nPenalty: Imprisonment for life.\nLife"
    )
    assert by_number(doc, "1(1)(a)").text.endswith("and the drug is listed.")  # closing words
    assert len(doc.warnings) == 1 and "inside section 1" in doc.warnings[0].message


def test_missing_contents_is_warned(tmp_path: Path):
    path = tmp_path / "no-contents.md"
    path.write_text(DISCLAIMER + "# Test Act\n\n##### 1  Short title\n\n    * This Act is the Test Act.\n")
    doc = aus_md.parse(path, instrument("national/AUS/no-contents.md"))
    assert [p.number for p in doc.provisions] == ["1"]
    assert any("Contents" in w.message for w in doc.warnings)
