"""Lexical index: Whoosh, BM25F over heading, context (instrument title and container
heading) and text, with ID fields for the filters. Queries read heading and text only: the context
field (instrument title, container heading) tripled the OR-query's cost for no gain in
recall on the labels (bench/eval_retrieval.py); it stays in the index for field searches.

The analyzer keeps the legal abbreviations "s.", "ss.", "sub-s.", "art.", "para." and
numbers such as "279.01" or "27A" as single tokens, lower-cases, drops English stop words
and Porter-stems everything else. Queries are analysed with the same analyzer and run as a
disjunction of terms (no query syntax, so a pasted convention paragraph with brackets and
quotes is safe), the heading term weighted ``HEADING_BOOST``.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable
from pathlib import Path

from whoosh import index as windex
from whoosh import scoring
from whoosh.analysis import LowercaseFilter, RegexTokenizer, StemFilter, StopFilter
from whoosh.fields import ID, TEXT, Schema
from whoosh.query import And, Or, Term

log = logging.getLogger(__name__)

# From this many hits on, collect without top-k pruning (see LexicalIndex.search).
UNPRUNED_K = 500

ABBREVIATIONS = ("sub-s.", "sub-ss.", "ss.", "s.", "arts.", "art.", "paras.", "para.", "subpara.", "cl.", "sch.")
TOKEN_PATTERN = (
    r"(?i)\b(?:sub-ss|sub-s|subpara|paras|para|arts|art|sch|ss|cl|s)\.(?!\w)"  # legal abbreviations
    r"|\w+(?:[.'’-]\w+)*"  # words, 279.01, 27A, money-laundering
)
HEADING_BOOST = 2.0


def analyzer():
    return (
        RegexTokenizer(TOKEN_PATTERN)
        | LowercaseFilter()
        | StopFilter(minsize=1)
        | StemFilter(ignore=frozenset(ABBREVIATIONS))
    )


ANALYZER = analyzer()
_WORD = re.compile(TOKEN_PATTERN)


def schema() -> Schema:
    return Schema(
        id=ID(stored=True, unique=True),
        country=ID,
        instrument=ID,
        topic=ID,
        kind=ID,
        number=ID,
        heading=TEXT(analyzer=ANALYZER, phrase=False),
        context=TEXT(analyzer=ANALYZER, phrase=False),
        text=TEXT(analyzer=ANALYZER, phrase=False),
    )


def analyze(text: str) -> list[str]:
    return [t.text for t in ANALYZER(text)]


def query_words(query: str) -> list[tuple[str, str]]:
    """(surface word, analysed term) for each distinct query word that survives analysis."""
    seen: dict[str, str] = {}
    for match in _WORD.finditer(query):
        word = match.group(0)
        terms = analyze(word)
        if terms and terms[0] not in seen.values() and word not in seen:
            seen[word] = terms[0]
    return list(seen.items())


def build_lexical(path: Path, docs: Iterable[dict], procs: int = 1, limitmb: int = 256) -> int:
    """Write a fresh Whoosh index of ``docs`` (dicts with the schema's fields) into ``path``."""
    path.mkdir(parents=True, exist_ok=True)
    ix = windex.create_in(str(path), schema())
    kwargs = {"limitmb": limitmb}
    if procs > 1:
        kwargs.update(procs=procs, multisegment=True)
    writer = ix.writer(**kwargs)
    count = 0
    try:
        for doc in docs:
            writer.add_document(**doc)
            count += 1
    except BaseException:
        writer.cancel()
        raise
    writer.commit()
    ix.close()
    return count


class LexicalIndex:
    def __init__(self, path: Path):
        self.ix = windex.open_dir(str(path))
        self.searcher = self.ix.searcher(weighting=scoring.BM25F(B=0.75, K1=1.2))
        self.reader = self.searcher.reader()
        self.size = self.reader.doc_count()
        # One Whoosh searcher shared by the web server's threads: its readers seek a shared file.
        self._lock = threading.RLock()

    def close(self) -> None:
        self.searcher.close()
        self.ix.close()

    @staticmethod
    def make_query(terms: list[str]):
        clauses = []
        for term in terms:
            clauses.append(Term("heading", term, boost=HEADING_BOOST))
            clauses.append(Term("text", term))
        return Or(clauses)

    @staticmethod
    def make_filter(filters: dict[str, str | None]):
        clauses = [Term(field, value) for field, value in filters.items() if value]
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else And(clauses)

    def search(self, query: str, k: int, filters: dict[str, str | None] | None = None) -> list[tuple[str, float]]:
        """(provision id, BM25F score), best first."""
        terms = list(dict.fromkeys(analyze(query)))
        if not terms:
            return []
        q = self.make_query(terms)
        flt = self.make_filter(filters or {})
        with self._lock:
            # Whoosh prunes with block max-quality for a top-k; for a deep pool that pruning
            # costs more than it saves (5x slower at k=3000 on the corpus): score all, then cut.
            results = self.searcher.search(q, limit=None if k >= UNPRUNED_K else k, filter=flt)
            return [(hit["id"], float(hit.score)) for hit in results[:k]]

    def docnum(self, provision_id: str) -> int | None:
        with self._lock:
            return self.searcher.document_number(id=provision_id)

    def matched_terms(self, provision_id: str, words: list[tuple[str, str]]) -> list[str]:
        """The query words (as typed) whose analysed term occurs in the provision."""
        docnum = self.docnum(provision_id)
        if docnum is None:
            return []
        with self._lock:
            return self._matched(docnum, words)

    def _matched(self, docnum: int, words: list[tuple[str, str]]) -> list[str]:
        found = []
        for word, term in words:
            for field in ("heading", "text"):
                if (field, term) not in self.reader:
                    continue
                postings = self.reader.postings(field, term)
                postings.skip_to(docnum)
                if postings.is_active() and postings.id() == docnum:
                    found.append(word)
                    break
        return found
