"""Bilingual BWB treaty Markdown parser, checked against the real files in conventions/.

Every fact below was read off the raw Markdown (English half): article counts, headings,
paragraph and sub-paragraph markers and their text.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import by_number, parse_corpus_file

from harmonize.model import KINDS, Instrument
from harmonize.parse import convention_md
from harmonize.errors import ParseError

SINGLE = "conventions/single-convention-1961-as-amended-1972.md"
PSYCHOTROPIC = "conventions/psychotropic-substances-1971.md"
VIENNA = "conventions/vienna-illicit-traffic-1988.md"
UNTOC = "conventions/untoc-2000.md"
TIP = "conventions/untoc-trafficking-persons-protocol-2000.md"
SOM = "conventions/untoc-smuggling-migrants-protocol-2000.md"
FIREARMS = "conventions/untoc-firearms-protocol-2001.md"
UNCAC = "conventions/uncac-2003.md"
ICSFT = "conventions/terrorist-financing-convention-1999.md"
ATT = "conventions/arms-trade-treaty-2013.md"
COE_EXTRADITION = "conventions/coe-extradition-convention-1957.md"
COE_MLA = "conventions/coe-mutual-assistance-convention-1959.md"
WARSAW = "conventions/coe-warsaw-laundering-convention-2005.md"

# English `### Article N` headings in each file (README "Checks done" and MANIFEST notes).
ARTICLES = {
    SINGLE: 54,  # 51 articles + 14 bis, 21 bis, 38 bis
    PSYCHOTROPIC: 33,
    VIENNA: 34,
    UNTOC: 41,
    TIP: 20,
    SOM: 25,
    FIREARMS: 21,
    UNCAC: 71,
    ICSFT: 28,
    ATT: 28,
    COE_EXTRADITION: 32,
    COE_MLA: 30,
    WARSAW: 56,
}
ALL_FILES = list(ARTICLES)
CHAPTERS = {UNCAC: 8, WARSAW: 7, COE_MLA: 8, TIP: 4, SOM: 4, FIREARMS: 3, VIENNA: 0, UNTOC: 0}

# Dutch function words that never occur in the English text ("de minimis" is English).
DUTCH = re.compile(r"\bArtikel\b|\bhet\b|\bvan de\b|\bwordt\b|\bPartijen\b|\bde (?!minimis|facto|jure)")
MARKUP = re.compile(r"\]\(|README\.md|\*|\||<[a-z/]|^#", re.M)


def articles(doc) -> list:
    """Numbered articles (the preamble, also kind "article", left out)."""
    return [p for p in doc.provisions if p.kind == "article" and p.number != "Preamble"]


def children(doc, prov) -> list[str]:
    return [p.number for p in doc.provisions if p.parent == prov.id]


# --- every file ------------------------------------------------------------------------


@pytest.mark.parametrize("source", ALL_FILES)
def test_article_count_and_order(corpus, source):
    doc = parse_corpus_file(source)
    numbers = [p.number for p in articles(doc)]
    assert len(numbers) == ARTICLES[source]
    plain = [int(n) for n in numbers if n.isdigit()]
    assert plain == list(range(1, len(plain) + 1))
    assert doc.instrument.format == "convention-md"


@pytest.mark.parametrize("source", ALL_FILES)
def test_tree_is_well_formed(corpus, source):
    doc = parse_corpus_file(source)
    ids = [p.id for p in doc.provisions]
    assert len(ids) == len(set(ids))
    by_id = {p.id: p for p in doc.provisions}
    for prov in doc.provisions:
        assert prov.kind in KINDS
        assert prov.text or prov.kind in ("chapter", "division", "schedule"), prov.id
        if prov.parent is not None:
            parent = by_id[prov.parent]
            assert parent.order < prov.order
            assert prov.path == parent.path + [prov.label]


@pytest.mark.parametrize("source", ALL_FILES)
def test_english_half_only_and_no_markup(corpus, source):
    doc = parse_corpus_file(source)
    for prov in doc.provisions:
        assert not DUTCH.search(prov.text), (prov.id, DUTCH.search(prov.text))
        assert not DUTCH.search(prov.heading), prov.id
        assert not MARKUP.search(prov.text), (prov.id, MARKUP.search(prov.text))


@pytest.mark.parametrize("source, chapters", CHAPTERS.items())
def test_chapters_are_containers(corpus, source, chapters):
    doc = parse_corpus_file(source)
    found = [p for p in doc.provisions if p.kind == "chapter"]
    assert [p.label for p in found] == [f"Chapter {r}" for r in "I II III IV V VI VII VIII".split()[:chapters]]
    assert all(p.heading for p in found)


# --- Vienna 1988 -----------------------------------------------------------------------


def test_vienna_article_3_offences(corpus):
    doc = parse_corpus_file(VIENNA)
    art = by_number(doc, "3", "article")
    assert art.heading == "Offences and sanctions"
    assert art.id == f"{doc.instrument.id}/art-3"
    clause = by_number(doc, "3(1)(a)(i)")
    assert clause.kind == "clause"
    assert clause.path == ["3", "(1)", "(a)", "(i)"]
    assert "production, manufacture, extraction" in clause.text
    assert by_number(doc, "3(1)(a)").kind == "subparagraph"
    assert children(doc, by_number(doc, "3(1)(a)")) == [f"3(1)(a)({r})" for r in ("i", "ii", "iii", "iv", "v")]
    para2 = by_number(doc, "3(2)", "paragraph")
    assert para2.text.startswith("2. Subject to its constitutional principles")
    assert children(doc, art) == [f"3({n})" for n in range(1, 12)]
    # 3(4) is printed as a bare "4." with its text in (a) to (d)
    assert children(doc, by_number(doc, "3(4)")) == ["3(4)(a)", "3(4)(b)", "3(4)(c)", "3(4)(d)"]


def test_vienna_letter_i_after_h_is_a_letter(corpus):
    doc = parse_corpus_file(VIENNA)
    definition = by_number(doc, "1(i)")
    assert definition.kind == "subparagraph"
    assert "1961 Convention as amended" in definition.text
    assert len(children(doc, by_number(doc, "1", "article"))) == 21  # (a) to (u)


def test_vienna_preamble_annex_and_links(corpus):
    doc = parse_corpus_file(VIENNA)
    preamble = by_number(doc, "Preamble")
    assert preamble.text.startswith("The Parties to this Convention,")
    annex = by_number(doc, "Annex", "schedule")
    assert "Ephedrine" in annex.text and "Acetic anhydride" in annex.text
    # a Markdown link keeps its text only
    assert "“1961 Convention as amended” means" in by_number(doc, "1(i)").text


def test_vienna_missing_paragraph_1_is_warned(corpus):
    # Article 10 prints "2." and "3." but its first paragraph has no "1."
    doc = parse_corpus_file(VIENNA)
    assert any("expected marker '1'" in w.message for w in doc.warnings)
    assert children(doc, by_number(doc, "10", "article")) == ["10(2)", "10(3)"]


# --- UNTOC and protocols -------------------------------------------------------------


def test_untoc_laundering_and_participation(corpus):
    doc = parse_corpus_file(UNTOC)
    assert by_number(doc, "6", "article").heading == "Criminalization of the laundering of proceeds of crime"
    clause = by_number(doc, "6(1)(a)(i)")
    assert clause.kind == "clause"
    assert clause.text.startswith("(i) The conversion or transfer of property")
    # 5(1)(a)(ii) holds a fourth level printed "a." / "b." below the roman clause
    assert children(doc, by_number(doc, "5(1)(a)(ii)")) == ["5(1)(a)(ii)(a)", "5(1)(a)(ii)(b)"]
    assert by_number(doc, "5(1)(b)").text.startswith("b) Organizing, directing")
    assert not any(p.kind == "article" and p.number == "Preamble" for p in doc.provisions)


def test_trafficking_protocol_criminalization(corpus):
    doc = parse_corpus_file(TIP)
    art = by_number(doc, "5", "article")
    assert art.heading == "Criminalization"
    assert art.path == ["Chapter I", "5"]
    assert by_number(doc, "5(1)", "paragraph").text.startswith("1. Each State Party shall adopt")
    assert by_number(doc, "Chapter II", "chapter").heading == "Protection of victims of trafficking in persons"


def test_smuggling_protocol_criminalization(corpus):
    doc = parse_corpus_file(SOM)
    art = by_number(doc, "6", "article")
    assert art.heading == "Criminalization"
    assert "smuggling of migrants" in by_number(doc, "6(1)(a)").text
    # the English preamble opens with the Dutch word "Preambule" glued on; it is dropped
    assert by_number(doc, "Preamble").text.startswith("The States Parties to this Protocol")


def test_firearms_protocol_criminalization(corpus):
    doc = parse_corpus_file(FIREARMS)
    sub = by_number(doc, "5(1)(a)")
    assert sub.kind == "subparagraph"
    assert sub.text.startswith("a) Illicit manufacturing of firearms")
    # chapters printed "###I General provisions" (heading on the same line)
    assert by_number(doc, "Chapter I", "chapter").heading == "General provisions"


# --- UNCAC, ICSFT, ATT -----------------------------------------------------------------


def test_uncac_chapters_and_bribery(corpus):
    doc = parse_corpus_file(UNCAC)
    chapter = by_number(doc, "Chapter III", "chapter")
    assert chapter.heading == "CRIMINALIZATION AND LAW ENFORCEMENT"
    art = by_number(doc, "15", "article")
    assert art.heading == "Bribery of national public officials"
    assert art.path == ["Chapter III", "15"]
    assert art.parent == chapter.id
    assert art.id.endswith("/art-15")  # articles are addressed directly under the instrument
    assert by_number(doc, "15(a)").text.startswith("a) The promise, offering or giving")


def test_terrorist_financing_offence(corpus):
    doc = parse_corpus_file(ICSFT)
    art = by_number(doc, "2", "article")
    assert art.heading == ""  # this convention prints no article headings
    para = by_number(doc, "2(1)", "paragraph")
    assert para.text.startswith("1. Any person commits an offence")
    assert children(doc, para) == ["2(1)(a)", "2(1)(b)"]
    assert children(doc, by_number(doc, "2(5)(c)")) == ["2(5)(c)(i)", "2(5)(c)(ii)"]
    annex = by_number(doc, "Annex", "schedule")
    assert "International Convention for the Suppression of Terrorist Bombings" in annex.text


def test_arms_trade_treaty(corpus):
    doc = parse_corpus_file(ATT)
    assert by_number(doc, "6", "article").heading == "Prohibitions"
    assert by_number(doc, "2(1)(h)").text == "h) Small arms and light weapons."


# --- Single Convention 1961 and 1971 Convention ----------------------------------------


def test_single_convention_penal_provisions_and_bis(corpus):
    doc = parse_corpus_file(SINGLE)
    art = by_number(doc, "36", "article")
    assert art.heading == "Penal provisions"
    assert children(doc, by_number(doc, "36(2)")) == ["36(2)(a)", "36(2)(b)"]
    bis = by_number(doc, "14bis", "article")
    assert bis.label == "14 bis"
    assert bis.heading == "Technical and financial assistance"
    assert [p.number for p in articles(doc) if "bis" in p.number] == ["14bis", "21bis", "38bis"]


def test_single_convention_schedules(corpus):
    doc = parse_corpus_file(SINGLE)
    group = by_number(doc, "Schedules", "schedule")
    assert children(doc, group) == ["Schedule I", "Schedule II", "Schedule III", "Schedule IV"]
    assert "ACETORPHINE" in by_number(doc, "Schedule I", "schedule").text
    assert by_number(doc, "Schedule III").heading == "List of preparations included in Schedule III"


def test_psychotropic_penal_provisions_and_nested_lists(corpus):
    doc = parse_corpus_file(PSYCHOTROPIC)
    assert by_number(doc, "22", "article").heading == "Penal provisions"
    assert by_number(doc, "22(1)(a)").text.startswith("a) Subject to its constitutional limitations")
    # 2(4)(a)(i) holds a list printed "1)" / "2)"
    assert children(doc, by_number(doc, "2(4)(a)(i)")) == ["2(4)(a)(i)(1)", "2(4)(a)(i)(2)"]
    tables = by_number(doc, "Schedule I", "schedule")
    assert "BROLAMFETAMINE" in tables.text


# --- Council of Europe -----------------------------------------------------------------


def test_warsaw_sections_inside_chapters(corpus):
    doc = parse_corpus_file(WARSAW)
    art = by_number(doc, "9", "article")
    assert art.heading == "Laundering offences"
    assert art.path == ["Chapter III", "Section 1", "9"]
    division = by_number(doc, "Section 1", "division")
    assert division.heading == "GENERAL PROVISIONS"
    assert len([p for p in doc.provisions if p.kind == "division"]) == 9
    assert "insider trading" in by_number(doc, "Appendix", "schedule").text


def test_coe_extradition_dot_markers(corpus):
    doc = parse_corpus_file(COE_EXTRADITION)
    assert by_number(doc, "9", "article").heading == "Non bis in idem"
    assert children(doc, by_number(doc, "9(2)(b)")) == ["9(2)(b)(i)", "9(2)(b)(ii)"]
    assert by_number(doc, "9(2)(c)").text.startswith("c. if the court convicted")


def test_coe_mutual_assistance_parses(corpus):
    doc = parse_corpus_file(COE_MLA)
    assert by_number(doc, "Chapter V", "chapter").heading == "Procedure"
    assert by_number(doc, "14", "article").path == ["Chapter V", "14"]
    assert by_number(doc, "Preamble").text.startswith("The Governments signatory hereto")


# --- made-up files ---------------------------------------------------------------------


def make_instrument(path: Path) -> Instrument:
    return Instrument(
        id="UN/test", country="UN", title="Test", year=2000, topic="test", language="en",
        source=path.name, format="convention-md", content_hash="0",
    )  # fmt: skip


def test_dutch_only_file_is_an_error(tmp_path):
    path = tmp_path / "dutch-only.md"
    path.write_text("<meta charset='utf-8' />\n\n##Verdrag\n\n####Verdrag\n\n### Artikel  1\n\nDe Partijen.\n")
    with pytest.raises(ParseError) as err:
        convention_md.parse(path, make_instrument(path))
    assert err.value.source == "dutch-only.md"
    assert err.value.where == "line 7"
    assert "### Article N" in err.value.message


def test_empty_file_is_an_error(tmp_path):
    path = tmp_path / "empty.md"
    path.write_text("")
    with pytest.raises(ParseError, match="end of file"):
        convention_md.parse(path, make_instrument(path))


def test_small_made_up_treaty(tmp_path):
    path = tmp_path / "small.md"
    path.write_text(
        "<meta http-equiv='Content-Type' content='text/html; charset=utf-8' />\n\n"
        "##Klein Verdrag\n\n####Small Treaty\n\nPreamble The Parties, Have agreed as follows:\n\n"
        "### Article  1  \n\n####Offences\n\n1. Each Party shall punish:\n\n"
        "(a) the [sale](../x/README.md) of *drugs*;\n\n(h) eighth;\n\n(i) ninth, which includes:\n\n"
        "(i) one;\n\n(ii) two.\n2. Second paragraph.\n\n"
        "### Article  1 bis  \n\n####Extra\n\nMore text.\n\n"
        "####Klein Verdrag\n\n### Artikel  1\n\nDe Partijen.\n"
    )
    doc = convention_md.parse(path, make_instrument(path))
    numbers = [p.number for p in doc.provisions]
    assert numbers == ["Preamble", "1", "1(1)", "1(1)(a)", "1(1)(h)", "1(1)(i)", "1(1)(i)(i)", "1(1)(i)(ii)", "1(2)", "1bis"]
    assert by_number(doc, "1(1)(a)").text == "(a) the sale of drugs;"
    assert by_number(doc, "1(1)(i)").kind == "subparagraph"
    assert by_number(doc, "1(1)(i)(ii)").kind == "clause"
    assert by_number(doc, "1bis").heading == "Extra"
    assert not any("Partijen" in p.text for p in doc.provisions)
    assert any("expected marker 'b'" in w.message for w in doc.warnings)  # (a) then (h)
