"""Nyaaya's Markdown rendering of an Indian central act (national/IND/ndps-act-1985-nyaaya.md).

The file is a lossy scrape; its conventions change part-way through. What the parser reads:

    # The Narcotic Drugs And Psychotropic Substances Act, 1985     front matter, skipped up to
    #### ACT NO. 61 OF 1985                                          the first chapter/section
    ##### [16th September, 1985]
    ## CHAPTER IIA National Fund for Control of Drug Abuse         -> "Chapter IIA", heading
    ### 1.Short title, extent and commencement                    section, heading without dash
    ### 21.Punishment for ... preparations.—Whoever, ...,--(a)     heading ".—" then the text,
                                                                     a trailing label whose text
                                                                     is on the next line
    26.Punishment for certain acts by licensee ...—If ...--(a)     from s.26 on: no "###"
    6.The Narcotics ... Committee. —(1)    5.Officers ....-—(1)    dash variants ".—", ". —",
                                                                     ".-—", "--" close the heading
    #### (1)                       a label as a heading; its text is on the next line
    (b)                            a label alone on a line; its text is on the next line
    (1)Subject to ...—(a)permit and regulate—(i)     labels inline after a dash: "—(a)",
    (2) In particular ..., namely:-- (a) ... --(i)   "--(a)", ":-- (a)" start new units
      - (a) charas, that is, ...   a bullet: a list nested under the unit above it
    ( A) and involves small ...    a label with a stray space
    Provided that ...              provisos and explanations ("Explanation:—",
    **Explanation**:— ...          "Explanation--") belong to the sub-section or section
    [See clause (xxiii) of section 2]    the Schedule starts here (kind "schedule"); its
                                         table cells, one per line, are its text

Labels are "(1)", "(1A)", "(a)", "(ha)", "(i)", "(viiib)", "(A)". The nesting of labels is
rebuilt from their styles (see list_nesting), since the file writes every level the same way.

Known defects of the source (not repaired): Chapter VA's heading is missing (ss.68A-68Z fall
under Chapter V); some items were lost in the scrape (s.9(1)(a)(vi) has no label); a
parenthesis inside text that follows a dash ("—(a) of section") would be read as a label.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from harmonize.model import Instrument, ParsedDocument, Provision
from harmonize.errors import ParseError
from harmonize.parse.base import TreeBuilder, normalize_space, read_text
from harmonize.parse.list_nesting import LabelNester


CHAPTER = re.compile(r"^(?:#{1,6}\s*)?CHAPTER\s+([IVXLC]+[A-Z]?)\b\.?\s*(.*)$")
SECTION = re.compile(r"^(?:#{1,6}\s*)?(\d+[A-Z]{0,3})\.\s*(?=[A-Z\"“'])(.*)$")
SCHEDULE_START = re.compile(r"^\[See .*\]$")
# The dash that ends a marginal note: ".—", ". —", ".-—", "--".
HEADING_END = re.compile(r"\s*\.?\s*(?:-?—|–|-{2,})\s*")
LABEL_BODY = r"\(\s?(?:\d+[A-Z]{0,3}|[a-z]{1,8}|[A-Z]{1,2})\)"
LEADING_LABEL = re.compile(rf"^({LABEL_BODY})\s*")
# A label inside a line only counts right after a dash or colon: "—(a)", ":-- (a)", "--(i)".
INLINE_LABEL = re.compile(rf"(?<=[—–:-])\s*({LABEL_BODY})")
BULLET = re.compile(r"^\s*[-*+]\s+")
MARKDOWN_HEADING = re.compile(r"^#{1,6}\s*")
# "**Explanation**" -> "Explanation"; a lone "***" is the statute's mark for omitted text.
EMPHASIS = re.compile(r"\*\*(?=[^*\s])(.+?)(?<=[^*\s])\*\*")
ATTACHES_TO_SECTION = re.compile(r"^(Provided\b|Explanation\b)")


def parse(path: Path, instrument: Instrument) -> ParsedDocument:
    text = read_text(path, instrument.source)
    reader = ActReader(TreeBuilder(instrument))
    for number, line in enumerate(text.splitlines(), start=1):
        reader.read_line(number, line)
    reader.finish()
    if not reader.sections:
        raise ParseError(
            instrument.source,
            "file",
            "expected section lines such as '### 21.Punishment for ...—' or '26.Punishment for ...—'",
        )
    return ParsedDocument(instrument, reader.b.finish(), reader.b.warnings)


def clean_markdown(line: str) -> str:
    """Drop emphasis markers and heading hashes; keep the words."""
    return normalize_space(EMPHASIS.sub(r"\1", MARKDOWN_HEADING.sub("", line)))


def split_heading(rest: str) -> tuple[str, str]:
    """"Punishment for ....—Whoever ..." -> ("Punishment for ...", "Whoever ...")."""
    match = HEADING_END.search(rest)
    if not match:
        return clean_heading(rest), ""
    heading = rest[: match.start()]
    if heading.endswith("etc") and match.group().lstrip().startswith("."):
        heading += "."  # "..., etc.—": the dot belongs to "etc."
    return clean_heading(heading), rest[match.end() :]


def clean_heading(heading: str) -> str:
    heading = clean_markdown(heading).rstrip(" -—")
    if heading.endswith(".") and not heading.endswith("etc."):
        heading = heading[:-1]
    return heading.strip()


def split_labels(text: str) -> list[tuple[str | None, str]]:
    """Split a line at its unit labels: "(1)Subject to ...—(a)permit—(i)" ->
    [("(1)", "Subject to ...—"), ("(a)", "permit—"), ("(i)", "")]."""
    pieces: list[tuple[str | None, str]] = []
    label: str | None = None
    lead = LEADING_LABEL.match(text)
    if lead:
        label, text = lead.group(1), text[lead.end() :]
    pos = 0
    for match in INLINE_LABEL.finditer(text):
        pieces.append((label, text[pos : match.start()].strip()))
        label, pos = match.group(1), match.end()
    pieces.append((label, text[pos:].strip()))
    return [(lab, body) for lab, body in pieces if lab is not None or body]


@dataclass
class ActReader:
    """Reads the file line by line, keeping the open chapter, section and unit."""

    b: TreeBuilder
    sections: list[Provision] = field(default_factory=list)
    chapter: Provision | None = None
    section: Provision | None = None
    unit: Provision | None = None  # where unlabelled text goes
    schedule: Provision | None = None
    nester: LabelNester | None = None
    pending: tuple[str, bool] | None = None  # a label whose text is on the next line
    after_bullet: bool = False
    parents: dict[str, Provision] = field(default_factory=dict)
    # Text in document order, (unit, line): a proviso after "(c)" belongs to the section but
    # must read after (c), so full texts are assembled here, not by TreeBuilder.finish.
    lines: list[tuple[Provision, str]] = field(default_factory=list)
    own: dict[str, list[str]] = field(default_factory=dict)

    def read_line(self, number: int, raw: str) -> None:
        line = raw.strip()
        if not line:
            return
        if self.schedule is not None:
            self.write(self.schedule, clean_markdown(line))
            return
        if self.section is not None and SCHEDULE_START.match(line):
            self.start_schedule(line)
            return
        chapter = CHAPTER.match(line)
        if chapter:
            self.start_chapter(chapter.group(1), chapter.group(2))
            return
        section = SECTION.match(line)
        if section and self.is_next_section(number, section.group(1)):
            self.start_section(section.group(1), section.group(2))
            return
        if self.section is None:
            return  # front matter: title, Act number, date, long title, enacting words
        self.read_body_line(raw)

    def finish(self) -> None:
        self.flush_pending()
        full: dict[str, list[str]] = {}
        for unit, text in self.lines:
            node: Provision | None = unit
            while node is not None:
                full.setdefault(node.id, []).append(text)
                node = self.parents.get(node.id)
        for prov in self.b.provisions:
            self.b.append_text(prov, "\n".join(full.get(prov.id, [])))

    def add(self, kind: str, label: str, parent: Provision | None, heading: str = "") -> Provision:
        prov = self.b.add(kind, label, heading=heading, parent=parent, full_text=True)
        if parent is not None:
            self.parents[prov.id] = parent
        return prov

    def write(self, unit: Provision, text: str) -> None:
        text = normalize_space(text)
        if text:
            self.lines.append((unit, text))
            self.own.setdefault(unit.id, []).append(text)

    def own_text(self, unit: Provision) -> str:
        return "\n".join(self.own.get(unit.id, []))

    # ---- structure ------------------------------------------------------------------

    def start_chapter(self, numeral: str, heading: str) -> None:
        self.flush_pending()
        self.chapter = self.add("chapter", f"Chapter {numeral}", None, heading=clean_heading(heading))
        self.section = self.unit = None

    def is_next_section(self, number: int, label: str) -> bool:
        """Section numbers only grow; a smaller one is a number inside the text."""
        if not self.sections:
            return True
        previous = int(re.match(r"\d+", self.sections[-1].number).group())
        if int(re.match(r"\d+", label).group()) >= previous:
            return True
        self.b.warn(f"line {number}", f"'{label}.' after section {self.sections[-1].number} read as text")
        return False

    def start_section(self, label: str, rest: str) -> None:
        self.flush_pending()
        heading, body = split_heading(rest)
        if any(s.number == label for s in self.sections):
            self.b.warn(f"section {label}", f"section {label} is printed twice")
        self.section = self.add("section", label, self.chapter, heading=heading)
        self.sections.append(self.section)
        self.unit = self.section
        self.nester = LabelNester(self.section, self.own_text)
        self.after_bullet = False
        if body:
            self.read_pieces(split_labels(clean_markdown(body)), bullet=False)

    def start_schedule(self, line: str) -> None:
        self.flush_pending()
        self.schedule = self.add("schedule", "Schedule", None, heading=line)

    # ---- body text ------------------------------------------------------------------

    def read_body_line(self, raw: str) -> None:
        bullet = bool(BULLET.match(raw))
        line = clean_markdown(BULLET.sub("", raw))
        if not line:
            return
        pieces = split_labels(line)
        if pieces and pieces[0][0] is None:
            self.add_loose_text(pieces.pop(0)[1], bullet)
        self.read_pieces(pieces, bullet)
        self.after_bullet = bullet

    def read_pieces(self, pieces: list[tuple[str | None, str]], bullet: bool) -> None:
        for label, text in pieces:
            if label is None:
                self.add_loose_text(text, bullet)
            elif text:
                self.add_unit(label, text, bullet)
            else:
                self.flush_pending()
                self.pending = (label, bullet)

    def add_loose_text(self, text: str, bullet: bool) -> None:
        if self.pending:
            label, was_bullet = self.pending
            self.pending = None
            self.add_unit(label, text, was_bullet)
            return
        assert self.section is not None
        if ATTACHES_TO_SECTION.match(text):
            self.unit = self.enclosing_section_or_subsection(self.unit)
        elif self.after_bullet and not bullet and self.unit is not None and self.nester is not None:
            # "wherever they may be." closes the bulleted list: it belongs to the unit above.
            self.unit = self.parents.get(self.unit.id, self.section)
            self.nester.return_to(self.unit)
        self.write(self.unit or self.section, text)

    def add_unit(self, label: str, text: str, bullet: bool) -> None:
        self.flush_pending()
        assert self.section is not None and self.nester is not None
        parent = self.nester.parent_for(label, opens_list=bullet and not self.after_bullet)
        label = label.replace(" ", "")  # "( A)" -> "(A)"
        prov = self.add(self.nester.kind_for(label, parent), label, parent)
        self.write(prov, f"{label} {text}")
        self.nester.added(prov)
        self.unit = prov

    def flush_pending(self) -> None:
        """A label with no text after it (the text was lost) still becomes a unit."""
        if self.pending:
            label, bullet = self.pending
            self.pending = None
            self.add_unit(label, "", bullet)

    def enclosing_section_or_subsection(self, unit: Provision | None) -> Provision:
        while unit is not None and unit.kind not in ("section", "subsection"):
            unit = self.parents.get(unit.id)
        return unit or self.section  # type: ignore[return-value]
