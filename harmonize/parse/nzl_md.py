"""Parser for the New Zealand PCO reprint Markdown of wombleton/gitlaw-nz (national/NZL/*.md).

The files are a Markdown rendering of the legislation.govt.nz reprint HTML. Layout, in order:

- Front matter: ``Reprint`` / ``as at 1 July 2014``, the crest image, the title heading
  ``# Misuse of Drugs Act 1975Public Act1975 No 116``, assent and commencement lines and a
  ``###### Note`` block. Skipped.
- ``## Contents``: one link-reference line per entry, e.g.
  ``[6][16][][16][Dealing with controlled drugs][16]`` or ``[Part 1][6]  `` + ``[Jurisdiction][6]``.
  Skipped: the body starts at the first heading after it, so no provision comes from here.
- Containers, each closing the one before at its level:
  ``## Part 1  `` with the title on the next line (``Jurisdiction``) -> kind "part";
  ``### Subpart 1---Customer due diligence`` -> kind "division" under the current part;
  ``#### Smuggling and trafficking in people`` (cross heading) -> no provision; it only ends
  the section before it.
- Sections: ``##### 6 Dealing with controlled drugs`` (number ``\\d+[A-Z]*``: "6", "98D", "12AB").
- Inside a section, nesting is told by the column where the label starts:
  ``*   (1) ...`` (first subsection, a bullet) and ``    (2) ...`` (later ones, indented) at
  column 4 -> subsection; ``    *   (a)`` at column 8 -> paragraph; ``        *   (i)`` at
  column 12 -> subparagraph; ``            *   (A)`` at column 16 -> clause. A section without
  subsections opens with an unlabelled ``*   text`` line. Unlabelled lines continue the open
  unit at their column or above (closing words such as ``    the Judge or court shall ...``
  after a list of paragraphs are kept after them, in printed order).
- Definitions (``    _term_ means ...`` or ``**term**``): the paragraphs under a definition
  are folded into the text of the unit that holds the definitions, since every definition
  restarts at (a) and would clash with the unit's own paragraph numbers.
- ``## Schedule 1  `` with its title on the next line -> kind "schedule". Schedule bodies
  (drug lists, treaty texts with ``## Article 1``, Orders in Council under ``##### Albania``)
  are flattened into the schedule's text; their clause headings reuse section numbers, so
  they do not become sections.
- Sub-headings inside a bullet (``    *   ###### Making``) are text of the unit they sit in.
- Block quotes (``> ##### "51 Further provisions ...``, ``    > *   (a) ...``): the text an
  amending section inserts into another Act, flattened into the unit that introduces it.
- Dropped everywhere: amendment history notes (``Section 6(2): replaced, on 16 October 1978,
  by section 3(1) of ...``, ``Heading: inserted ...``, ``Schedule 1 clause 1 **Cocaine**:
  inserted ...``, ``Section 100: not yet in force.``), ``Compare: 1908 No 32 s 100`` lines,
  ``---`` rules, images and the closing ``[n]: http://www.legislation.govt.nz/...`` link targets.
  A section printed with nothing but its repeal note reads "[Repealed]", as the reprint prints
  other repealed sections.
- End of the Act: a ``# Misuse of Drugs Amendment Act 1978Public Act...`` heading (provisions
  of amending Acts printed after the schedules; they reuse this Act's section numbers, so they
  are skipped with a warning) or the reprint notes, which open with an empty ``#### `` heading,
  ``#### Contents``, ``##### Notes`` or ``##### Reprints notes``.

Inline markup is reduced to text: ``[text][n]`` and ``[text](url)`` -> text, ``_italic_`` and
``**bold**`` -> their words, Markdown escapes (``\\.``, ``\\[``) -> the character, ``""`` -> ``"``,
``---`` -> an em dash and ``--`` -> an en dash.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from harmonize.model import Instrument, ParsedDocument, Provision
from harmonize.errors import ParseError
from harmonize.parse.base import TreeBuilder, read_text

HEADING = re.compile(r"^(#{1,6})(?:\s+(.*?))?\s*$")
PART = re.compile(r"^Part\s+(\d+[A-Z]*)$")
SUBPART = re.compile(r"^Subpart\s+(\d+[A-Z]*)\s*(?:---|—)\s*(.*)$")
SCHEDULE = re.compile(r"^Schedule(?:\s+(\d+[A-Z]*))?$")
SECTION = re.compile(r"^(\d+[A-Z]*)(?:\s+(.*))?$")
# Headings that open the reprint notes after the last provision.
END_NOTES = {"", "contents", "notes", "reprints notes", "reprint notes"}

# `*   ` bullets (sometimes doubled) after an indent; the label starts where they end.
LINE_LAYOUT = re.compile(r"^( *)((?:\*   )*)(.*)$")
# "(1)", "(1A)", "(a)", "(ba)", "(iv)", "(A)": short, so "(see section 5)" is not a label.
LABEL = re.compile(r"^\((\d+[A-Za-z]{0,3}|[a-z]{1,5}|[A-Z]{1,3})\)(?:\s+|$)(.*)$")
DEFINITION_START = re.compile(r"^(?:_[^_]+_|\*\*[^*]+\*\*)")
# "> ##### "51 Further provisions ..." / "    > *   (a) ...": text quoted by an amending section.
QUOTE_MARKERS = re.compile(r"^\s*(?:>\s?)+\s*(?:#{1,6}\s+)?(?:\*   )*")
LINK_TARGET = re.compile(r"^\[\d+\]:\s")
RULE = re.compile(r"^-{3,}\s*$")

HISTORY_NOTE = re.compile(
    r"^(?:Section|Sections|Secion|Schedule|Heading|Part|Subpart|Title|Regulation|Clause)\b[^:]{0,160}:\s+"
    r"(?:\S+\s+){0,15}?(?:added|amended|inserted|renumbered|repealed|replaced|substituted|expired|revoked|"
    r"brought into force|not yet in force|not in force)\b"
)
REPEAL_NOTE = re.compile(r"^Section\s+\d+[A-Z]*:\s+repealed\b")
COMPARE_NOTE = re.compile(r"^Compare:\s")

# Levels of the units inside a section, by the column their label starts at.
KIND_BY_LEVEL = {1: "subsection", 2: "paragraph", 3: "subparagraph"}


@dataclass
class Node:
    """A unit while the file is read: its text and children kept in printed order."""

    kind: str
    label: str
    heading: str = ""
    line: int = 0
    level: int = 0  # 0 for sections and containers, 1.. for units inside a section
    parts: list[str | Node] = field(default_factory=list)

    def add_text(self, text: str) -> None:
        if text:
            self.parts.append(text)

    def has_text_after_children(self) -> bool:
        seen_child = False
        for part in self.parts:
            if isinstance(part, Node):
                seen_child = True
            elif seen_child:
                return True
        return False

    def rendered(self) -> str:
        return "\n".join(p if isinstance(p, str) else p.rendered() for p in self.parts)


def clean_inline(text: str) -> str:
    """Reduce inline Markdown to readable text."""
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", text)  # images
    text = re.sub(r"\[([^\]]*)\]\[\d*\]", r"\1", text)  # [text][n]
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)  # [text](url)
    text = re.sub(r"\*\*([^*]+)\*\*", r"\1", text)
    text = re.sub(r"(?<!\\)_([^_\n]+?)(?<!\\)_", r"\1", text)
    text = re.sub(r"\\([\\`*_{}\[\]()#+\-.!<>|])", r"\1", text)
    text = text.replace('""', '"').replace("---", "\u2014").replace("--", "\u2013")
    return re.sub(r"\s+", " ", text).strip()


def is_history_note(text: str) -> bool:
    return bool(HISTORY_NOTE.match(text) or COMPARE_NOTE.match(text))


def split_act_title(raw: str) -> str:
    """"Misuse of Drugs Amendment Act 1978Public Act1978 No 65" -> "Misuse of Drugs Amendment Act 1978"."""
    return re.split(r"(?:Public|Private|Local|Imperial) Act", raw, maxsplit=1)[0].strip()


class ReprintReader:
    """Reads one reprint into Nodes: containers, sections and their sub-units."""

    def __init__(self, lines: list[str], builder: TreeBuilder):
        self.lines = lines
        self.b = builder
        self.top: list[Node] = []  # parts, schedules and sections outside any part
        self.part: Node | None = None
        self.subpart: Node | None = None
        self.schedule: Node | None = None
        self.section: Node | None = None
        self.open_units: dict[int, Node] = {}  # level inside the section -> open unit
        self.definition_owner: Node | None = None
        self.loose_text_owner: Node | None = None  # a container that may take "[Repealed]"
        self.consumed: set[int] = set()

    # -- walking the body ---------------------------------------------------------------

    def read(self, start: int) -> None:
        for i in range(start, len(self.lines)):
            if i in self.consumed:
                continue
            line = self.lines[i].rstrip()
            heading = HEADING.match(line)
            if heading:
                if self.at_end(i, len(heading.group(1)), heading.group(2) or ""):
                    return
                self.on_heading(i, len(heading.group(1)), heading.group(2) or "")
            else:
                self.on_text(i, line)

    def at_end(self, i: int, level: int, text: str) -> bool:
        """Stop at the reprint notes, or at the first amending Act printed after the schedules."""
        if level == 1:
            acts = [m.group(2) or "" for m in map(HEADING.match, self.lines[i:]) if m and len(m.group(1)) == 1]
            titles = "; ".join(split_act_title(act) for act in acts)
            self.b.warn(f"line {i + 1}", f"skipped provisions of amending Acts printed after the Act: {titles}")
            return True
        return level in (4, 5) and text.strip().lower() in END_NOTES

    def on_heading(self, i: int, level: int, raw: str) -> None:
        text = clean_inline(raw)
        if level == 2 and SCHEDULE.match(text):
            self.open_schedule(i, text)
        elif self.schedule is not None:
            self.schedule.add_text(text)  # headings inside a schedule are part of its text
        elif level == 2 and PART.match(text):
            self.open_part(i, text)
        elif level == 3 and SUBPART.match(raw.strip()):
            self.open_subpart(i, raw.strip())
        elif level == 5 and SECTION.match(text):
            self.open_section(i, text)
        elif level == 4:
            self.close_section()  # a cross heading groups sections but is not a provision
            self.loose_text_owner = None
        else:
            self.b.warn(f"line {i + 1}", f"unexpected heading kept as text: {line_preview(raw)}")
            self.on_text(i, raw)

    def on_text(self, i: int, line: str) -> None:
        if not line.strip() or RULE.match(line) or LINK_TARGET.match(line):
            return
        if line.lstrip().startswith(">"):
            self.on_quoted_text(QUOTE_MARKERS.sub("", line))
            return
        layout = LINE_LAYOUT.match(line)
        assert layout is not None  # the pattern matches every string
        indent, bullets, body = layout.groups()
        # A heading inside a bullet ("    *   ###### Making") is a sub-heading within the unit.
        text = clean_inline(re.sub(r"^#{1,6}\s+", "", body))
        if is_history_note(text):
            self.keep_repeal_mark(text)
            return
        if not text:
            return
        if self.schedule is not None:
            self.schedule.add_text(text)
        elif self.section is not None:
            column = len(indent) + len(bullets)
            self.on_section_line(i, max(1, column // 4), text, bool(DEFINITION_START.match(body)))
        elif self.loose_text_owner is not None:
            self.loose_text_owner.add_text(text)  # e.g. "[Repealed]" under a Part heading
        # Anything else (long title, enacting words) carries no provision.

    def keep_repeal_mark(self, note: str) -> None:
        """A section printed with only its note ("Section 122: repealed, on ...") reads "[Repealed]"."""
        if self.section is not None and not self.section.parts and REPEAL_NOTE.match(note):
            self.section.add_text("[Repealed]")

    def on_quoted_text(self, body: str) -> None:
        """Quoted amendment text belongs to the unit that introduces it, flattened."""
        text = clean_inline(body)
        if not text or is_history_note(text):
            return
        if self.schedule is not None:
            self.schedule.add_text(text)
        elif self.section is not None:
            self.innermost_unit().add_text(text)

    # -- containers ---------------------------------------------------------------------

    def title_on_next_line(self, i: int) -> str:
        """Part and schedule titles sit on the line after the heading ("## Part 1  " / "Jurisdiction")."""
        for j in range(i + 1, min(i + 3, len(self.lines))):
            candidate = self.lines[j].strip()
            if not candidate:
                continue
            if HEADING.match(candidate) or candidate.startswith(("*", "[")) or RULE.match(candidate):
                return ""
            self.consumed.add(j)
            return clean_inline(candidate)
        return ""

    def open_part(self, i: int, label: str) -> None:
        self.close_section()
        self.part = Node("part", label, self.title_on_next_line(i), line=i + 1)
        self.subpart = None
        self.top.append(self.part)
        self.loose_text_owner = self.part

    def open_subpart(self, i: int, raw: str) -> None:
        self.close_section()
        match = SUBPART.match(raw)
        assert match is not None
        node = Node("division", f"Subpart {match.group(1)}", clean_inline(match.group(2)), line=i + 1)
        if self.part is None:
            self.b.warn(f"line {i + 1}", f"subpart outside any part: {line_preview(raw)}")
            self.top.append(node)
        else:
            self.part.parts.append(node)
        self.subpart = node
        self.loose_text_owner = node

    def open_schedule(self, i: int, label: str) -> None:
        self.close_section()
        self.part = self.subpart = None
        self.schedule = Node("schedule", label, self.title_on_next_line(i), line=i + 1)
        self.top.append(self.schedule)
        self.loose_text_owner = None

    # -- sections and their units -------------------------------------------------------

    def open_section(self, i: int, text: str) -> None:
        self.close_section()
        match = SECTION.match(text)
        assert match is not None
        self.section = Node("section", match.group(1), match.group(2) or "", line=i + 1)
        container = self.subpart or self.part
        (container.parts if container else self.top).append(self.section)
        self.loose_text_owner = None

    def close_section(self) -> None:
        self.section = None
        self.open_units = {}
        self.definition_owner = None

    def on_section_line(self, i: int, level: int, text: str, starts_definition: bool) -> None:
        assert self.section is not None
        label = LABEL.match(text)
        if self.definition_owner is not None:
            if label is None or level > max(self.definition_owner.level, 1):
                self.definition_owner.add_text(text)
                return
            self.definition_owner = None
        if label is None:
            owner = self.unit_at_or_above(level)
            owner.add_text(text)
            if starts_definition:
                self.definition_owner = owner
            return
        self.open_unit(i, level, f"({label.group(1)})", text)

    def open_unit(self, i: int, level: int, label: str, text: str) -> None:
        parent = self.unit_at_or_above(level - 1)
        kind = KIND_BY_LEVEL.get(level, "clause")
        if level == 1 and re.fullmatch(r"\([a-z]+\)", label):
            kind = "paragraph"  # a lettered list straight under the section
        node = Node(kind, label, line=i + 1, level=level)
        node.add_text(text)
        parent.parts.append(node)
        self.open_units = {lvl: unit for lvl, unit in self.open_units.items() if lvl < level}
        self.open_units[level] = node

    def innermost_unit(self) -> Node:
        assert self.section is not None
        return self.open_units[max(self.open_units)] if self.open_units else self.section

    def unit_at_or_above(self, level: int) -> Node:
        """The innermost open unit at this level or a wider one; the section when none is."""
        assert self.section is not None
        for lvl in sorted(self.open_units, reverse=True):
            if lvl <= level:
                return self.open_units[lvl]
        return self.section


def line_preview(text: str) -> str:
    text = text.strip()
    return text if len(text) <= 60 else text[:57] + "..."


def find_body_start(lines: list[str], source: str) -> int:
    """Index of the first heading after the contents list (or after the title if there is none)."""
    anchor = next((i for i, line in enumerate(lines) if re.match(r"^##\s+Contents\s*$", line)), None)
    if anchor is None:
        anchor = next((i for i, line in enumerate(lines) if line.startswith("# ")), -1)
    for i in range(anchor + 1, len(lines)):
        match = HEADING.match(lines[i])
        if match and len(match.group(1)) in (2, 3, 4, 5) and (match.group(2) or "").strip():
            return i
    raise ParseError(
        source, f"line {anchor + 2}", "expected a Part or section heading ('##### <number> <heading>') after the contents"
    )


def emit(b: TreeBuilder, node: Node, parent: Provision | None) -> None:
    """Hand a Node and its children to the TreeBuilder, in document order."""
    if node.kind == "section" and not node.parts:
        b.warn(f"line {node.line}", f"section {node.label} has no text")
    if node.has_text_after_children():
        # Closing words come after the sub-units: give the whole text in printed order.
        prov = b.add(
            node.kind, node.label, text=node.rendered(), heading=node.heading, parent=parent, full_text=True
        )
    else:
        own = "\n".join(p for p in node.parts if isinstance(p, str))
        prov = b.add(node.kind, node.label, text=own, heading=node.heading, parent=parent)
    for child in node.parts:
        if isinstance(child, Node):
            emit(b, child, prov)


def count_sections(nodes: list[Node]) -> int:
    total = 0
    for node in nodes:
        total += node.kind == "section"
        total += count_sections([p for p in node.parts if isinstance(p, Node)])
    return total


def parse(path: Path, instrument: Instrument) -> ParsedDocument:
    source = instrument.source
    lines = read_text(path, source).splitlines()
    b = TreeBuilder(instrument)
    if not lines or not lines[0].strip().startswith("Reprint"):
        b.warn("line 1", "expected the file to open with 'Reprint as at <date>'")
    start = find_body_start(lines, source)
    reader = ReprintReader(lines, b)
    reader.read(start)
    if count_sections(reader.top) == 0:
        raise ParseError(
            source, f"line {start + 1}", "expected a section heading ('##### <number> <heading>') after the contents"
        )
    for node in reader.top:
        emit(b, node, None)
    return ParsedDocument(instrument, b.finish(), b.warnings)
