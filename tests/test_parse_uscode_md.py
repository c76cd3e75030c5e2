"""US Code chunk Markdown: facts checked against the raw files in national/USA."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

import pytest

from conftest import by_number, load_instrument, parse_corpus_file

from harmonize.parse import uscode_md
from harmonize.errors import ParseError

T21 = "national/USA/usc-t21-ch13-drug-abuse-prevention-control.md"
T18_95 = "national/USA/usc-t18-ch95-racketeering-money-laundering.md"
T18_209 = "national/USA/usc-t18-ch209-extradition.md"
T8 = "national/USA/usc-t8-s1324-alien-smuggling.md"
T31 = "national/USA/usc-t31-ch53-monetary-transactions-bsa.md"
T18_44 = "national/USA/usc-t18-ch44-firearms.md"

# Distinct "#### § N." headings per file (also the counts in MANIFEST.tsv notes).
SECTION_COUNTS = {
    T21: 99,
    T18_44: 21,
    "national/USA/usc-t18-ch77-peonage-slavery-trafficking.md": 19,
    T18_95: 10,
    T18_209: 16,
    T31: 44,
    "national/USA/usc-t22-ch78-trafficking-victims-protection.md": 26,
    T8: 1,
}


def sections(doc):
    return [p for p in doc.provisions if p.kind == "section"]


@pytest.mark.parametrize("source", sorted(SECTION_COUNTS))
def test_each_section_once_after_merging_chunks(corpus, source):
    doc = parse_corpus_file(source)
    numbers = [p.number for p in sections(doc)]
    assert len(numbers) == SECTION_COUNTS[source]
    assert [n for n, c in Counter(numbers).items() if c > 1] == []
    assert all(p.heading for p in sections(doc))


@pytest.mark.parametrize("source", sorted(SECTION_COUNTS))
def test_text_has_no_markdown_or_repeated_breadcrumbs(corpus, source):
    doc = parse_corpus_file(source)
    for prov in doc.provisions:
        assert "#" not in prov.text.split("\n")[0]
        assert "# Title" not in prov.text and "### CHAPTER" not in prov.text


def test_21_usc_841_is_one_section_with_its_subsections(corpus):
    doc = parse_corpus_file(T21)
    sec = by_number(doc, "841", "section")
    assert sec.heading == "Prohibited acts A"
    assert sec.path == ["Subchapter I", "Part D", "841"]
    assert sec.id.endswith("/sec-841")
    subsections = [p.label for p in doc.provisions if p.parent == sec.id]
    assert subsections == ["(a)", "(b)", "(c)", "(d)", "(e)", "(f)", "(g)", "(h)"]
    assert by_number(doc, "841(a)").heading == "Unlawful acts"
    assert by_number(doc, "841(b)").heading == "Penalties"
    assert by_number(doc, "841(a)(1)").text.startswith("(1) to manufacture, distribute, or dispense")


def test_21_usc_841_b_1_A_is_addressable_with_its_clauses(corpus):
    doc = parse_corpus_file(T21)
    sub_a = by_number(doc, "841(b)(1)(A)", "subparagraph")
    assert sub_a.path == ["Subchapter I", "Part D", "841", "(b)", "(1)", "(A)"]
    assert sub_a.text.startswith("(A) In the case of a violation of subsection (a) of this section involving")
    assert "may not be less than 10 years or more than life" in sub_a.text
    assert by_number(doc, "841(b)(1)(A)(ii)(IV)").text.startswith("(IV) any compound, mixture, or preparation")
    assert by_number(doc, "841(b)(1)(A)(viii)").kind == "clause"
    # Subsection (h) has catchline headings on its paragraphs.
    assert by_number(doc, "841(h)(1)").heading == "In general"


def test_21_usc_subchapters_and_parts_are_containers(corpus):
    doc = parse_corpus_file(T21)
    parts = [(p.label, p.heading) for p in doc.provisions if p.kind == "part"]
    assert parts[0] == ("Subchapter I", "CONTROL AND ENFORCEMENT")
    assert ("Part D", "Offenses and Penalties") in parts
    assert parts[-1] == ("Subchapter II", "IMPORT AND EXPORT")
    assert by_number(doc, "952", "section").path == ["Subchapter II", "952"]


def test_repealed_section_is_a_short_provision(corpus):
    doc = parse_corpus_file(T21)
    sec = by_number(doc, "803", "section")
    assert sec.heading == "Repealed"
    assert sec.text == "Repealed. Pub. L. 95–137, § 1(b), Oct. 18, 1977, 91 Stat. 1169"


def test_21_usc_812_schedules(corpus):
    doc = parse_corpus_file(T21)
    schedules = [p.label for p in doc.provisions if p.kind == "schedule"]
    # The chunked file prints "Schedule IV" after schedule V's last item, with nothing under it.
    assert schedules == ["Schedule I", "Schedule II", "Schedule III", "Schedule V", "Schedule IV"]
    assert by_number(doc, "812(c) Schedule I(a)(1)").text == "(1) Acetylmethadol."


def test_18_usc_1956_laundering(corpus):
    doc = parse_corpus_file(T18_95)
    sec = by_number(doc, "1956", "section")
    assert sec.heading == "Laundering of monetary instruments"
    assert by_number(doc, "1956(a)(1)(B)(i)").kind == "clause"


def test_18_usc_3184_in_chapter_209(corpus):
    doc = parse_corpus_file(T18_209)
    sec = by_number(doc, "3184", "section")
    assert sec.heading == "Fugitives from foreign country to United States"
    assert sec.text.startswith("Whenever there is a treaty or convention for extradition")
    # 3181(b) is split over two chunks and continues under a "###### (b)" heading.
    assert by_number(doc, "3181(b)(2)").text == "(2) the offenses charged are not of a political nature."
    assert by_number(doc, "3187").heading == "Provisional arrest and detention within extraterritorial jurisdiction"


def test_8_usc_1324(corpus):
    doc = parse_corpus_file(T8)
    sec = by_number(doc, "1324", "section")
    assert sec.heading == "Bringing in and harboring certain aliens"
    assert by_number(doc, "1324(a)").heading == "Criminal penalties"
    assert by_number(doc, "1324(a)(1)(A)(v)(II)").kind == "clause"


def test_31_usc_5324_and_catchlines_ending_in_a_dot(corpus):
    doc = parse_corpus_file(T31)
    heading = by_number(doc, "5324", "section").heading
    assert heading == "Structuring transactions to evade reporting requirement prohibited"
    # "(C) Safe harbor." leads in to clause (i), not to a subsection (i) after (h).
    assert by_number(doc, "5336(h)(3)(C)(i)").heading == "Safe harbor"
    assert by_number(doc, "5336(h)(6)").heading == "Definition"


def test_wrong_chunk_breadcrumbs_are_skipped_with_a_warning(corpus):
    doc = parse_corpus_file(T18_44)
    assert any("breadcrumb (h)" in w.message for w in doc.warnings)
    assert by_number(doc, "922(q)(2)(B)(i)").text.startswith("(i) on private property not part of school grounds")


# ---------------------------------------------------------------- bad input


def _instrument(name: str):
    """A real instrument record pointed at a made-up file name."""
    return replace(load_instrument(T18_209), source=f"national/USA/{name}")


def test_file_without_section_heading_is_a_parse_error(corpus, tmp_path):
    path = tmp_path / "empty.md"
    path.write_text("# Title 18— CRIMES\n### CHAPTER 1— X\n\n(a) Some text.\n", encoding="utf-8")
    with pytest.raises(ParseError) as err:
        uscode_md.parse(path, _instrument("empty.md"))
    assert "#### § N." in err.value.message
    assert err.value.source == "national/USA/empty.md"


def test_repeated_chunks_merge_and_odd_labels_warn(corpus, tmp_path):
    path = tmp_path / "small.md"
    path.write_text(
        "# Title 1— T\n### CHAPTER 1— C\n#### \u00a7\u202f5. Thing\n##### (a) In general\n\nWhoever\n\n"
        "(1) does X; or\n\n(2)\n\n"
        "# Title 1— T\n### CHAPTER 1— C\n#### \u00a7\u202f5. Thing\n##### (a) In general\n"
        "######## (A) does Y; and\n\n(B) does Z.\n\n(iv) odd\n",
        encoding="utf-8",
    )
    doc = uscode_md.parse(path, _instrument("small.md"))
    numbers = [p.number for p in doc.provisions]
    assert numbers == ["5", "5(a)", "5(a)(1)", "5(a)(2)", "5(a)(2)(A)", "5(a)(2)(B)"]
    assert by_number(doc, "5").text.startswith("(a) In general\nWhoever\n(1) does X; or")
    assert by_number(doc, "5(a)").heading == "In general"
    assert by_number(doc, "5(a)(2)(B)").text == "(B) does Z.\n(iv) odd"
    assert [w.where for w in doc.warnings] == ["line 20"]
