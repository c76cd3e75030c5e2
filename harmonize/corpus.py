"""The corpus manifest: which files exist, what they are, and how to tell their format."""

from __future__ import annotations

import csv
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from harmonize import ids
from harmonize.errors import ParseError

MANIFEST = "MANIFEST.tsv"
REQUIRED_COLUMNS = ("path", "kind", "country", "title", "year", "topic", "format")


@dataclass(frozen=True)
class ManifestEntry:
    path: str  # corpus-relative
    kind: str  # "convention" or "national"
    country: str
    title: str
    year: int | None
    topic: str
    format: str  # the manifest's own coarse format column: markdown, akn-xml, other
    source_repo: str = ""
    notes: str = ""
    line: int = 0


def read_manifest(corpus: Path) -> list[ManifestEntry]:
    """Read MANIFEST.tsv; a malformed row raises ParseError naming its line."""
    path = corpus / MANIFEST
    if not path.is_file():
        raise ParseError(MANIFEST, "file", f"no manifest at {path}: is the corpus path right?")
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh, delimiter="\t")
        missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise ParseError(MANIFEST, "line 1", f"expected columns {', '.join(missing)} in the header")
        entries = []
        for row in reader:
            line = reader.line_num
            if not (row.get("path") or "").strip():
                raise ParseError(MANIFEST, f"line {line}", "expected a corpus-relative path in column 'path'")
            year = (row.get("year") or "").strip()
            entries.append(
                ManifestEntry(
                    path=row["path"].strip(),
                    kind=(row.get("kind") or "").strip(),
                    country=(row.get("country") or "").strip(),
                    title=(row.get("title") or "").strip(),
                    year=int(year) if year.isdigit() else None,
                    topic=(row.get("topic") or "").strip(),
                    format=(row.get("format") or "").strip(),
                    source_repo=(row.get("source_repo") or "").strip(),
                    notes=(row.get("notes") or "").strip(),
                    line=line,
                )
            )
    return entries


def content_hash(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def instrument_id(entry: ManifestEntry) -> str:
    """Stable id from the file name: national/IND/ndps-act-1985.xml -> IND/ndps-act-1985."""
    stem = Path(entry.path).name
    stem = re.sub(r"(\.(bn|ar))?\.(json|xml|md)$", "", stem)
    return ids.instrument_id(entry.country, stem)


_SCRIPTS = {
    "bn": re.compile(r"[\u0980-\u09ff]"),
    "ar": re.compile(r"[\u0600-\u06ff]"),
    "hi": re.compile(r"[\u0900-\u097f]"),
}
_LATIN = re.compile(r"[A-Za-z]")


def detect_language(text: str) -> str:
    """Language by script: Bengali, Arabic, Devanagari letters outnumbering Latin ones, else English.

    JSON keys and markup are Latin, so a file is called non-English only when its
    non-Latin letters are the majority of letters in the file.
    """
    latin = len(_LATIN.findall(text))
    for lang, pattern in _SCRIPTS.items():
        if len(pattern.findall(text)) > latin:
            return lang
    return "en"
