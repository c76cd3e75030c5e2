"""Shared test helpers: the real corpus, and a parsed-document cache per test run."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

from harmonize.config import corpus_dir
from harmonize.corpus import ManifestEntry, read_manifest
from harmonize.ingest import make_instrument, parse_entry, read_raw
from harmonize.model import Instrument, ParsedDocument

CORPUS = corpus_dir()


@functools.lru_cache(maxsize=None)
def manifest_entry(source: str) -> ManifestEntry:
    for entry in read_manifest(CORPUS):
        if entry.path == source:
            return entry
    raise KeyError(f"{source} is not in MANIFEST.tsv")


def load_instrument(source: str) -> Instrument:
    entry = manifest_entry(source)
    return make_instrument(entry, read_raw(CORPUS, entry))


@functools.lru_cache(maxsize=None)
def parse_corpus_file(source: str) -> ParsedDocument:
    return parse_entry(CORPUS, manifest_entry(source))


def by_number(doc: ParsedDocument, number: str, kind: str | None = None):
    """The first provision with this printed number (and kind)."""
    for prov in doc.provisions:
        if prov.number == number and (kind is None or prov.kind == kind):
            return prov
    raise KeyError(f"no provision numbered {number!r} in {doc.instrument.source}")


@pytest.fixture(scope="session")
def corpus():
    if not (CORPUS / "MANIFEST.tsv").is_file():
        pytest.fail(f"corpus not found at {CORPUS}; set HARMONIZE_CORPUS")
    return CORPUS


@pytest.fixture(scope="session")
def web_data(request, corpus) -> Path:
    """A small real data dir (a few instruments, analysed, indexed, aligned): see webdata.py."""
    from webdata import web_data_dir

    return web_data_dir(Path(request.config.cache.mkdir("webdata")))


@pytest.fixture(scope="session")
def pg_cluster():
    """A PostgreSQL server for this test run (tests/pgcluster.py); skipped only off CI when
    the binaries are absent (.ci/run installs Debian's postgresql)."""
    import os

    from pgcluster import Cluster, binaries

    bindir = binaries()
    if bindir is None:
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL binaries (initdb, pg_ctl) not found: .ci/run installs Debian's postgresql")
        pytest.skip("PostgreSQL is not installed (apt-get install postgresql)")
    cluster = Cluster(bindir).start()
    yield cluster
    cluster.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def reviews_url(request, tmp_path):
    """A fresh, empty reviews database: a SQLite file, or a database on the throwaway cluster."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'reviews.sqlite'}"
    return request.getfixturevalue("pg_cluster").new_database()
