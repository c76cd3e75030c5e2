"""Parser for the Ansvar-Systems section-per-entry JSON seeds (SGP, PAK, NGA, BGD, ZWE, GHA,
ARE, KEN and the India Code PMLA extract).

Every file has the shape ``{id, title, url, description, provisions: [{provision_ref,
chapter, section, title, content}], definitions: [...]}``: one JSON entry per scraped
section. The entries cannot be trusted one-to-one, so the parser rebuilds the printed
sections from the text. What the scrapes really look like, and what is done about it:

Section identity
- Several entries hold more than one printed section (the next sections were glued on):
  PAK CNSA entry 8 holds s.9 ("1[9.Punishment\\nfor contravention of Sections 6, 7 and 8.
  ___ (1) ..."); PAK AML entry 3 holds ss.4, 5, 6, 6A ("1\\n[4. Punishment for money
  laundering.— (1) ..."); PAK Penal Code entry 165 holds 165A and 165B ("2[165A. Punishment
  for abetment ..."); NGA entries run the next sections inline ("... the principal. 6. S p e
  cial surveillance on certain transactions (1) When ...", "11 . Liability of directors").
  A section start is a number followed by "." (or the Bengali danda "।"/"৷") at a line start
  or after the end of a clause, optionally behind a footnote mark and bracket ("2[165A.").
  To keep subsection numbers, list items and footnotes ("[Footnote] 1. Subs. by ...") from
  being taken for sections, a candidate must be greater than the section before it, at most
  5 more, and smaller than the number of the next entry.
- NGA Extradition repeats the marginal note before the number ("... released. Fugitive
  surrendered to Nigeria not triable for previous crimes 15. Fugitive surrendered to ...");
  the repeated note is dropped from the previous section.
- NGA R&F Act s.8 has no number at all: "... under this Act. Power to arrest by force
  without warrant, etc. (1) A police officer ...". A short heading followed by a "(1)" that
  restarts the subsection count after "(2)" starts the next section, when the entry
  numbering leaves room for it.
- BGD Arms Act 1878 (and the Bengali Narcotics and Anti-Terrorism Acts): `section` is a
  running record number; the printed number opens `content` ("19. Whoever commits ..." in
  record 25, "[19A. Notwithstanding ..." in record 26, "[২০ক। (১) ..." = 20A). Whenever
  content opens with a number, that number is used. In a file where printed and record
  numbers disagree, a record with no printed number (Arms Act sec2, sec9, sec14, sec17:
  "But nothing herein contained ...", "Explanation – Arms, ...") is a proviso or explanation
  of the section before, and its text is appended to it. A record repeating the previous
  section word for word (Arms Act sec5/sec6, both printed s.4) is dropped.
- ZWE TIP Act numbers the Act sections and the First Schedule paragraphs 1-8 alike and
  interleaves them; they are told apart by `chapter` ("Part I" vs "Schedule 2"). Schedule
  entries go under a "schedule" container, after the Act body, as paragraphs.
- ARE files are articles (`provision_ref` "art12"), out of order in places; kept in file order.

Headings
- `title` is the heading, but: PAK titles are "Section 165. " + the first printed line, so
  they may run into the body ("Section 21. Offences to be 3[cognizable] and non" +
  content "bailable.—(1) ..."); when content continues the line (starts in lower case) the
  two are joined and the heading ends at ".—", ". ___", ": " or the first sentence end.
  BGD titles carry the record number ("25. For breach of sections ..."), which is stripped.
  NGA titles are sometimes cut short ("Mandatory disclosure by"); the heading printed in the
  content is used when it extends the title. ARE titles are stray fragments of the text
  ("[9]", "1-المحكوم عليه ..."); the ARE heading is the "-heading*" that opens the content.

Sub-units
- Subsections "(1)", "(1A)", "(4AA)" and paragraphs "(a)", "(aa)", Bengali "(১)", "(ক)",
  and ARE "1-" items are split out where they start a line or a clause (after ".", ";",
  ":", "—", "-", "]", "; or"), in strict sequence; "subsection (2) of this section" and
  "clauses (a), (b) and (c)" are references, not starts. Spacing as in SGP "( a )" and the
  OCR "(l)" for "(1)" (NGA MLA) are accepted. Amendment notes ("[Act 12 of 2023 wef
  01/06/2023]", "[30/2012]") stay in the text. A list that restarts at "(a)" or "(1)" (the
  PAK CNSA s.9 punishment tables, definition lists) is doubtful: that unit is kept whole.
- Numbers are ASCII ("২০ক" -> "20A", "(১)" -> "(1)"); the text keeps its own digits.

Record numbers: ZWE Criminal Law Code has a chapter-less record "18. (2) If any person is
charged ..." just before the real s.18; a record that starts at "(2)" and repeats the next
record's number is not a section and goes with the section before it. The PAK Penal Code glues footnote marks onto some record numbers ("1366"
after s.365 is s.366) and has footnote-only records ("Section 1S. 153B was ins. by ...");
the first are read without the mark, the second appended to the section before.

Not repaired: NGA letter-spaced words in the text ("S p e cial"; headings are joined), GHA
sentences printed twice, PAK text lost between `title` and `content` (Penal Code s.1), the
PAK AML schedule of predicate offences scraped as entries 109, 115, ..., ARE words run
together.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from harmonize.model import Instrument, ParsedDocument, Provision
from harmonize.errors import ParseError
from harmonize.parse.base import TreeBuilder, normalize_space, read_text

# Bengali, Arabic-Indic and Persian digits to ASCII; one character for one, so offsets hold.
NATIVE_DIGITS = str.maketrans("০১২৩৪৫৬৭৮৯٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "0123456789" * 3)
# Bengali letters used as inserted-section suffixes ("২০ক" is s.20A).
BENGALI_SUFFIX = {"ক": "A", "খ": "B", "গ": "C", "ঘ": "D", "ঙ": "E"}
BENGALI_LETTERS = "কখগঘঙচছজঝঞটঠডঢণতথদধনপফবভমযরলশষসহ"
LATIN_LETTERS = "abcdefghijklmnopqrstuvwxyz"

# A printed section number with its terminator: "9.", "165A.", "11 .", "২০ক।", "৪৭৷".
NUMBER = r"(?P<num>\d{1,4}(?:[A-Z]{1,2}|[কখগঘঙ])?)"
SECTION_MARK = re.compile(rf"(?<![\w,./-])(?:\d{{1,2}}\s*(?=\[))?(?:\[\s*)?{NUMBER}\s?[.।৷]")
LEADING_NUMBER = re.compile(rf"^\s*(?:\d{{1,2}}\s*(?=\[))?(?:\[\s*)?{NUMBER}\s?[.।৷]")
# What may follow a section number: a heading word, a dash, "(1)", a bracket.
SECTION_BODY_START = re.compile(r"\s*(?:[A-Z\u0980-\u09ff—–]|\d{0,2}\[|\((?:1|l|১)\))")
# Text before a section or list start that closes a clause: ". ", "; ", ":", "—", "]".
CLAUSE_END = re.compile(r"(?:[.;:—–\-_\]*।৷،؛]|[;,]\s*(?:or|and)|\A)\s*$")
# Text after a bracketed label that makes it a reference: "(a), (b) and (c)", "(2) of".
REFERENCE_TAIL = re.compile(
    r"\s*(?:[,)]|(?:and|or|to|and/or)\s*\(|of\s+(?:this|that|the|sub|section|clause|paragraph))"
)
# Footnote blocks appended to the content (India Code); never scanned for section starts.
FOOTNOTE_BLOCK = re.compile(r"\[Footnote\]")
# Words that open the body of a section after an inline heading (NGA, PAK Penal Code).
BODY_WORDS = (
    "A|An|Any|All|The|Where|Whereas|If|When|Whenever|Whoever|Whosoever|Every|No|Nothing|"
    "Subject|Notwithstanding|For|In|It|This|Save|Except|Without|Such|Unless|On|Upon|There"
)
INLINE_HEADING_END = re.compile(
    rf"\s*(?:\.?\s*[—–]|\.\s*-{{1,2}}|\.?\s*_{{2,}}|:\s|\((?:1|l)\)\s|\.(?=\s+[A-Z])|\s(?=(?:{BODY_WORDS})\b))"
)
# Words before a "." that do not end a heading: "Cap. M18", "No. 28", "etc. The", "F.N. 2004".
ABBREVIATION = re.compile(
    r"(?:\b(?:etc|No|Nos|Cap|Ord|Sec|Art|Co|Ltd|viz|ss?|i\.e|e\.g)|\b[A-Z]|\b[A-Z]\.[A-Z]+)$"
)
PAK_TITLE = re.compile(r"^\s*Section\s+\d+[A-Z]*\s*\.\s*", re.I)
NUMBERED_TITLE = re.compile(r"^\s*\d+[A-Z]*\s*[.।]\s*")
# ARE content opens "-heading*text", "–heading*text" (or "-heading1-text").
# A heading never holds ":" ("...الآتية:1-" is the body's lead-in, not a heading).
ARABIC_HEADING = re.compile(r"^\s*[-–]\s*(?P<heading>[^*\n:]{2,200}?)\s*(?:\*|(?=1-))")
UNNUMBERED_SECTION = re.compile(
    r"(?<=[.;]\s)(?P<heading>[A-Z](?:[^.;:()\[\]]|etc\.){3,100}?)\s\((?:1|l)\)\s"
)
# A section printed only as a stub: "57. [ Repealed by ...]", "20. 2[* * *]".
STUB_SECTION = re.compile(r"\s*\d{0,2}\[\s*(?:\*|Repealed|Omitted|Deleted|There are no)", re.I)
# PAK footnote markup: "3[cognizable]" marks inserted words, "4[*]" / "[* * *]" omissions.
FOOTNOTE_INSERT = re.compile(r"\d{0,2}\[([^\[\]*]*)\]")
OMISSION_MARK = re.compile(r"\s*\d{0,2}\[[\s*]*\]")
MAX_SECTION_STEP = 5
# A record that is only amendment footnotes: "2 Ins. by the Pakistan Penal Code (Amdt.) ...".
FOOTNOTE_RECORD = re.compile(r"\s*\d{1,2}\s*(?:Subs|Ins|Added|Omitted|Rep|Inserted|Substituted)\b")


@dataclass
class Entry:
    """One JSON entry after its shape was checked."""

    index: int
    ref: str
    section: str
    chapter: str | None
    title: str
    content: str


@dataclass
class PrintedSection:
    """One section as printed, possibly cut out of a larger entry."""

    number: str
    heading: str
    text: str
    chapter: str | None
    kind: str
    entry: Entry
    extra: list[str] = field(default_factory=list)  # provisos appended from later records


# ---------------------------------------------------------------- reading and checking


def load_json(path: Path, source: str) -> object:
    """The decoded JSON; a syntax error becomes a ParseError with its line and column."""
    text = read_text(path, source)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ParseError(source, f"line {exc.lineno}, column {exc.colno}", f"invalid JSON: {exc.msg}") from None


def read_entries(data: object, source: str, b: TreeBuilder) -> list[Entry]:
    """The entries with the expected shape; a malformed entry is skipped with a warning."""
    if not isinstance(data, dict) or not isinstance(data.get("provisions"), list):
        raise ParseError(source, "top level", "expected an object with a 'provisions' list")
    entries = []
    for index, raw in enumerate(data["provisions"]):
        where = f"provisions[{index}]"
        if not isinstance(raw, dict):
            b.warn(where, f"expected an object, found {type(raw).__name__}; entry skipped")
            continue
        ref = str(raw.get("provision_ref") or "")
        where = f"provisions[{index}] ({ref or 'no provision_ref'})"
        content, section = raw.get("content"), raw.get("section")
        if not isinstance(content, str) or not content.strip():
            b.warn(where, "entry has no content; skipped")
            continue
        if not isinstance(section, (str, int)) or not str(section).strip():
            b.warn(where, "entry has no section number; skipped")
            continue
        chapter = raw.get("chapter")
        entries.append(
            Entry(
                index=index,
                ref=ref,
                section=ascii_number(str(section)),
                chapter=chapter.strip() if isinstance(chapter, str) and chapter.strip() else None,
                title=raw.get("title") if isinstance(raw.get("title"), str) else "",
                content=content.replace("\r\n", "\n"),
            )
        )
    if data["provisions"] and not entries:
        raise ParseError(source, "provisions", "no entry has the expected {section, content} shape")
    return entries


# ---------------------------------------------------------------- numbers


def ascii_number(number: str) -> str:
    """ "২০ক" -> "20A", "٤" -> "4", " 6b " -> "6B"."""
    number = number.strip().translate(NATIVE_DIGITS)
    number = "".join(BENGALI_SUFFIX.get(ch, ch) for ch in number)
    return number.upper() if re.fullmatch(r"\d+[a-z]{1,2}", number) else number


def number_key(number: str) -> tuple[int, str]:
    """Sort key of a section number: "6A" -> (6, "A")."""
    m = re.match(r"(\d+)(.*)", number)
    return (int(m.group(1)), m.group(2)) if m else (-1, number)


def printed_number(content: str) -> str | None:
    """The section number printed at the very start of the content, if any."""
    m = LEADING_NUMBER.match(content.translate(NATIVE_DIGITS))
    return ascii_number(m.group("num")) if m else None


# ---------------------------------------------------------------- headings


def strip_title_number(title: str) -> str:
    """ "Section 9. Punishment ..." / "25. For breach ..." / "১। ..." -> the heading words."""
    title = PAK_TITLE.sub("", title)
    m = NUMBERED_TITLE.match(title.translate(NATIVE_DIGITS))  # same length: slice the original
    return title[m.end() :] if m else title


def inline_heading(text: str, limit: int = 250) -> str:
    """The heading that opens `text` ("Liability of directors, etc., of financial
    institutions Where funds ..."): up to ".—", ": ", "(1)", a sentence end or a body word."""
    head = text[:limit]
    for m in INLINE_HEADING_END.finditer(head):
        candidate = head[: m.start()]
        if not candidate.strip():
            continue
        if m.group(0).strip() == "." and ABBREVIATION.search(candidate):
            continue  # "Cap. M18", "No. 28", "etc. The" do not end a heading
        return clean_heading(candidate)
    return ""


def clean_heading(heading: str) -> str:
    """One line, without footnote marks: "Protection to Judges 3[,] 4[*] Counsel" ->
    "Protection to Judges, Counsel" (the text keeps the marks as printed)."""
    heading = OMISSION_MARK.sub("", heading)
    heading = FOOTNOTE_INSERT.sub(r"\1", heading)
    heading = normalize_space(heading).replace("\n", " ").replace(" ,", ",").strip(" .-—–−_:")
    heading = join_spaced_letters(heading)
    return heading + "." if heading.endswith("etc") else heading


def join_spaced_letters(heading: str) -> str:
    """NGA headings are letter-spaced in places: "S p e cial surveillance" -> "Special
    surveillance", "fina n cial" -> "financial". Lone "a", "A", "I" and capitals stay."""
    words = heading.split(" ")
    out: list[str] = []
    i = 0
    while i < len(words):
        j = i
        while j < len(words) and is_stray_letter(words[j], first=j == i):
            j += 1
        run = words[i:j]
        if not run or not any(ch.islower() and ch != "a" for ch in "".join(run)):
            out.append(words[i])
            i += 1
            continue
        piece = "".join(run)
        if run[0].islower() and out and out[-1][-1:].islower():
            piece = out.pop() + piece
        if j < len(words) and words[j][:1].islower():
            piece += words[j]
            j += 1
        out.append(piece)
        i = j
    return " ".join(out)


def is_stray_letter(word: str, first: bool) -> bool:
    if len(word) != 1 or not word.isalpha():
        return False
    return word.islower() and word != "a" or (first and word.isupper() and word not in "AI")


def arabic_heading(content: str) -> str:
    m = ARABIC_HEADING.match(content)
    return clean_heading(m.group("heading")) if m else ""


def entry_heading_and_text(entry: Entry, kind: str) -> tuple[str, str]:
    """The heading of an entry's first section and the section's text."""
    if kind == "article" and ARABIC_HEADING.match(entry.content):
        return arabic_heading(entry.content), entry.content
    if kind == "article":
        return "", entry.content
    title = strip_title_number(entry.title).strip()
    content = entry.content
    if PAK_TITLE.match(entry.title) and content.lstrip()[:1].islower():
        # PAK: the title is the first printed line and the content goes on with it.
        joined = f"{title}\n{content}"
        return inline_heading(joined) or clean_heading(title), joined
    heading = clean_heading(title)
    printed = printed_heading(content)
    if printed and heading and printed.lower().startswith(heading.lower()) and len(printed) > len(heading):
        heading = printed  # the title was cut short ("Mandatory disclosure by")
    return heading, content


def printed_heading(content: str) -> str:
    """The heading printed after the number at the start of the content, if any."""
    m = LEADING_NUMBER.match(content.translate(NATIVE_DIGITS))
    if not m:
        return ""
    rest = content[m.end() :]
    return inline_heading(rest) if re.match(r"\s*[A-Z]", rest) else ""


# ---------------------------------------------------------------- sections inside one entry


@dataclass
class Cut:
    """A printed section starting inside an entry's text."""

    number: str
    start: int  # where its text starts
    end_before: int  # where the previous section's text ends
    body: int  # where the text after the number starts
    heading: str = ""


def section_cuts(text: str, first: str, upper: str | None) -> list[Cut]:
    """Printed sections that start inside `text` after section `first`, below `upper`."""
    scan = text.translate(NATIVE_DIGITS)
    stop = FOOTNOTE_BLOCK.search(scan)
    limit = stop.start() if stop else len(scan)
    cuts: list[Cut] = []
    current = first
    for m in SECTION_MARK.finditer(scan, 0, limit):
        if m.start() == 0:
            continue
        number = ascii_number(m.group("num"))
        if not plausible_next(current, number, upper):
            continue
        if not SECTION_BODY_START.match(scan, m.end()):
            continue
        cut = cut_at(text, m.start(), m.end(), number)
        if cut is None:
            continue
        cuts.append(cut)
        current = number
    return cuts


def plausible_next(current: str, number: str, upper: str | None) -> bool:
    cur, cand = number_key(current), number_key(number)
    if cand <= cur or cand[0] > cur[0] + MAX_SECTION_STEP:
        return False
    return upper is None or cand < number_key(upper)


def cut_at(text: str, start: int, body: int, number: str) -> Cut | None:
    """A Cut when the number at `start` stands where a section can begin, else None."""
    before = text[:start]
    if before.endswith("\n") or not before.strip() or CLAUSE_END.search(before[-12:]):
        end_before = footnote_mark_start(before)
        return Cut(number, end_before, end_before, body)
    # NGA Extradition: the marginal note is printed again before the number.
    sentence_start = max(before.rfind(". "), before.rfind("\n"), before.rfind("; ")) + 1
    note = before[sentence_start:].strip()
    after = normalize_space(text[body : body + len(note) + 20])
    if len(note.split()) >= 2 and after.startswith(normalize_space(note)):
        return Cut(number, start, sentence_start, body)
    return None


def footnote_mark_start(before: str) -> int:
    """Keep a lone footnote mark line ("1\\n[4. Punishment ...") with the section it marks."""
    m = re.search(r"\n\s*\d{1,2}\s*\n?$", before)
    return m.start() + 1 if m else len(before)


def split_heading(rest: str) -> str:
    """Heading of a section cut out of an entry; "57. [ Repealed by ...]" has none."""
    return "" if STUB_SECTION.match(rest) else inline_heading(rest.lstrip())


def unnumbered_cut(text: str, current: str, upper: str | None) -> Cut | None:
    """NGA R&F s.8: a short heading and a "(1)" that restarts the subsections after "(2)"."""
    nxt = str(number_key(current)[0] + 1)
    if number_key(current)[1] or not plausible_next(current, nxt, upper):
        return None
    seen_two = re.search(r"(?<![\w])\((?:2|২)\)\s", text)
    if not seen_two:
        return None
    for m in UNNUMBERED_SECTION.finditer(text, seen_two.end()):
        return Cut(nxt, m.start(), m.start(), m.start(), heading=clean_heading(m.group("heading")))
    return None


def split_entry(
    entry: Entry,
    number: str,
    heading: str,
    text: str,
    upper: str | None,
    kind: str,
    b: TreeBuilder,
    in_sequence: bool,
) -> list[PrintedSection]:
    """The printed sections held by one entry: its own, then any glued on after it. An entry
    out of sequence (a schedule paragraph at the end of PAK ATA) is never split."""
    where = f"provisions[{entry.index}] ({entry.ref})"
    splittable = kind == "section" and in_sequence
    cuts = section_cuts(text, number, upper) if splittable else []
    pieces: list[PrintedSection] = []
    start, cur_number, cur_heading = 0, number, heading
    for cut in cuts:
        piece = text[start : cut.end_before]
        pieces.append(PrintedSection(cur_number, cur_heading, piece, entry.chapter, kind, entry))
        start, cur_number = cut.start, cut.number
        cur_heading = cut.heading or split_heading(text[cut.body :])
        b.warn(where, f"section {cut.number} ({cur_heading!r}) is printed inside entry {entry.ref}; split out")
    pieces.append(PrintedSection(cur_number, cur_heading, text[start:], entry.chapter, kind, entry))
    if splittable:
        last = pieces[-1]
        cut = unnumbered_cut(last.text, last.number, upper)
        if cut is not None:
            pieces[-1] = PrintedSection(last.number, last.heading, last.text[: cut.start], last.chapter, kind, entry)
            pieces.append(PrintedSection(cut.number, cut.heading, last.text[cut.start :], entry.chapter, kind, entry))
            b.warn(where, f"unnumbered section after {last.number} taken as section {cut.number}: {cut.heading!r}")
    return pieces


# ---------------------------------------------------------------- whole file to sections


def entry_kind(entry: Entry) -> str:
    return "article" if entry.ref.lower().startswith("art") else "section"


def uses_printed_numbers(entries: list[Entry]) -> bool:
    """True when content opens with numbers that differ from the record numbers (BGD Arms)."""
    printed = [(e, printed_number(e.content)) for e in entries]
    with_number = [(e, n) for e, n in printed if n]
    return len(with_number) * 2 >= len(entries) and any(n != e.section for e, n in with_number)


def printed_sections(entries: list[Entry], b: TreeBuilder) -> list[PrintedSection]:
    """All printed sections of the file in order, with record offsets and merges resolved."""
    numbers = record_numbers(entries, b)
    sections: list[PrintedSection] = []
    highest = (-1, "")
    for i, entry in enumerate(entries):
        where = f"provisions[{entry.index}] ({entry.ref})"
        number = numbers[i]
        if number is None and sections:
            sections[-1].extra.append(entry.content)
            b.warn(where, f"record holds no section of its own; appended to section {sections[-1].number}")
            continue
        number = number or entry.section
        if sections and sections[-1].number == number and same_text(sections[-1].entry.content, entry.content):
            b.warn(where, f"record repeats section {number}; dropped")
            continue
        kind = entry_kind(entry)
        heading, text = entry_heading_and_text(entry, kind)
        upper = next_number(numbers, entries, i)
        in_sequence = number_key(number) > highest
        sections.extend(split_entry(entry, number, heading, text, upper, kind, b, in_sequence))
        highest = max(highest, number_key(sections[-1].number))  # split pieces rise in order
    return sections


def record_numbers(entries: list[Entry], b: TreeBuilder) -> list[str | None]:
    """The section number of each record; None for a record that continues the section
    before it (a proviso record in BGD Arms, a footnote record "Section 1S. 153B was ins.
    by ..." in the PAK Penal Code)."""
    offset_file = uses_printed_numbers(entries)
    numbers: list[str | None] = []
    highest = (-1, "")
    for entry in entries:
        number = printed_number(entry.content) or (None if offset_file else entry.section)
        where = f"provisions[{entry.index}] ({entry.ref})"
        if number is not None and entry_kind(entry) == "section" and not is_schedule(entry.chapter) and highest[0] >= 0:
            if number_key(number) <= highest and FOOTNOTE_RECORD.match(entry.content):
                number = None
            elif number_key(number)[0] > highest[0] + MAX_SECTION_STEP:
                repaired = footnote_mark_removed(number, highest)
                if repaired:
                    b.warn(where, f"record number {number} read as {repaired} (a footnote mark was glued on)")
                    number = repaired
        numbers.append(number)
        if number is not None:
            highest = max(highest, number_key(number))
    return [None if is_stray_fragment(entries, numbers, i, b) else n for i, n in enumerate(numbers)]


def is_stray_fragment(entries: list[Entry], numbers: list[str | None], i: int, b: TreeBuilder) -> bool:
    """ZWE Criminal Law Code: a chapter-less record "18. (2) If any person is charged ..."
    stands before the real s.18; it holds no section of its own."""
    entry = entries[i]
    if i + 1 >= len(entries) or numbers[i] is None or numbers[i] != numbers[i + 1] or entry.chapter:
        return False
    m = LEADING_NUMBER.match(entry.content.translate(NATIVE_DIGITS))
    starts_midway = bool(m and re.match(r"\s*\((?:[2-9]|\d\d)\)", entry.content[m.end() :]))
    if starts_midway:
        where = f"provisions[{entry.index}] ({entry.ref})"
        b.warn(where, f"record starts in the middle of a section; the full section {numbers[i]} follows")
    return starts_midway


def footnote_mark_removed(number: str, highest: tuple[int, str]) -> str | None:
    """PAK Penal Code "1366" after s.365 is s.366 with footnote mark 1 in front."""
    for cut in (1, 2):
        rest = number[cut:]
        if rest[:1].isdigit() and rest[0] != "0" and plausible_next(f"{highest[0]}{highest[1]}", rest, None):
            return rest
    return None


def next_number(numbers: list[str | None], entries: list[Entry], i: int) -> str | None:
    """The number of the next entry in the same container, the bound for split sections."""
    for j in range(i + 1, len(entries)):
        if is_schedule(entries[j].chapter) != is_schedule(entries[i].chapter):
            continue
        if numbers[j] is not None:
            return numbers[j]
    return None


def same_text(a: str, b: str) -> bool:
    return normalize_space(a) == normalize_space(b)


# ---------------------------------------------------------------- containers


def is_schedule(chapter: str | None) -> bool:
    return bool(chapter) and bool(re.match(r"(?:first |second |third )?schedule\b", chapter, re.I))


PART_WORDS = re.compile(r"^(?:part\b|الباب)", re.I)


def container_kind(label: str) -> str:
    if is_schedule(label):
        return "schedule"
    if PART_WORDS.match(label):
        return "part"
    return "chapter"


# What a real container label looks like: "PART 2 - ...", "Chapter II, Part I", "Chapter VI:
# PENALTIES", "পঞ্চম অধ্যায়: অপরাধ ও দণ্ড", "الفصلالثالث". The ARE scrapes also carry stray
# phrases that merely contain the word ("الفصل فيها", "الباب على شخص").
CONTAINER_LABEL = re.compile(
    r"^(?:(?:chapter|part|schedule)\s+[\dIVXLC]+[A-Z]?\b"  # English
    r"|\S+\s+অধ্যা"  # Bengali "... অধ্যায়"
    r"|(?:الفصل|الباب)\s*ال\S+$)",  # Arabic chapter / part with an ordinal
    re.I,
)


def chapters_trustworthy(sections: list[PrintedSection]) -> bool:
    """Chapter labels that are not container labels, or that come back after another one
    (ARE scrapes), are not used."""
    seen: list[str] = []
    for sec in sections:
        if sec.chapter is None or is_schedule(sec.chapter):
            continue
        if not CONTAINER_LABEL.match(sec.chapter):
            return False
        if not seen or seen[-1] != sec.chapter:
            if sec.chapter in seen:
                return False
            seen.append(sec.chapter)
    return True


class Containers:
    """Chapter/part containers, made once per label; "Chapter II, Part I" nests."""

    def __init__(self, b: TreeBuilder):
        self.b = b
        self.made: dict[tuple[str, ...], Provision] = {}
        self.current: Provision | None = None

    def parent_for(self, chapter: str | None) -> Provision | None:
        if chapter is None:
            return self.current  # an entry without chapter stays in the running one
        parent = None
        nested = re.match(r"chapter\s+\w+,\s*part\b", chapter, re.I)  # ZWE "Chapter II, Part I"
        labels = [part.strip() for part in chapter.split(",")] if nested else [chapter]
        for depth, label in enumerate(labels):
            key = tuple(labels[: depth + 1])
            if key not in self.made:
                kind = container_kind(label)
                self.made[key] = self.b.add(kind, chapter_label(label), heading=chapter_heading(label), parent=parent)
            parent = self.made[key]
        self.current = parent
        return parent


def chapter_label(label: str) -> str:
    """ "PART 2 - OFFENCES ..." -> "PART 2"; "Chapter VI: PENALTIES" -> "Chapter VI"."""
    return re.split(r"\s+-\s+|:\s*", label, maxsplit=1)[0].strip()


def chapter_heading(label: str) -> str:
    parts = re.split(r"\s+-\s+|:\s*", label, maxsplit=1)
    return parts[1].strip() if len(parts) > 1 else ""


# ---------------------------------------------------------------- sub-units


SUBSECTION_LABEL = re.compile(r"(?:\d{1,2}\s*(?=\[))?\[?\(\s*(?P<label>\d{1,3}[A-Z]{0,3}|l)\s*\)")
PARAGRAPH_LABEL = re.compile(r"(?:\d{1,2}\s*(?=\[))?\[?\(\s*(?P<label>[a-z]{1,2}|[\u0995-\u09b9])\s*\)")
# "(1)      (2)      (3)": the column numbers of a table (PAK CNSA s.9), not a list restart.
TABLE_HEADER = re.compile(r"\s*\(\s*\w{1,3}\s*\)")
AFTER_LABEL = re.compile(r"\(\s*\w{1,3}\s*\)\s*$")
ARABIC_ITEM = re.compile(r"(?<![\d/])(?P<label>\d{1,2})\s?-(?=\S)")


@dataclass
class Unit:
    label: str
    start: int
    end: int


def next_subsection(current: str | None, label: str, seen: set[str]) -> bool:
    if current is None:
        return label == "1"
    cur, cand = number_key(current), number_key(label)
    if cand[0] == cur[0]:
        return bool(cand[1]) and label not in seen
    return cand[0] == cur[0] + 1 and cand[1] in ("", "A")


def letter_index(letter: str) -> int:
    for alphabet in (LATIN_LETTERS, BENGALI_LETTERS):
        if letter in alphabet:
            return alphabet.index(letter)
    return -1


def next_paragraph(current: str | None, label: str, seen: set[str]) -> bool:
    if label in seen:
        return False
    if current is None:
        return label in ("a", "aa", "ক")
    if len(label) == 1 and len(current) <= 2:
        return letter_index(label) == letter_index(current[0]) + 1 or (current == "aa" and label == "a")
    if len(label) == 2 and label.isascii():
        return letter_index(label[0]) in (letter_index(current[0]), letter_index(current[0]) + 1)
    return False


def next_arabic_item(current: str | None, label: str, seen: set[str]) -> bool:
    return label == "1" if current is None else label == str(int(current) + 1)


Follows = Callable[[str | None, str, set[str]], bool]


def enumerate_units(
    text: str,
    pattern: re.Pattern[str],
    follows: Follows,
    is_roman_clash: Callable[[str, re.Match[str], str], bool] | None = None,
    numbered: bool = False,
) -> list[Unit] | None:
    """Labels of one list level, in strict sequence, at clause starts. None when a restart
    shows the split is doubtful (tables, definition lists)."""
    scan = text.translate(NATIVE_DIGITS)
    found: list[tuple[str, int]] = []
    seen: set[str] = set()
    current: str | None = None
    for m in pattern.finditer(scan):
        label = m.group("label")
        label = "1" if label == "l" else label
        opening = numbered and not found and label == "1" and after_heading_only(scan, m)
        if not opening and (not at_clause_start(scan, m) or (numbered and not starts_subsection(scan, m))):
            continue
        if found and label == found[0][0] and pattern is not ARABIC_ITEM and not TABLE_HEADER.match(scan, m.end()):
            return None  # the list starts again: not one list of sub-units
        if not follows(current, label, seen):
            continue
        if is_roman_clash and is_roman_clash(scan, m, label):
            continue
        found.append((label, m.start()))
        seen.add(label)
        current = label
    if len(found) < 2:
        return None
    ends = [start for _, start in found[1:]] + [len(text)]
    return [Unit(label, start, end) for (label, start), end in zip(found, ends)]


def at_clause_start(scan: str, m: re.Match[str]) -> bool:
    """A label at a line start or after the end of a clause, not followed by reference words."""
    if REFERENCE_TAIL.match(scan, m.end()):
        return False
    before = scan[max(0, m.start() - 12) : m.start()]
    at_text_start = m.start() <= 12 and not before.strip()
    return at_text_start or before.endswith("\n") or bool(CLAUSE_END.search(before))


def after_heading_only(scan: str, m: re.Match[str]) -> bool:
    """ "7. Forfeiture of assets (1) All the assets": the first "(1)" may follow the heading."""
    before = scan[: m.start()]
    return len(before) <= 250 and "(" not in before and not re.search(r"[.;:]\s+\S", before.split(".", 1)[-1])


def starts_subsection(scan: str, m: re.Match[str]) -> bool:
    """A numbered subsection opens a sentence ("(2) Whoever"), not "column\n(2) thereof",
    and is not one of the column numbers "(1)   (2)   (3)" of a table."""
    if AFTER_LABEL.search(scan, 0, m.start()):
        return False
    nxt = scan[m.end() : m.end() + 3].lstrip()
    return not nxt[:1].islower()


def roman_clash(scan: str, m: re.Match[str], label: str) -> bool:
    """ "(i)" after "(h)" is a sub-paragraph when "(ii)" follows before "(j)"."""
    if label not in ("i", "v", "x"):
        return False
    nxt = {"i": "ii", "v": "vi", "x": "xi"}[label]
    following = scan[m.end() :]
    roman = re.search(rf"\(\s*{nxt}\s*\)", following)
    letter = re.search(rf"\(\s*{chr(ord(label) + 1)}\s*\)", following)
    return bool(roman) and (not letter or roman.start() < letter.start())


def add_sub_units(b: TreeBuilder, sec: Provision, text: str, arabic: bool) -> None:
    """Subsections and their paragraphs (or paragraphs straight under the section)."""
    if arabic:
        items = enumerate_units(text, ARABIC_ITEM, next_arabic_item)
        for unit in items or []:
            b.add("subsection", f"({unit.label})", text=text[unit.start : unit.end], parent=sec)
        return
    subsections = enumerate_units(text, SUBSECTION_LABEL, next_subsection, numbered=True)
    if subsections is None:
        add_paragraphs(b, sec, text)
        return
    for unit in subsections:
        piece = text[unit.start : unit.end]
        sub = b.add("subsection", f"({unit.label})", text=piece, parent=sec, full_text=True)
        add_paragraphs(b, sub, piece)


def add_paragraphs(b: TreeBuilder, parent: Provision, text: str) -> None:
    paragraphs = enumerate_units(text, PARAGRAPH_LABEL, next_paragraph, roman_clash)
    for unit in paragraphs or []:
        b.add("paragraph", f"({unit.label})", text=text[unit.start : unit.end], parent=parent)


# ---------------------------------------------------------------- entry point


def parse(path: Path, instrument: Instrument) -> ParsedDocument:
    data = load_json(path, instrument.source)
    b = TreeBuilder(instrument)
    entries = read_entries(data, instrument.source, b)
    sections = printed_sections(entries, b)
    trust_chapters = chapters_trustworthy(sections)
    if not trust_chapters:
        b.warn("chapter", "chapter labels are stray phrases or jump back and forth; sections are not grouped")
    body = [s for s in sections if not is_schedule(s.chapter)]
    schedule = [s for s in sections if is_schedule(s.chapter)]
    containers = Containers(b)
    for sec in body:
        parent = containers.parent_for(sec.chapter) if trust_chapters else None
        add_section(b, sec, parent)
    for sec in schedule:  # printed after the body of the Act
        add_section(b, sec, containers.parent_for(sec.chapter), kind="paragraph")
    return ParsedDocument(instrument, b.finish(), b.warnings)


ARABIC_SCRIPT = re.compile(r"[\u0600-\u06ff]")


def add_section(b: TreeBuilder, sec: PrintedSection, parent: Provision | None, kind: str | None = None) -> None:
    """One printed section (its whole text, provisos included) and its sub-units."""
    text = "\n".join([sec.text, *sec.extra])
    prov = b.add(kind or sec.kind, sec.number, text=text, heading=sec.heading, parent=parent, full_text=True)
    # ARE articles number their items "1-", "2-"; PAK Penal Code text quotes Urdu terms too.
    add_sub_units(b, prov, text, arabic=sec.kind == "article" and bool(ARABIC_SCRIPT.search(text)))
