"""Shared machinery for the format parsers: errors, safe reading, the provision tree builder."""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from harmonize.errors import ParseError
from harmonize.ids import SECTION_KINDS, child_id
from harmonize.model import Instrument, ParseWarning, Provision

# Sub-units whose number is written as parent number + "(label)": 21 -> 21(1) -> 21(1)(a).
SUB_UNIT_KINDS = {"subsection", "paragraph", "subparagraph", "clause"}
# Units that group sections but do not become part of a section's number or id.
CONTAINER_KINDS = {"part", "chapter", "division", "schedule"}

ID_PREFIX = {
    "part": "part",
    "chapter": "chp",
    "division": "div",
    "schedule": "sch",
    "section": "sec",
    "article": "art",
    "subsection": "sub",
    "paragraph": "para",
    "subparagraph": "subpara",
    "clause": "cl",
}


def read_bytes(path: Path, source: str, where: str = "file") -> bytes:
    """Read a corpus file, naming the file when it is missing or unreadable."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise ParseError(source, where, "file listed in the manifest is not on disk") from None
    except IsADirectoryError:
        raise ParseError(source, where, "expected a file, found a directory") from None
    except OSError as exc:
        raise ParseError(source, where, f"cannot read file: {exc.strerror}") from None


UTF16_BOMS = {b"\xff\xfe": "utf-16-le", b"\xfe\xff": "utf-16-be"}


def utf16_encoding(raw: bytes) -> str | None:
    """"utf-16-le"/"utf-16-be" for UTF-16 text (by its byte order mark, or for XML by `<` and a NUL), else None."""
    for bom, name in UTF16_BOMS.items():
        if raw.startswith(bom):
            return name
    if raw.startswith(b"<\x00?\x00") or raw.startswith(b"<\x00"):
        return "utf-16-le"
    if raw.startswith(b"\x00<"):
        return "utf-16-be"
    return None


def sniff_text(raw: bytes) -> str:
    """The file as text for sniffing its format and language: UTF-8 (bad bytes replaced), or
    UTF-16 when it is UTF-16 (XML may be: lxml then reads the bytes as they are)."""
    encoding = utf16_encoding(raw)
    if encoding:
        bom = 2 if raw[:2] in UTF16_BOMS else 0
        return raw[bom:].decode(encoding, errors="replace")
    return raw.decode("utf-8-sig", errors="replace")


def read_text(path: Path, source: str) -> str:
    """Read a corpus file as UTF-8 (a BOM is dropped), with a clear error on bad bytes."""
    raw = read_bytes(path, source)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if utf16_encoding(raw):
            raise ParseError(source, "file", f"expected UTF-8 text, found {utf16_encoding(raw).upper()}: "
                             "save the file as UTF-8 (e.g. iconv -f UTF-16 -t UTF-8)") from None
        line = raw[: exc.start].count(b"\n") + 1
        raise ParseError(
            source, f"line {line}, byte {exc.start}", f"expected UTF-8 text, found byte 0x{raw[exc.start]:02x}"
        ) from None


def parse_xml(path: Path, source: str) -> etree._Element:
    """Parse XML without entity expansion, DTD loading or network access."""
    raw = read_bytes(path, source)
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True, remove_comments=True
    )
    try:
        return etree.fromstring(raw, parser)
    except etree.XMLSyntaxError as exc:
        line, col = exc.position if exc.position else (exc.lineno, 0)
        raise ParseError(source, f"line {line}, column {col}", f"malformed XML: {exc.msg}") from None


HTML_TAG = re.compile(r"<[^>]+>")


def strip_html_tags(text: str) -> str:
    """Markdown conversions keep stray HTML (<details>, <meta>, <br>): keep only the text."""
    return HTML_TAG.sub("", text)


def normalize_space(text: str) -> str:
    """Collapse runs of spaces and tabs (keeping line breaks) and strip each line."""
    lines = (re.sub(r"[ \t\u00a0\u202f]+", " ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)


_UNIT_WORD = re.compile(r"^(part|subpart|chapter|division|subdivision|schedule|article|section|sec\.?|s\.)(\s+|$)", re.I)


def strip_unit_word(label: str) -> str:
    """"Section 21" -> "21", "Article 3" -> "3"; a bare "SCHEDULE" stays as it is."""
    stripped = _UNIT_WORD.sub("", label.strip())
    return stripped or label.strip()


def slug(label: str) -> str:
    """A label as an id fragment: "(1)" -> "1", "27A" -> "27A", "Chapter IV" -> "IV"."""
    return re.sub(r"[^\w.]+", "-", strip_unit_word(label)).strip("-._") or "x"


def bare_label(label: str) -> str:
    """Strip brackets and a trailing dot: "(1)" -> "1", "(a)" -> "a", "3." -> "3"."""
    return label.strip().strip("()").rstrip(".").strip()


class TreeBuilder:
    """Builds the provision tree of one instrument with stable ids, numbers, paths and order.

    Parsers call `add` in document order with each unit's own text; `finish` fills every
    unit's `text` with its own text followed by its children's, so a section's text is the
    whole section.
    """

    def __init__(self, instrument: Instrument):
        self.instrument = instrument
        self.provisions: list[Provision] = []
        self.warnings: list[ParseWarning] = []
        self._own_text: dict[str, str] = {}
        self._children: dict[str | None, list[str]] = {}
        self._by_id: dict[str, Provision] = {}
        self._full_text: set[str] = set()

    def warn(self, where: str, message: str) -> None:
        self.warnings.append(ParseWarning(self.instrument.source, where, message))

    def add(
        self,
        kind: str,
        label: str,
        text: str = "",
        heading: str = "",
        parent: Provision | None = None,
        number: str | None = None,
        full_text: bool = False,
    ) -> Provision:
        """Add one unit under `parent` (None: top level).

        `label` is the unit's own label as printed ("21", "(1)", "Chapter IV", "Article 3").
        `number` defaults to the section/article label for top units and to the parent's
        number plus "(x)" for sub-units. `full_text=True` says `text` already holds the
        children's text (JSON entries hold whole sections), so `finish` must not append it.
        """
        label = label.strip()
        if number is None:
            number = self._number(kind, label, parent)
        pid = self._unique_id(self._id(kind, label, number, parent))
        path = (list(parent.path) if parent else []) + [label]
        prov = Provision(
            id=pid,
            instrument=self.instrument.id,
            number=number,
            path=path,
            heading=normalize_space(heading).replace("\n", " "),
            text="",
            kind=kind,
            order=len(self.provisions),
            parent=parent.id if parent else None,
            label=label,
        )
        self.provisions.append(prov)
        self._by_id[pid] = prov
        self._own_text[pid] = normalize_space(text)
        self._children.setdefault(prov.parent, []).append(pid)
        if full_text:
            self._full_text.add(pid)
        return prov

    def append_text(self, prov: Provision, text: str) -> None:
        """Add more own text to a unit (continuation lines, split sections)."""
        extra = normalize_space(text)
        if extra:
            own = self._own_text[prov.id]
            self._own_text[prov.id] = f"{own}\n{extra}" if own else extra

    def own_text(self, prov: Provision) -> str:
        return self._own_text[prov.id]

    def finish(self) -> list[Provision]:
        for prov in reversed(self.provisions):  # children come after parents
            parts = [self._own_text[prov.id]]
            if prov.id not in self._full_text:
                parts += [self._by_id[c].text for c in self._children.get(prov.id, [])]
            prov.text = "\n".join(p for p in parts if p)
        return self.provisions

    def _number(self, kind: str, label: str, parent: Provision | None) -> str:
        if kind in SUB_UNIT_KINDS and parent is not None and parent.kind not in CONTAINER_KINDS:
            return f"{parent.number}({bare_label(label)})"
        if kind in CONTAINER_KINDS:
            return label
        return bare_label(strip_unit_word(label) if kind in SECTION_KINDS else label)

    def _id(self, kind: str, label: str, number: str, parent: Provision | None) -> str:
        fragment = f"{ID_PREFIX.get(kind, kind)}-{slug(bare_label(label))}"
        # Sections and articles are addressed directly under the instrument, not under the
        # chapter that groups them, so their id does not change when a chapter is renumbered.
        anchor = parent
        # Sub-units stay under whatever holds them (a schedule inside a section included).
        while anchor is not None and anchor.kind in CONTAINER_KINDS and kind in SECTION_KINDS:
            anchor = self._by_id[anchor.parent] if anchor.parent else None
        base = anchor.id if anchor is not None else self.instrument.id
        return child_id(base, fragment)

    def _unique_id(self, pid: str) -> str:
        if pid not in self._by_id:
            return pid
        n = 2
        while f"{pid}~{n}" in self._by_id:
            n += 1
        return f"{pid}~{n}"


ROMAN = re.compile(r"^[ivxlcdm]+$", re.I)
