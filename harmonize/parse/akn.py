"""Akoma Ntoso 2.0 XML of Indian central acts (nyaayaIN/laws-of-india, made by Slaw).

The shape the parser reads (namespace http://www.akomantoso.org/2.0):

    <akomaNtoso><act>
      <meta/> <preface/> <preamble/>                  skipped: title, long title, enacting words
      <body>
        <chapter id="chapter-IIA">                      optional: Arms, IPC, NDPS, PCA, UAPA, Emigration
          <num>IIA</num>                                -> label "Chapter IIA"
          <heading>National Fund for ...</heading>
          <paragraph><content><p>Of Theft</p>           IPC sub-headings: the chapter's own text
          <section id="section-27A">
            <num>27A.</num>                             -> "27A" (inserted sections kept as printed)
            <heading>Punishment for ... offenders.—</heading>   marginal note, ".—" dropped
            <subsection><num>(1)</num><content>...      -> "27A(1)"
            <paragraph><content>...                     unnumbered: text of the section itself
              <blockList>
                <listIntroduction>Whoever ... punishable,--</listIntroduction>
                <item><num>(a)</num><p>...</p>          -> "21(a)", "2(1)(a)"; items may hold
                                                           nested <blockList>s -> "2(1)(a)(i)"
              </blockList>
              <p>Provided that ...</p>                  provisos, explanations: text of the unit
              <table><tr><td><p>                        rows become "cell | cell" lines
      </body></act>
      <components><component><doc name="thefirstschedule">
        <meta>... <FRBRalias value="THE FIRST SCHEDULE"/>  -> schedule "First Schedule"
        <mainBody><article><heading>[See section 15(2)]</heading> ...

Numbering phrasings understood: section numbers "1.", "27A.", "153AA."; sub-section labels
"(1)", "(1A)", "(2AA)"; item labels "(a)", "(aa)", "(iva)", "(A)", and the IPC's word labels
"(First)", "(Secondly)", "(Exception)", "(Proviso)".

Source defects handled: items whose nesting was flattened into one <blockList> (NDPS s.2
"(iii) ... means— (a) (b) (c) (iv)") are re-nested by label style (see list_nesting); a
section printed twice (IPC s.334, Extradition s.21) is kept twice with a warning and an id
suffixed "~2".

A section's and a sub-section's text is rendered from the XML in document order (so a proviso
after a list stays after it); items get their own text and `TreeBuilder.finish` appends the
text of the items nested under them.
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from harmonize.model import Instrument, ParsedDocument, Provision
from harmonize.errors import ParseError
from harmonize.parse.base import TreeBuilder, normalize_space, parse_xml
from harmonize.parse.list_nesting import LabelNester, continues_list


AKN_NS = "http://www.akomantoso.org/2.0"
SECTION_NUM = re.compile(r"^(\d+[A-Z]{0,4})\.?$")
# The dash that closes a marginal note: "Definitions.—", "Officers of State Government.-—".
HEADING_DASH = re.compile(r"\s*[-—–]+\s*$")
# Parts of the tree rendered as text, never as separate units.
SKIPPED_IN_TEXT = {"num", "heading"}


def parse(path: Path, instrument: Instrument) -> ParsedDocument:
    root = parse_xml(path, instrument.source)
    act = act_element(root, instrument.source)
    body = act.find(q("body"))
    if body is None:
        raise ParseError(instrument.source, f"<act> (line {act.sourceline})", "expected a <body> element")
    b = TreeBuilder(instrument)
    add_body(b, body)
    add_schedules(b, root)
    warn_repeated_sections(b)
    return ParsedDocument(instrument, b.finish(), b.warnings)


def q(tag: str) -> str:
    return f"{{{AKN_NS}}}{tag}"


def local(el: etree._Element) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def where(el: etree._Element) -> str:
    ident = f' id="{el.get("id")}"' if el.get("id") else ""
    return f"<{local(el)}{ident}> (line {el.sourceline})"


def act_element(root: etree._Element, source: str) -> etree._Element:
    if local(root) != "akomaNtoso":
        raise ParseError(source, f"root element <{local(root)}>", "expected an <akomaNtoso> root element")
    act = root.find(q("act"))
    if act is None:
        raise ParseError(source, "<akomaNtoso>", "expected an <act> element (Akoma Ntoso 2.0 namespace)")
    return act


# ---- text rendering -------------------------------------------------------------------


def inline_text(el: etree._Element) -> str:
    return normalize_space(" ".join(el.itertext())).replace("\n", " ")


def render_lines(el: etree._Element) -> list[str]:
    """Readable lines for an element: one per <p>, list item or table row, labels in front."""
    tag = local(el)
    if tag in SKIPPED_IN_TEXT or not tag:
        return []
    if tag in ("p", "listIntroduction"):
        text = inline_text(el)
        return [text] if text else []
    if tag == "table":
        return table_lines(el)
    lines = [line for child in el for line in render_lines(child)]
    num = el.find(q("num"))
    if num is not None and tag != "section":
        label = inline_text(num)
        lines = [f"{label} {lines[0]}", *lines[1:]] if lines else [label]
    return lines


def table_lines(table: etree._Element) -> list[str]:
    rows = []
    for tr in table.iter(q("tr")):
        cells = [inline_text(cell) for cell in tr if local(cell) in ("td", "th")]
        row = " | ".join(c for c in cells if c)
        if row:
            rows.append(row)
    return rows


def clean_heading(heading: str) -> str:
    """"Definitions.—" -> "Definitions"; "..., etc.—" keeps the dot of "etc."."""
    text = HEADING_DASH.sub("", normalize_space(heading).replace("\n", " "))
    if text.endswith(".") and not text.endswith("etc."):
        text = text[:-1]
    return text.strip()


# ---- body: chapters and sections ------------------------------------------------------


def add_body(b: TreeBuilder, body: etree._Element) -> None:
    for child in body:
        tag = local(child)
        if tag == "chapter":
            add_chapter(b, child)
        elif tag == "section":
            add_section(b, child, None)
        elif tag:
            b.warn(where(child), f"unexpected <{tag}> in <body>; its text is not kept")


def add_chapter(b: TreeBuilder, chapter: etree._Element) -> None:
    num = chapter.findtext(q("num"))
    if not num or not num.strip():
        raise ParseError(b.instrument.source, where(chapter), "expected a <num> in the chapter")
    # Chapter-level paragraphs are the IPC's sub-headings ("Of Offences Affecting Life").
    own = "\n".join(
        line for child in chapter if local(child) == "paragraph" for line in render_lines(child)
    )
    prov = b.add("chapter", f"Chapter {num.strip()}", text=own, heading=chapter.findtext(q("heading")) or "")
    for child in chapter:
        if local(child) == "section":
            add_section(b, child, prov)


def section_label(b: TreeBuilder, section: etree._Element) -> str:
    num = section.findtext(q("num"))
    match = SECTION_NUM.match((num or "").strip())
    if not match:
        raise ParseError(
            b.instrument.source, where(section), f"expected a section <num> like '21.' or '27A.', found {num!r}"
        )
    return match.group(1)


def add_section(b: TreeBuilder, section: etree._Element, chapter: Provision | None) -> None:
    heading = clean_heading(section.findtext(q("heading")) or "")
    text = "\n".join(render_lines(section))
    prov = b.add("section", section_label(b, section), text=text, heading=heading, parent=chapter, full_text=True)
    nester = LabelNester(prov, b.own_text)
    subsections_are_items = list_precedes_subsections(section)
    if subsections_are_items:
        b.warn(where(section), "<subsection>s follow a list in the section; read as items of that list")
    for child in section:
        tag = local(child)
        if tag == "subsection" and subsections_are_items:
            add_item(b, child, nester, flat=True)
        elif tag == "subsection":
            add_subsection(b, child, prov)
        elif tag in ("paragraph", "content"):
            add_lists(b, child, nester)
    if not subsections_are_items:
        warn_repeated_subsections(b, section)


def list_precedes_subsections(section: etree._Element) -> bool:
    """True for definition sections where Slaw turned the "(1) ... (2) ..." sub-items of a
    clause into <subsection>s after the section's own list (NDPS s.2 and s.68B, PIT-NDPS s.2)."""
    seen_list = False
    for child in section:
        tag = local(child)
        if tag == "paragraph" and child.find(f".//{q('blockList')}") is not None:
            seen_list = True
        elif tag == "subsection":
            return seen_list
    return False


def warn_repeated_subsections(b: TreeBuilder, section: etree._Element) -> None:
    labels = [(s.findtext(q("num")) or "").strip() for s in section if local(s) == "subsection"]
    repeated = sorted({label for label in labels if label and labels.count(label) > 1})
    if repeated:
        b.warn(where(section), f"sub-section labels printed more than once: {', '.join(repeated)}")


def add_subsection(b: TreeBuilder, subsection: etree._Element, section: Provision) -> None:
    num = subsection.findtext(q("num"))
    if not num or not num.strip():
        b.warn(where(subsection), "sub-section without a <num>; its text stays in the section only")
        return
    text = "\n".join(render_lines(subsection))
    prov = b.add("subsection", num.strip(), text=text, parent=section, full_text=True)
    add_lists(b, subsection, LabelNester(prov, b.own_text))


def add_lists(b: TreeBuilder, el: etree._Element, nester: LabelNester) -> None:
    """Add the items of every <blockList> in `el` (through <paragraph>/<content>) as units."""
    for kind, part in list_parts(el):
        if kind == "item":
            add_item(b, part, nester)


def list_parts(el: etree._Element):
    """("text", line) and ("item", element) pairs of a unit in document order, not entering items."""
    for child in el:
        tag = local(child)
        if tag in ("paragraph", "content", "blockList"):
            yield from list_parts(child)
        elif tag == "item":
            yield "item", child
        elif tag in ("p", "listIntroduction", "table"):
            for line in render_lines(child):
                yield "text", line


def add_item(b: TreeBuilder, item: etree._Element, nester: LabelNester, flat: bool = False) -> None:
    """Add a list item (or, with `flat`, a mis-tagged <subsection>) and the items under it.

    With `flat` the items inside it continue the enclosing list (`nester`) instead of
    starting a list of their own.
    """
    num = item.findtext(q("num"))
    if not num or not num.strip():
        b.warn(where(item), "list item without a <num>; its text stays in the enclosing unit only")
        return
    label = num.strip()
    parts = list(list_parts(item))
    first_item = next((i for i, (kind, _) in enumerate(parts) if kind == "item"), len(parts))
    lead = [text for _, text in parts[:first_item]]
    # The label and its first line read as one line: "(a) where the contravention ...".
    own = "\n".join([f"{label} {lead[0]}", *lead[1:]]) if lead else label
    parent = nester.parent_for(label)
    prov = b.add(nester.kind_for(label, parent), label, text=own, parent=parent)
    nester.added(prov)
    inner = nester if flat else LabelNester(prov, b.own_text)
    for kind, part in parts[first_item:]:
        if kind == "item":
            # NDPS s.76(2): Slaw nested "(dc)", "(dd)" inside "(da)"; they belong beside it.
            lifted = continues_list(label, (part.findtext(q("num")) or "").strip())
            add_item(b, part, nester if lifted else inner, flat=lifted)
        else:
            b.append_text(prov, part)  # a closing line after the list ("wherever they may be.")


# ---- schedules ------------------------------------------------------------------------


def schedule_label(doc: etree._Element) -> str:
    """"THE FIRST SCHEDULE" (FRBRalias) -> "First Schedule"; "THE SCHEDULE" -> "Schedule"."""
    alias = doc.find(f".//{q('FRBRalias')}")
    name = alias.get("value", "") if alias is not None else doc.get("name", "schedule")
    name = re.sub(r"^the\s*", "", name.strip(), flags=re.I)
    return " ".join(w.capitalize() for w in name.split()) or "Schedule"


def add_schedules(b: TreeBuilder, root: etree._Element) -> None:
    components = root.find(q("components"))
    if components is None:
        return
    for doc in components.iter(q("doc")):
        main = doc.find(q("mainBody"))
        if main is None:
            b.warn(where(doc), "schedule without a <mainBody>; skipped")
            continue
        heading = " ".join(inline_text(h) for h in main.iter(q("heading")))
        text = "\n".join(line for child in main for line in render_lines(child))
        b.add("schedule", schedule_label(doc), text=text, heading=heading, full_text=True)


def warn_repeated_sections(b: TreeBuilder) -> None:
    seen: set[str] = set()
    for prov in b.provisions:
        if prov.kind != "section":
            continue
        if prov.number in seen:
            b.warn(f"section {prov.number}", f"section {prov.number} is printed twice; the copy has id {prov.id}")
        seen.add(prov.number)
