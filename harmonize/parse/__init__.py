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


def detect_format(entry: ManifestEntry, head: str) -> str:
    """Tell the format from the manifest entry and the first few KB of the file.

    Case 1: XML is told by its root element (akomaNtoso vs Statute).
    Case 2: JSON seeds all share one shape.
    Case 3: Markdown is told by its opening lines, which each conversion writes its own way.
    """
    suffix = Path(entry.path).suffix.lower()
    stripped = head.lstrip("\ufeff \r\n\t")
    if suffix == ".xml" or stripped.startswith("<?xml"):
        if "<akomaNtoso" in head:
            return "akn"
        if re.search(r"<Statute[\s>]", head):
            return "lims"
        raise ParseError(entry.path, "root element", "expected an <akomaNtoso> or <Statute> root element")
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
