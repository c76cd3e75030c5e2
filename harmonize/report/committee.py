"""The committee report for one country: what a committee can table, as PDF, Word, HTML and Markdown.

Contents, in order (``CommitteeReport``):

1. cover: country, conventions, date, and the dates the corpus texts are as at;
2. summary per convention: how many obligations are covered / partial / missing / have no
   statute in the corpus / were not analysed (``STATES``), how many of those were decided by
   a reviewer or by the machine (``ObligationEntry.decided_by``: an alignment row that carries
   ``effective_status`` from the reviews feature counts as reviewed), and the country's party
   status (parties.tsv, with its confidence; "unknown" where it does not say);
3. the statutes analysed: title, year, version (as the corpus' manifest states it) and source;
4. method and limits, in plain words;
5. every obligation, covered ones too, with its status, the cited provision by Act title and
   section, the reason in one sentence, and the convention text beside the national text.

Texts are cut at a word boundary (``cut``), never inside a word. Renderers: ``render_html``
(Jinja; national text carries ``lang`` and ``dir``), ``render_markdown``, ``render_pdf``
(fpdf2 with Noto fonts from Debian's fonts-noto-core for Latin, Bengali and Arabic, shaped
by HarfBuzz; a contents page with page numbers; page numbers in the footer) and
``render_docx`` (python-docx: headings, tables, a contents list, page numbers in the footer).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape

from harmonize.errors import ReportError
from harmonize.model import Provision

STATES = ("covered", "partial", "missing", "no statute", "not analysed")
STATE_LABELS = {
    "covered": "covered", "partial": "partial", "missing": "missing",
    "no statute": "no statute in the corpus", "not analysed": "not analysed",
}
TEXT_CHARS = 1800  # convention and national text beside each other, per obligation
LANGUAGE_NAMES = {"en": "English", "bn": "Bengali", "ar": "Arabic", "hi": "Hindi"}
RTL = ("ar", "fa", "ur", "he")
FONT_DIRS = (Path("/usr/share/fonts/truetype/noto"), Path("/usr/share/fonts/noto"))
FONT_FILES = {
    ("latin", ""): "NotoSans-Regular.ttf", ("latin", "B"): "NotoSans-Bold.ttf",
    ("bengali", ""): "NotoSansBengali-Regular.ttf", ("bengali", "B"): "NotoSansBengali-Bold.ttf",
    ("arabic", ""): "NotoSansArabic-Regular.ttf", ("arabic", "B"): "NotoSansArabic-Bold.ttf",
}
FONT_PACKAGE = "fonts-noto-core"
# "official consolidation current to 2026-06-14", "reprint as at 1 July 2014", "as enacted"
VERSION_PATTERNS = (
    re.compile(r"(?:official\s+)?consolidation\s+current\s+to\s+[\d-]+", re.I),
    re.compile(r"reprint\s+as\s+at\s+\d{1,2}\s+\w+\s+\d{4}", re.I),
    re.compile(r"compilation\s+No\.\s*\d+", re.I),
    re.compile(r"\d{4}\s+Rev\.\s+Ed\.", re.I),
    re.compile(r"eng@\d{4}-\d{2}-\d{2}"),
    re.compile(r"as[\s-]enacted[^;]*", re.I),
    re.compile(r"consolidation date not stated", re.I),
    re.compile(r"consolidated\s*\([^)]*\)", re.I),
    re.compile(r"snapshot\s+\d{4}(?:-\d{2})?", re.I),
)
DATE = re.compile(r"\b(\d{4})(?:-(\d{2}))?(?:-\d{2})?\b|\b\d{1,2}\s+(\w+)\s+(\d{4})\b")

ENV = Environment(loader=PackageLoader("harmonize.report", "templates"), autoescape=select_autoescape(["html"]))

METHOD = [
    "Each national statute in the corpus is read section by section. Sections are matched to each "
    "obligation of the conventions by meaning (a sentence-embedding model) and by words (BM25), "
    "then scored on the obligation's elements (the conduct and objects it names, found in the "
    "section or in the Act's definitions), its offence category, whether the section creates an "
    "offence with a penalty, and the Act's subject.",
    "An obligation is covered when its best section meets every element and threshold, partial when "
    "the best section meets some of them, and missing when no section comes close.",
    "Where the corpus holds no statute on the obligation's subject the report says 'no statute in "
    "the corpus'; where the statutes on it are in a language the analysis does not read (Bengali, "
    "Arabic) it says 'not analysed'. Neither is a finding that the law is absent.",
    "A status decided by a reviewer is marked 'reviewed'; every other status is the machine's.",
]
LIMITS = [
    "The corpus is a set of copies of public texts, not the official gazette: some are unofficial "
    "conversions or scrapes, and their dates differ (see 'Statutes analysed'). Amendments after those "
    "dates are not reflected.",
    "Only the statutes in the corpus are analysed: an obligation met by a law that is not in the "
    "corpus (regulations, case law, other Acts) shows as missing or 'no statute'.",
    "Matching is automatic and can be wrong in both directions; each status names the provision it "
    "rests on so that it can be checked against the text beside it.",
    "Party status comes from parties.tsv, compiled from stored copies of public pages; its confidence "
    "is shown, and 'unknown' means no source consulted settles it.",
]


@dataclass
class Statute:
    title: str
    year: int | None
    version: str  # as the manifest states it, "not stated in the corpus" otherwise
    source: str  # where the corpus copy comes from
    path: str  # corpus-relative file
    language: str
    analysed: bool  # English texts are analysed; others are listed, not analysed


@dataclass
class Party:
    status: str  # party, signatory, not party, unknown
    date: str = ""
    confidence: str = ""
    notes: str = ""


@dataclass
class ConventionSummary:
    code: str
    title: str
    counts: dict[str, int]
    coverage: float | None  # level-weighted share (covered 1, partial 0.5) over analysed obligations
    reviewed: int
    machine: int
    party: Party


@dataclass
class ObligationEntry:
    id: str
    convention: str
    article: str
    level: str
    summary: str
    state: str  # one of STATES
    decided_by: str  # "machine" or "reviewed"
    score: float | None
    cite: str  # "Narcotic Drugs and Psychotropic Substances Act, 1985 (Act 61 of 1985), s. 21", "" when none
    provision: str  # provision id, "" when none
    reason: str  # one sentence
    missing_elements: list[str]
    convention_text: str
    national_text: str
    national_language: str = "en"

    @property
    def national_dir(self) -> str:
        return "rtl" if self.national_language in RTL else "ltr"


@dataclass
class CommitteeReport:
    country: str
    generated: str
    conventions: list[ConventionSummary]
    statutes: list[Statute]
    obligations: list[ObligationEntry]
    as_at: str  # the corpus' dates in one line
    holdings: str = ""  # what the country's corpus holds and does not hold (Harmonize.corpus_holdings)
    reviewed: list[dict] = field(default_factory=list)  # one line per reviewer decision (reviewed_lines)
    method: list[str] = field(default_factory=lambda: list(METHOD))
    limits: list[str] = field(default_factory=lambda: list(LIMITS))

    @property
    def convention_codes(self) -> list[str]:
        return [c.code for c in self.conventions]

    def by_convention(self, code: str) -> list[ObligationEntry]:
        return [o for o in self.obligations if o.convention == code]

    def to_dict(self) -> dict:
        return asdict(self)


# -- building the context ------------------------------------------------------------------------

def cut(text: str, limit: int = TEXT_CHARS) -> str:
    """``text`` (spaces collapsed) cut at the last word boundary before ``limit``, with " …"."""
    flat = " ".join((text or "").split())
    if len(flat) <= limit:
        return flat
    head = flat[:limit]
    space = head.rfind(" ")
    return (head[:space] if space > 0 else head).rstrip(" ,;:") + " …"


def version_of(notes: str, title: str = "") -> str:
    """The version a manifest note (or the title) states: "official consolidation current to 2026-06-14"."""
    for text in (title, notes):
        for pattern in VERSION_PATTERNS:
            m = pattern.search(text or "")
            if m:
                return m.group(0).strip(" ;,")
    return "not stated in the corpus"


def as_at_line(statutes: list[Statute]) -> str:
    """The range of dates the statutes' versions give, "2013 to 2026-06", and how many give none."""
    dates = []
    undated = 0
    for st in statutes:
        found = [m for m in DATE.finditer(st.version)]
        if not found:
            undated += 1
            continue
        m = found[-1]
        dates.append(m.group(0) if m.group(1) else m.group(4))
    parts = []
    if dates:
        lo, hi = min(dates), max(dates)
        parts.append(f"national texts as at {lo}" + (f" to {hi}" if hi != lo else ""))
    if undated:
        parts.append(f"{undated} statute{'s' if undated != 1 else ''} without a stated date")
    return "; ".join(parts) or "no dates stated in the corpus"


def reason(state: str, cite: str, score: float | None, missing: list[str], country: str) -> str:
    """The status in one sentence a committee can read."""
    if state == "no statute":
        return f"The corpus holds no statute of {country} on this subject, so nothing can be said about it."
    if state == "not analysed":
        return (f"The statutes of {country} on this subject are in a language the analysis does not read; "
                "they need reading by a person.")
    if state in ("covered", "partial") and not cite:
        return f"Found {state} without a provision named in the corpus."
    score = score or 0.0
    if state == "covered":
        return f"{cite} meets every element and threshold the obligation sets (match score {score:.2f})."
    if state == "partial":
        if missing:
            return f"{cite} is the closest provision but does not contain: {'; '.join(missing)}."
        return f"{cite} is the closest provision but does not meet every threshold the obligation sets."
    if cite:
        return f"No provision meets it; the closest, {cite}, scores only {score:.2f}."
    return "No provision in the analysed statutes comes close to it."


def reviewed_lines(results: list[dict]) -> list[dict]:
    """One line per obligation with a reviewer decision (rows from harmonize.service.reviewed):
    applied (effective status = the reviewer's) or needing re-review (the machine's shown)."""
    lines = []
    for r in results:
        review = r.get("review") or {}
        if not review.get("author"):
            continue
        machine = r.get("machine") or {}
        head = (f"{r['obligation']}: {r['status']}"
                + (" (reviewed)" if review["applied"] else " (machine; the reviewer's decision NEEDS RE-REVIEW)"))
        who = (f"{review['kind']} {review['status']} by {review['author']} ({review['organisation']}) "
               f"on {review['created_at'][:10]}; machine: {machine.get('status')} (score {machine.get('score')})")
        if review["needs_re_review"]:
            who += "; cited text changed or gone: " + ", ".join(review["changed"] + review["gone"])
        lines.append({"obligation": r["obligation"], "head": head, "who": who, "note": review.get("note") or "",
                      "applied": review["applied"], "status": r["status"]})
    return lines


def build_report(country: str, results: list[dict], obligations: dict, titles: dict[str, str],
                 convention_text: dict[str, str], national: dict[str, tuple[Provision, str]],
                 statutes: list[Statute], parties: dict, convention_titles: dict[str, str],
                 level_weight: dict[str, float], status_value: dict[str, float], holdings: str = "") -> CommitteeReport:
    """Assemble the report from the service's data.

    ``results``: alignment rows (catalogue order) as ``Harmonize.reviewed`` gives them: ``status``
    is the effective status, ``status_source`` says "machine", "reviewed" or "needs re-review",
    ``review`` the decision. ``obligations``: id -> Obligation. ``titles``: instrument id -> title.
    ``national``: provision id -> (the provision, its instrument's language).
    ``parties``: (country, code) -> parties.PartyStatus (the rows parties.tsv holds).
    """
    entries = []
    for r in results:
        ob = obligations[r["obligation"]]
        source = r.get("status_source", "machine")
        review = r.get("review") or {}
        reviewed = source == "reviewed"
        # the effective status: a reviewer's decision, else the aligner's (which says "no statute" /
        # "not analysed" where the corpus cannot tell: align.coverage.corpus_state)
        state = r["status"]
        chosen = (review.get("provisions") or [])[:1] if reviewed else []
        best = chosen[0] if chosen else (r["provisions"][0]["id"] if r.get("provisions") else None)
        cite = ""
        text, lang = "", "en"
        if best and best in national and state not in ("no statute", "not analysed"):
            prov, lang = national[best]
            text, mark = prov.text, "art." if prov.kind == "article" else "s."
            cite = f"{titles.get(prov.instrument, best)}, {mark} {prov.number}"
        entries.append(ObligationEntry(
            id=ob.id, convention=ob.instrument, article=ob.article_ref, level=ob.level, summary=ob.summary,
            state=state, decided_by=source if source in ("reviewed", "needs re-review") else "machine",
            score=r.get("score"), cite=cite, provision=best if cite else "",
            reason=(review.get("reason") or reason(state, cite, r.get("score"), r.get("missing_elements", []), country))
            if reviewed else reason(state, cite, r.get("score"), r.get("missing_elements", []), country),
            missing_elements=list(r.get("missing_elements", [])), convention_text=cut(convention_text.get(ob.id, "")),
            national_text=cut(text), national_language=lang))
    summaries = []
    for code in dict.fromkeys(e.convention for e in entries):
        rows = [e for e in entries if e.convention == code]
        counts = {s: sum(e.state == s for e in rows) for s in STATES}
        weighed = [(level_weight.get(e.level, 1.0), status_value[e.state]) for e in rows if e.state in status_value]
        total = sum(w for w, _ in weighed)
        cell = parties.get((country, code))
        party = Party(cell.status, cell.date, cell.confidence, cell.reservations) if cell else \
            Party("unknown", notes="parties.tsv has no row for this country and convention")
        summaries.append(ConventionSummary(
            code=code, title=convention_titles.get(code, code), counts=counts,
            coverage=round(sum(w * v for w, v in weighed) / total, 3) if total else None,
            reviewed=sum(e.decided_by == "reviewed" for e in rows), machine=sum(e.decided_by != "reviewed" for e in rows),
            party=party))
    return CommitteeReport(country=country, generated=dt.date.today().isoformat(), conventions=summaries,
                           statutes=statutes, obligations=entries, as_at=as_at_line(statutes),
                           reviewed=reviewed_lines(results), holdings=holdings)


# -- HTML and Markdown -----------------------------------------------------------------------------

def render_html(report: CommitteeReport) -> str:
    return ENV.get_template("committee_report.html").render(r=report, STATE_LABELS=STATE_LABELS, STATES=STATES)


def _md(text: str) -> str:
    """Corpus text in Markdown: HTML escaped (a renderer must not run it), table pipes escaped."""
    from harmonize.report.tables import escape_html

    return escape_html(text).replace("|", "\\|")


def render_markdown(report: CommitteeReport) -> str:
    r = report
    lines = [f"# Harmonization report: {r.country}", "",
             f"Conventions: {', '.join(c.code for c in r.conventions)}. Date: {r.generated}. Corpus: {r.as_at}.", "",
             *([f"**Corpus:** {_md(r.holdings)}", ""] if r.holdings else []),
             "## Summary", "",
             "| Convention | " + " | ".join(STATE_LABELS[s] for s in STATES) + " | reviewed | machine | party status |",
             "|---" * (len(STATES) + 4) + "|"]
    for c in r.conventions:
        party = f"{c.party.status}" + (f" ({c.party.date})" if c.party.date else "") + \
            (f", confidence {c.party.confidence}" if c.party.confidence else "")
        lines.append(f"| {c.code} | " + " | ".join(str(c.counts[s]) for s in STATES) +
                     f" | {c.reviewed} | {c.machine} | {_md(party)} |")
    if r.reviewed:
        lines += ["", "## Reviewer decisions", ""]
        for line in r.reviewed:
            # reviewers' notes are text: HTML in them is escaped like the corpus text
            lines += [_md(f"- **{line['head']}**: {line['who']}" + (f". Note: {line['note']}" if line["note"] else ""))]
    lines += ["", "## Statutes analysed", "", "| Title | Year | Version | Source | Analysed |", "|---|---|---|---|---|"]
    for st in r.statutes:
        lines.append(f"| {_md(st.title)} | {st.year or '–'} | {_md(st.version)} | {_md(st.source)} | "
                     f"{'yes' if st.analysed else 'no (' + LANGUAGE_NAMES.get(st.language, st.language) + ')'} |")
    lines += ["", "## Method", ""] + [f"- {m}" for m in r.method] + ["", "## Limits", ""] + [f"- {m}" for m in r.limits]
    lines += ["", "## Obligations", ""]
    for c in r.conventions:
        lines += [f"### {c.title} ({c.code})", ""]
        for e in r.by_convention(c.code):
            lines += [f"#### {e.id}: {STATE_LABELS[e.state]} ({e.decided_by}; {e.level})", "", _md(e.reason), ""]
            lines += ["**Convention text**", "", "> " + _md(e.convention_text or "(not in the corpus)"), ""]
            if e.cite:
                lines += [f"**National text**: {_md(e.cite)}", "", "> " + _md(e.national_text or "(empty)"), ""]
    return "\n".join(lines) + "\n"


# -- PDF ------------------------------------------------------------------------------------------

def find_fonts(dirs=FONT_DIRS) -> dict[tuple[str, str], Path]:
    """The Noto font files the PDF needs; ReportError naming the Debian package when absent."""
    found: dict[tuple[str, str], Path] = {}
    for key, name in FONT_FILES.items():
        for d in dirs:
            if (Path(d) / name).is_file():
                found[key] = Path(d) / name
                break
    missing = [name for key, name in FONT_FILES.items() if key not in found]
    if missing:
        raise ReportError(f"the PDF needs the fonts {', '.join(missing)} (Latin, Bengali and Arabic), not found in "
                          f"{', '.join(str(d) for d in dirs)}: install the Debian package {FONT_PACKAGE} "
                          f"(apt-get install {FONT_PACKAGE})")
    return found


def render_pdf(report: CommitteeReport, path: Path, progress=None) -> Path:
    """The tabled PDF: cover, contents with page numbers, summary, statutes, method and limits,
    every obligation with the two texts side by side; "page N of M" in the footer."""
    from fpdf import FPDF
    from fpdf.outline import TableOfContents

    fonts = find_fonts()
    r = report

    class Doc(FPDF):
        def footer(self):
            if self.page_no() == 1:
                return
            self.set_y(-12)
            self.set_font("Noto", "", 8)
            self.cell(0, 6, f"Harmonization report: {r.country} · {r.generated} · page {self.page_no()} of {{nb}}",
                      align="C")

    pdf = Doc(format="A4")
    pdf.set_title(f"Harmonization report: {r.country}")
    pdf.set_author("harmonize")
    for (family, style), file in fonts.items():
        pdf.add_font({"latin": "Noto", "bengali": "NotoBengali", "arabic": "NotoArabic"}[family], style, str(file))
    pdf.set_fallback_fonts(["NotoBengali", "NotoArabic"])
    # HarfBuzz shaping joins Bengali and Arabic letters and orders right-to-left text; it costs
    # ~5x the time of line breaking, so it is on only while such text is written (pair()).
    pdf.alias_nb_pages()
    pdf.set_auto_page_break(True, margin=16)

    def heading(text: str, level: int, size: int):
        pdf.start_section(text, level=level)
        pdf.set_font("Noto", "B", size)
        pdf.multi_cell(0, size * 0.55, text, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)

    def para(text: str, size: float = 9.5, style: str = ""):
        pdf.set_font("Noto", style, size)
        pdf.multi_cell(0, size * 0.5, text, new_x="LMARGIN", new_y="NEXT")

    # cover
    pdf.add_page()
    pdf.ln(50)
    pdf.set_font("Noto", "B", 26)
    pdf.multi_cell(0, 12, f"Harmonization report: {r.country}", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("Noto", "", 12)
    pdf.multi_cell(0, 7, "National statutes against the obligations of the conventions", align="C",
                   new_x="LMARGIN", new_y="NEXT")
    pdf.ln(10)
    for label, value in (("Country", r.country), ("Conventions", ", ".join(c.code for c in r.conventions)),
                         ("Date", r.generated), ("Corpus", r.as_at), ("Holdings", r.holdings or "–"),
                         ("Obligations", f"{len(r.obligations)}, covered ones included")):
        pdf.set_font("Noto", "B", 11)
        pdf.cell(40, 7, label)
        pdf.set_font("Noto", "", 11)
        pdf.multi_cell(0, 7, value, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(20)
    para("Prepared by harmonize from the corpus named above. Every status names the provision it rests on "
         "and the reason; the texts are printed side by side so that each can be checked.", 9)

    def render_toc(pdf_, outline):
        pdf_.set_x(pdf_.l_margin)
        pdf_.set_font("Noto", "B", 16)
        pdf_.cell(0, 10, "Contents", new_x="LMARGIN", new_y="NEXT")
        pdf_.ln(2)
        for entry in outline:
            if entry.level > 0:  # obligations are in the PDF's bookmarks, not on the contents page
                continue
            pdf_.set_font("Noto", "", 10.5)
            indent = 0
            link = pdf_.add_link(page=entry.page_number)
            pdf_.set_x(pdf_.l_margin + indent)
            width = pdf_.epw - indent - 15
            name = entry.name
            while pdf_.get_string_width(name) > width - 2 and " " in name:
                name = name.rsplit(" ", 1)[0].rstrip(",;") + " …" if not name.endswith(" …") else \
                    name[:-2].rsplit(" ", 1)[0] + " …"
            pdf_.cell(width, 5.6, name, link=link)
            pdf_.cell(15, 5.6, str(entry.page_number), align="R", link=link, new_x="LMARGIN", new_y="NEXT")

    pdf.add_page()
    pdf.insert_toc_placeholder(render_toc, pages=1, allow_extra_pages=True)  # goes on to a new page
    heading("1. Summary per convention", 0, 15)
    para("Counts of obligations by status. 'Reviewed' counts the statuses a reviewer decided; 'machine' the "
         "others. Coverage weighs covered as 1 and partial as 0.5 over the analysed obligations.", 8.5)
    pdf.ln(1)
    pdf.set_font("Noto", "", 7.5)
    with pdf.table(col_widths=(16, 13, 13, 13, 15, 15, 13, 13, 13, 46), text_align="LEFT", line_height=4) as table:
        table.row(["Convention", "covered", "partial", "missing", "no statute", "not analysed", "coverage",
                   "reviewed", "machine", "party status (confidence)"])
        for c in r.conventions:
            party = c.party.status + (f" {c.party.date}" if c.party.date else "") + \
                (f" ({c.party.confidence})" if c.party.confidence else "")
            table.row([c.code] + [str(c.counts[s]) for s in STATES] +
                      [f"{c.coverage:.0%}" if c.coverage is not None else "–", str(c.reviewed), str(c.machine), party])
    pdf.ln(3)
    for c in r.conventions:
        if c.party.notes:
            para(f"{c.code} party status: {cut(c.party.notes, 400)}", 7.5)
    if r.reviewed:
        pdf.ln(3)
        para("Reviewer decisions", 11, "B")
        for line in r.reviewed:
            para(line["head"], 9, "B")
            para(line["who"] + (f". Note: {line['note']}" if line["note"] else ""), 8)

    pdf.add_page()
    heading("2. Statutes analysed", 0, 15)
    pdf.set_font("Noto", "", 7.5)
    with pdf.table(col_widths=(62, 11, 50, 50, 17), text_align="LEFT", line_height=4) as table:
        table.row(["Title", "Year", "Version", "Source", "Analysed"])
        for st in r.statutes:
            table.row([st.title, str(st.year or "–"), st.version, st.source,
                       "yes" if st.analysed else f"no ({LANGUAGE_NAMES.get(st.language, st.language)})"])

    pdf.ln(4)
    heading("3. Method and limits", 0, 15)
    para("Method", 10.5, "B")
    for m in r.method:
        para("• " + m, 9)
    pdf.ln(2)
    para("Limits", 10.5, "B")
    for m in r.limits:
        para("• " + m, 9)

    def pair(e: ObligationEntry):
        """Convention text and national text side by side, on one page."""
        gap = 4
        width = (pdf.epw - gap) / 2
        left_x, right_x = pdf.l_margin, pdf.l_margin + width + gap
        left = e.convention_text or "(not in the corpus)"
        right = e.national_text or ("(no provision cited)" if not e.cite else "(empty)")
        shaped = e.national_language != "en"
        # the height from the length (a dry run of the line breaking doubles the time): 7.2 pt
        # Noto Sans averages ~1.3 mm a character, so a column holds ~width / 1.45 of them a line
        top = pdf.get_y()
        pdf.set_font("Noto", "B", 7.5)
        pdf.set_xy(left_x, top)
        pdf.cell(width, 4, "Convention text")
        pdf.set_xy(right_x, top)
        pdf.cell(width, 4, "National text")
        pdf.set_font("Noto", "", 7.2)
        pdf.set_xy(left_x, top + 4.5)
        pdf.multi_cell(width, 3.4, left, border="T", align="L")
        end = pdf.get_y()
        pdf.set_xy(right_x, top + 4.5)
        pdf.set_text_shaping(shaped)
        pdf.multi_cell(width, 3.4, right, border="T", align="R" if e.national_language in RTL else "L")
        pdf.set_text_shaping(False)
        pdf.set_xy(pdf.l_margin, max(end, pdf.get_y()))

    number = 4
    done = 0
    for c in r.conventions:
        pdf.add_page()
        heading(f"{number}. {c.title} ({c.code})", 0, 14)
        number += 1
        for e in r.by_convention(c.code):
            # keep an obligation on one page: its height from the texts' length (a dry run of the
            # line breaking doubles the time); 7.2 pt Noto Sans holds ~width / 1.45 characters a line
            per_line = max(20, int((pdf.epw - 4) / 2 / 1.45))
            texts = (e.convention_text or "x", e.national_text or "x")
            high = 3.4 * max(len(t) // per_line + t.count("\n") + 1 for t in texts) + 24
            if pdf.get_y() + high > pdf.page_break_trigger and pdf.get_y() > pdf.t_margin + 40:
                pdf.add_page()
            pdf.start_section(f"{e.id}: {STATE_LABELS[e.state]}", level=1)
            pdf.set_font("Noto", "B", 10)
            pdf.multi_cell(0, 5.5, f"{e.id} (art. {e.article}): {STATE_LABELS[e.state]} — {e.decided_by}, {e.level}",
                           new_x="LMARGIN", new_y="NEXT")
            para(e.reason, 8.5)
            if e.cite:
                para(f"Cited provision: {e.cite}", 8.5, "B")
            pair(e)
            pdf.ln(3)
            done += 1
            if progress:
                progress(done, len(r.obligations))
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(path))
    return path


# -- Word -----------------------------------------------------------------------------------------

def _page_field(paragraph, instruction: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, instruction), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
            run._r.append(el)
        elif text == instruction:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = f" {instruction} "
            run._r.append(el)
        else:
            el = OxmlElement("w:t")
            el.text = text
            run._r.append(el)


def _direction(paragraph, language: str) -> None:
    """Mark a paragraph right-to-left (Arabic) for Word."""
    from docx.oxml import OxmlElement

    if language in RTL:
        ppr = paragraph._p.get_or_add_pPr()
        ppr.append(OxmlElement("w:bidi"))
        for run in paragraph.runs:
            run._r.get_or_add_rPr().append(OxmlElement("w:rtl"))


def render_docx(report: CommitteeReport, path: Path) -> Path:
    """An editable Word document with the same content as the PDF; the contents is a Word
    field (updated on opening: F9) over a written list of the chapters, page numbers in the footer."""
    from docx import Document
    from docx.enum.section import WD_ORIENT  # noqa: F401 - portrait A4 is the default kept
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    r = report
    doc = Document()
    doc.core_properties.title = f"Harmonization report: {r.country}"
    doc.core_properties.author = "harmonize"
    style = doc.styles["Normal"]
    style.font.name = "Noto Sans"
    style.font.size = Pt(10)
    footer = doc.sections[0].footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run(f"Harmonization report: {r.country} · {r.generated} · page ")
    _page_field(footer, "PAGE")
    footer.add_run(" of ")
    _page_field(footer, "NUMPAGES")

    doc.add_heading(f"Harmonization report: {r.country}", 0)
    doc.add_paragraph("National statutes against the obligations of the conventions")
    cover = doc.add_table(rows=0, cols=2)
    for label, value in (("Country", r.country), ("Conventions", ", ".join(c.code for c in r.conventions)),
                         ("Date", r.generated), ("Corpus", r.as_at), ("Holdings", r.holdings or "–"),
                         ("Obligations", f"{len(r.obligations)}, covered ones included")):
        cells = cover.add_row().cells
        cells[0].text, cells[1].text = label, value
    doc.add_page_break()

    doc.add_heading("Contents", 1)
    toc = doc.add_paragraph()
    _page_field(toc, 'TOC \\o "1-2" \\h \\z \\u')
    chapters = ["1. Summary per convention", "2. Statutes analysed", "3. Method and limits"] + \
        [f"{i}. {c.title} ({c.code})" for i, c in enumerate(r.conventions, start=4)]
    for name in chapters:
        doc.add_paragraph(name, style="List Bullet")
    doc.add_page_break()

    doc.add_heading("1. Summary per convention", 1)
    table = doc.add_table(rows=1, cols=len(STATES) + 5)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ["Convention", *STATES, "coverage", "reviewed", "machine", "party status"]):
        cell.text = text
    for c in r.conventions:
        party = c.party.status + (f" {c.party.date}" if c.party.date else "") + \
            (f" (confidence {c.party.confidence})" if c.party.confidence else "")
        values = [c.code] + [str(c.counts[s]) for s in STATES] + \
            [f"{c.coverage:.0%}" if c.coverage is not None else "–", str(c.reviewed), str(c.machine), party]
        for cell, text in zip(table.add_row().cells, values):
            cell.text = text

    if r.reviewed:
        doc.add_heading("Reviewer decisions", 2)
        for line in r.reviewed:
            p = doc.add_paragraph(style="List Bullet")
            p.add_run(line["head"]).bold = True
            p.add_run(": " + line["who"] + (f". Note: {line['note']}" if line["note"] else ""))

    doc.add_heading("2. Statutes analysed", 1)
    table = doc.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ["Title", "Year", "Version", "Source", "Analysed"]):
        cell.text = text
    for st in r.statutes:
        for cell, text in zip(table.add_row().cells, [st.title, str(st.year or "–"), st.version, st.source,
                                                      "yes" if st.analysed else
                                                      f"no ({LANGUAGE_NAMES.get(st.language, st.language)})"]):
            cell.text = text

    doc.add_heading("3. Method and limits", 1)
    doc.add_heading("Method", 2)
    for m in r.method:
        doc.add_paragraph(m, style="List Bullet")
    doc.add_heading("Limits", 2)
    for m in r.limits:
        doc.add_paragraph(m, style="List Bullet")

    for i, c in enumerate(r.conventions, start=4):
        doc.add_page_break()
        doc.add_heading(f"{i}. {c.title} ({c.code})", 1)
        for e in r.by_convention(c.code):
            doc.add_heading(f"{e.id} (art. {e.article}): {STATE_LABELS[e.state]} — {e.decided_by}", 2)
            doc.add_paragraph(e.reason)
            if e.cite:
                p = doc.add_paragraph()
                p.add_run("Cited provision: ").bold = True
                p.add_run(e.cite)
            pair = doc.add_table(rows=2, cols=2)
            pair.style = "Table Grid"
            pair.rows[0].cells[0].text = "Convention text"
            pair.rows[0].cells[1].text = "National text" + (f": {e.cite}" if e.cite else "")
            pair.rows[1].cells[0].text = e.convention_text or "(not in the corpus)"
            national = pair.rows[1].cells[1]
            national.text = e.national_text or ("(no provision cited)" if not e.cite else "(empty)")
            _direction(national.paragraphs[0], e.national_language)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path


def write_documents(report: CommitteeReport, out_dir: Path, formats=("pdf", "docx", "html", "md"),
                    progress=None) -> list[Path]:
    """Write the report as ``committee-report-<COUNTRY>.<ext>`` for each format."""
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = out_dir / f"committee-report-{report.country}"
    paths = []
    for fmt in formats:
        target = stem.with_suffix(f".{fmt}")
        tmp = target.with_name(target.name + ".tmp")
        if fmt == "pdf":
            render_pdf(report, tmp, progress)
        elif fmt == "docx":
            render_docx(report, tmp)
        elif fmt == "html":
            tmp.write_text(render_html(report), encoding="utf-8")
        elif fmt == "md":
            tmp.write_text(render_markdown(report), encoding="utf-8")
        else:
            raise ReportError(f"unknown report format {fmt!r}; one of pdf, docx, html, md")
        tmp.replace(target)  # a reader never sees half a file
        paths.append(target)
    return paths
