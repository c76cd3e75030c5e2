"""Lexical index: Whoosh, BM25F over heading, context (instrument title and container
heading) and text, with ID fields for the filters. Queries read heading and text only: the context
field (instrument title, container heading) tripled the OR-query's cost for no gain in
recall on the labels (bench/eval_retrieval.py); it stays in the index for field searches.

The analyzer keeps the legal abbreviations "s.", "ss.", "sub-s.", "art.", "para." and
numbers such as "279.01" or "27A" as single tokens, lower-cases, drops English stop words
and Porter-stems everything else. Queries are analysed with the same analyzer and run as a
disjunction of terms (no query syntax, so a pasted convention paragraph with brackets and
quotes is safe), the heading term weighted ``HEADING_BOOST``.

Exact words and phrases
-----------------------
A fourth text field, ``words``, holds the heading and text of the unit lower-cased but
neither stemmed nor stripped of stop words, with positions (``SCHEMA_VERSION`` 2). It serves:

- phrase search: text in double quotes (``"knowing or having reason to believe"``, also
  typographic quotes) must occur word for word (case and punctuation aside) in the unit;
  ``phrases`` splits a query into its quoted phrases and the rest, ``search`` requires every
  phrase and ranks by the other words;
- spelling: a query word that occurs nowhere in ``words`` (``trafficing``) is replaced by
  the closest word of the index's own vocabulary (edit distance 1, else 2, the most frequent
  first; ``suggest``), so the page can say "did you mean". Stemming alone would have found
  ``trafficing`` → ``traffic`` and returned road-traffic sections.

Long queries (a pasted provision) are cut to their ``MAX_TERMS`` rarest terms: on a pasted
2,000-character passage (UNTOC arts. 5-6) on the loaded 2-core machine the disjunction took
2.5 s with 60 terms, 0.43 s with 30, 0.17 s with 20; the passage's own article ranks first
with each, and the rare terms carry the ranking.
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
from whoosh.query import And, AndMaybe, Or, Phrase, Term

log = logging.getLogger(__name__)

# From this many hits on, collect without top-k pruning (see LexicalIndex.search).
UNPRUNED_K = 500

ABBREVIATIONS = ("sub-s.", "sub-ss.", "ss.", "s.", "arts.", "art.", "paras.", "para.", "subpara.", "cl.", "sch.")
TOKEN_PATTERN = (
    r"(?i)\b(?:sub-ss|sub-s|subpara|paras|para|arts|art|sch|ss|cl|s)\.(?!\w)"  # legal abbreviations
    r"|\w+(?:[.'’-]\w+)*"  # words, 279.01, 27A, money-laundering
)
HEADING_BOOST = 2.0
SCHEMA_VERSION = 2
MAX_TERMS = 20
RARE_DF = 3
RARE_RATIO = 20
WORD_PATTERN = r"\w+(?:[.'’-]\w+)*"
# "…", “…”, and „…“ around a phrase
QUOTED = re.compile(r'"([^"]+)"|“([^”]+)”|„([^“”]+)[“”]')


def analyzer():
    return (
        RegexTokenizer(TOKEN_PATTERN)
        | LowercaseFilter()
        | StopFilter(minsize=1)
        | StemFilter(ignore=frozenset(ABBREVIATIONS))
    )


ANALYZER = analyzer()
EXACT_ANALYZER = RegexTokenizer(WORD_PATTERN) | LowercaseFilter()
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
        words=TEXT(analyzer=EXACT_ANALYZER, phrase=True),
    )


def exact_words(text: str) -> list[str]:
    """The words of ``text`` as the ``words`` field holds them (lower case, unstemmed)."""
    return [t.text for t in EXACT_ANALYZER(text)]


def phrases(query: str) -> tuple[list[list[str]], str]:
    """The quoted phrases of ``query`` (each as its words) and the query without them."""
    found = []
    for match in QUOTED.finditer(query):
        words = exact_words(next(g for g in match.groups() if g is not None))
        if words:
            found.append(words)
    return found, QUOTED.sub(" ", query)


def phrase_query(words: list[str]):
    return Term("words", words[0]) if len(words) == 1 else Phrase("words", words)


def contains_phrase(text: str, words: list[str]) -> bool:
    """Whether ``text`` holds the words in a row (what a phrase query matches)."""
    have = exact_words(text)
    n = len(words)
    return any(have[i:i + n] == words for i in range(len(have) - n + 1))


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

    def search(self, query: str, k: int, filters: dict[str, str | None] | None = None,
               with_total: bool = False, literal: bool = False):
        """(provision id, BM25F score), best first; with ``with_total``, also the number of
        units that match (contain a query word, and every quoted phrase).

        ``literal`` (the alignment's deep pools): every term of the query counts and quotes
        are plain characters, as in a query a person did not type (convention text quotes its
        defined terms: '"Illicit traffic" means ...')."""
        if literal:
            required, terms = [], list(dict.fromkeys(analyze(query)))
        else:
            required, rest = phrases(query)
            terms = self.rarest(list(dict.fromkeys(analyze(rest))), MAX_TERMS)
        if not terms and not required:
            return ([], 0) if with_total else []
        q = self.make_query(terms) if terms else None
        if required:
            must = phrase_query(required[0]) if len(required) == 1 else And([phrase_query(p) for p in required])
            q = AndMaybe(must, q) if q is not None else must
        flt = self.make_filter(filters or {})
        with self._lock:
            # Whoosh prunes with block max-quality for a top-k; for a deep pool that pruning
            # costs more than it saves (5x slower at k=3000 on the corpus): score all, then cut.
            results = self.searcher.search(q, limit=None if k >= UNPRUNED_K else k, filter=flt)
            hits = [(hit["id"], float(hit.score)) for hit in results[:k]]
            if with_total:
                # exact when every match was collected; else Whoosh's estimate (counting them all
                # would double the query's time), never below what was collected
                total = len(results) if results.has_exact_length() else results.estimated_length()
                return hits, max(total, len(hits))
            return hits

    def rarest(self, terms: list[str], limit: int) -> list[str]:
        """At most ``limit`` terms, the rarest in the text field first (query order kept)."""
        if len(terms) <= limit:
            return terms
        with self._lock:
            freq = {t: self.reader.doc_frequency("text", t) + self.reader.doc_frequency("heading", t) for t in terms}
        keep = set(sorted((t for t in terms if freq[t]), key=lambda t: freq[t])[:limit])
        return [t for t in terms if t in keep]

    def phrase_ids(self, words_list: list[list[str]], filters: dict[str, str | None] | None = None) -> set[str]:
        """Ids of every unit that contains all the phrases."""
        q = phrase_query(words_list[0]) if len(words_list) == 1 else And([phrase_query(p) for p in words_list])
        with self._lock:
            results = self.searcher.search(q, limit=None, filter=self.make_filter(filters or {}), scored=False)
            return {hit["id"] for hit in results}

    def known(self, word: str) -> bool:
        with self._lock:
            return ("words", word) in self.reader

    def suggest(self, word: str) -> str | None:
        """The word of the index's vocabulary a misspelt ``word`` stands for, else None.

        A word that occurs nowhere gets its closest neighbour (one edit, else two for words of
        six letters or more; the first letter kept; the most frequent at the smaller distance).
        A word found in at most ``RARE_DF`` units (the corpus has its own typos: "trafficing",
        "firarms") gets a neighbour that occurs ``RARE_RATIO`` times as often."""
        word = word.lower()
        if len(word) < 4 or not word.isalpha():
            return None
        with self._lock:
            df = self.reader.doc_frequency("words", word) if ("words", word) in self.reader else 0
            if df > RARE_DF:
                return None
            for dist in (1, 2) if len(word) >= 6 else (1,):
                found = [(self.reader.doc_frequency("words", w), w)
                         for w in self.reader.terms_within("words", word, dist, prefix=1) if w != word]
                found = [f for f in found if f[0] >= max(1, df * RARE_RATIO)]
                if found:
                    return max(found)[1]
        return None

    def docnum(self, provision_id: str) -> int | None:
        with self._lock:
            return self.searcher.document_number(id=provision_id)

    def matched_terms(self, provision_id: str, words: list[tuple[str, str]]) -> list[str]:
        """The query words (as typed) whose analysed term occurs in the provision (the words of a
        quoted phrase are listed one by one)."""
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
