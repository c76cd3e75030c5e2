"""Parser for the Canadian Criminal Code Markdown (a conversion of the Justice Canada XML).

The file is read line by line. The phrasings it understands, as they occur in
`national/CAN/criminal-code.md`:

Front matter and title (skipped)::

    ---
    title: "Criminal Code"
    chapter: "C-46"
    ---
    # Criminal Code
    > An Act respecting the Criminal Law

`##` headings:

- `## Part I` opens the first Part. It and every later plain `##` heading
  (`## Offences Against Public Order`, `## Terrorism`, `## Proceeds of Crime`,
  `## [Repealed, 2018, c. 16, s. 211]`) become a container of kind "part". Only Part I
  prints its number; the others are labelled with their printed title, because the file does
  not say which Part number they are.
- `## Short Title`, `## Interpretation` come before Part I: cross headings, no container.
- `## SCHEDULE TO PART XXII.1  Offences in respect of which ...`, `## SCHEDULE [to Part XXV]`,
  `## FORM 5.001  Preservation Demand`: containers of kind "schedule" (label before the
  double space, heading after it). Their content, including numbered items written as
  `### 1`, `### 2`, is kept as the schedule's own text, so those items never collide with
  the main-body sections 1 and 2.
- `## RELATED PROVISIONS` and `## AMENDMENTS NOT IN FORCE` end the main body. They repeat
  section numbers of the main body (21, 22, 354 ...) with other texts, so they are left out.

`###` and `####` headings:

- `### 279.01 Trafficking in persons`: a section, number then marginal note.
  `### 462.1` (a repealed section) has no marginal note.
- `### Parties to Offences`, `#### Absolute Jurisdiction`: cross headings. They close the
  section before them and create nothing.

Section bodies:

- `(1) Every person who ...`, `(2.01) For the purpose of ...`: a subsection, at line start.
- `**Consent**` alone on a line, just before a subsection: that subsection's marginal note.
- `- (a) ...`, `  - (i) ...`, `    - (A) ...`: paragraph, subparagraph, clause; the nesting
  is told by the indent (0, 2, 4 spaces).
- `**Act** includes` / `**Attorney General**` at line start: a definition. The definition
  and its indented `  - (a)` items stay text of the enclosing section or subsection (they
  are parts of a definition, not paragraphs of the section), with the ** markup removed.
- `(3) In this section, **enactment** means` followed by `  - (a) ...` indented one level
  deeper than any open paragraph: also definition items, kept as text.
- Any other line (`is guilty of an indictable offence ...` after a list, `[Repealed, ...]`):
  text of the unit opened last, which keeps the reading order of the section text.
- `<details><summary>Historical Note</summary> ... </details>`: dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from harmonize.model import Instrument, ParsedDocument, Provision
from harmonize.errors import ParseError
from harmonize.parse.base import TreeBuilder, read_text, strip_html_tags

SECTION_HEADING = re.compile(r"^#{3,4} (?P<number>\d+(?:\.\d+)*)(?:\s+(?P<heading>.*))?$")
OTHER_SUB_HEADING = re.compile(r"^#{3,6} ")
LEVEL2_HEADING = re.compile(r"^## (?P<title>.+?)\s*$")
TITLE_LINE = re.compile(r"^(# |> )")
TRAILING_PART = re.compile(r"^(RELATED PROVISIONS|AMENDMENTS NOT IN FORCE)\b", re.I)
SCHEDULE_TITLE = re.compile(r"^(?P<label>(?:SCHEDULE|FORM)\b.*?)(?:\s{2,}(?P<heading>.*))?$", re.I)
FIRST_PART = re.compile(r"^Part\s+[IVXLC]+(?:\.\d+)?\b", re.I)
SUBSECTION = re.compile(r"^\((?P<label>\d+(?:\.\d+)*)\)\s")
BULLET = re.compile(r"^(?P<indent> *)- (?P<body>\((?P<label>[0-9A-Za-z.]+)\).*)$")
MARGINAL_NOTE = re.compile(r"^\*\*(?P<note>.+)\*\*$")
DEFINITION_START = re.compile(r"^\*{2,3}[^*\s]")
DETAILS_OPEN = re.compile(r"^<details\b", re.I)
DETAILS_CLOSE = re.compile(r"</details>", re.I)

# Nesting levels inside a section: the section and its subsections hold bullets; a bullet
# indented by 2*k spaces sits at level PARAGRAPH_LEVEL + k.
SECTION_LEVEL, SUBSECTION_LEVEL, PARAGRAPH_LEVEL = 0, 1, 2
BULLET_KINDS = {2: "paragraph", 3: "subparagraph", 4: "clause"}

EXPECTED_SECTION = "a numbered section heading such as '### 279.01 Trafficking in persons'"


@dataclass
class Line:
    number: int  # 1-based line number in the file
    text: str


def clean_inline(text: str) -> str:
    """Drop HTML tags and Markdown emphasis, and turn typographic spaces into plain ones."""
    text = strip_html_tags(text)
    # Every asterisk in the file is emphasis, often nested ("**Definition of **Act****",
    # "***Ex parte* hearing**"), so removing them all is safer than pairing them.
    text = text.replace("*", "")
    return re.sub(r"[\u2000-\u200a]", " ", text)


def table_row_text(line: str) -> str | None:
    """A Markdown table row as "cell; cell; cell" (None for the |---| separator row)."""
    cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
    if all(re.fullmatch(r":?-{3,}:?", cell) for cell in cells):
        return None
    return "; ".join(cell for cell in cells if cell)


def body_lines(raw: str, source: str) -> list[Line]:
    """The non-blank lines after the front matter, with Historical Note blocks removed."""
    lines = raw.splitlines()
    start = front_matter_end(lines, source)
    kept: list[Line] = []
    in_details = False
    for index in range(start, len(lines)):
        text = lines[index].rstrip()
        if in_details or DETAILS_OPEN.match(text.lstrip()):
            # Historical Notes list amending Acts, not the law's words.
            in_details = not DETAILS_CLOSE.search(text)
            continue
        if text.strip():
            kept.append(Line(index + 1, text))
    return kept


def front_matter_end(lines: list[str], source: str) -> int:
    """Index of the first line after a `---` ... `---` YAML block (0 when there is none)."""
    if not lines or lines[0].strip() != "---":
        return 0
    for index in range(1, len(lines)):
        if lines[index].strip() == "---":
            return index + 1
    raise ParseError(source, "line 1", "front matter opened with '---' is never closed by a '---' line")


@dataclass
class SectionReader:
    """Turns the lines of one section into subsections, paragraphs and text."""

    builder: TreeBuilder
    section: Provision
    stack: list[tuple[int, Provision]] = field(default_factory=list)
    in_definition: bool = False
    pending_note: str = ""

    def __post_init__(self) -> None:
        self.stack = [(SECTION_LEVEL, self.section)]

    def feed(self, line: Line, next_line: Line | None) -> None:
        text = line.text
        note = MARGINAL_NOTE.match(text.strip())
        if note and next_line is not None and SUBSECTION.match(next_line.text):
            self.pending_note = clean_inline(note["note"])
            return
        if SUBSECTION.match(text):
            self.open_subsection(line)
            return
        bullet = BULLET.match(text)
        if bullet:
            self.add_bullet(line, bullet)
            return
        if DEFINITION_START.match(text):
            self.in_definition = True
        # Closing words after a list go to the unit opened last, to keep the reading order.
        self.append(self.stack[-1][1], text)

    def open_subsection(self, line: Line) -> None:
        label = SUBSECTION.match(line.text)["label"]
        del self.stack[1:]
        self.in_definition = False
        sub = self.builder.add(
            "subsection", f"({label})", text=clean_inline(line.text), heading=self.pending_note, parent=self.section
        )
        self.pending_note = ""
        self.stack.append((SUBSECTION_LEVEL, sub))

    def add_bullet(self, line: Line, bullet: re.Match[str]) -> None:
        level = PARAGRAPH_LEVEL + len(bullet["indent"]) // 2
        if level == PARAGRAPH_LEVEL:
            self.in_definition = False  # a flush-left item is back in the section's own list
        if self.in_definition:
            self.append(self.definition_holder(), bullet["body"])
            return
        while self.stack[-1][0] >= level:
            self.stack.pop()
        parent_level, parent = self.stack[-1]
        if level not in BULLET_KINDS:
            self.builder.warn(f"line {line.number}", f"list item nested deeper than a clause: {line.text.strip()[:60]}")
            self.append(parent, bullet["body"])
            return
        # A paragraph may sit right under a section that has no subsections; any other
        # skipped level means the items belong to a definition written inside the text.
        if level > PARAGRAPH_LEVEL and parent_level < level - 1:
            self.append(parent, bullet["body"])
            return
        unit = self.builder.add(BULLET_KINDS[level], f"({bullet['label']})", text=clean_inline(bullet["body"]), parent=parent)
        self.stack.append((level, unit))

    def definition_holder(self) -> Provision:
        """The unit whose text a definition joins: the one opened last.

        In the Code definitions open a section or subsection, so this is that unit; were a
        definition to follow a list, it stays after the list's last item, in reading order.
        """
        return self.stack[-1][1]

    def append(self, unit: Provision, text: str) -> None:
        self.builder.append_text(unit, clean_inline(text.strip()))


@dataclass
class DocumentReader:
    """Walks the headings of the whole file and hands section bodies to a SectionReader."""

    builder: TreeBuilder
    part: Provision | None = None
    schedule: Provision | None = None
    section: SectionReader | None = None
    schedule_item: str = ""
    seen_first_part: bool = False
    sections: int = 0

    def read(self, lines: list[Line]) -> None:
        for index, line in enumerate(lines):
            next_line = lines[index + 1] if index + 1 < len(lines) else None
            level2 = LEVEL2_HEADING.match(line.text)
            if level2:
                if TRAILING_PART.match(level2["title"]):
                    break  # RELATED PROVISIONS / AMENDMENTS NOT IN FORCE: not the main body
                self.open_level2(level2["title"])
            elif self.schedule is not None:
                self.add_schedule_line(line)
            elif SECTION_HEADING.match(line.text):
                self.open_section(line)
            elif OTHER_SUB_HEADING.match(line.text):
                self.section = None  # a cross heading ends the section before it
            elif self.section is not None:
                self.section.feed(line, next_line)
            elif not TITLE_LINE.match(line.text):
                self.builder.warn(f"line {line.number}", f"text outside any section dropped: {line.text.strip()[:60]}")

    def open_level2(self, title: str) -> None:
        self.section = None
        title = clean_inline(title).strip()
        schedule = SCHEDULE_TITLE.match(title)
        if schedule and self.seen_first_part:
            self.schedule = self.builder.add("schedule", schedule["label"].strip(), heading=schedule["heading"] or "")
            self.part = None
            return
        self.schedule = None
        if FIRST_PART.match(title):
            self.seen_first_part = True
            self.part = self.builder.add("part", title)
        elif self.seen_first_part:
            # Later Parts print only their title; the title is their label.
            self.part = self.builder.add("part", title, heading=title)
        # Before Part I ("Short Title", "Interpretation"): a cross heading only.

    def open_section(self, line: Line) -> None:
        match = SECTION_HEADING.match(line.text)
        heading = clean_inline(match["heading"] or "")
        sec = self.builder.add("section", match["number"], heading=heading, parent=self.part)
        self.section = SectionReader(self.builder, sec)
        self.sections += 1

    def add_schedule_line(self, line: Line) -> None:
        """Schedules and forms are kept whole, as the text of their container."""
        if self.schedule is None:
            return
        item = SECTION_HEADING.match(line.text)
        if item:
            # Numbered schedule items ("### 1") prefix the line that follows them.
            self.schedule_item = item["number"]
            return
        text = clean_inline(line.text.strip()).lstrip("#").strip()
        if text.startswith("|"):
            row = table_row_text(text)
            if row is None:
                return
            text = row
        text = re.sub(r"^- ", "", text)
        if self.schedule_item:
            text = f"{self.schedule_item} {text}"
            self.schedule_item = ""
        self.builder.append_text(self.schedule, text)


def parse(path: Path, instrument: Instrument) -> ParsedDocument:
    """Parse the Criminal Code Markdown into parts, sections and their sub-units."""
    source = instrument.source
    lines = body_lines(read_text(path, source), source)
    builder = TreeBuilder(instrument)
    reader = DocumentReader(builder)
    reader.read(lines)
    if reader.sections == 0:
        where = f"lines 1-{lines[-1].number}" if lines else "file"
        raise ParseError(source, where, f"expected {EXPECTED_SECTION}, found none")
    return ParsedDocument(instrument, builder.finish(), builder.warnings)
