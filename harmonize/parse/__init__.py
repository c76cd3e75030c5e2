"""One parser per source format. `parse_file` picks the parser by sniffing the file.

Every parser module exposes `parse(path: Path, instrument: Instrument) -> ParsedDocument`.
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path

from harmonize.corpus import ManifestEntry
from harmonize.model import Instrument, ParsedDocument
from harmonize.errors import ParseError

# format name -> module under harmonize.parse
PARSERS = {
    "akn": "akn",  # Akoma Ntoso 2.0 XML (India, nyaaya)
    "lims": "lims",  # Justice Canada LIMS XML
    "ansvar-json": "ansvar_json",  # section-per-entry JSON seeds
    "uscode-md": "uscode_md",  # US Code chunk Markdown
    "canada-md": "canada_md",  # Canadian Criminal Code Markdown
    "aus-md": "aus_md",  # gitlaw-au ComLaw Markdown
    "nzl-md": "nzl_md",  # gitlaw-nz PCO reprint Markdown
    "nyaaya-md": "nyaaya_md",  # nyaaya Indian act Markdown
    "convention-md": "convention_md",  # bilingual BWB treaty Markdown
}


SNIFF_CHARS = 8192
# What may come before the root element: declaration, processing instructions, comments, a DTD
# (with an internal subset of any length).
XML_PROLOG = re.compile(r"\s*(?:<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^\[>]*(?:\[.*?\]\s*)?>)", re.S)
XML_ROOT = re.compile(r"\s*<([\w.-]+:)?([\w.-]+)")
XML_ROOTS = {"akomaNtoso": "akn", "Statute": "lims"}


def xml_root(text: str) -> str | None:
    """The local name of the root element, past the prolog however long its DTD; None if there is none."""
    pos = 1 if text.startswith("\ufeff") else 0
    while match := XML_PROLOG.match(text, pos):
        pos = match.end()
    match = XML_ROOT.match(text, pos)
    return match.group(2) if match else None


def detect_format(entry: ManifestEntry, text: str) -> str:
    """Tell the format from the manifest entry and the file's text (decoded by `sniff_text`).

    Case 1: XML is told by its root element (akomaNtoso vs Statute), found past the XML
            declaration, comments and a DTD of any length; UTF-16 XML is read as such.
    Case 2: JSON seeds all share one shape.
    Case 3: Markdown is told by its opening lines (the first SNIFF_CHARS), which each
            conversion writes its own way.
    """
    suffix = Path(entry.path).suffix.lower()
    head = text[:SNIFF_CHARS]
    stripped = head.lstrip("\ufeff \r\n\t")
    if suffix == ".xml" or stripped.startswith("<?xml"):
        root = xml_root(text)
        if root in XML_ROOTS:
            return XML_ROOTS[root]
        found = f"the root element is <{root}>" if root else "no root element was found after the prolog"
        raise ParseError(entry.path, "root element",
                         f"{found}; expected <akomaNtoso> (Akoma Ntoso) or <Statute> (Justice Canada LIMS)")
    if suffix == ".json":
        return "ansvar-json"
    if suffix == ".md":
        if entry.kind == "convention" or stripped.startswith("<meta"):
            return "convention-md"
        if "#### §" in head or re.search(r"^# Title \d+", stripped, re.M):
            return "uscode-md"
        if stripped.startswith("Reprint"):
            return "nzl-md"
        if "not the [authoritative source]" in head or "comlaw.gov.au" in head:
            return "aus-md"
        if stripped.startswith("---") and "chapter:" in head:
            return "canada-md"
        if re.search(r"^#### ACT NO\.", stripped, re.M):
            return "nyaaya-md"
    raise ParseError(entry.path, "file", f"unknown format (manifest format '{entry.format}', suffix '{suffix}')")


def parse_file(path: Path, instrument: Instrument) -> ParsedDocument:
    """Parse one corpus file with the parser named by `instrument.format`."""
    if instrument.format not in PARSERS:
        raise ParseError(instrument.source, "file", f"no parser for format '{instrument.format}'")
    module = importlib.import_module(f"harmonize.parse.{PARSERS[instrument.format]}")
    return module.parse(path, instrument)
