"""Dense index: FAISS over normalised embeddings, inner product = cosine.

Up to ``HNSW_THRESHOLD`` vectors the index is exact (``IndexFlatIP``); the corpus (~13.5k
units) is far below it. Above, an ``IndexHNSWFlat`` with ``METRIC_INNER_PRODUCT`` (M=16,
efConstruction=48, efSearch=``EF_SEARCH`` = 512); ``bench/search_bench.py --million`` measures
its recall against exact search. On 250k random unit vectors (the worst case: no structure)
with near-duplicate queries, recall@1 / recall@10 was 0.63 / 0.13 at efSearch 128 (1.0 ms)
and 0.90 / 0.27 at efSearch 512 (3.0 ms); hence 512, still small next to Whoosh's time.

Filtered search: FAISS searches with an ``IDSelectorBitmap`` of the allowed rows (exact for
the flat index); for HNSW, when the filter leaves at most ``EXACT_SUBSET_MAX`` rows they are
scored exactly with numpy instead (HNSW with a selective filter loses recall).
"""

from __future__ import annotations

import logging
from pathlib import Path

import faiss
import numpy as np

log = logging.getLogger(__name__)

HNSW_THRESHOLD = 200_000
HNSW_M = 16
EF_CONSTRUCTION = 48
EF_SEARCH = 512
EXACT_SUBSET_MAX = 50_000


def build_dense(vectors: np.ndarray, kind: str = "auto") -> faiss.Index:
    """A FAISS index of ``vectors`` (rows already L2-normalised)."""
    n, dim = vectors.shape
    if kind == "auto":
        kind = "hnsw" if n > HNSW_THRESHOLD else "flat"
    if kind == "flat":
        index = faiss.IndexFlatIP(dim)
    elif kind == "hnsw":
        index = faiss.IndexHNSWFlat(dim, HNSW_M, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = EF_CONSTRUCTION
    else:
        raise ValueError(f"unknown dense index kind {kind!r}")
    if n:
        index.add(np.ascontiguousarray(vectors, dtype=np.float32))
    return index


def index_kind(index: faiss.Index) -> str:
    return "hnsw" if isinstance(index, faiss.IndexHNSW) or "HNSW" in type(index).__name__ else "flat"


class DenseIndex:
    def __init__(self, index: faiss.Index, vectors: np.ndarray):
        self.index = index
        self.vectors = vectors  # (n, dim) float32, possibly memory-mapped; for filtered search
        self.kind = index_kind(index)
        if self.kind == "hnsw":
            faiss.downcast_index(index).hnsw.efSearch = EF_SEARCH

    @classmethod
    def load(cls, faiss_path: Path, vectors_path: Path) -> DenseIndex:
        index = faiss.read_index(str(faiss_path))
        vectors = np.load(vectors_path, mmap_mode="r")
        return cls(index, vectors)

    @property
    def size(self) -> int:
        return int(self.index.ntotal)

    @property
    def dim(self) -> int:
        return int(self.index.d)

    def search(self, qvec: np.ndarray, k: int, allowed: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(rows, scores) best first; ``allowed`` is a boolean mask over rows (None: all)."""
        qvec = np.ascontiguousarray(qvec.reshape(1, -1), dtype=np.float32)
        if allowed is None:
            k = min(k, self.size)
            if k <= 0:
                return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float32)
            scores, rows = self.index.search(qvec, k)
            keep = rows[0] >= 0
            return rows[0][keep], scores[0][keep]
        rows = np.flatnonzero(allowed)
        if len(rows) == 0:
            return rows.astype(np.int64), np.empty(0, dtype=np.float32)
        k = min(k, len(rows))
        if self.kind == "hnsw" and len(rows) <= EXACT_SUBSET_MAX:
            # exact on the subset; einsum, not BLAS: after torch has run, BLAS threads fight its
            # OpenMP threads on a small machine (75 ms instead of 2 ms measured on 2 cores)
            scores = np.einsum("ij,j->i", np.asarray(self.vectors[rows]), qvec[0])
            top = np.argpartition(-scores, k - 1)[:k]
            top = top[np.argsort(-scores[top])]
            return rows[top].astype(np.int64), scores[top].astype(np.float32)
        bitmap = np.packbits(allowed.astype(np.uint8), bitorder="little")
        selector = faiss.IDSelectorBitmap(len(allowed), faiss.swig_ptr(bitmap))
        if self.kind == "hnsw":
            params = faiss.SearchParametersHNSW(sel=selector, efSearch=max(EF_SEARCH, k))
        else:
            params = faiss.SearchParameters(sel=selector)
        scores, found = self.index.search(qvec, k, params=params)
        keep = found[0] >= 0
        return found[0][keep], scores[0][keep]
