"""The committee documents of India and Singapore (tests/webdata.py), rendered and read back:
PDF pages to images with pdftoppm (Debian poppler-utils), their text with pdftotext, the Word
document's structure with python-docx; and a PDF with Bengali and Arabic text from the corpus."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from harmonize.report import committee
from harmonize.service import Harmonize

pytestmark = pytest.mark.skipif(not shutil.which("pdftoppm"), reason="pdftoppm missing (apt-get install poppler-utils)")

ACTS = {
    "IND": "Narcotic Drugs and Psychotropic Substances Act, 1985 (Act 61 of 1985)",
    "SGP": "Misuse of Drugs Act 1973 (2020 Rev. Ed., current)",
}


@pytest.fixture(scope="module")
def documents(web_data, tmp_path_factory):
    app = Harmonize(web_data)
    out = {}
    for country in ACTS:
        # made ahead by `index` (the web data dir was built with it)
        made = app.reports_dir(country)
        assert (made / f"committee-report-{country}.pdf").is_file(), "index did not make the documents ahead"
        target = tmp_path_factory.mktemp(country)
        out[country] = {p.suffix: p for p in app.report(country, target)}
    return out


def pdftext(path: Path, page: int, layout: bool = False) -> str:
    """A page's text; with ``layout`` as printed (lines across columns), else cell by cell."""
    return subprocess.run(["pdftotext", *(["-layout"] if layout else []), "-f", str(page), "-l", str(page), str(path),
                           "-"], capture_output=True, text=True, check=True).stdout


def pages(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def render(path: Path, out: Path, first: int, last: int) -> list[Path]:
    subprocess.run(["pdftoppm", "-r", "40", "-png", "-f", str(first), "-l", str(last), str(path), str(out / "page")],
                   check=True)
    return sorted(out.glob("page-*.png"))


def ink(png: Path) -> float:
    """Share of non-white pixels: a rendered page with text has some, a blank one none."""
    from PIL import Image

    img = Image.open(png).convert("L")
    dark = sum(1 for v in img.tobytes() if v < 200)
    return dark / (img.width * img.height)


@pytest.mark.parametrize("country", ["IND", "SGP"])
def test_pdf_has_cover_contents_page_numbers_and_act_titles(documents, country, tmp_path):
    pdf = documents[country][".pdf"]
    n = pages(pdf)
    assert n > 5
    images = render(pdf, tmp_path, 1, 4)
    assert len(images) == 4 and all(ink(p) > 0.002 for p in images)  # no blank page among the first four
    cover = pdftext(pdf, 1)
    assert f"Harmonization report: {country}" in cover and "Conventions" in cover and "Corpus" in cover
    assert "page 1 of" not in cover  # no footer on the cover
    contents = pdftext(pdf, 2, layout=True)
    assert "Contents" in contents and "Summary per convention" in contents and "Statutes analysed" in contents
    listed = [line.split()[-1] for line in contents.splitlines() if line.strip()[:2].rstrip(".").isdigit()]
    assert listed and all(p.isdigit() and 2 < int(p) <= n for p in listed)
    assert f"page 3 of {n}" in pdftext(pdf, 3)
    statutes = next(" ".join(pdftext(pdf, p).split()) for p in range(3, 7)
                    if "Statutes analysed Title" in " ".join(pdftext(pdf, p).split()))
    assert ACTS[country] in statutes  # the full title, not cut at its first bracket
    body = "".join(pdftext(pdf, p) for p in range(5, n + 1))
    assert "Cited provision: " + ACTS[country][:30] in " ".join(body.split())
    assert "national/" not in body  # provisions are cited by Act title, never by file path
    for state in ("covered", "partial"):
        assert f": {state} — machine" in body  # covered obligations are in the report too


@pytest.mark.parametrize("country", ["IND", "SGP"])
def test_word_document_structure(documents, country):
    from docx import Document

    doc = Document(str(documents[country][".docx"]))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading") or p.style.name == "Title"]
    assert headings[0] == f"Harmonization report: {country}"
    assert "Contents" in headings and "1. Summary per convention" in headings and "2. Statutes analysed" in headings
    xml = doc.sections[0].footer._element.xml
    assert "PAGE" in xml and "NUMPAGES" in xml  # page numbers in the footer
    body = doc.element.body.xml
    assert "TOC \\o" in body  # Word's contents field
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert any(ACTS[country] == c for c in cells)  # the statutes table carries the full title
    assert any(c.startswith("National text: " + ACTS[country][:30]) for c in cells)
    assert not any("national/" in c and c.startswith("National text") for c in cells)


def test_markdown_never_cuts_a_word_and_html_marks_the_language(documents):
    md = documents["IND"][".md"].read_text(encoding="utf-8")
    quoted = [line[2:] for line in md.splitlines() if line.startswith("> ") and line.endswith(" …")]
    assert quoted, "no text was long enough to be cut"
    words = set(" ".join(md.split()).split())
    for line in quoted:
        last = line[:-2].split()[-1]
        assert last in words
    html = documents["IND"][".html"].read_text(encoding="utf-8")
    assert 'lang="en" dir="ltr"' in html


def test_cut_stops_at_a_word_boundary():
    text = "trafficking " * 400
    out = committee.cut(text, 1000)
    assert len(out) <= 1002 and out.endswith(" …") and out[:-2].split()[-1] == "trafficking"


def test_bengali_and_arabic_render_with_their_fonts_and_direction(tmp_path, corpus):
    from conftest import parse_corpus_file

    bn = next(p for p in parse_corpus_file("national/BGD/narcotics-control-act-2018.bn.json").provisions
              if p.kind == "section" and len(p.text) > 200)
    ar = next(p for p in parse_corpus_file("national/ARE/combating-human-trafficking-fdl-24-2023.ar.json").provisions
              if p.kind == "article" and len(p.text) > 200)
    entries = [committee.ObligationEntry(
        id=f"TIP:{i}", convention="TIP", article=str(i), level="mandatory", summary="", state="partial",
        decided_by="machine", score=0.5, cite=f"Test Act, s. {prov.number}", provision=prov.id, reason="A reason.",
        missing_elements=[], convention_text="Each State Party shall adopt such legislative measures.",
        national_text=committee.cut(prov.text), national_language=lang) for i, (prov, lang) in enumerate(
        ((bn, "bn"), (ar, "ar")), start=1)]
    report = committee.CommitteeReport(
        country="XXX", generated="2026-12-01",
        conventions=[committee.ConventionSummary("TIP", "Trafficking Protocol", {s: 0 for s in committee.STATES}, None, 0,
                                                 2, committee.Party("unknown"))],
        statutes=[], obligations=entries, as_at="test")
    paths = committee.write_documents(report, tmp_path, ("pdf", "html", "docx"))
    pdf = paths[0]
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "NotoSansBengali" in fonts and "NotoSansArabic" in fonts
    last = pages(pdf)
    images = render(pdf, tmp_path, last, last)
    assert ink(images[0]) > 0.005
    html = paths[1].read_text(encoding="utf-8")
    assert 'lang="bn" dir="ltr"' in html and 'lang="ar" dir="rtl"' in html
    from docx import Document

    assert "w:bidi" in Document(str(paths[2])).element.body.xml  # the Arabic paragraph is right-to-left


def test_missing_fonts_fail_clearly(tmp_path):
    from harmonize.errors import ReportError

    with pytest.raises(ReportError, match="fonts-noto-core"):
        committee.find_fonts(dirs=(tmp_path,))


def test_index_without_the_fonts_keeps_its_index_and_skips_the_documents(web_data, tmp_path, monkeypatch, caplog):
    """A machine without fonts-noto-core still indexes: the committee documents are not made
    ahead (a warning says why) and the PDF, asked for, fails with the same clear error."""
    import logging
    import shutil

    from harmonize.errors import ReportError
    from harmonize.service import Harmonize

    data = tmp_path / "data"
    shutil.copytree(web_data, data, ignore=shutil.ignore_patterns("reports", "reviews.sqlite*", "web-secret.key"))
    real = committee.find_fonts
    monkeypatch.setattr(committee, "find_fonts", lambda dirs=(tmp_path / "no-fonts",): real(dirs))
    app = Harmonize(data)
    with caplog.at_level(logging.WARNING):
        assert app.write_reports(show_progress=False) == {}
    assert "committee documents not made ahead" in caplog.text and "fonts-noto-core" in caplog.text
    with pytest.raises(ReportError, match="fonts-noto-core"):
        app.report("NGA", tmp_path / "out", formats=("pdf",))
