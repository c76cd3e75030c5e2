"""The gitlaw-nz reprint Markdown parser, on the real NZL corpus files and on small bad inputs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import by_number, load_instrument, parse_corpus_file

from harmonize.errors import ParseError
from harmonize.parse import nzl_md

MODA = "national/NZL/misuse-of-drugs-act-1975.md"
CRIMES = "national/NZL/crimes-act-1961.md"
EXTRADITION = "national/NZL/extradition-act-1999.md"
ARMS = "national/NZL/arms-act-1983.md"
AML = "national/NZL/aml-cft-act-2009.md"

# Sections in each Act body, counted from the '##### <number> <heading>' lines between the
# contents list and the schedules (each equals the section count of the file's own contents,
# except where the contents also lists sections quoted by amending sections).
SECTION_COUNTS = {
    "national/NZL/aml-cft-act-2009.md": 163,
    "national/NZL/arms-act-1983.md": 103,
    "national/NZL/crimes-act-1961.md": 530,
    "national/NZL/criminal-proceeds-recovery-act-2009.md": 225,
    "national/NZL/extradition-act-1999.md": 114,
    "national/NZL/immigration-act-2009.md": 487,
    "national/NZL/misuse-of-drugs-act-1975.md": 66,
    "national/NZL/mutual-assistance-criminal-matters-act-1992.md": 75,
    "national/NZL/terrorism-suppression-act-2002.md": 95,
}

MARKUP = re.compile(r"\]\[|\]\(|\\|\*\*|(^|\n)[#>*]|_|\"\"")


def sections(doc):
    return [p for p in doc.provisions if p.kind == "section"]


@pytest.mark.parametrize("source,count", sorted(SECTION_COUNTS.items()))
def test_section_counts(source, count):
    doc = parse_corpus_file(source)
    assert len(sections(doc)) == count


@pytest.mark.parametrize("source", sorted(SECTION_COUNTS))
def test_text_is_clean_of_markdown_and_history_notes(source):
    doc = parse_corpus_file(source)
    for prov in doc.provisions:
        assert not MARKUP.search(prov.text), (prov.id, prov.text[:200])
        assert not MARKUP.search(prov.heading), (prov.id, prov.heading)
        assert not re.search(r"Section [^:\n]{1,40}: (amended|inserted|replaced|repealed)", prov.text), prov.id
        assert "Compare:" not in prov.text, prov.id


@pytest.mark.parametrize("source", sorted(SECTION_COUNTS))
def test_no_provision_comes_from_the_contents_list(source):
    doc = parse_corpus_file(source)
    # Every section is unique (the contents list would have made a second copy) and has text.
    numbers = [p.number for p in sections(doc)]
    assert len(numbers) == len(set(numbers))
    assert all(p.text for p in sections(doc))
    assert not any("[][" in p.text or "legislation.govt.nz" in p.text for p in doc.provisions)


def test_misuse_of_drugs_s6_dealing():
    doc = parse_corpus_file(MODA)
    s6 = by_number(doc, "6", "section")
    assert s6.heading == "Dealing with controlled drugs"
    assert s6.path == ["6"]
    assert s6.text.startswith("(1) Except as provided in section 8, or pursuant to a licence")
    sub1 = by_number(doc, "6(1)", "subsection")
    sub2 = by_number(doc, "6(2)", "subsection")
    assert sub1.parent == s6.id and sub2.parent == s6.id
    assert sub2.path == ["6", "(2)"]
    assert "imprisonment for life" in sub2.text
    life = by_number(doc, "6(2)(a)", "paragraph")
    assert life.text.startswith("(a) imprisonment for life where a Class A controlled drug")
    assert by_number(doc, "6(1)(f)", "paragraph").parent == sub1.id
    assert by_number(doc, "6(3)", "subsection").text == "(3) [Repealed]"
    # The subsection labels of s.6 in printed order.
    labels = [p.label for p in doc.provisions if p.parent == s6.id]
    assert labels == ["(1)", "(2)", "(2A)", "(3)", "(4)", "(4A)", "(5)", "(6)", "(7)"]


def test_misuse_of_drugs_closing_words_follow_the_paragraphs():
    doc = parse_corpus_file(MODA)
    sub4 = by_number(doc, "6(4)", "subsection")
    assert sub4.text.index("(b) against paragraph (a)") < sub4.text.index("the Judge or court shall impose")


def test_misuse_of_drugs_s7_possession():
    doc = parse_corpus_file(MODA)
    s7 = by_number(doc, "7", "section")
    assert s7.heading == "Possession and use of controlled drugs"
    assert "procure or have in his possession" in by_number(doc, "7(1)(a)").text
    assert [p.label for p in doc.provisions if p.parent == s7.id] == ["(1)", "(2)", "(3)", "(4)"]


def test_misuse_of_drugs_definitions_are_folded_into_their_subsection():
    doc = parse_corpus_file(MODA)
    s2_1 = by_number(doc, "2(1)", "subsection")
    assert "Class A controlled drug means the controlled drugs specified or described in Schedule 1" in s2_1.text
    # The (a), (b) of each definition stay text, not paragraphs 2(1)(a) repeated per definition.
    assert not [p for p in doc.provisions if p.parent == s2_1.id]


def test_misuse_of_drugs_schedules_and_no_amending_act_sections():
    doc = parse_corpus_file(MODA)
    schedules = [p for p in doc.provisions if p.kind == "schedule"]
    assert [p.label for p in schedules] == [f"Schedule {n}" for n in range(1, 6)]
    assert schedules[0].heading == "Class A controlled drugs"
    assert "Heroin (diacetylmorphine)" in schedules[0].text
    # Sections 10-13A of the Misuse of Drugs Amendment Act 1978 are printed after the schedules;
    # they are not sections of this Act.
    assert "13A" not in {p.number for p in sections(doc)}
    assert any("Misuse of Drugs Amendment Act 1978" in w.message for w in doc.warnings)
    assert not any("Reprints notes" in p.text or "This is a reprint" in p.text for p in doc.provisions)


def test_crimes_act_smuggling_trafficking_and_laundering():
    doc = parse_corpus_file(CRIMES)
    s98c = by_number(doc, "98C", "section")
    assert s98c.heading == "Smuggling migrants"
    assert s98c.path == ["Part 5", "98C"]
    assert "imprisonment for a term not exceeding 20 years, a fine not exceeding $500,000, or both" in s98c.text
    s98d = by_number(doc, "98D", "section")
    assert s98d.heading == "Trafficking in people by means of coercion or deception"
    assert "acts of coercion against the person" in by_number(doc, "98D(1)(a)").text
    s243 = by_number(doc, "243", "section")
    assert s243.heading == "Money laundering"
    assert s243.path == ["Part 10", "243"]
    assert "engages in a money laundering transaction" in by_number(doc, "243(2)").text
    part5 = by_number(doc, "Part 5", "part")
    assert part5.heading == "Crimes against public order"
    assert s98c.parent == part5.id


def test_crimes_act_parts_and_repealed_sections():
    doc = parse_corpus_file(CRIMES)
    parts = [p.label for p in doc.provisions if p.kind == "part"]
    assert parts[:3] == ["Part 1", "Part 2", "Part 3"]
    assert "Part 9A" in parts and "Part 11A" in parts
    # "##### 380 Reserving question of law" holds only its repeal note.
    assert by_number(doc, "380", "section").text == "[Repealed]"


def test_extradition_act_offence_and_restrictions():
    doc = parse_corpus_file(EXTRADITION)
    s4 = by_number(doc, "4", "section")
    assert s4.heading == "Meaning of extradition offence"
    assert "extradition offence means, subject to an extradition treaty" in by_number(doc, "4(1)").text
    s7 = by_number(doc, "7", "section")
    assert s7.heading == "Mandatory restrictions on surrender"
    assert s7.text.startswith("A mandatory restriction on surrender exists if")
    # s.7 has no subsections: its paragraphs hang straight off the section.
    political = by_number(doc, "7(a)", "paragraph")
    assert political.parent == s7.id and "offence of a political character" in political.text
    s8 = by_number(doc, "8", "section")
    assert s8.heading == "Discretionary restrictions on surrender"
    assert "the trivial nature of the case" in by_number(doc, "8(1)(a)").text


def test_arms_act_offences():
    doc = parse_corpus_file(ARMS)
    s45 = by_number(doc, "45", "section")
    assert s45.heading.startswith("Carrying or possession of firearms, airguns, pistols")
    assert s45.path == ["45"]  # the Arms Act has cross headings but no Parts
    assert "imprisonment for a term not exceeding 4 years" in by_number(doc, "45(1)").text
    assert by_number(doc, "55", "section").heading.endswith("with criminal intent")
    assert not [p for p in doc.provisions if p.kind == "part"]


def test_aml_act_subparts_are_divisions():
    doc = parse_corpus_file(AML)
    s10 = by_number(doc, "10", "section")
    assert s10.path == ["Part 2", "Subpart 1", "10"]
    subpart = next(p for p in doc.provisions if p.id == s10.parent)
    assert subpart.kind == "division" and subpart.heading == "Customer due diligence"
    assert "**" not in by_number(doc, "5", "section").text


# -- bad input ------------------------------------------------------------------------------


def _instrument(tmp_path: Path, text: str):
    path = tmp_path / "bad.md"
    path.write_text(text, encoding="utf-8")
    return path, load_instrument(MODA)


def test_contents_without_any_section_is_a_parse_error(tmp_path):
    path, instrument = _instrument(
        tmp_path,
        "Reprint  \nas at 1 July 2014\n\n# Some Act 2000Public Act2000 No 1\n\n## Contents\n\n"
        "[1][2][][2][Short Title][2]\n\n---\n\nAn Act to do things\n\n"
        "#### Cross heading only\n\nsome loose text\n",
    )
    with pytest.raises(ParseError) as err:
        nzl_md.parse(path, instrument)
    assert "section heading" in err.value.message
    assert err.value.where.startswith("line ")


def test_file_with_nothing_after_the_contents_is_a_parse_error(tmp_path):
    path, instrument = _instrument(tmp_path, "Reprint\n\n# Some Act\n\n## Contents\n\n[1][2][][2][Title][2]\n")
    with pytest.raises(ParseError, match="expected a Part or section heading"):
        nzl_md.parse(path, instrument)


def test_small_file_parses_and_warns_on_missing_reprint_line(tmp_path):
    path, instrument = _instrument(
        tmp_path,
        "# Small Act 2000Public Act2000 No 1\n\n## Contents\n\n[1][2][][2][Offence][2]\n\n---\n\n"
        "## Part 1  \nOffences\n\n##### 1 Offence\n    \n*   (1) No person shall [do][3] a thing\\.\n    \n"
        "    *   (a) here; or\n    \n    *   (b) there.\n    \n    (2) \\[Repealed\\]\n    \n"
        "    Section 1(2): repealed, on 1 July 2013, by [section 4][5] of the Other Act 2011.\n\n"
        "#### \n\n---\n\n##### Reprints notes\n\n###### 1 General\n    \n*   This is a reprint.\n\n"
        "[3]: http://www.legislation.govt.nz/x\n",
    )
    doc = nzl_md.parse(path, instrument)
    assert [(p.kind, p.number) for p in doc.provisions] == [
        ("part", "Part 1"),
        ("section", "1"),
        ("subsection", "1(1)"),
        ("paragraph", "1(1)(a)"),
        ("paragraph", "1(1)(b)"),
        ("subsection", "1(2)"),
    ]
    assert by_number(doc, "1").text == "(1) No person shall do a thing.\n(a) here; or\n(b) there.\n(2) [Repealed]"
    assert any("Reprint as at" in w.message for w in doc.warnings)
