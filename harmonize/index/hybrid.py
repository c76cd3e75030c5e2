"""Search API: dense, lexical or hybrid search over the built index, with filters.

Hybrid search takes the top ``CANDIDATES`` of each side (with the same filters) and fuses
them. ``country_retriever(index)`` is the hybrid search the alignment engine uses (one
country at a time, the query prepared once for all countries); ``SearchIndex.similar`` the
units closest in meaning to an indexed unit. Two fusions are implemented; ``bench/eval_retrieval.py`` measures both on the
alignment labels and the default (``FUSION``) is the better one there:

- ``rrf``: reciprocal rank fusion, ``sum(1 / (RRF_K + rank))`` over the two lists;
- ``weighted``: ``W_DENSE * cosine + (1 - W_DENSE) * bm25 / max_bm25``, a side that did not
  return the unit contributing 0 (lexical) or its lowest returned score (dense).
"""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from harmonize.errors import IndexCorruptError, IndexMissingError, NotFound
from harmonize.index import layout
from harmonize.index.dense import DenseIndex
from harmonize.index.lexical import LexicalIndex, query_words

log = logging.getLogger(__name__)

MODES = ("hybrid", "dense", "lexical")
FUSIONS = ("rrf", "weighted")
FUSION = "rrf"
RRF_K = 60
W_DENSE = 0.5
CANDIDATES = 100
LEXICAL_POOL = 3000  # unfiltered BM25 hits kept per alignment query, split by country

HINT = "run `make index` (or `harmonize index`) to build it"


@dataclass
class Hit:
    id: str  # provision id
    score: float
    matched_terms: list[str] = field(default_factory=list)  # query words found in the provision
    instrument: str = ""
    country: str = ""
    kind: str = ""
    number: str = ""
    dense_rank: int | None = None  # 1-based rank in the dense list, None when absent
    lexical_rank: int | None = None

    def to_dict(self) -> dict:
        return asdict(self)


class SearchIndex:
    def __init__(self, path: Path, manifest: dict, meta: dict, dense: DenseIndex, lexical: LexicalIndex):
        self.path = path
        self.manifest = manifest
        self.model_name = manifest["model"]
        self.instruments = meta["instruments"]
        rows = meta["rows"]
        self.ids = [r[0] for r in rows]
        self.row_inst = np.fromiter((r[1] for r in rows), dtype=np.int32, count=len(rows))
        self.numbers = [r[3] for r in rows]
        kinds = sorted({r[2] for r in rows})
        self.kind_names = kinds
        kind_code = {k: i for i, k in enumerate(kinds)}
        self.row_kind = np.fromiter((kind_code[r[2]] for r in rows), dtype=np.int16, count=len(rows))
        self.row_of = {pid: i for i, pid in enumerate(self.ids)}
        self.dense = dense
        self.lexical = lexical
        self._model = None

    # -- opening ---------------------------------------------------------------------------

    @classmethod
    def open(cls, data_dir, model_name: str | None = None) -> SearchIndex:
        """Open ``<data_dir>/index``; IndexMissingError / IndexCorruptError say to run `make index`."""
        data_dir = Path(data_dir)
        if not layout.building(data_dir):
            try:
                layout.recover(data_dir)
            except OSError as exc:
                log.warning("could not recover the index: %s", exc)
        path = layout.index_path(data_dir)
        if not (path / "manifest.json").is_file():
            raise IndexMissingError(f"no search index at {path}: {HINT}")
        try:
            manifest = layout.read_manifest(path)
            if manifest.get("version") != layout.FORMAT_VERSION:
                raise ValueError(f"index format {manifest.get('version')}, expected {layout.FORMAT_VERSION}")
            for key in ("model", "dim", "units"):
                if key not in manifest:
                    raise ValueError(f"manifest.json has no {key!r}")
            meta = json.loads((path / "units.json").read_text(encoding="utf-8"))
            dense = DenseIndex.load(path / "dense.faiss", path / "vectors.npy")
            lexical = LexicalIndex(path / "lexical")
        except Exception as exc:  # faiss raises RuntimeError, whoosh its own, json ValueError
            raise IndexCorruptError(f"search index at {path} is unreadable ({_short(exc)}): {HINT}") from exc
        n = manifest["units"]
        sizes = {"units.json": len(meta.get("rows", [])), "dense.faiss": dense.size, "vectors.npy": len(dense.vectors),
                 "lexical": lexical.size}
        if any(v != n for v in sizes.values()) or dense.dim != manifest["dim"]:
            lexical.close()
            raise IndexCorruptError(f"search index at {path} is inconsistent ({sizes}, manifest {n}): {HINT}")
        index = cls(path, manifest, meta, dense, lexical)
        if model_name and model_name != index.model_name:
            log.warning("index was built with %s, not %s: queries use %s", index.model_name, model_name, index.model_name)
        return index

    def close(self) -> None:
        self.lexical.close()

    def __enter__(self) -> SearchIndex:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def model(self):
        if self._model is None:
            from harmonize.index.embed import load_model

            self._model = load_model(self.model_name)
        return self._model

    # -- search ----------------------------------------------------------------------------

    def country_of(self, provision_id: str) -> str:
        row = self.row_of.get(provision_id)
        return self.instruments[self.row_inst[row]]["country"] if row is not None else ""

    def allowed_rows(self, country=None, instrument=None, topic=None, kind=None) -> np.ndarray | None:
        if not (country or instrument or topic or kind):
            return None
        ok_inst = [
            i for i, inst in enumerate(self.instruments)
            if (not country or inst["country"] == country)
            and (not instrument or inst["id"] == instrument)
            and (not topic or inst["topic"] == topic)
        ]
        mask = np.isin(self.row_inst, np.array(ok_inst, dtype=np.int32))
        if kind:
            if kind not in self.kind_names:
                return np.zeros(len(self.ids), dtype=bool)
            mask &= self.row_kind == self.kind_names.index(kind)
        return mask

    def search_dense(self, query: str, k: int, allowed: np.ndarray | None = None, qvec=None) -> list[tuple[str, float]]:
        from harmonize.index.embed import encode_query

        if qvec is None:
            qvec = encode_query(self.model, query)
        rows, scores = self.dense.search(qvec, k, allowed)
        return [(self.ids[r], float(s)) for r, s in zip(rows, scores)]

    def similar(self, provision_id: str, k: int, exclude_country: str | None = None) -> list[tuple[str, float]]:
        """Units closest in meaning to an indexed unit (its stored vector), best first: the
        unit itself and units of `exclude_country` left out; up to 8k+1 candidates, so a
        caller that drops some (no longer in the store) still finds k. NotFound when
        `provision_id` is not an indexed unit."""
        row = self.row_of.get(provision_id)
        if row is None:
            raise NotFound(f"{provision_id!r} is not an indexed unit")
        qvec = self.dense.vectors[row: row + 1]
        exclude = exclude_country.upper() if exclude_country else None
        return [(pid, score) for pid, score in self.search_dense("", k * 8 + 1, qvec=qvec)
                if pid != provision_id and self.country_of(pid) != exclude]

    def search(
        self, query: str, k: int = 10, mode: str = "hybrid", country: str | None = None,
        instrument: str | None = None, topic: str | None = None, kind: str | None = None,
        fusion: str | None = None, candidates: int | None = None, qvec: np.ndarray | None = None,
    ) -> list[Hit]:
        """The ``k`` best units for ``query``; filters are exact matches (country ISO3 upper-case)."""
        if mode not in MODES:
            raise ValueError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
        fusion = fusion or FUSION
        if fusion not in FUSIONS:
            raise ValueError(f"fusion must be one of {', '.join(FUSIONS)}, not {fusion!r}")
        if not query or not query.strip() or k <= 0:
            return []
        country = country.upper() if country else None
        kind = kind.lower() if kind else None
        filters = {"country": country, "instrument": instrument, "topic": topic, "kind": kind}
        n = max(k, candidates or CANDIDATES) if mode == "hybrid" else k
        dense_list: list[tuple[str, float]] = []
        lexical_list: list[tuple[str, float]] = []
        if mode in ("hybrid", "dense"):
            dense_list = self.search_dense(query, n, self.allowed_rows(**filters), qvec=qvec)
        if mode in ("hybrid", "lexical"):
            lexical_list = self.lexical.search(query, n, filters)
        if mode == "dense":
            ranked = dense_list
        elif mode == "lexical":
            ranked = lexical_list
        else:
            ranked = fuse(dense_list, lexical_list, fusion)
        dense_rank = {pid: i + 1 for i, (pid, _) in enumerate(dense_list)}
        lexical_rank = {pid: i + 1 for i, (pid, _) in enumerate(lexical_list)}
        words = query_words(query)
        hits = []
        for pid, score in ranked[:k]:
            row = self.row_of.get(pid)
            inst = self.instruments[self.row_inst[row]] if row is not None else {}
            hits.append(
                Hit(
                    id=pid, score=float(score), matched_terms=self.lexical.matched_terms(pid, words),
                    instrument=inst.get("id", ""), country=inst.get("country", ""),
                    kind=self.kind_names[self.row_kind[row]] if row is not None else "",
                    number=self.numbers[row] if row is not None else "",
                    dense_rank=dense_rank.get(pid), lexical_rank=lexical_rank.get(pid),
                )
            )
        return hits


def country_retriever(index: SearchIndex, pool: int = LEXICAL_POOL) -> Callable[[str, str, str, int], list[str]]:
    """Hybrid search restricted to a country, for the alignment engine (`align.coverage.Retriever`).

    Alignment asks the same obligation of every country in turn, so the query vector and
    one unfiltered lexical search (`pool` deep) are computed once per obligation and split
    by country, instead of one slow BM25 OR-query per country.
    """
    from harmonize.index.embed import encode_query

    @functools.lru_cache(maxsize=4)
    def query_vector(text: str):
        return encode_query(index.model, text)

    @functools.lru_cache(maxsize=4)
    def lexical_by_country(text: str) -> dict[str, list[tuple[str, float]]]:
        split: dict[str, list[tuple[str, float]]] = {}
        for pid, score in index.lexical.search(text, pool, {}):
            split.setdefault(index.country_of(pid), []).append((pid, score))
        return split

    def retrieve(dense_query: str, lexical_query: str, country: str, k: int) -> list[str]:
        dense = index.search_dense(dense_query, CANDIDATES, index.allowed_rows(country=country),
                                   qvec=query_vector(dense_query))
        lexical = lexical_by_country(lexical_query).get(country, [])[:CANDIDATES]
        return [pid for pid, _ in fuse(dense, lexical)[:k]]

    return retrieve


def fuse(dense_list, lexical_list, fusion: str = FUSION, rrf_k: int = RRF_K, w_dense: float = W_DENSE):
    """Fused (id, score) best first."""
    scores: dict[str, float] = {}
    if fusion == "rrf":
        for ranked in (dense_list, lexical_list):
            for rank, (pid, _) in enumerate(ranked, start=1):
                scores[pid] = scores.get(pid, 0.0) + 1.0 / (rrf_k + rank)
    else:
        floor = min((s for _, s in dense_list), default=0.0)
        top = max((s for _, s in lexical_list), default=0.0) or 1.0
        dense_of = dict(dense_list)
        lex_of = dict(lexical_list)
        for pid in set(dense_of) | set(lex_of):
            scores[pid] = w_dense * dense_of.get(pid, floor) + (1 - w_dense) * lex_of.get(pid, 0.0) / top
    return sorted(scores.items(), key=lambda item: (-item[1], item[0]))


def _short(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0][:200]}" if text else type(exc).__name__
