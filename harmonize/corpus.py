"""The corpus manifest: which files exist, what they are, and how to tell their format."""

from __future__ import annotations

import csv
import functools
import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from harmonize import ids
from harmonize.errors import ParseError

MANIFEST = "MANIFEST.tsv"
REQUIRED_COLUMNS = ("path", "kind", "country", "title", "year", "topic", "format")
KINDS = ("convention", "national")
# The manifest's own coarse format column (the parser is chosen by sniffing the file).
MANIFEST_FORMATS = ("markdown", "akn-xml", "other")
SUFFIXES = (".md", ".xml", ".json")
# Conventions are filed under the body that adopted them (UN, CoE), not a country.
BODY_CODE = re.compile(r"^[A-Za-z]{2,8}$")


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


@dataclass
class Manifest:
    """The valid rows of MANIFEST.tsv, and one ParseError per row that is not (naming its line).

    `rejected` holds the paths of rejected rows: what the store holds for them is kept.
    """

    entries: list[ManifestEntry]
    errors: list[ParseError]
    rejected: set[str]


def read_manifest(corpus: Path) -> list[ManifestEntry]:
    """The rows of MANIFEST.tsv; the first invalid row raises its ParseError (see `load_manifest`)."""
    manifest = load_manifest(corpus)
    if manifest.errors:
        raise manifest.errors[0]
    return manifest.entries


def load_manifest(corpus: Path) -> Manifest:
    """Read and validate MANIFEST.tsv. A missing file or header column raises ParseError; each bad
    row becomes an error naming its line and the fix, and the other rows are kept.

    A row must have as many tab-separated fields as the header (a missing or extra tab shifts
    the columns), a path inside the corpus directory (relative, no `..` out, no symlink out), a
    known kind, an ISO 3166 alpha-3 country for a national file (the body, e.g. UN or CoE, for a
    convention), a four-digit year, a known format and a .md/.xml/.json file. A path listed twice
    (even under two countries) rejects both rows: which one is right cannot be told.
    """
    path = corpus / MANIFEST
    if not path.is_file():
        raise ParseError(MANIFEST, "file", f"no manifest at {path}: is the corpus path right?")
    root = corpus.resolve()
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            reader = csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
            header = [h.strip() for h in next(reader, [])]
            missing = [c for c in REQUIRED_COLUMNS if c not in header]
            if missing:
                raise ParseError(MANIFEST, "line 1", f"expected columns {', '.join(missing)} in the header "
                                 f"(tab-separated: {chr(44).join(REQUIRED_COLUMNS)}, ...)")
            rows = [(reader.line_num, fields) for fields in reader]
    except UnicodeDecodeError as exc:
        raise ParseError(MANIFEST, f"byte {exc.start}", "expected UTF-8 text: save the manifest as UTF-8") from None
    entries: list[ManifestEntry] = []
    errors: list[ParseError] = []
    rejected: set[str] = set()
    first_line: dict[Path, tuple[int, str]] = {}
    first_id: dict[str, tuple[int, str]] = {}
    for line, fields in rows:
        if not any(f.strip() for f in fields):
            continue  # blank line
        where = f"line {line}"
        try:
            row = _row(header, fields)
            entry, target = _entry(root, row, line)
        except ValueError as exc:
            errors.append(ParseError(MANIFEST, where, str(exc)))
            if fields and fields[0].strip():
                rejected.add(fields[0].strip())
            continue
        if target in first_line:
            other, other_path = first_line[target]
            errors.append(ParseError(MANIFEST, where, f"{entry.path} is listed again (first on line {other} as "
                                     f"{other_path}): keep one row per file"))
            rejected.update((entry.path, other_path))
            continue
        ident = instrument_id(entry)
        if ident in first_id:
            other, other_path = first_id[ident]
            errors.append(ParseError(MANIFEST, where, f"{entry.path} would have the instrument id {ident} of "
                                     f"{other_path} (line {other}): rename one of the files"))
            rejected.update((entry.path, other_path))
            continue
        first_line[target] = first_id[ident] = (line, entry.path)
        entries.append(entry)
    entries = [e for e in entries if e.path not in rejected]
    return Manifest(entries, errors, rejected)


def _row(header: list[str], fields: list[str]) -> dict[str, str]:
    if len(fields) != len(header):
        hint = "a tab is missing" if len(fields) < len(header) else "a value holds a tab"
        raise ValueError(f"{len(fields)} tab-separated fields, expected {len(header)} ({', '.join(header)}): "
                         f"{hint}, which shifts the columns; fix the row")
    return {name: value.strip() for name, value in zip(header, fields)}


def _entry(root: Path, row: dict[str, str], line: int) -> tuple[ManifestEntry, Path]:
    rel = row["path"]
    if not rel:
        raise ValueError("expected a corpus-relative path in column 'path'")
    target = corpus_path(root, rel)
    kind = row["kind"]
    if kind not in KINDS:
        raise ValueError(f"kind '{kind}': expected one of {', '.join(KINDS)}")
    country = row["country"]
    if kind == "national" and not is_country_code(country):
        raise ValueError(f"country '{country}' is not an ISO 3166 alpha-3 code (e.g. IND, GHA): fix the code, "
                         "or give kind 'convention' for a treaty")
    if kind == "convention" and not BODY_CODE.match(country):
        raise ValueError(f"country '{country}': a convention is filed under the body that adopted it (UN, CoE)")
    year = row["year"]
    if not re.fullmatch(r"\d{4}", year):
        raise ValueError(f"year '{year}': expected the four-digit year of the instrument")
    if row["format"] not in MANIFEST_FORMATS:
        raise ValueError(f"format '{row['format']}': expected one of {', '.join(MANIFEST_FORMATS)}")
    if Path(rel).suffix.lower() not in SUFFIXES:
        raise ValueError(f"{rel}: unknown format: expected a {', '.join(SUFFIXES)} file")
    for column in ("title", "topic"):
        if not row[column]:
            raise ValueError(f"column '{column}' is empty: give the instrument's {column}")
    entry = ManifestEntry(
        path=rel, kind=kind, country=country, title=row["title"], year=int(year), topic=row["topic"],
        format=row["format"], source_repo=row.get("source_repo", ""), notes=row.get("notes", ""), line=line,
    )
    return entry, target


def corpus_path(root: Path, rel: str) -> Path:
    """The file a manifest path names, resolved; ValueError unless it stays inside `root` (the
    resolved corpus directory): absolute paths, `..` out of it and symlinks out are refused."""
    if Path(rel).is_absolute() or rel.startswith(("/", "\\")):
        raise ValueError(f"path '{rel}' is absolute: list files by their path inside the corpus directory")
    target = (root / rel).resolve()
    if not target.is_relative_to(root):
        inside_by_name = Path(os.path.normpath(root / rel)).is_relative_to(root)
        how = "goes through a symlink that points" if inside_by_name else "leads"
        raise ValueError(f"path '{rel}' {how} outside the corpus directory {root} (to {target}): "
                         "copy the file into the corpus and list it there")
    return target


@functools.lru_cache(maxsize=1)
def _country_codes() -> frozenset[str]:
    import pycountry

    return frozenset(c.alpha_3 for c in pycountry.countries)


def is_country_code(code: str) -> bool:
    """An ISO 3166-1 alpha-3 code (pycountry's table, on disk)."""
    return code in _country_codes()


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
