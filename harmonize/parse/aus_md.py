"""Parser for the gitlaw-au Markdown of Australian Commonwealth Acts (national/AUS/*.md).

The files were made by the xlfe/gitlaw-au docx-to-markdown script from ComLaw compilations.
Markdown levels are not reliable (a Part is `###` in one Act and `####` in another), so every
line is told apart by its words, not its `#` count.

Layout of a file:

- Line 1: a "Note: This is not the [authoritative source](...) ... likely contains errors"
  disclaimer, then a cover page (`# Title`, `##### No. 12, 1995`, `### Compilation No. 98`).
- `## Contents`: a table of contents of bullet lines (`  * Chapter 8--...`,
  `          * 268.1<TAB>Purpose of Division<TAB>1`). Skipped: the body starts at the first
  `#` heading after it. A file with no `## Contents` is read from line 2, with a warning.
- The body, up to the endnotes: `#### Endnotes`, `##### Endnote 1--About the endnotes`
  (2014-2015 compilations) or `##### Notes to the ... Act 1990` (2011-2012 compilations).

Headings understood in the body (leading emphasis such as `**` or `_` is ignored):

- Containers, nested by rank (schedule > chapter > part > division > subdivision); a
  container closes every open container of the same or a lower rank:
  - `## Chapter 3--Information gathering`, `### Chapter 9--Dangers to the community`
  - `### Part 2--Offences`, `#### Part 9.1--Serious drug offences`, `### Part IIIB--...`,
    `### Part 31--Examinations` (the Proceeds of Crime Act's "3-1", hyphen lost)
  - `#### Division 5A--...`, `##### Division 302--Trafficking controlled drugs`,
    `##### Division 1  ` (no title)
  - `##### Subdivision A--People smuggling and related offences` (kind "division");
    `##### Subdivision --Other provisions...` lost its letter: labelled "Subdivision", warned
  - `## Schedule--The Criminal Code`, `## Schedule 1--United Nations Convention ...`,
    `## First Schedule--Single Convention ...`, `## The Schedule--Acts ... repealed`,
    `## Dictionary` (kind "schedule"). `## The Schedules` is a bare title and is skipped.
- Sections: a number, two or more spaces, the heading:
  `##### 302.4  Trafficking controlled drugs`, `##### 233A  Offence of people smuggling`,
  `##### 27   Regulations`, `##### **11.4  Incitement`, `##### _233C  Aggravated ...`,
  `##### 3A  ` (heading lost: kept with an empty heading and a warning). In the 2011-2012
  compilations sections 1 and 2 are bullets: `     * 1**  Short title** [_see_ Note 1]`.
- Skipped: the long title (`### An Act to ...`) and empty headings (`### **`, `## `).
- Any other heading is text of the unit it sits in. Inside a section these are tables
  that became headings (the s.15 penalty tables of the Crimes (Traffic in Narcotic Drugs
  and Psychotropic Substances) Act 1990: `##### TABLE`, `##### Life`, `##### 25 years`) or
  a section heading that lost its number (`##### Ombudsman to give Minister ...`): one
  warning per section. In schedules they are table cells and convention headings
  (`##### Column 1`, `##### 2.00`, `##### PREAMBLE`), folded without a warning.
  `##### (b) who is a member ...` (a paragraph turned heading) is read as that bullet.

Bullet lines inside a section (`    * (1) ...`, `     * (a) ...`, `      * (i) ...`,
`     * _<TAB>(2)<TAB>Where ...`). The indentation differs between files, so the kind comes
from the label and indentation only settles (i), (v) and (x):

- `(1)`, `(1A)`, `(2AA)`: subsection.
- `(a)`, `(ba)`: paragraph of the open subsection, or of the section when it has none.
- `(i)`, `(iv)`: subparagraph. A one-letter (i), (v) or (x) is a paragraph when it follows
  (h), (u) or (w) at that paragraph's indentation.
- `(A)`, `(B)`: a clause of the open subparagraph (or paragraph).
- `_[Penalty where offence involves cultivation of opium poppy etc.]_` (2011-2012
  compilations): a subheading of the next subsection, kept as text of the section.
- Unlabelled lines without closing punctuation (`* Conducting a business involving
  servitude`) are subheadings of the next subsection: text of the section.
- Other unlabelled lines (`Penalty: ...`, `Note: ...`, `Example: ...`, lead-in and closing
  words) are text of the open subsection, or of the section. Closing words printed at a
  paragraph's indentation after its subparagraphs are text of that paragraph.
- Lists of a definition, penalty or note: after an unlabelled line that opens with a
  defined term (`* **_serious harm_** means:`) or is a `Penalty:` / `Maximum penalty:` /
  `Note: ... before:`
  lead-in, the lettered bullets belong to that line (definitions: up to the next
  subsection; penalties and notes: up to the next unlabelled line). So do lettered
  bullets indented under quoted text (`* "(1) Subject to ...`) that amends another Act. They stay text of the (sub)section, since each such list restarts at (a)
  and would clash with the unit's own paragraphs.

Text: emphasis (`**_term_**`, `_Criminal Code_`, stray `**`) and tabs are removed; each
bullet is one line and sub-units keep their label ("(a) the person traffics ...").
Sub-units are added with `full_text=True` and their text is grown in document order, so
closing words and penalties after paragraphs come after them, as printed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from harmonize.model import Instrument, ParsedDocument, Provision
from harmonize.errors import ParseError
from harmonize.parse.base import TreeBuilder, read_text

CONTENTS_HEADING = re.compile(r"^##\s+Contents\s*$")
HEADING_LINE = re.compile(r"^(#{1,6})\s?(.*)$")
BULLET_LINE = re.compile(r"^([ \t]*)\*[ \t]+(.*)$")

# Headings that start the endnotes; everything from there on is amendment history.
ENDNOTES = re.compile(r"^(Endnotes\b|Endnote \d|Notes to the\b)")
LONG_TITLE = re.compile(r"^An Act\b")
# "Part 9.1--Serious drug offences", "Division 1  ", "Subdivision --Other provisions ...".
CONTAINER = re.compile(r"^(Chapter|Part|Division|Subdivision)\b\s*([0-9A-Z][0-9A-Za-z.]*)?\s*(?:--\s*(.*))?$")
SCHEDULE = re.compile(
    r"^((?:First|Second|Third|Fourth|Fifth|The)\s+)?Schedule(?:\s+(\d+[A-Z]*))?\s*(?:--\s*(.*))?$"
)
DICTIONARY = re.compile(r"^Dictionary\s*$")
SCHEDULES_TITLE = re.compile(r"^The Schedules\s*$")
# "302.4  Trafficking controlled drugs", "233A  Offence ...", "3A  " (heading lost).
SECTION = re.compile(r"^(\d+[A-Z]*(?:\.\d+[A-Z]*)?)(?:[ \t]{2,}(\S.*)|[ \t]{2,})$")
# 2011-2012 compilations print sections 1 and 2 as bullets: "1**  Short title** [_see_ Note 1]".
BULLET_SECTION = re.compile(r"^(\d+[A-Z]*)\*\*\s+(.+)$")
NOTE_REFERENCE = re.compile(r"\[\s*see\s+Note\s+\d+\s*\]", re.I)
LABEL = re.compile(r"^\((\d+[A-Z]*|[a-z]{1,4}|[A-Z]{1,3})\)\s*(.*)$")
ROMAN = re.compile(r"^(?=[ivx]+$)x{0,3}(ix|iv|v?i{0,3})$")
LEADING_MARKUP = re.compile(r"^[\s*_\\]+")
EMPHASIS = re.compile(r"[*_]+|\\(?=\*)")
NOTE_WORDS = r"(Maximum penalty|Penalty|Notes?|Example)\b"
ATTACHED_NOTE = re.compile(rf"^{NOTE_WORDS}")
# "Penalty:", "Note: Some conditions must be satisfied before:" -> a lettered list follows.
LIST_LEAD_IN = re.compile(rf"^{NOTE_WORDS}.*:$")
DEFINED_TERM_FIRST = re.compile(r"^\*\*_")
QUOTED_TEXT = re.compile(r'^["\']')
# An unlabelled line with no closing punctuation: "Causing a person to enter into ... servitude".
SUBHEADING = re.compile(rf"^(?!{NOTE_WORDS})[A-Z][^:;]*[^.,;:\-\s]$")
BRACKETED_SUBHEADING = re.compile(r"^\[[^\]]+\]$")

CONTAINER_RANK = {"schedule": 0, "chapter": 1, "part": 2, "division": 3, "subdivision": 4}
# One-letter labels that are a paragraph right after these letters, a subparagraph otherwise.
AMBIGUOUS_ROMAN_AFTER = {"i": "h", "v": "u", "x": "w"}


@dataclass
class Bullet:
    """One bullet line of a section: its indentation, label ("" if none) and clean text."""

    indent: int
    label: str
    text: str
    opens_definition: bool


def clean_markup(text: str) -> str:
    """Drop Markdown emphasis and tabs: "**_perpetrator_**" -> "perpetrator"."""
    return EMPHASIS.sub("", text).replace("\t", " ").strip()


def heading_words(raw: str) -> str:
    """The words of a heading without surrounding emphasis: "**11.4  Incitement" -> "11.4  Incitement"."""
    return LEADING_MARKUP.sub("", raw).rstrip("*_ \t")


def find_body_start(lines: list[str], builder: TreeBuilder) -> int:
    """Index of the first heading after the table of contents."""
    contents = next((i for i, line in enumerate(lines) if CONTENTS_HEADING.match(line)), None)
    if contents is None:
        builder.warn("file", "no '## Contents' heading; the body is read from line 2")
        contents = 0
    for i in range(contents + 1, len(lines)):
        if lines[i].startswith("#"):
            return i
    return len(lines)


def read_bullet(line: str) -> Bullet | None:
    """Split a bullet line into indentation, label and clean text."""
    match = BULLET_LINE.match(line)
    if not match:
        return None
    return make_bullet(len(match.group(1).expandtabs(4)), match.group(2))


def make_bullet(indent: int, body: str) -> Bullet:
    """A bullet from the Markdown after its "* " marker, e.g. "_<TAB>(2)<TAB>Where ..."."""
    opens_definition = bool(DEFINED_TERM_FIRST.match(body.lstrip()))
    words = clean_markup(LEADING_MARKUP.sub("", body))
    label_match = LABEL.match(words)
    label = f"({label_match.group(1)})" if label_match else ""
    return Bullet(indent, label, words, opens_definition)


def section_heading(raw_words: str) -> tuple[str, str] | None:
    """(number, heading) when a heading line is a section heading."""
    match = SECTION.match(raw_words.rstrip("*_"))
    if not match:
        return None
    return match.group(1), clean_heading(match.group(2) or "")


def clean_heading(text: str) -> str:
    """A section heading without markup or the "[see Note 1]" pointer to the endnotes."""
    return clean_markup(NOTE_REFERENCE.sub("", clean_markup(text)))


def is_roman(letters: str) -> bool:
    """ "i", "iv", "xii": letters that can number a subparagraph."""
    return bool(ROMAN.match(letters))


class AusActReader:
    """Walks the body lines of one Act and feeds the TreeBuilder in document order."""

    def __init__(self, builder: TreeBuilder):
        self.b = builder
        self.containers: list[tuple[int, Provision]] = []  # (rank, container), outermost first
        self.section: Provision | None = None
        self.subsection: Provision | None = None
        self.paragraph: Provision | None = None
        self.paragraph_indent = 0
        self.subparagraph: Provision | None = None
        self.clause: Provision | None = None
        self.in_definitions = self.in_penalty_or_note_list = False
        self.quotation_indent: int | None = None
        self.folded_heading_lines: list[int] = []
        self.sections: list[Provision] = []

    # ---- the walk ---------------------------------------------------------------------

    def read(self, lines: list[str], start: int) -> None:
        for index in range(start, len(lines)):
            line_no = index + 1
            line = lines[index]
            heading = HEADING_LINE.match(line)
            if heading:
                if ENDNOTES.match(heading_words(heading.group(2))):
                    break
                self.read_heading(heading.group(2), line_no)
            elif line.strip():
                self.read_body_line(line, line_no)
        self.close_section()

    def read_heading(self, raw: str, line_no: int) -> None:
        words = heading_words(raw)
        if not words or LONG_TITLE.match(words) or SCHEDULES_TITLE.match(words):
            return
        section = section_heading(LEADING_MARKUP.sub("", raw))
        if section:
            self.open_section(*section, line_no)
            return
        if self.open_container_if_any(clean_markup(words), line_no):
            return
        if self.section is not None and LABEL.match(clean_markup(words)):
            # A paragraph that the conversion turned into a heading: read it as its bullet.
            self.b.warn(f"line {line_no}", f"bullet written as a heading: '{words[:40]}'")
            self.read_bullet(make_bullet(self.paragraph_indent, words))
            return
        if self.section is not None:
            self.folded_heading_lines.append(line_no)
        self.add_loose_text(clean_markup(words))

    def read_body_line(self, line: str, line_no: int) -> None:
        old_style = BULLET_SECTION.match(LEADING_MARKUP.sub("", line))
        if old_style and BULLET_LINE.match(line):
            self.open_section(old_style.group(1), clean_heading(old_style.group(2)), line_no)
            return
        if self.section is None:
            self.add_loose_text(clean_markup(LEADING_MARKUP.sub("", line)))
            return
        bullet = read_bullet(line)
        if bullet is None:  # plain text inside a section: table rows, lists
            self.add_loose_text(clean_markup(line))
        else:
            self.read_bullet(bullet)

    # ---- containers and sections -----------------------------------------------------

    def open_container_if_any(self, words: str, line_no: int) -> bool:
        kind_label_heading = self.container_parts(words, line_no)
        if kind_label_heading is None:
            return False
        rank_name, kind, label, heading = kind_label_heading
        self.close_section()
        rank = CONTAINER_RANK[rank_name]
        while self.containers and self.containers[-1][0] >= rank:
            self.containers.pop()
        parent = self.containers[-1][1] if self.containers else None
        container = self.b.add(kind, label, heading=heading, parent=parent)
        self.containers.append((rank, container))
        return True

    def container_parts(self, words: str, line_no: int) -> tuple[str, str, str, str] | None:
        """(rank name, kind, label, heading) for a Chapter/Part/Division/Schedule heading."""
        match = CONTAINER.match(words)
        if match:
            word, ident, heading = match.group(1), match.group(2) or "", match.group(3) or ""
            if not ident:
                self.b.warn(f"line {line_no}", f"{word} heading without its number: '{words[:60]}'")
            kind = "division" if word == "Subdivision" else word.lower()
            return word.lower(), kind, f"{word} {ident}".strip(), heading
        match = SCHEDULE.match(words)
        if match:
            ordinal = (match.group(1) or "").strip()
            label = " ".join(p for p in (ordinal if ordinal != "The" else "", "Schedule", match.group(2) or "") if p)
            return "schedule", "schedule", label, match.group(3) or ""
        if DICTIONARY.match(words):
            return "schedule", "schedule", "Dictionary", ""
        return None

    def open_section(self, number: str, heading: str, line_no: int) -> None:
        self.close_section()
        if not heading:
            self.b.warn(f"line {line_no}", f"section {number} has no heading")
        parent = self.containers[-1][1] if self.containers else None
        self.section = self.b.add("section", number, heading=heading, parent=parent, full_text=True)
        self.sections.append(self.section)

    def close_section(self) -> None:
        if self.section is not None and self.folded_heading_lines:
            lines = self.folded_heading_lines
            self.b.warn(
                f"line {lines[0]}",
                f"{len(lines)} heading line(s) inside section {self.section.number} kept as its text "
                "(a table or a heading without a section number)",
            )
        self.folded_heading_lines = []
        self.section = self.subsection = self.paragraph = self.subparagraph = self.clause = None
        self.in_definitions = self.in_penalty_or_note_list = False
        self.quotation_indent = None

    # ---- sub-units ---------------------------------------------------------------------

    def read_bullet(self, bullet: Bullet) -> None:
        letters = bullet.label.strip("()")
        if not letters:
            self.read_unlabelled(bullet)
        elif letters[0].isdigit():
            self.open_subsection(bullet)
        elif self.in_definitions or self.in_penalty_or_note_list or self.inside_quotation(bullet):
            self.emit(self.subsection or self.section, bullet.text)
        elif letters.islower():
            if self.is_paragraph_label(letters, bullet.indent):
                self.open_paragraph(bullet)
            else:
                self.open_subparagraph(bullet)
        else:
            self.open_clause(bullet)

    def read_unlabelled(self, bullet: Bullet) -> None:
        # Lettered bullets after "**_term_** means:" belong to the definitions up to the next
        # subsection; after "Penalty:" or "Note: ...:" only up to the next unlabelled line.
        self.in_definitions = self.in_definitions or bullet.opens_definition
        self.in_penalty_or_note_list = bool(LIST_LEAD_IN.match(bullet.text))
        self.quotation_indent = bullet.indent if QUOTED_TEXT.match(bullet.text) else None
        if (
            self.subparagraph is not None
            and self.paragraph is not None
            and bullet.indent <= self.paragraph_indent
            and not ATTACHED_NOTE.match(bullet.text)
        ):
            # Closing words of a paragraph, printed after its subparagraphs.
            self.emit(self.paragraph, bullet.text)
            self.subparagraph = self.clause = None
            return
        if BRACKETED_SUBHEADING.match(bullet.text) or SUBHEADING.match(bullet.text):
            # "Conducting a business involving servitude", "[Penalty where offence involves ...]"
            # head the next subsection, not the open one.
            self.emit(self.section, bullet.text)
            return
        self.emit(self.subsection or self.section, bullet.text)

    def inside_quotation(self, bullet: Bullet) -> bool:
        """A lettered bullet indented under quoted text ("(1) Subject to ...") that amends another Act."""
        return self.quotation_indent is not None and bullet.indent > self.quotation_indent

    def is_paragraph_label(self, letters: str, indent: int) -> bool:
        if not is_roman(letters) or self.paragraph is None:
            return True
        previous = self.paragraph.label.strip("()")
        follows_letter = previous[:1] == AMBIGUOUS_ROMAN_AFTER.get(letters)  # (h) or (ha) -> (i)
        return follows_letter and indent <= self.paragraph_indent

    def open_subsection(self, bullet: Bullet) -> None:
        self.subsection = self.add_sub_unit("subsection", bullet, self.section)
        self.paragraph = self.subparagraph = self.clause = None
        self.in_definitions = self.in_penalty_or_note_list = False
        self.quotation_indent = None

    def open_paragraph(self, bullet: Bullet) -> None:
        self.paragraph = self.add_sub_unit("paragraph", bullet, self.subsection or self.section)
        self.paragraph_indent = bullet.indent
        self.subparagraph = self.clause = None

    def open_subparagraph(self, bullet: Bullet) -> None:
        self.subparagraph = self.add_sub_unit("subparagraph", bullet, self.paragraph)
        self.clause = None

    def open_clause(self, bullet: Bullet) -> None:
        parent = self.subparagraph or self.paragraph or self.subsection or self.section
        self.clause = self.add_sub_unit("clause", bullet, parent)

    def add_sub_unit(self, kind: str, bullet: Bullet, parent: Provision | None) -> Provision:
        assert self.section is not None
        parent = parent or self.section
        unit = self.b.add(kind, bullet.label, parent=parent, full_text=True)
        self.emit(unit, bullet.text)
        return unit

    # ---- text --------------------------------------------------------------------------

    def add_loose_text(self, text: str) -> None:
        """Text outside bullets: of the open (sub)section, else of the open container."""
        if self.section is not None:
            self.emit(self.subsection or self.section, text)
        elif self.containers:
            self.b.append_text(self.containers[-1][1], text)

    def emit(self, unit: Provision, text: str) -> None:
        """Add text to a unit and to every ancestor up to its section, in document order.

        Units at or below a section are added with full_text=True, so their text is grown
        here and closing words stay after the sub-units they follow.
        """
        if not text:
            return
        self.b.append_text(unit, text)
        while unit.kind != "section" and unit.parent is not None:
            unit = self.parent_of(unit)
            self.b.append_text(unit, text)

    def parent_of(self, unit: Provision) -> Provision:
        for candidate in (self.clause, self.subparagraph, self.paragraph, self.subsection, self.section):
            if candidate is not None and candidate.id == unit.parent:
                return candidate
        raise AssertionError(f"parent of {unit.id} is not open")

    def warn_empty_sections(self) -> None:
        for section in self.sections:
            if not self.b.own_text(section):
                self.b.warn(f"section {section.number}", "section has a heading but no text")


def parse(path: Path, instrument: Instrument) -> ParsedDocument:
    """Parse one gitlaw-au Markdown Act into containers, sections and their sub-units."""
    text = read_text(path, instrument.source)
    lines = text.splitlines()
    builder = TreeBuilder(instrument)
    start = find_body_start(lines, builder)
    reader = AusActReader(builder)
    reader.read(lines, start)
    if not reader.sections:
        raise ParseError(
            instrument.source,
            f"line {start + 1}",
            "expected a section heading such as '##### 302.4  Heading' after the table of contents, found none",
        )
    reader.warn_empty_sections()
    return ParsedDocument(instrument, builder.finish(), builder.warnings)
