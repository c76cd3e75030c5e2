"""Ingest: manifest entry -> Instrument -> parsed provisions, one file at a time."""

from __future__ import annotations

import functools
import hashlib
import importlib
import logging
import time
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from harmonize.analyze.extradition_rules import instrument_rule
from harmonize.analyze.facts import analyze_instrument, analyzer_fingerprint
from harmonize.config import Limits
from harmonize.corpus import ManifestEntry, content_hash, corpus_path, detect_language, instrument_id, load_manifest
from harmonize.model import Instrument, ParsedDocument
from harmonize.parse import PARSERS, detect_format, parse_file
from harmonize.errors import ParseError
from harmonize.ids import SECTION_KINDS
from harmonize.parse.base import read_bytes, sniff_text
from harmonize.store import EXTRADITION_RULE

log = logging.getLogger(__name__)


def read_raw(corpus: Path, entry: ManifestEntry, limits: Limits = Limits()) -> bytes:
    """The bytes of a manifest entry's file: inside the corpus, and not over the per-file limit."""
    where = f"MANIFEST.tsv line {entry.line}"
    try:
        path = corpus_path(corpus.resolve(), entry.path)
    except ValueError as exc:
        raise ParseError(entry.path, where, str(exc)) from None
    try:
        size = path.stat().st_size
    except OSError:
        size = 0  # read_bytes names the problem
    if size > limits.file_bytes:
        raise ParseError(entry.path, "file", f"{size:,} bytes, over the per-file limit of {limits.file_bytes:,}: "
                         "raise it (HARMONIZE_MAX_FILE_MB or --max-file-mb) or split the file")
    return read_bytes(path, entry.path, where=where)


def check_sizes(doc: ParsedDocument, limits: Limits) -> None:
    """ParseError naming the first section or article longer than the per-provision limit."""
    for prov in doc.provisions:
        if prov.kind in SECTION_KINDS and len(prov.text) > limits.provision_chars:
            raise ParseError(doc.instrument.source, prov.id, f"{len(prov.text):,} characters, over the per-provision "
                             f"limit of {limits.provision_chars:,} (a section this long usually means headings were "
                             "missed): check the file, or raise the limit (HARMONIZE_MAX_PROVISION_CHARS or "
                             "--max-provision-chars)")


def make_instrument(entry: ManifestEntry, raw: bytes) -> Instrument:
    """The Instrument for a manifest entry, its format sniffed and its language detected."""
    text = sniff_text(raw)
    return Instrument(
        id=instrument_id(entry),
        country=entry.country,
        title=entry.title,
        year=entry.year,
        topic=entry.topic,
        language=detect_language(text),
        source=entry.path,
        format=detect_format(entry, text),
        content_hash=content_hash(raw),
    )


def parse_entry(corpus: Path, entry: ManifestEntry, raw: bytes | None = None) -> ParsedDocument:
    """Parse one manifest entry; raises ParseError with the file and place on bad input."""
    raw = read_raw(corpus, entry) if raw is None else raw
    return parse_instrument(corpus, make_instrument(entry, raw))


def parse_instrument(corpus: Path, instrument: Instrument) -> ParsedDocument:
    """Run the instrument's parser; a file that yields no provision at all is an error."""
    doc = parse_file(corpus / instrument.source, instrument)
    if not doc.provisions:
        raise ParseError(instrument.source, "file", f"no provisions found by the {instrument.format} parser")
    return doc


def analyse_document(doc: ParsedDocument) -> tuple[dict, object]:
    """(facts per section, the extradition rule the Act states or None): all analysis of one file."""
    instrument = doc.instrument
    facts = analyze_instrument(doc.provisions, instrument.language, instrument.topic)
    return facts, instrument_rule(instrument, doc.provisions)


def write_document(store, doc: ParsedDocument, fingerprint: str, facts: dict, rule) -> None:
    """Replace one instrument in the store with its provisions, facts and rule (inside a transaction)."""
    store.replace_instrument(doc.instrument, fingerprint, doc.provisions, doc.warnings)
    store.write_facts(doc.instrument.id, facts.values())
    store.write_rule(doc.instrument.id, EXTRADITION_RULE, rule)


@dataclass
class IngestReport:
    files: int = 0
    parsed: int = 0  # files parsed this run
    unchanged: int = 0  # files skipped because their hash did not change
    provisions: int = 0
    per_country: dict[str, int] = field(default_factory=dict)
    per_format: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.errors


@functools.lru_cache(maxsize=None)
def parser_fingerprint(format_name: str) -> str:
    """Hash of the parser's and analyser's code: a changed parser or analyser re-processes its files."""
    digest = hashlib.sha256()
    for module_name in ("harmonize.model", "harmonize.ids", "harmonize.parse.base", f"harmonize.parse.{PARSERS[format_name]}"):
        module = importlib.import_module(module_name)
        digest.update(Path(module.__file__).read_bytes())
    digest.update(analyzer_fingerprint().encode())  # facts are stored with the provisions
    return digest.hexdigest()[:16]


def ingest_key(instrument: Instrument) -> str:
    """What a stored file's provisions and facts depend on besides its bytes: the parser's and
    analyser's code, and the manifest's words about the file that the analysis reads (the topic
    is the subject of an Act's offences where no heading names one) or the store keeps (title,
    year). A changed topic re-analyses that file, and only it."""
    digest = hashlib.sha256(parser_fingerprint(instrument.format).encode())
    for value in (instrument.topic, instrument.title, str(instrument.year)):
        digest.update(b"\0" + value.encode())
    return digest.hexdigest()[:16]


def ingest_corpus(corpus: Path, store, show_progress: bool = True, limits: Limits | None = None) -> IngestReport:
    """Parse every manifest file whose content or parser changed, and write them in one transaction.

    A file that fails, or whose manifest row is rejected, keeps its previous provisions in the
    store; files no longer in the manifest are removed. Nothing is written if the transaction fails.
    """
    started = time.perf_counter()
    limits = limits or Limits.from_env()
    report = IngestReport()
    manifest = load_manifest(corpus)
    entries = manifest.entries
    for error in manifest.errors:
        log.error("%s", error)
        report.errors.append(str(error))
    report.files = len(entries) + len(manifest.rejected)
    known = store.fingerprints()
    parsed: list[tuple[ParsedDocument, str, dict, object]] = []
    for entry in tqdm(entries, desc="ingest", unit="file", disable=not show_progress):
        try:
            raw = read_raw(corpus, entry, limits)
            instrument = make_instrument(entry, raw)
            fingerprint = ingest_key(instrument)
            previous = known.get(entry.path)
            if previous and previous[0] == instrument.id and previous[1:] == (instrument.content_hash, fingerprint):
                report.unchanged += 1
                continue
            doc = parse_instrument(corpus, instrument)
            check_sizes(doc, limits)
        except ParseError as exc:
            log.error("%s", exc)
            report.errors.append(str(exc))
            continue
        parsed.append((doc, fingerprint, *analyse_document(doc)))
        report.parsed += 1
        report.warnings += [str(w) for w in doc.warnings]
    in_manifest = {e.path for e in entries} | manifest.rejected
    removed = [ident for source, (ident, *_rest) in known.items() if source not in in_manifest]
    with store.transaction():
        for doc, fingerprint, facts, rule in parsed:
            write_document(store, doc, fingerprint, facts, rule)
        store.delete_instruments(removed)
    report.removed = removed
    for instrument in store.instruments():
        count = store.provision_count(instrument.id)
        report.provisions += count
        report.per_country[instrument.country] = report.per_country.get(instrument.country, 0) + count
        report.per_format[instrument.format] = report.per_format.get(instrument.format, 0) + count
    report.seconds = time.perf_counter() - started
    return report
