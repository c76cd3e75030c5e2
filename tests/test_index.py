"""Search index: build on a few real instruments, search by paraphrase, filters, errors,
atomic and incremental rebuilds. The index is built once per session (~300 units)."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest

from harmonize.errors import IndexCorruptError, IndexMissingError
from harmonize.index import SearchIndex, build_index
from harmonize.index import lexical as lexical_module
from harmonize.store import Store

from conftest import parse_corpus_file

SOURCES = (
    "national/CAN/controlled-drugs-and-substances-act.xml",
    "national/IND/ndps-act-1985.xml",
    "national/NZL/misuse-of-drugs-act-1975.md",
    "conventions/vienna-illicit-traffic-1988.md",
)
VIENNA = "UN/vienna-illicit-traffic-1988"


def write_docs(store: Store, docs) -> None:
    with store.transaction():
        for doc in docs:
            store.replace_instrument(doc.instrument, "x", doc.provisions, doc.warnings)


@pytest.fixture(scope="session")
def built(tmp_path_factory, corpus):
    data = tmp_path_factory.mktemp("index-data")
    with Store(data / "harmonize.sqlite", create=True) as store:
        write_docs(store, [parse_corpus_file(s) for s in SOURCES])
        report = build_index(store, data, show_progress=False)
    return data, report


@pytest.fixture(scope="session")
def index(built):
    data, _ = built
    idx = SearchIndex.open(data)
    yield idx
    idx.close()


@pytest.fixture()
def data_copy(built, tmp_path) -> Path:
    """A private copy of the built data dir (store and index) a test may change."""
    data, _ = built
    copy = tmp_path / "data"
    shutil.copytree(data, copy)
    return copy


def ids(hits) -> list[str]:
    return [h.id for h in hits]


def test_build_report(built):
    _, report = built
    assert report.units > 250
    # every unit embedded (identical texts once each)
    assert 0 < report.re_embedded <= report.units
    assert report.full_rebuild and report.reused == 0
    assert report.dim == 384 and report.dense == "flat"
    assert set(report.per_country) == {"CAN", "IND", "NZL", "UN"}


@pytest.mark.parametrize("mode", ["hybrid", "dense", "lexical"])
def test_paraphrase_finds_ndps_cannabis_section(index, mode):
    hits = index.search("growing cannabis plants without a licence", k=5, mode=mode, country="IND")
    assert "IND/ndps-act-1985/sec-20" in ids(hits)


def test_paraphrase_finds_cdsa_trafficking(index):
    hits = index.search("possession of a drug for the purpose of trafficking", k=5)
    assert "CAN/controlled-drugs-and-substances-act/sec-5" in ids(hits)


def test_hits_carry_metadata_and_matched_terms(index):
    hit = next(h for h in index.search("cultivates cannabis plant", k=10, country="IND") if h.id.endswith("/sec-20"))
    assert hit.country == "IND" and hit.kind == "section" and hit.number == "20"
    assert {"cultivates", "cannabis", "plant"} <= set(hit.matched_terms)


def test_filters(index):
    for mode in ("hybrid", "dense", "lexical"):
        hits = index.search("trafficking in narcotic drugs", k=20, mode=mode, country="can")
        assert hits and all(h.country == "CAN" for h in hits)
        hits = index.search("trafficking in narcotic drugs", k=20, mode=mode, instrument=VIENNA)
        assert hits and all(h.instrument == VIENNA for h in hits)
        hits = index.search("trafficking in narcotic drugs", k=20, mode=mode, kind="article")
        assert hits and all(h.kind == "article" for h in hits)
        assert index.search("trafficking", mode=mode, topic="firearms") == []
    assert index.search("trafficking", topic="drugs", country="IND")


def test_legal_abbreviations_are_tokens():
    terms = lexical_module.analyze("see s. 5 and sub-s. (2) of art. 3; 279.01")
    assert {"s.", "sub-s.", "art.", "279.01"} <= set(terms)


def test_missing_index_says_run_make_index(tmp_path):
    with pytest.raises(IndexMissingError, match="make index"):
        SearchIndex.open(tmp_path)


@pytest.mark.parametrize("victim", ["dense.faiss", "manifest.json", "units.json"])
def test_corrupt_index_says_run_make_index(data_copy, victim):
    (data_copy / "index" / victim).write_bytes(b"\x00garbage")
    with pytest.raises(IndexCorruptError, match="make index"):
        SearchIndex.open(data_copy)


def test_unchanged_rebuild_embeds_nothing(data_copy):
    with Store(data_copy / "harmonize.sqlite") as store:
        report = build_index(store, data_copy, show_progress=False)
    assert report.unchanged and report.re_embedded == 0 and report.reused == report.units


def test_changed_instrument_re_embeds_only_its_units(data_copy, built):
    doc = parse_corpus_file(SOURCES[-1])
    changed = [
        dataclasses.replace(p, text="As amended: " + p.text) if p.kind == "article" else p for p in doc.provisions
    ]
    n_articles = sum(p.kind == "article" for p in doc.provisions)
    with Store(data_copy / "harmonize.sqlite") as store:
        write_docs(store, [dataclasses.replace(doc, provisions=changed)])
        report = build_index(store, data_copy, show_progress=False)
    assert not report.unchanged and not report.full_rebuild
    assert report.re_embedded == n_articles
    assert report.reused == report.units - n_articles
    with SearchIndex.open(data_copy) as idx:
        assert len(idx) == report.units


def test_interrupted_rebuild_keeps_old_index(data_copy, monkeypatch):
    before = sorted(p.name for p in data_copy.iterdir())

    def boom(path, docs, **kwargs):
        (path / "partial").mkdir(parents=True)
        raise KeyboardInterrupt

    monkeypatch.setattr(lexical_module, "build_lexical", boom)
    with Store(data_copy / "harmonize.sqlite") as store:
        with store.transaction():  # force a rebuild: drop one instrument
            store.delete_instruments([VIENNA])
        with pytest.raises(KeyboardInterrupt):
            build_index(store, data_copy, show_progress=False)
    assert sorted(p.name for p in data_copy.iterdir()) == before  # no index.new-* left behind
    with SearchIndex.open(data_copy) as idx:
        assert any(h.instrument == VIENNA for h in idx.search("illicit traffic", k=10, mode="lexical"))


def test_crash_between_renames_is_recovered(data_copy):
    (data_copy / "index").rename(data_copy / "index.old")
    with SearchIndex.open(data_copy) as idx:
        assert len(idx) > 250
    assert (data_copy / "index").is_dir() and not (data_copy / "index.old").exists()


def test_bad_mode(index):
    with pytest.raises(ValueError):
        index.search("x", mode="fuzzy")


def test_hnsw_dense_index_with_filter():
    import numpy as np

    from harmonize.index.dense import DenseIndex, build_dense

    rng = np.random.default_rng(0)
    vectors = rng.standard_normal((2000, 32)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    dense = DenseIndex(build_dense(vectors, "hnsw"), vectors)
    assert dense.kind == "hnsw"
    rows, scores = dense.search(vectors[7], 5)
    assert rows[0] == 7 and scores[0] == pytest.approx(1.0, abs=1e-4)
    allowed = np.zeros(2000, dtype=bool)
    allowed[::3] = True
    rows, _ = dense.search(vectors[7], 5, allowed)
    assert len(rows) == 5 and all(r % 3 == 0 for r in rows)


def test_rrf_fusion_rewards_agreement():
    from harmonize.index.hybrid import fuse

    fused = fuse([("a", 0.9), ("b", 0.8), ("c", 0.7)], [("c", 12.0), ("d", 11.0), ("a", 3.0)], "rrf")
    assert [pid for pid, _ in fused][:2] == ["a", "c"]
