"""US Code chunk Markdown (codexstanford/markdonw-chunck-of-the-usa-code), national/USA/*.md.

Each corpus file is a concatenation of whole chunk files. Every chunk repeats the heading
lines that lead to its text, so the same section heading appears once per chunk and a
section split over many chunks must be merged back into one section.

Lines the parser understands (as they appear in the real files):

    # Title 21— FOOD AND DRUGS                    title breadcrumb, repeated per chunk: skipped
    ## SUBTITLE IV— MONEY                          subtitle breadcrumb (31 USC): skipped
    ### CHAPTER 13— DRUG ABUSE PREVENTION ...      chapter breadcrumb: skipped
    #### § 841. Prohibited acts A                  section (§ + U+202F); a repeat of the open
                                                   section's number continues that section
    #### § 803. Repealed. Pub. L. 95–137, ...      repealed/omitted section: short provision
    ##### (b) Penalties                            a sub-unit heading; level 5 to 11 varies
    ###### (b) The provisions of this chapter ...  (the level says nothing reliable), it is
    ######## (A) In the case of a violation ...    either a breadcrumb repeating an open unit
                                                   (skipped) or a new unit (text in heading)
    SUBCHAPTER I— CONTROL AND ENFORCEMENT          plain line: container "Subchapter I"
    Part D— Offenses and Penalties                 plain line: container "Part D" (within
                                                   the subchapter)
    (1) to manufacture, distribute, ...            plain labelled line: a new sub-unit
    (A) In general .                               short labelled line followed by plain
    (1) In general                                 text: the label's catchline (heading)
    [(31) Repealed. Pub. L. 103–322, ...]          bracketed repealed sub-unit
    The Congress makes the following findings:     unlabelled line: text of the open unit

Sub-units nest as the US Code does: (a) subsection > (1) paragraph > (A) subparagraph >
(i) clause > (I) subclause > (aa) item > (AA) subitem; the last three become "clause"
provisions. A section may start at any of these levels (e.g. § 802 has only paragraphs).
Ambiguous labels ((i) after (h), (I) after (H), (v), (x) ...) are resolved by whether the
open unit's text introduces a list (ends with ":", "—" or mid-sentence) or is closed.

The files carry no editorial notes (no "Amendments", "Codification" ... sections), so
everything kept is statutory text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from harmonize.model import Instrument, ParsedDocument, Provision
from harmonize.errors import ParseError
from harmonize.parse.base import TreeBuilder, read_text

BREADCRUMB = re.compile(r"^#{1,3}\s")  # "# Title", "## SUBTITLE", "### CHAPTER"
# "#### § 841. Prohibited acts A"; "§§ 951 to 953." ranges are accepted too.
SECTION = re.compile(
    r"^####\s+§{1,2}[\s\u202f\u00a0]*"
    r"(?P<num>\d[0-9A-Za-z\-–]*(?:\s+(?:to|and)\s+\d[0-9A-Za-z\-–]*)?)\.?\s*(?P<catch>.*)$"
)
SUB_HEADING = re.compile(r"^#{5,}\s*(?P<body>\(.*)$")
ANY_HEADING = re.compile(r"^#+\s")
# "(1)", "(5A)", "(a)", "(aa)", "(ii)", "(A)", "(AA)", "(IV)"; "[(31) Repealed ...]" too.
LABEL = re.compile(
    r"^\[?\((?P<label>\d+[A-Za-z]?|[ivxlc]+|[IVXLC]+|([a-z])\2?|([A-Z])\3?)\)(?=\s|$|\s*,)\s*(?P<rest>.*)$"
)
SUBCHAPTER = re.compile(r"^SUBCHAPTER\s+(?P<num>[IVXLC]+[A-Z]?)\s*[—–]\s*(?P<title>.*)$")
PART = re.compile(r"^PART\s+(?P<num>[A-Z]{1,2}|[IVXL]+|\d+)\s*[—–]\s*(?P<title>.*)$", re.I)
STATUS_CATCHLINE = re.compile(
    r"^(?P<status>Repealed|Omitted|Transferred|Renumbered|Vacant|Reserved)(?:\.|$|\s*[—–])"
)
# 21 USC 812(c) lists the schedules as "Schedule I" lines, some glued to a neighbouring line.
SCHEDULE_MARK = re.compile(r"(?:^|(?<=[.;])\s)Schedule\s(?P<num>[IVX]+)(?:\s(?P<after>[A-Z].*))?$")
ROMAN_LOWER = re.compile(r"^[ivxlc]+$")
ROMAN_UPPER = re.compile(r"^[IVXLC]+$")

# Label styles, outermost first; a new nested level must be deeper than its parent's.
STYLE_ORDER = {"schedule": -1, "lower": 0, "num": 1, "upper": 2, "roman": 3, "ROMAN": 4, "item": 5, "subitem": 6}
FIRST_LABEL = {"lower": "a", "num": "1", "upper": "A", "roman": "i", "ROMAN": "I", "item": "aa", "subitem": "AA"}
STYLE_KIND = {
    "lower": "subsection",
    "num": "paragraph",
    "upper": "subparagraph",
    "roman": "clause",
    "ROMAN": "clause",
    "item": "clause",
    "subitem": "clause",
}
CATCHLINE_MAX = 130


@dataclass
class Token:
    """One non-blank line, classified."""

    line: int
    kind: str  # "skip", "section", "container", "label", "text"
    text: str  # the printed line without markdown heading marks
    is_heading: bool = False
    level: int = 0  # number of "#" of a sub-unit heading line
    label: str = ""
    rest: str = ""
    number: str = ""


@dataclass
class OpenUnit:
    """A sub-unit that later labels may nest under or continue."""

    prov: Provision
    style: str
    label: str
    crumb: str  # the text after the label, to recognise the unit's repeated breadcrumb


def parse(path: Path, instrument: Instrument) -> ParsedDocument:
    text = read_text(path, instrument.source)
    tokens = tokenize(text)
    if not any(t.kind == "section" for t in tokens):
        raise ParseError(instrument.source, "line 1", "expected at least one '#### § N. Heading' section heading")
    builder = TreeBuilder(instrument)
    UscodeReader(builder).read(tokens)
    return ParsedDocument(instrument, builder.finish(), builder.warnings)


# ---------------------------------------------------------------- tokens


def tidy(text: str) -> str:
    """Drop conversion artefacts: soft hyphens and the space put before , ; . ) and after (."""
    text = text.replace("\u00ad", "").replace("\u202f", " ").replace("\u00a0", " ")
    text = re.sub(r"\s+([,;:.)\]])", r"\1", text)
    text = re.sub(r"([(\[])\s+", r"\1", text)
    return re.sub(r"\s{2,}", " ", text).strip()


def tokenize(text: str) -> list[Token]:
    tokens = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if line:
            tokens.extend(split_schedule_marker(classify(number, line)))
    return tokens


def split_schedule_marker(token: Token) -> list[Token]:
    """Split "(11) Phenobarbital. Schedule V Any compound ..." into line, marker and text."""
    if token.kind not in ("text", "label") or token.is_heading:
        return [token]
    mark = SCHEDULE_MARK.search(token.text)
    if not mark:
        return [token]
    before = token.text[: mark.start()].strip()
    tokens = []
    if before:
        tokens.append(classify(token.line, before))
    tokens.append(Token(token.line, "schedule", mark.group().strip(), number=mark["num"], rest=mark["after"] or ""))
    return tokens


def classify(number: int, line: str) -> Token:
    if BREADCRUMB.match(line):
        return Token(number, "skip", line)
    section = SECTION.match(line)
    if section:
        return Token(number, "section", tidy(section["catch"]), number=section["num"].replace(" ", ""))
    heading = SUB_HEADING.match(line)
    body = heading["body"] if heading else line
    if ANY_HEADING.match(line) and not heading:
        return Token(number, "text", tidy(line.lstrip("#")), is_heading=True)
    label = LABEL.match(body)
    if label:
        level = len(line) - len(line.lstrip("#")) if heading else 0
        return Token(number, "label", tidy(body), bool(heading), level, label["label"], tidy(label["rest"]))
    if SUBCHAPTER.match(line) or PART.match(line):
        return Token(number, "container", tidy(line))
    return Token(number, "text", tidy(body), bool(heading))


def is_catchline(token: Token, following: Token | None) -> bool:
    """Whether a labelled line is the unit's heading rather than its text.

    "(1) In general" followed by plain text is a heading. Followed by a first child label,
    only "##### (d) Boobytraps ..." (level 5 is the catchline level in titles 8, 21, 22)
    and "(7) Penalties for distribution." (a closed title) are headings; "(A) In the case
    of ... involving" followed by "(i)" is a lead-in.
    """
    rest = token.rest
    if following is None or not rest or len(rest) > CATCHLINE_MAX or token.text.startswith("["):
        return False
    if not re.match(r"^[A-Z0-9“\"]", rest) or re.search(r"[;:,—–]$", rest):
        return False
    if following.kind == "text":
        return True
    if following.kind == "label" and following.label in FIRST_LABEL.values():
        return token.level == 5 or rest.endswith(".")
    return False


# ---------------------------------------------------------------- labels


def label_styles(label: str) -> list[str]:
    """The styles a label can belong to: "i" is both subsection (i) and clause (i)."""
    if label[0].isdigit():
        return ["num"]
    doubled = len(label) == 2 and label[0] == label[1]
    if label.islower():
        styles = ["lower"] if len(label) == 1 else []
        styles += ["roman"] if ROMAN_LOWER.match(label) else []
        return styles + (["item"] if doubled else [])
    styles = ["upper"] if len(label) == 1 else []
    styles += ["ROMAN"] if ROMAN_UPPER.match(label) else []
    return styles + (["subitem"] if doubled else [])


def roman_value(numeral: str) -> int:
    values = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}
    total = 0
    digits = [values[ch] for ch in numeral.lower()]
    for i, value in enumerate(digits):
        total += -value if i + 1 < len(digits) and digits[i + 1] > value else value
    return total


def ordinal(style: str, label: str) -> tuple[int, str]:
    """Position of a label within its style, for "is next" and "comes later" tests."""
    if style == "num":
        digits = re.match(r"\d+", label)
        return (int(digits.group()) if digits else 0, label[len(digits.group()) :] if digits else "")
    if style in ("roman", "ROMAN"):
        return (roman_value(label), "")
    if style in ("item", "subitem"):
        return (ord(label[0].lower()) - ord("a") + 1, "")
    if len(label) == 2:  # (aa) after (z) in a long subsection list
        return (26 + ord(label[0].lower()) - ord("a") + 1, "")
    return (ord(label.lower()) - ord("a") + 1, "")


def is_next(style: str, previous: str, label: str) -> bool:
    before, after = ordinal(style, previous), ordinal(style, label)
    if style == "num" and after[1]:  # "(5A)" inserted after "(5)"
        return after[0] == before[0] and after[1] > before[1]
    return after[0] == before[0] + 1 and not after[1]


def introduces_list(text: str) -> bool:
    """True when a unit's text ends as a lead-in ("... means", "... involving", ":")."""
    last = text.rstrip().splitlines()[-1] if text.strip() else ""
    if not last or re.match(r"^\[?\([0-9A-Za-z]+\)$", last):  # "(E)" alone
        return True
    if re.search(r"[:—–-]$", last):
        return True
    # ")" and closing quotes alone do not close: "... violates paragraph (2)" leads in.
    return not re.search(r"[.;,!?][”’)\]]*(?:\s*(?:and|or))?$", last)


def is_bare_heading(text: str) -> bool:
    """A unit that is only a short titled line, "(C) Safe harbor.", leads in to its children."""
    title = re.sub(r"^\[?\([0-9A-Za-z]+\)\s*", "", text)
    return "\n" not in text and len(text) <= 90 and bool(re.match(r"[A-Z]", title)) and not title.endswith(";")


# ---------------------------------------------------------------- reader


class UscodeReader:
    """Walks the tokens once, merging repeated chunks into one tree."""

    def __init__(self, builder: TreeBuilder):
        self.b = builder
        self.subchapter: Provision | None = None
        self.part: Provision | None = None
        self.sections: dict[str, Provision] = {}
        self.section: Provision | None = None
        self.stack: list[OpenUnit] = []

    def read(self, tokens: list[Token]) -> None:
        for index, token in enumerate(tokens):
            following = tokens[index + 1] if index + 1 < len(tokens) else None
            if token.kind == "section":
                self.on_section(token)
            elif token.kind == "container":
                self.on_container(token)
            elif token.kind == "label":
                self.on_label(token, following)
            elif token.kind == "schedule":
                self.on_schedule(token)
            elif token.kind == "text":
                self.on_text(token)

    def on_container(self, token: Token) -> None:
        subchapter = SUBCHAPTER.match(token.text)
        if subchapter:
            self.subchapter = self.b.add("part", f"Subchapter {subchapter['num']}", heading=subchapter["title"])
            self.part = None
        else:
            part = PART.match(token.text)
            assert part is not None
            self.part = self.b.add("part", f"Part {part['num']}", heading=part["title"], parent=self.subchapter)
        self.section, self.stack = None, []

    def on_section(self, token: Token) -> None:
        if self.section is not None and token.number == self.section.label:
            return  # the chunk repeats the open section's heading: continue it
        self.stack = []
        if token.number in self.sections:
            # Only breadcrumbs repeat a section; one turning up again elsewhere is odd.
            self.b.warn(f"line {token.line}", f"section {token.number} heading seen again after other sections")
            self.section = self.sections[token.number]
            return
        heading, text = token.text, ""
        status = STATUS_CATCHLINE.match(heading)
        if status:  # "Repealed. Pub. L. 95–137, ..." -> heading "Repealed", text the note
            heading, text = status["status"], heading
        parent = self.part or self.subchapter
        self.section = self.b.add("section", token.number, text=text, heading=heading, parent=parent)
        self.sections[token.number] = self.section

    def on_text(self, token: Token) -> None:
        target = self.current_unit()
        if target is None:
            self.b.warn(f"line {token.line}", f"text outside any section dropped: {token.text[:60]!r}")
            return
        self.b.append_text(target, token.text)

    def on_label(self, token: Token, following: Token | None) -> None:
        if self.section is None:
            self.b.warn(f"line {token.line}", f"labelled text outside any section dropped: {token.text[:60]!r}")
            return
        if token.is_heading and self.is_breadcrumb(token):
            return
        if token.is_heading and following is not None and following.kind == "label" and following.is_heading:
            # Only a chunk's last heading line can be new text; the ones above it are its
            # ancestors, and the chunker sometimes names the wrong one (922(h) over 922(q)).
            self.b.warn(f"line {token.line}", f"chunk breadcrumb ({token.label}) names no open unit; skipped")
            return
        placed = self.place(token)
        if placed is None:
            self.b.warn(f"line {token.line}", f"label ({token.label}) fits no open level; kept as text")
            self.b.append_text(self.current_unit() or self.section, token.text)
            return
        depth, style = placed
        del self.stack[depth:]
        parent = self.stack[-1].prov if self.stack else self.section
        heading = ""
        if is_catchline(token, following):
            heading = re.sub(r"\s*\.$", "", token.rest)
        label = f"({token.label})"
        # Units directly in a schedule have no section-style parent number to extend.
        number = f"{parent.number}{label}" if parent.kind == "schedule" else None
        prov = self.b.add(STYLE_KIND[style], label, text=token.text, heading=heading, parent=parent, number=number)
        self.stack.append(OpenUnit(prov, style, token.label, token.rest))

    def on_schedule(self, token: Token) -> None:
        """"Schedule II" in 21 USC 812(c): a new list whose lettering starts again at (a)."""
        if self.section is None:
            self.b.warn(f"line {token.line}", f"{token.text!r} outside any section dropped")
            return
        open_schedule = next((d for d, unit in enumerate(self.stack) if unit.style == "schedule"), None)
        if open_schedule is not None:
            del self.stack[open_schedule:]
        parent = self.current_unit()
        assert parent is not None
        label = f"Schedule {token.number}"
        prov = self.b.add("schedule", label, text=token.rest, parent=parent, number=f"{parent.number} {label}")
        self.stack.append(OpenUnit(prov, "schedule", token.number, ""))

    def current_unit(self) -> Provision | None:
        return self.stack[-1].prov if self.stack else self.section

    def is_breadcrumb(self, token: Token) -> bool:
        """A chunk's `##### (b) Penalties` line repeating a unit that is still open."""
        for unit in self.stack:
            if unit.label == token.label and (
                unit.crumb == token.rest or unit.crumb.startswith(token.rest) or token.rest.startswith(unit.crumb)
            ):
                return True
        return False

    def place(self, token: Token) -> tuple[int, str] | None:
        """Where a new label goes: (stack depth to keep, style), or None if nowhere fits."""
        styles = label_styles(token.label)
        deepest = self.stack[-1] if self.stack else None
        child = next(
            (
                s
                for s in styles
                if token.label == FIRST_LABEL[s] and (deepest is None or STYLE_ORDER[s] > STYLE_ORDER[deepest.style])
            ),
            None,
        )
        sibling = self.find_open(styles, lambda unit, s: is_next(s, unit.label, token.label))
        if child and sibling:
            # "(i)" after "(h)": a lead-in opens clause (i), a closed sentence means subsection (i).
            own = self.b.own_text(deepest.prov)
            natural = STYLE_ORDER[child] == STYLE_ORDER[deepest.style] + 1
            opens = introduces_list(own) or (natural and is_bare_heading(own))
            return (len(self.stack), child) if opens else sibling
        if child:
            return len(self.stack), child
        if not self.stack:  # 22 USC 7109 starts at (b): its (a) was omitted from the Code
            return 0, styles[0]
        if sibling:
            return sibling
        # Labels skip where units were repealed or renumbered: take any later label at an open level.
        later = self.find_open(styles, lambda unit, s: ordinal(s, token.label) > ordinal(s, unit.label))
        if later:
            return later
        repeated = self.find_open(styles, lambda unit, s: ordinal(s, token.label) == ordinal(s, unit.label))
        if repeated:  # "(57)" enacted twice in 21 USC 802
            self.b.warn(f"line {token.line}", f"label ({token.label}) repeats an open unit's label")
            return repeated
        fallback = next((s for s in styles if token.label == FIRST_LABEL[s]), None)
        if fallback:
            self.b.warn(f"line {token.line}", f"label ({token.label}) nests out of the usual US Code order")
            return len(self.stack), fallback
        return None

    def find_open(self, styles: list[str], test) -> tuple[int, str] | None:
        """The deepest open unit of one of these styles that passes `test`, as (depth, style)."""
        for depth in range(len(self.stack) - 1, -1, -1):
            unit = self.stack[depth]
            if unit.style in styles and test(unit, unit.style):
                return depth, unit.style
        return None
