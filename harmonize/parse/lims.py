"""Parser for Justice Canada LIMS XML, the official consolidated Acts (national/CAN/*.xml).

Elements understood (everything else in <Body> is reported as a warning):

- ``Statute``: the root; anything else is a ParseError. ``Identification`` (titles, bill
  history) and ``Introduction`` (the enacting formula) carry no provisions and are skipped.
- ``Body``: a flat run of ``Heading`` and ``Section`` elements in document order.
- ``Heading level="N"`` with an optional ``Label`` ("PART I", "DIVISION 2") and ``TitleText``:
  a container. Headings are flat siblings, so nesting comes from ``level``: a heading closes
  every open heading of the same or a deeper level. The kind comes from the label word
  (PART -> part, DIVISION/SUBDIVISION -> division, CHAPTER -> chapter); an unlabelled heading
  ("Interpretation", "Particular Offences") is a part at level 1 and a division below, and
  its title doubles as its label.
- ``Section`` / ``Subsection`` / ``Paragraph`` / ``Subparagraph`` / ``Clause`` /
  ``Subclause``: provisions numbered from their ``Label`` ("5", "(1)", "(a)", "(i)", "(A)");
  the ``MarginalNote`` is the heading. A unit's own text is its ``Text`` (sub-units get their
  label in front, "(a) ..."), followed by its ``Definition`` elements.
- ``Definition`` (with its own ``Paragraph``\\s and ``ContinuedDefinition``): folded into the
  text of the unit that holds it. Definition paragraphs are not provisions, since every
  definition restarts at (a) and they would clash with the unit's own paragraph numbers.
- ``ContinuedSectionSubsection`` / ``ContinuedParagraph`` / ``ContinuedSubparagraph`` ...:
  closing words printed after the sub-units. A unit holding one gets its whole text rendered
  here in document order (``full_text=True``) so those words come last, as printed.
- ``Repealed`` ("[Repealed, 2012, c. 1, s. 39]"): kept as text, so repealed stubs stay
  provisions.
- Inline markup (``XRefExternal``, ``XRefInternal``, ``DefinedTermEn``, ``DefinedTermFr``,
  ``DefinitionRef``, ``Emphasis``, ``Language``, ``Sup`` ...) is reduced to its text.
- Dropped: ``HistoricalNote`` (amendment citations), ``Footnote`` and ``FootnoteRef``.
- ``Schedule``: one ``schedule`` provision each, numbered from ``ScheduleFormHeading/Label``
  ("SCHEDULE I") or, without a label, its ``TitleText`` ("RELATED PROVISIONS", "AMENDMENTS
  NOT IN FORCE"). Its body (``List``/``Item``, ``Provision``, ``Group``/``GroupHeading``,
  CALS ``table`` rows, and the ``RelatedOrNotInForce`` sections of amending Acts) is
  flattened into the schedule's text. Sections in those schedules belong to other Acts and
  reuse numbers of this Act's sections, so they do not become section provisions.
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from harmonize.model import Instrument, ParsedDocument, Provision
from harmonize.errors import ParseError
from harmonize.parse.base import TreeBuilder, parse_xml

# Unit element -> provision kind, for everything at or below a section.
UNIT_KINDS = {
    "Section": "section",
    "Subsection": "subsection",
    "Paragraph": "paragraph",
    "Subparagraph": "subparagraph",
    "Clause": "clause",
    "Subclause": "clause",
}
SUB_UNIT_TAGS = set(UNIT_KINDS) - {"Section"}
# Notes that are not statutory text.
DROPPED_TAGS = {"HistoricalNote", "Footnote", "FootnoteRef"}
# Children of a unit that are metadata of the unit itself, not its text.
UNIT_META_TAGS = {"Label", "MarginalNote"} | DROPPED_TAGS
# Heading label word -> container kind.
HEADING_KINDS = {"PART": "part", "DIVISION": "division", "SUBDIVISION": "division", "CHAPTER": "chapter"}
TABLE_CELL_SEPARATOR = " | "


def parse(path: Path, instrument: Instrument) -> ParsedDocument:
    """Parse one LIMS Statute file into its provision tree."""
    source = instrument.source
    root = parse_xml(path, source)
    if root.tag != "Statute":
        raise ParseError(source, f"root element <{root.tag}>", "expected a LIMS <Statute> root element")
    body = root.find("Body")
    if body is None:
        raise ParseError(source, "<Statute>", "expected a <Body> element holding the sections")
    builder = TreeBuilder(instrument)
    _add_body(builder, body)
    for schedule in root.findall("Schedule"):
        _add_schedule(builder, schedule)
    return ParsedDocument(instrument, builder.finish(), builder.warnings)


# --- body: headings and sections -------------------------------------------------------


def _add_body(b: TreeBuilder, body: etree._Element) -> None:
    """Walk the flat Heading/Section run, nesting sections under the open headings."""
    open_headings: list[tuple[int, Provision]] = []  # (level, container), outermost first
    for child in body:
        if child.tag == "Heading":
            level = _heading_level(b, child)
            while open_headings and open_headings[-1][0] >= level:
                open_headings.pop()
            parent = open_headings[-1][1] if open_headings else None
            container = _add_heading(b, child, level, parent)
            if container is not None:
                open_headings.append((level, container))
        elif child.tag == "Section":
            _add_unit(b, child, parent=open_headings[-1][1] if open_headings else None)
        elif child.tag not in DROPPED_TAGS:
            b.warn(_where(child), f"unexpected <{child.tag}> in <Body> skipped")


def _heading_level(b: TreeBuilder, heading: etree._Element) -> int:
    raw = heading.get("level", "1")
    if not raw.isdigit():
        b.warn(_where(heading), f"heading level {raw!r} is not a number; taken as 1")
        return 1
    return int(raw)


def _add_heading(b: TreeBuilder, heading: etree._Element, level: int, parent: Provision | None) -> Provision | None:
    """A Heading as a part/division container; None (with a warning) when it has no words."""
    label = inline_text(heading.find("Label"))
    title = inline_text(heading.find("TitleText"))
    if not label and not title:
        b.warn(_where(heading), "heading without Label or TitleText skipped")
        return None
    kind = _heading_kind(label, level)
    if label:
        return b.add(kind, label, heading=title, parent=parent)
    # An unlabelled heading is named by its title, which is also its heading.
    return b.add(kind, title, heading=title, parent=parent)


def _heading_kind(label: str, level: int) -> str:
    word = label.split()[0].upper() if label else ""
    if word in HEADING_KINDS:
        return HEADING_KINDS[word]
    return "part" if level <= 1 else "division"


# --- sections and their sub-units ------------------------------------------------------


def _add_unit(b: TreeBuilder, unit: etree._Element, parent: Provision | None) -> Provision:
    """Add a Section (or sub-unit) and, recursively, its sub-units."""
    kind = UNIT_KINDS[unit.tag]
    label = _unit_label(b, unit)
    heading = inline_text(unit.find("MarginalNote"))
    # A section's number is its label as printed, ranges included ("64 to 93.1" is a
    # repealed block); sub-unit numbers are built by TreeBuilder from the parent's.
    number = label if kind == "section" else None
    # Closing words after the sub-units would be misplaced by TreeBuilder.finish (own text,
    # then children), so such a unit is rendered whole here, in document order.
    full = _has_text_after_sub_units(unit)
    text = _unit_full_text(unit) if full else _unit_own_text(unit)
    prov = b.add(kind, label, text=text, heading=heading, parent=parent, number=number, full_text=full)
    for child in unit:
        if child.tag in SUB_UNIT_TAGS:
            _add_unit(b, child, parent=prov)
        elif child.tag not in UNIT_META_TAGS and child.tag not in ("Text", "Definition") and not _is_continuation(child):
            b.warn(_where(child), f"unexpected <{child.tag}> in <{unit.tag}> {label}; its text is kept")
    return prov


def _unit_label(b: TreeBuilder, unit: etree._Element) -> str:
    label = inline_text(unit.find("Label"))
    if not label:
        raise ParseError(
            b.instrument.source,
            _where(unit),
            f"expected a <Label> child giving the {UNIT_KINDS[unit.tag]} number",
        )
    return label


def _unit_own_text(unit: etree._Element) -> str:
    """The unit's Text (with its label in front for sub-units), then its definitions."""
    lines: list[str] = []
    for child in unit:
        if child.tag == "Text":
            lines.append(inline_text(child))
        elif child.tag == "Definition":
            lines.extend(render_nodes([child]))
        elif child.tag not in UNIT_META_TAGS and child.tag not in SUB_UNIT_TAGS:
            lines.extend(render_nodes([child]))  # unknown content: keep its words (warned)
    return _with_label(unit, lines)


def _unit_full_text(unit: etree._Element) -> str:
    """The whole unit, sub-units and closing words included, in document order."""
    lines: list[str] = []
    for child in unit:
        if child.tag == "Text":
            lines.append(inline_text(child))
        elif child.tag not in UNIT_META_TAGS:
            lines.extend(render_nodes([child]))
    return _with_label(unit, lines)


def _with_label(unit: etree._Element, lines: list[str]) -> str:
    """Put "(1)"/"(a)" in front of a sub-unit's first line; a section's number is its label only."""
    lines = [line for line in lines if line]
    if unit.tag in SUB_UNIT_TAGS:
        label = inline_text(unit.find("Label"))
        lines = [f"{label} {lines[0]}", *lines[1:]] if lines else [label]
    return "\n".join(lines)


def _has_text_after_sub_units(unit: etree._Element) -> bool:
    seen_sub_unit = False
    for child in unit:
        if child.tag in SUB_UNIT_TAGS:
            seen_sub_unit = True
        elif seen_sub_unit and child.tag not in UNIT_META_TAGS:
            return True
    return False


def _is_continuation(element: etree._Element) -> bool:
    return isinstance(element.tag, str) and element.tag.startswith("Continued")


# --- schedules -------------------------------------------------------------------------


def _add_schedule(b: TreeBuilder, schedule: etree._Element) -> Provision | None:
    """One schedule provision holding the schedule's whole text."""
    form_heading = schedule.find("ScheduleFormHeading")
    label = inline_text(form_heading.find("Label")) if form_heading is not None else ""
    title = inline_text(form_heading.find("TitleText")) if form_heading is not None else ""
    if not label and not title:
        b.warn(_where(schedule), "schedule without a Label or TitleText skipped")
        return None
    lines: list[str] = []
    if form_heading is not None:
        lines.append(inline_text(form_heading.find("OriginatingRef")))
    lines.extend(render_nodes([child for child in schedule if child.tag != "ScheduleFormHeading"]))
    text = "\n".join(line for line in lines if line)
    return b.add("schedule", label or title, text=text, heading=title if label else "", full_text=True)


# --- text rendering --------------------------------------------------------------------


def inline_text(element: etree._Element | None) -> str:
    """The words of an element with inline markup removed and notes dropped, on one line."""
    if element is None:
        return ""
    parts: list[str] = []
    _collect_inline(element, parts)
    return re.sub(r"\s+", " ", "".join(parts)).strip()


def _collect_inline(element: etree._Element, parts: list[str]) -> None:
    if element.text:
        parts.append(element.text)
    for child in element:
        if isinstance(child.tag, str) and child.tag not in DROPPED_TAGS:
            _collect_inline(child, parts)
        if child.tail:  # the words after a dropped note still belong to the sentence
            parts.append(child.tail)


def render_block(element: etree._Element) -> list[str]:
    """Lines of a block element's children (see `render_nodes`)."""
    return render_nodes(list(element))


def render_nodes(nodes: list[etree._Element]) -> list[str]:
    """Lines of a run of elements: each Text/TitleText on its own line, led by the pending Label.

    Used for definitions, continuation words, schedules and amending-Act sections, where the
    structure is not turned into provisions but the printed text must stay complete.
    """
    lines: list[str] = []
    pending_label = ""
    for node in nodes:
        if not isinstance(node.tag, str) or node.tag in DROPPED_TAGS or node.tag in ("MarginalNote", "colspec"):
            continue
        if node.tag == "Label":
            pending_label = inline_text(node)
        elif node.tag in ("Text", "TitleText", "Repealed", "OriginatingRef"):
            lines.append(f"{pending_label} {inline_text(node)}".strip())
            pending_label = ""
        elif node.tag == "row":
            cells = [inline_text(entry) for entry in node]
            lines.append(TABLE_CELL_SEPARATOR.join(cell for cell in cells if cell))
        else:
            if pending_label:  # a label whose words sit in nested blocks
                lines.append(pending_label)
                pending_label = ""
            lines.extend(render_block(node))
    if pending_label:
        lines.append(pending_label)
    return [line for line in lines if line]


def _where(element: etree._Element) -> str:
    """Name an element for messages: tag, line, and the nearest labelled ancestor."""
    place = f"<{element.tag}> at line {element.sourceline}"
    for ancestor in element.iterancestors():
        if ancestor.tag == "Section" and ancestor.find("Label") is not None:
            return f"{place}, in section {inline_text(ancestor.find('Label'))}"
    previous = element.getprevious()
    while previous is not None:
        if previous.tag == "Section" and previous.find("Label") is not None:
            return f"{place}, after section {inline_text(previous.find('Label'))}"
        previous = previous.getprevious()
    return place
