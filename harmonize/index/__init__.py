"""Retrieval: dense (sentence-transformers + FAISS) and lexical (Whoosh BM25F) indexes over
sections and articles, fused into hybrid search.

    from harmonize.index import SearchIndex, build_index
    report = build_index(store, data_dir)            # incremental, atomic
    with SearchIndex.open(data_dir) as index:        # harmonize.errors.IndexMissingError / IndexCorruptError
        hits = index.search("cultivation of cannabis", k=10, country="IND")
"""

from harmonize.index.build import BuildReport, build_index
from harmonize.index.hybrid import Hit, SearchIndex

__all__ = [
    "BuildReport", "Hit", "SearchIndex", "build_index",
]
