"""LIMS XML parser (Justice Canada consolidated Acts), checked against the real corpus files.

Every fact below was read off the raw XML in national/CAN/ (labels, marginal notes, text).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import by_number, parse_corpus_file

from harmonize.model import KINDS, Instrument
from harmonize.parse import lims
from harmonize.errors import ParseError

CDSA = "national/CAN/controlled-drugs-and-substances-act.xml"
EXTRADITION = "national/CAN/extradition-act.xml"
FIREARMS = "national/CAN/firearms-act.xml"
IRPA = "national/CAN/immigration-and-refugee-protection-act.xml"
MLACMA = "national/CAN/mutual-legal-assistance-criminal-matters-act.xml"
PCMLTFA = "national/CAN/proceeds-of-crime-money-laundering-terrorist-financing-act.xml"
ALL_FILES = [CDSA, EXTRADITION, FIREARMS, IRPA, MLACMA, PCMLTFA]

# <Section> elements directly in <Body>; the manifest's larger counts (e.g. 151 for the CDSA)
# also count the amending-Act sections inside the RELATED PROVISIONS / NOT IN FORCE schedules.
BODY_SECTIONS = {CDSA: 93, EXTRADITION: 90, FIREARMS: 169, IRPA: 324, MLACMA: 66, PCMLTFA: 243}
SCHEDULES = {CDSA: 11, EXTRADITION: 1, FIREARMS: 2, IRPA: 3, MLACMA: 2, PCMLTFA: 2}


def children(doc, prov) -> list[str]:
    return [p.number for p in doc.provisions if p.parent == prov.id]


def of_kind(doc, kind: str) -> list:
    return [p for p in doc.provisions if p.kind == kind]


# --- whole files ---------------------------------------------------------------------


@pytest.mark.parametrize("source", ALL_FILES)
def test_section_and_schedule_counts(corpus, source):
    doc = parse_corpus_file(source)
    assert len(of_kind(doc, "section")) == BODY_SECTIONS[source]
    assert len(of_kind(doc, "schedule")) == SCHEDULES[source]
    assert doc.instrument.format == "lims"


@pytest.mark.parametrize("source", ALL_FILES)
def test_tree_is_well_formed(corpus, source):
    doc = parse_corpus_file(source)
    ids = [p.id for p in doc.provisions]
    assert len(ids) == len(set(ids))
    known = set(ids)
    for prov in doc.provisions:
        assert prov.kind in KINDS
        assert prov.parent is None or prov.parent in known
        assert "<" not in prov.text and "lims:" not in prov.text  # no markup left
        if prov.kind in ("subsection", "paragraph", "subparagraph", "clause"):
            assert prov.text.startswith(prov.label), prov.number
    assert doc.warnings == []


@pytest.mark.parametrize("source", ALL_FILES)
def test_historical_notes_are_dropped(corpus, source):
    doc = parse_corpus_file(source)
    # Every HistoricalNote cites an Act chapter: "1996, c. 19, s. 5; 2012, c. 1, s. 39".
    for prov in of_kind(doc, "section"):
        assert "1996, c. 19, s. 5;" not in prov.text
        assert "R.S., 1985, c. 30 (4th Supp.), s." not in prov.text


# --- Controlled Drugs and Substances Act -------------------------------------------------


def test_cdsa_section_5_trafficking(corpus):
    doc = parse_corpus_file(CDSA)
    s5 = by_number(doc, "5", "section")
    assert s5.heading == "Trafficking in substance"
    assert s5.path == ["PART I", "Particular Offences", "5"]
    assert s5.id == "CAN/controlled-drugs-and-substances-act/sec-5"
    assert children(doc, s5) == ["5(1)", "5(2)", "5(3)", "5(4)", "5(5)", "5(6)"]
    assert by_number(doc, "5(2)").heading == "Possession for purpose of trafficking"
    assert s5.text.startswith("(1) No person shall traffic in a substance included in Schedule I, II, III, IV or V")


def test_cdsa_5_3_punishment_paragraphs(corpus):
    doc = parse_corpus_file(CDSA)
    s53 = by_number(doc, "5(3)")
    assert s53.heading == "Punishment"
    assert children(doc, s53) == ["5(3)(a)", "5(3)(a.1)", "5(3)(b)", "5(3)(c)"]
    assert by_number(doc, "5(3)(a)").text.endswith("is guilty of an indictable offence and liable to imprisonment for life;")
    assert children(doc, by_number(doc, "5(3)(b)")) == ["5(3)(b)(i)", "5(3)(b)(ii)"]
    assert "not exceeding eighteen months" in by_number(doc, "5(3)(b)(ii)").text
    # The subsection's full text holds its paragraphs, each on its own line.
    assert "\n(c) where the subject-matter of the offence is a substance included in Schedule IV," in s53.text


def test_cdsa_repealed_stubs_are_provisions(corpus):
    doc = parse_corpus_file(CDSA)
    assert by_number(doc, "5(4)").text == "(4) [Repealed, 2012, c. 1, s. 39]"
    assert by_number(doc, "5(3)(a.1)").text == "(a.1) [Repealed, 2018, c. 16, s. 196]"


def test_cdsa_definitions_are_kept_in_the_text(corpus):
    doc = parse_corpus_file(CDSA)
    s21 = by_number(doc, "2(1)")
    assert s21.text.startswith("(1) In this Act,\nadjudicator means a person appointed")
    assert "offence-related property means, with the exception of a controlled substance" in s21.text
    assert "(a) by means of or in respect of which a designated substance offence is committed," in s21.text
    assert "controlled substance means a substance included in any of Schedules I to IV" in s21.text
    # Each definition restarts at (a), so its paragraphs are text, not provisions.
    with pytest.raises(KeyError):
        by_number(doc, "2(1)(a)")


def test_cdsa_parts_and_divisions(corpus):
    doc = parse_corpus_file(CDSA)
    part1 = by_number(doc, "PART I", "part")
    assert part1.heading == "Offences and Punishment"
    div1 = by_number(doc, "DIVISION 1", "division")
    assert div1.heading == "Non-chemical Offence-related Property"
    assert div1.path == ["PART III", "DIVISION 1"]


def test_cdsa_schedules(corpus):
    doc = parse_corpus_file(CDSA)
    numbers = [p.number for p in of_kind(doc, "schedule")]
    assert numbers[:9] == [f"SCHEDULE {n}" for n in ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX")]
    assert numbers[9:] == ["RELATED PROVISIONS", "AMENDMENTS NOT IN FORCE"]
    sched1 = by_number(doc, "SCHEDULE I")
    assert "1 Opium Poppy (Papaver somniferum), its preparations" in sched1.text
    assert "(2) Codeine (methylmorphine)" in sched1.text
    assert by_number(doc, "SCHEDULE VII").text == "[Repealed, 2018, c. 16, s. 205]"
    # Schedule V is a table: rows become cell-separated lines.
    assert "Item | Substance | Period" in by_number(doc, "SCHEDULE V").text


# --- Extradition Act ---------------------------------------------------------------------


def test_extradition_section_3(corpus):
    doc = parse_corpus_file(EXTRADITION)
    s3 = by_number(doc, "3", "section")
    assert s3.heading == "General principle"
    assert s3.path == ["PART 2", "Extraditable Conduct", "3"]
    assert children(doc, s3) == ["3(1)", "3(2)", "3(3)"]
    assert children(doc, by_number(doc, "3(1)")) == ["3(1)(a)", "3(1)(b)"]
    assert children(doc, by_number(doc, "3(1)(b)")) == ["3(1)(b)(i)", "3(1)(b)(ii)"]
    assert by_number(doc, "3(1)").text.startswith("(1) A person may be extradited from Canada")
    assert "maximum term of two years or more" in by_number(doc, "3(1)(a)").text


def test_extradition_44_death_penalty(corpus):
    doc = parse_corpus_file(EXTRADITION)
    assert by_number(doc, "44", "section").heading == "When order not to be made"
    s442 = by_number(doc, "44(2)")
    assert "is punishable by death under the laws that apply to the extradition partner" in s442.text
    assert children(doc, by_number(doc, "44(1)")) == ["44(1)(a)", "44(1)(b)"]


# --- Immigration and Refugee Protection Act ----------------------------------------------


def test_irpa_human_smuggling_and_trafficking(corpus):
    doc = parse_corpus_file(IRPA)
    s117 = by_number(doc, "117", "section")
    assert s117.heading == "Organizing entry into Canada"
    assert s117.path == ["PART 3", "Human Smuggling and Trafficking", "117"]
    assert children(doc, s117) == ["117(1)", "117(2)", "117(3)", "117(3.1)", "117(3.2)", "117(4)"]
    assert "to a fine of not more than $1,000,000 or to life imprisonment" in by_number(doc, "117(3)").text
    s118 = by_number(doc, "118", "section")
    assert s118.heading == "Offence — trafficking in persons"
    assert "by means of abduction, fraud, deception or use or threat of force or coercion" in s118.text


# --- Firearms Act, MLACMA, PCMLTFA -------------------------------------------------------


def test_firearms_closing_words_follow_the_paragraphs(corpus):
    doc = parse_corpus_file(FIREARMS)
    s354 = by_number(doc, "35(4)")
    lines = s354.text.splitlines()
    assert lines[0] == "(4) If a non-restricted firearm is declared at a customs office to a customs officer and"
    assert lines[1].startswith("(a) the non-resident has not truthfully completed")
    assert lines[-1].startswith("the customs officer may refuse to confirm the declaration")
    assert children(doc, s354) == ["35(4)(a)", "35(4)(b)"]


def test_firearms_footnotes_are_dropped(corpus):
    doc = parse_corpus_file(FIREARMS)
    assert not [p.number for p in doc.provisions if "SI/98-35" in p.text]


def test_range_labels_keep_their_printed_number(corpus):
    assert by_number(parse_corpus_file(MLACMA), "47 and 48", "section").text == "[Amendments]"
    pcmltfa = parse_corpus_file(PCMLTFA)
    assert by_number(pcmltfa, "73(1)(l.1) to (y)").text == "(l.1) to (y) [Repealed, 2017, c. 20, s. 434]"


# --- bad input -----------------------------------------------------------------------------


def _instrument(source: str) -> Instrument:
    return Instrument(
        id="CAN/test-act",
        country="CAN",
        title="Test Act",
        year=2000,
        topic="drugs",
        language="en",
        source=source,
        format="lims",
        content_hash="",
    )


def test_root_other_than_statute_is_rejected(tmp_path: Path):
    path = tmp_path / "reg.xml"
    path.write_text('<?xml version="1.0"?><Regulation><Body/></Regulation>', encoding="utf-8")
    with pytest.raises(ParseError) as err:
        lims.parse(path, _instrument("national/CAN/reg.xml"))
    assert err.value.where == "root element <Regulation>"
    assert "<Statute>" in err.value.message


def test_section_without_label_is_rejected(tmp_path: Path):
    path = tmp_path / "act.xml"
    path.write_text(
        '<?xml version="1.0"?>\n<Statute><Body>\n'
        "<Section><Label>1</Label><Text>Short title.</Text></Section>\n"
        "<Section><MarginalNote>Offence</MarginalNote><Text>No person shall ...</Text></Section>\n"
        "</Body></Statute>",
        encoding="utf-8",
    )
    with pytest.raises(ParseError) as err:
        lims.parse(path, _instrument("national/CAN/act.xml"))
    assert err.value.where == "<Section> at line 4, after section 1"
    assert "<Label>" in err.value.message


def test_unknown_body_element_is_a_warning(tmp_path: Path):
    path = tmp_path / "act.xml"
    path.write_text(
        '<?xml version="1.0"?><Statute><Body>'
        '<Heading level="1"><Label>PART 1</Label><TitleText>Offences</TitleText></Heading>'
        "<Section><MarginalNote>Offence</MarginalNote><Label>2</Label><Text>No person shall"
        "<FootnoteRef>*</FootnoteRef> sell.</Text><HistoricalNote>2001, c. 1</HistoricalNote></Section>"
        "<Oddity>stray</Oddity></Body></Statute>",
        encoding="utf-8",
    )
    doc = lims.parse(path, _instrument("national/CAN/act.xml"))
    assert [(p.kind, p.number, p.path) for p in doc.provisions] == [
        ("part", "PART 1", ["PART 1"]),
        ("section", "2", ["PART 1", "2"]),
    ]
    assert doc.provisions[1].text == "No person shall sell."
    assert len(doc.warnings) == 1 and "<Oddity>" in doc.warnings[0].message
