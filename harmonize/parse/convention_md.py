"""Parser for the bilingual Dutch/English treaty Markdown of the Dutch treaty database (BWB).

The files come from statengeneraal/laws-markdown (snapshot 2017-05). Each holds the English
text first and the full Dutch translation after it; only the English half is parsed.

File layout (what the parser relies on)::

    <meta http-equiv='Content-Type' content='text/html; charset=utf-8' />   line 1, skipped
    ##Verdrag inzake psychotrope stoffen                                     Dutch title
    ####Convention on Psychotropic Substances                                English title
    Preamble The Parties, ...                                                run-on preamble
    ### Article  1                                                           English articles
    ####Use of terms
    ...
    ####Verdrag inzake psychotrope stoffen                                   Dutch half starts
    ### Artikel  1

Where the English half ends: at the first `####` line that repeats the Dutch `##` title
("####Het Wapenhandelsverdrag" repeats "##Wapenhandelsverdrag"). If no such line is found the
cut falls back to the first Dutch structure heading (`### Artikel`, `### HOOFDSTUK`,
`### TITEL`, `### Preambule`, `### Bijlage`), with a warning. Cutting at "the second `####`"
would not do: the Terrorist Financing Convention has no English article headings, so its
second `####` line is already the Dutch title.

Structure headings understood (all `###`, with or without a space after the hashes):

- `### Article  3`, `###Article  33`, `### Article  14 bis` -> kind "article", label "3" or
  "14 bis"; the number drops the space ("14bis") so that sub-units read "14bis(1)". The
  `####` line right after it is the heading; the Terrorist Financing Convention has none.
- `### CHAPTER  I` + `####General Provisions` (UNCAC, Warsaw, CoE Mutual Assistance) and the
  protocols' bare roman numerals `###I General provisions` (Firearms) or `###I` +
  `####General provisions` (Trafficking, Smuggling) -> kind "chapter", label "Chapter I".
- `###SECTION 1` + `####GENERAL PROVISIONS` (Warsaw, inside chapters) -> kind "division",
  label "Section 1" (a container, so article ids stay directly under the instrument).
- Annexes and schedules -> kind "schedule", one unit per heading, their text kept as running
  text (tables flattened row by row): `### ANNEX` (Vienna 1988), `###Annex` (Terrorist
  Financing), `### Appendix` (Warsaw), `####Schedules` and `###* List of drugs included in
  Schedule II*` (Single Convention), `####Revised Schedules ...` and `####List of Substances
  in Schedule I` (1971).

Numbered units inside an article, as they appear at the start of a line:

- `1. `, `1.   `, `2.“State` -> kind "paragraph", label "(1)", number "3(1)".
- `(a)`, `a)`, `a.` -> kind "subparagraph", label "(a)", number "3(1)(a)".
- `(i)`, `i.`, `(iv)The` -> kind "clause", label "(i)", number "3(1)(a)(i)".
- a second list nested deeper in another style (UNTOC 5(1)(a)(ii) `a.`/`b.`; 1971 1(j)
  `1)`/`2)`) -> one level deeper (letters under a roman clause are kind "clause").

A marker that continues a list already open (its style matches, or its value is the next in
sequence) closes the deeper levels and becomes a sibling; any other marker opens a new level.
A lone letter that is also a roman numeral ("i", "v", "x", "c", ...) is read as a roman
numeral when it continues an open roman list or opens one ("(i)" after a line ending in ":"),
and as a letter when it follows the previous letter ("(i)" after "(h);").

The preamble (everything between the English title and the first structure heading) is kept
as one unit of kind "article" with label and heading "Preamble", so it can be searched.
Lines without a marker are continuation text of the innermost open unit; the closing
"IN WITNESS WHEREOF ... DONE at" formula therefore ends up in the last unit of the last article.
Markdown is removed: links keep their text, emphasis asterisks and table pipes are dropped.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

from harmonize.model import Instrument, ParsedDocument, Provision
from harmonize.errors import ParseError
from harmonize.parse.base import TreeBuilder, read_text, strip_html_tags

ARTICLE_HEADING = re.compile(r"^###\s*Article\s+(\d+)(?:\s+(bis|ter|quater))?\s*$", re.I)
CHAPTER_HEADING = re.compile(r"^###\s*CHAPTER\s+([IVXLC]+)\s*$", re.I)
# Protocols print their chapters as a bare roman numeral, heading inline or on the next line.
ROMAN_CHAPTER_HEADING = re.compile(r"^###\s*([IVX]+)\b\s*(.*?)\s*$")
SECTION_HEADING = re.compile(r"^###\s*SECTION\s+(\d+)\s*$", re.I)
SUB_HEADING = re.compile(r"^####\s*(.*?)\s*$")
SCHEDULE_WORDS = re.compile(r"^\W*(annex|appendix|schedules?|revised schedules|list of)\b", re.I)
DUTCH_STRUCTURE = re.compile(r"^###\s*(Artikel|Hoofdstuk|Titel|Preambule|Bijlage)\b", re.I)
ITALIC_LINE = re.compile(r"^\*[^*]+\*$")
# "Preamble The Parties", "*Preamble*", and once the Dutch word: "PreambuleThe States Parties".
PREAMBLE_WORD = re.compile(r"^\W*preambu?le\W*", re.I)
SCHEDULE_NUMBER = re.compile(r"\bSchedule\s+([IVX]+)\b")
SCHEDULE_GROUP = re.compile(r"\bschedules\b", re.I)

# Line-start markers: "1.", "(a)", "a)", "a.", "(iv)", "iv.", "1)". The dot style must not
# swallow abbreviations such as "i.e." or decimals such as "2.5".
MARKER = re.compile(
    r"""^(?:
        \((?P<paren>[a-z]{1,2}|[ivx]+|\d{1,3})\)      # (a) (iv) (1)
      | (?P<close>[a-z]|[ivx]+|\d{1,3})\)             # a) iv) 1)
      | (?P<dot>[a-z]|[ivx]+|\d{1,3})\.(?![a-z]\.|\d) # a. iv. 1.
    )\s*""",
    re.X,
)
ROMAN = re.compile(r"^(?=[ivx])(x{0,3})(ix|iv|v?i{0,3})$")  # i to xxxix is enough for treaties
AMBIGUOUS_LETTERS = set("ivx")  # letters that also read as a roman numeral

# Link targets are relative paths to other BWB treaties, ending in README.md; one holds a
# stray bracket (".../lid/2/onder/c)/van/het/etc/BWBV0001526/README.md"), so match to README.md.
MD_LINK = re.compile(r"\[([^\]]*)\]\((?:\S*?README\.md|[^)\s]*)\)")
MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|])")


@dataclass
class Marker:
    """A list marker at the start of a line: value "a", style "(x)", type "letter"."""

    value: str
    style: str  # "(x)", "x)" or "x."
    printed: str  # the marker as printed, e.g. "(a)" or "1."
    rest: str  # the text after the marker


@dataclass
class ListLevel:
    """One open level of numbered units inside an article."""

    type: str  # "arabic", "letter" or "roman"
    style: str
    value: str
    prov: Provision


# --- cleaning ---------------------------------------------------------------------------


def clean_markdown(line: str) -> str:
    """Markdown and HTML removed from one line of text; tables become space-separated cells."""
    line = MD_LINK.sub(r"\1", line)
    line = MD_ESCAPE.sub(r"\1", line)
    line = strip_html_tags(line)
    line = html.unescape(line)
    if line.lstrip().startswith("|"):
        line = table_row_text(line)
    line = line.replace("**", "").replace("*", "")
    return re.sub(r"\s+", " ", line).strip()


def table_row_text(line: str) -> str:
    """A Markdown table row as its cells separated by spaces; rules and "---" cells dropped."""
    cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
    return " ".join(cell for cell in cells if cell and not re.fullmatch(r":?-{3,}:?", cell))


def heading_text(line: str) -> str:
    """The text of a `###`/`####` heading line, without hashes or markup."""
    return clean_markdown(line.lstrip("#"))


def comparable(title: str) -> str:
    """A title reduced for comparison: lower case letters and digits, no leading article."""
    title = re.sub(r"^(het|de)\s+", "", clean_markdown(title).lower())
    return re.sub(r"[^a-z0-9]", "", title)


# --- the English half -------------------------------------------------------------------


def dutch_title(lines: list[str]) -> str:
    """The Dutch `##` title near the top of the file ("" if missing)."""
    for line in lines[:10]:
        if line.startswith("##") and not line.startswith("###"):
            return heading_text(line)
    return ""


def english_end(lines: list[str], builder: TreeBuilder) -> int:
    """Index of the first line of the Dutch half (len(lines) if there is none).

    The Dutch half opens with a `####` line that repeats the Dutch `##` title; the search
    starts after the first English article so the English title near the top is not taken.
    """
    first_article = next((i for i, line in enumerate(lines) if ARTICLE_HEADING.match(line)), None)
    first_dutch = next((i for i, line in enumerate(lines) if DUTCH_STRUCTURE.match(line)), len(lines))
    if first_article is None or first_article > first_dutch:
        where = f"line {first_dutch + 1}" if first_dutch < len(lines) else "end of file"
        raise ParseError(
            builder.instrument.source, where, "expected an English '### Article N' heading before the Dutch text"
        )
    title = comparable(dutch_title(lines))
    for i in range(first_article, len(lines)):
        match = SUB_HEADING.match(lines[i])
        if title and match and is_same_title(comparable(match.group(1)), title):
            return i
    if first_dutch < len(lines):
        builder.warn(f"line {first_dutch + 1}", "no Dutch title line found; cut at the first Dutch heading")
    else:
        builder.warn("end of file", "no Dutch half found; the whole file was read as English")
    return first_dutch


def is_same_title(candidate: str, title: str) -> bool:
    return bool(candidate) and (candidate == title or candidate.endswith(title) or title.endswith(candidate))


# --- list markers -----------------------------------------------------------------------


def parse_marker(line: str) -> Marker | None:
    match = MARKER.match(line)
    if not match:
        return None
    for group, style in (("paren", "(x)"), ("close", "x)"), ("dot", "x.")):
        value = match.group(group)
        if value is not None:
            printed = style.replace("x", value)
            return Marker(value=value, style=style, printed=printed, rest=line[match.end():].strip())
    return None


def is_roman(value: str) -> bool:
    return bool(ROMAN.match(value))


def roman_to_int(value: str) -> int:
    numerals = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}
    total = 0
    for i, char in enumerate(value):
        n = numerals[char]
        total += -n if i + 1 < len(value) and numerals[value[i + 1]] > n else n
    return total


def successor(kind: str, value: str) -> str:
    """The value after `value` in a list of this type: "b" -> "c", "iv" -> "v", "9" -> "10"."""
    if kind == "arabic":
        return str(int(value) + 1)
    if kind == "roman":
        return int_to_roman(roman_to_int(value) + 1)
    return chr(ord(value[-1]) + 1) if len(value) == 1 else ""


def int_to_roman(n: int) -> str:
    out = ""
    for value, numeral in ((10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while n >= value:
            out += numeral
            n -= value
    return out


# --- the parser -------------------------------------------------------------------------


class ConventionParser:
    """Walks the English lines once, keeping the open container, article and list levels."""

    def __init__(self, builder: TreeBuilder):
        self.b = builder
        self.chapter: Provision | None = None
        self.division: Provision | None = None
        self.article: Provision | None = None
        self.schedule: Provision | None = None
        self.schedule_group: Provision | None = None  # an open "Schedules" heading
        self.preamble: Provision | None = None
        self.levels: list[ListLevel] = []
        self.seen_title = False
        self.last_article_number = 0

    def current(self) -> Provision | None:
        """The innermost open unit, which takes continuation text."""
        if self.schedule is not None:
            return self.schedule
        if self.levels:
            return self.levels[-1].prov
        return self.article or self.division or self.chapter or self.preamble

    def container(self) -> Provision | None:
        return self.division or self.chapter

    def run(self, lines: list[str]) -> None:
        i = 1 if lines and lines[0].lstrip().startswith("<meta") else 0
        while i < len(lines):
            i = self.handle_line(lines, i)

    def handle_line(self, lines: list[str], i: int) -> int:
        """Handle line i (and a heading line after it); return the index of the next line."""
        line = lines[i].rstrip()
        where = f"line {i + 1}"
        if not line.strip():
            return i + 1
        if line.startswith("##") and not line.startswith("###"):
            return i + 1  # the Dutch title
        if line.startswith("####") and not self.seen_title:
            self.seen_title = True  # the English title
            return i + 1
        if line.startswith("#"):
            return self.handle_heading(lines, i)
        if self.schedule is not None and ITALIC_LINE.match(line.strip()) and SCHEDULE_WORDS.match(line.strip("* ")):
            self.open_schedule(clean_markdown(line))  # "*List of drugs included in Schedule I *"
            return i + 1
        self.handle_text(clean_markdown(line), where)
        return i + 1

    def handle_heading(self, lines: list[str], i: int) -> int:
        """A `###`/`####` line: open the unit it names, taking its `####` heading along."""
        line = lines[i].rstrip()
        where = f"line {i + 1}"
        if match := ARTICLE_HEADING.match(line):
            heading, nxt = self.take_heading(lines, i + 1)
            self.open_article(match.group(1), match.group(2), heading, where)
            return nxt
        if match := CHAPTER_HEADING.match(line):
            heading, nxt = self.take_heading(lines, i + 1)
            self.open_chapter(match.group(1), heading)
            return nxt
        if match := SECTION_HEADING.match(line):
            heading, nxt = self.take_heading(lines, i + 1)
            self.open_division(match.group(1), heading)
            return nxt
        if SCHEDULE_WORDS.match(heading_text(line)):
            self.open_schedule(heading_text(line))
            return i + 1
        if (match := ROMAN_CHAPTER_HEADING.match(line)) and is_roman(match.group(1).lower()):
            heading = clean_markdown(match.group(2))
            if not heading:
                heading, nxt = self.take_heading(lines, i + 1)
                self.open_chapter(match.group(1), heading)
                return nxt
            self.open_chapter(match.group(1), heading)
            return i + 1
        if self.schedule is not None:
            self.open_schedule(heading_text(line))  # a sub-list of the schedules
        else:
            self.b.warn(where, f"unexpected heading {line.strip()[:60]!r} kept as text")
            self.add_text(heading_text(line))
        return i + 1

    def take_heading(self, lines: list[str], i: int) -> tuple[str, int]:
        """The `####` heading following a structure heading, if any, and the next index."""
        j = i
        while j < len(lines) and not lines[j].strip():
            j += 1
        if j < len(lines) and (match := SUB_HEADING.match(lines[j])):
            return clean_markdown(match.group(1)), j + 1
        return "", i

    # --- structure ---

    def open_chapter(self, numeral: str, heading: str) -> None:
        self.close_article()
        self.division = None
        self.chapter = self.b.add("chapter", f"Chapter {numeral.upper()}", heading=heading)

    def open_division(self, number: str, heading: str) -> None:
        self.close_article()
        self.division = self.b.add("division", f"Section {number}", heading=heading, parent=self.chapter)

    def open_article(self, number: str, suffix: str | None, heading: str, where: str) -> None:
        self.close_article()
        self.check_article_sequence(int(number), suffix, where)
        label = f"{number} {suffix.lower()}" if suffix else number
        self.article = self.b.add(
            "article", label, heading=heading, parent=self.container(), number=label.replace(" ", "")
        )

    def open_schedule(self, title: str) -> None:
        """A schedule or annex; "Schedule I".."IV" nest under an open "Schedules" heading."""
        self.close_article()
        self.chapter = self.division = None
        label, heading = schedule_label(title)
        group = self.schedule_group if label.startswith("Schedule ") else None
        self.schedule = self.b.add("schedule", label, heading=heading, parent=group)
        if label == "Schedules":
            self.schedule_group = self.schedule

    def close_article(self) -> None:
        self.article = None
        self.schedule = None
        self.levels = []

    def check_article_sequence(self, number: int, suffix: str | None, where: str) -> None:
        expected = self.last_article_number if suffix else self.last_article_number + 1
        if number != expected:
            self.b.warn(where, f"article {number} follows article {self.last_article_number}")
        self.last_article_number = number

    # --- text ---

    def handle_text(self, text: str, where: str) -> None:
        """One line of running text: a numbered unit, or more text for the open unit."""
        if not text:
            return
        if self.schedule is not None:
            self.b.append_text(self.schedule, text)  # schedules stay running text
            return
        if self.article is not None and (marker := parse_marker(text)):
            self.add_numbered_unit(marker, where)
            return
        self.add_text(text)

    def add_text(self, text: str) -> None:
        """Continuation text for the innermost open unit; text before any unit is the preamble."""
        target = self.current()
        if target is None:
            self.preamble = self.b.add("article", "Preamble", text=PREAMBLE_WORD.sub("", text), heading="Preamble")
            return
        self.b.append_text(target, text)

    def add_numbered_unit(self, marker: Marker, where: str) -> None:
        """A line starting with a list marker: a sibling of an open level, or one level deeper."""
        kind_of_list = self.list_type(marker)
        parent_index = self.sibling_level(kind_of_list, marker)
        if parent_index is None:
            parent_index = 0 if kind_of_list == "arabic" and marker.style == "x." else len(self.levels)
            previous = self.levels[0] if parent_index == 0 and self.levels else None
        else:
            previous = self.levels[parent_index]
        self.check_sequence(kind_of_list, previous, marker, where)
        del self.levels[parent_index:]
        parent = self.levels[-1].prov if self.levels else self.article
        kind = self.unit_kind(kind_of_list, parent)
        text = f"{marker.printed} {marker.rest}".strip()
        prov = self.b.add(kind, f"({marker.value})", text=text, parent=parent)
        self.levels.append(ListLevel(kind_of_list, marker.style, marker.value, prov))

    def check_sequence(self, list_type: str, previous: ListLevel | None, marker: Marker, where: str) -> None:
        """Warn about a list that skips or repeats a number (Vienna 10 has "2." but no "1.")."""
        if previous is not None and previous.type == list_type:
            expected = successor(list_type, previous.value)
        else:
            expected = {"arabic": "1", "letter": "a", "roman": "i"}[list_type]
        if marker.value != expected:
            self.b.warn(where, f"expected marker {expected!r}, found {marker.printed!r}")

    def sibling_level(self, list_type: str, marker: Marker) -> int | None:
        """Index of the open level this marker continues (deepest first), or None."""
        for index in range(len(self.levels) - 1, -1, -1):
            level = self.levels[index]
            if level.type != list_type:
                continue
            if level.style == marker.style or successor(list_type, level.value) == marker.value:
                return index
        return None

    def list_type(self, marker: Marker) -> str:
        """"arabic", "letter" or "roman", settling letters that are also roman numerals."""
        value = marker.value
        if value.isdigit():
            return "arabic"
        if not is_roman(value):
            return "letter"
        if len(value) > 1 or value not in AMBIGUOUS_LETTERS:
            return "roman"
        romans = [lv for lv in self.levels if lv.type == "roman"]
        letters = [lv for lv in self.levels if lv.type == "letter"]
        if romans and successor("roman", romans[-1].value) == value:
            return "roman"
        if letters and successor("letter", letters[-1].value) == value:
            # "(i)" right after "(h) ... :" opens a roman list under (h); after "(h) ...;" it is a letter
            if value == "i" and self.levels[-1].type == "letter" and self.b.own_text(self.levels[-1].prov).endswith(":"):
                return "roman"
            return "letter"
        return "roman" if value == "i" or romans else "letter"

    @staticmethod
    def unit_kind(list_type: str, parent: Provision | None) -> str:
        """Paragraph "1.", subparagraph "(a)", clause "(i)" and anything nested deeper."""
        if list_type == "arabic" and (parent is None or parent.kind == "article"):
            return "paragraph"
        if list_type == "letter" and parent is not None and parent.kind in ("article", "paragraph"):
            return "subparagraph"
        if list_type == "arabic" and parent is not None and parent.kind == "paragraph":
            return "subparagraph"
        return "clause"


def schedule_label(title: str) -> tuple[str, str]:
    """Label and heading of a schedule: "List of drugs included in Schedule II" -> "Schedule II"."""
    title = title.strip("* ")
    if match := SCHEDULE_NUMBER.search(title):
        return f"Schedule {match.group(1)}", title
    if SCHEDULE_GROUP.search(title):
        return "Schedules", "" if title.lower() == "schedules" else title
    return title.capitalize(), ""


def parse(path: Path, instrument: Instrument) -> ParsedDocument:
    """Parse the English half of one bilingual BWB treaty file."""
    builder = TreeBuilder(instrument)
    lines = read_text(path, instrument.source).splitlines()
    end = english_end(lines, builder)
    ConventionParser(builder).run(lines[:end])
    return ParsedDocument(instrument, builder.finish(), builder.warnings)
