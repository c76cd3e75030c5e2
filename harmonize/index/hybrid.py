"""Search API: dense, lexical or hybrid search over the built index, with filters.

Hybrid search takes the top ``CANDIDATES`` of each side (with the same filters) and fuses
them. ``country_retriever(index)`` is the hybrid search the alignment engine uses (one
country at a time, the query prepared once for all countries); ``SearchIndex.similar`` the
units closest in meaning to an indexed unit. Two fusions are implemented; ``bench/eval_retrieval.py`` measures both on the
alignment labels and the default (``FUSION``) is the better one there:

- ``rrf``: reciprocal rank fusion, ``sum(1 / (RRF_K + rank))`` over the two lists;
- ``weighted``: ``W_DENSE * cosine + (1 - W_DENSE) * bm25 / max_bm25``, a side that did not
  return the unit contributing 0 (lexical) or its lowest returned score (dense).

``SearchIndex.query`` is the drafter's search on top of ``search`` (``SearchResult``):

- a query that cites a provision (``NDPS s.21``, ``21 USC 841``, an id; ``citations.py``)
  gets the cited units first, marked ``citation``;
- quoted phrases must occur word for word: both sides are restricted to the units that
  contain every phrase (``lexical.phrases``);
- a word that occurs in no unit is replaced by the nearest word of the index's vocabulary,
  and the result says so (``corrected_from``), so a misspelling does not silently search
  for something else;
- a passage longer than the model reads (``MAX_CHARS``) is cut at sentence ends into pieces
  of at most ``MAX_CHARS`` (at most ``MAX_PIECES``), each embedded, the mean vector searched;
  the lexical side uses its rarest ``lexical.MAX_TERMS`` terms (``pieces`` says how many);
- the same section of one law held twice (``harmonize.model.copy_key``) is shown once, the
  copy in official markup first, the other listed in ``copies``;
- ``total`` counts the units that contain a query word (every phrase, for a phrase query).

``best_per_country`` gives the best unit of each country for a comparative query.
"""

from __future__ import annotations

import functools
import json
import logging
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from harmonize import ids
from harmonize.errors import IndexCorruptError, IndexMissingError, NotFound
from harmonize.index import citations as _citations
from harmonize.index import layout
from harmonize.index.dense import DenseIndex
from harmonize.index.embed import MAX_CHARS
from harmonize.index.lexical import SCHEMA_VERSION, LexicalIndex, phrases, query_words
from harmonize.model import MARKUP_FORMATS, copy_key

log = logging.getLogger(__name__)

MODES = ("hybrid", "dense", "lexical")
FUSIONS = ("rrf", "weighted")
FUSION = "rrf"
RRF_K = 60
W_DENSE = 0.5
CANDIDATES = 100
MAX_PIECES = 8
SENTENCE_END = re.compile(r"(?<=[.;:])\s+")
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
    citation: bool = False  # the query cites this unit
    copies: list[str] = field(default_factory=list)  # the same section in other copies of the law

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class SearchResult:
    """One drafter search: hits best first and what the page should say about them."""

    hits: list[Hit]
    total: int = 0  # units that contain a query word (every phrase, when quoted)
    query: str = ""  # what was searched (spelling corrected)
    corrected_from: str | None = None  # the query as typed, when a word was replaced
    corrections: dict[str, str] = field(default_factory=dict)  # unknown word -> vocabulary word
    unknown: list[str] = field(default_factory=list)  # words found nowhere and not corrected
    phrases: list[str] = field(default_factory=list)  # quoted phrases required
    pieces: int = 1  # passage pieces embedded
    piece_chars: int = MAX_CHARS  # at most this many characters each
    lexical_terms: int = 0  # terms the lexical side searched
    chars: int = 0
    citation: str | None = None  # "s.21 of NDPS" as understood, when the query cites
    cited: int = 0  # hits that are the cited provisions
    cited_sub: str = ""  # "(1)(a)" when the citation names a subsection of the cited units

    def to_dict(self) -> dict:
        return {**asdict(self), "hits": [h.to_dict() for h in self.hits]}


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
        self.headings = [r[4] if len(r) > 4 else "" for r in rows]
        self.row_country = [self.instruments[r[1]]["country"] for r in rows]
        self.preferred, self.copies = copy_groups(self.instruments, rows)
        self._citations = None
        self.aliases: dict[str, list[str]] = {}  # instrument id -> extra names (catalogue codes)

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
            if manifest.get("lexical", 1) != SCHEMA_VERSION:
                raise ValueError(f"lexical index schema {manifest.get('lexical', 1)}, expected {SCHEMA_VERSION}")
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
            from harmonize.index.embed import EmbedSettings, load_model

            # queries are read the way the units were (word pieces, int8 or not)
            self._model = load_model(self.model_name, EmbedSettings.from_dict(self.manifest.get("embedding")))
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


    # -- drafter search ---------------------------------------------------------------------

    @property
    def citations(self) -> _citations.CitationIndex:
        if self._citations is None:
            rows = [(pid, self.row_inst[i], self.kind_names[self.row_kind[i]], self.numbers[i])
                    for i, pid in enumerate(self.ids)]
            self._citations = _citations.CitationIndex(self.instruments, rows, self.aliases)
        return self._citations

    def title_of(self, provision_id: str) -> str:
        row = self.row_of.get(provision_id)
        return self.instruments[self.row_inst[row]].get("title", "") if row is not None else ""

    def encode_passage(self, text: str) -> tuple[np.ndarray, int]:
        """(query vector, pieces): a passage longer than MAX_CHARS is cut at sentence ends into
        pieces of at most MAX_CHARS (MAX_PIECES at most), each embedded; the mean, normalised."""
        from harmonize.index.embed import arithmetic, encode_query, normalise

        text = " ".join(text.split())
        if len(text) <= MAX_CHARS:
            return encode_query(self.model, text), 1
        pieces = passage_pieces(text, MAX_CHARS)[:MAX_PIECES]
        import torch

        if torch.get_num_threads() != 1:
            torch.set_num_threads(1)
        with arithmetic(self.model):
            vecs = normalise(self.model.encode(pieces, convert_to_numpy=True, show_progress_bar=False))
        mean = vecs.mean(axis=0)
        mean /= np.linalg.norm(mean) or 1.0
        return mean.reshape(1, -1).astype(np.float32), len(pieces)

    def spell(self, query: str) -> tuple[str, dict[str, str], list[str]]:
        """(corrected query, {unknown word: vocabulary word}, unknown words without one); quoted
        phrases are left as typed."""
        _, rest = phrases(query)
        corrections: dict[str, str] = {}
        unknown: list[str] = []
        for match in re.finditer(r"[^\W\d_]{4,}", rest):
            word = match.group(0)
            low = word.lower()
            if low in corrections or low in unknown:
                continue
            better = self.lexical.suggest(low)
            if better:
                corrections[low] = better
            elif not self.lexical.known(low):
                unknown.append(low)
        if not corrections:
            return query, {}, unknown

        def fix(m):
            return corrections.get(m.group(0).lower(), m.group(0))
        # only outside quotes
        parts = re.split(r'("[^"]*"|“[^”]*”)', query)
        fixed = "".join(p if p[:1] in '"“' else re.sub(r"[^\W\d_]{4,}", fix, p) for p in parts)
        return fixed, corrections, unknown

    def dedupe(self, ranked: list[tuple[str, float]]) -> list[tuple[str, float, list[str]]]:
        """One entry per section of a law held twice (the preferred copy's id), copies listed."""
        out, seen = [], set()
        for pid, score in ranked:
            row = self.row_of.get(pid)
            keep = self.preferred.get(row, row) if row is not None else None
            if keep is not None:
                if keep in seen:
                    continue
                seen.add(keep)
                others = [self.ids[r] for r in self.copies.get(keep, [])]
                out.append((self.ids[keep], score, others))
            else:
                out.append((pid, score, []))
        return out

    def lexical_by_country(self, text: str, pool: int, filters: dict | None = None, literal: bool = False
                           ) -> tuple[dict[str, list[tuple[str, float]]], int]:
        """One lexical search ``pool`` deep, its hits split by country (best first), and its total
        (``literal``: every term counts, quotes are plain text; see LexicalIndex.search)."""
        hits, total = self.lexical.search(text, pool, filters or {}, with_total=True, literal=literal)
        split: dict[str, list[tuple[str, float]]] = {}
        for pid, score in hits:
            split.setdefault(self.country_of(pid), []).append((pid, score))
        return split, total

    def make_hit(self, pid: str, score: float, words, copies=(), dense_rank=None, lexical_rank=None,
                 citation: bool = False) -> Hit:
        row = self.row_of.get(pid)
        inst = self.instruments[self.row_inst[row]] if row is not None else {}
        return Hit(
            id=pid, score=float(score), matched_terms=self.lexical.matched_terms(pid, words),
            instrument=inst.get("id", ""), country=inst.get("country", ""),
            kind=self.kind_names[self.row_kind[row]] if row is not None else "",
            number=self.numbers[row] if row is not None else "",
            dense_rank=dense_rank, lexical_rank=lexical_rank, citation=citation, copies=list(copies),
        )

    def query(
        self, query: str, k: int = 10, mode: str = "hybrid", country: str | None = None,
        instrument: str | None = None, topic: str | None = None, kind: str | None = None,
        correct: bool = True, cite: bool = True,
    ) -> SearchResult:
        """The drafter's search (module docstring): citations, phrases, spelling, passages, copies."""
        if mode not in MODES:
            raise ValueError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
        result = SearchResult(hits=[], query=query, chars=len(query))
        if not query or not query.strip() or k <= 0:
            return result
        country = country.upper() if country else None
        kind = kind.lower() if kind else None
        filters = {"country": country, "instrument": instrument, "topic": topic, "kind": kind}
        allowed = self.allowed_rows(**filters)
        cited: list[str] = []
        citation = _citations.parse(query) if cite else None
        if citation is not None:
            cited = self.citations.resolve(citation, None if allowed is None else (lambda r: bool(allowed[r])))
            if cited:
                result.citation = describe(citation)
                result.cited_sub = citation.sub
        if correct and not cited:
            fixed, result.corrections, result.unknown = self.spell(query)
            if result.corrections:
                result.corrected_from, result.query = query, fixed
        searched = result.query
        required, rest = phrases(searched)
        result.phrases = [" ".join(p) for p in required]
        phrase_ids = self.lexical.phrase_ids(required, filters) if required else None
        if phrase_ids is not None:
            mask = np.zeros(len(self.ids), dtype=bool)
            mask[[self.row_of[p] for p in phrase_ids if p in self.row_of]] = True
            allowed = mask if allowed is None else (allowed & mask)
        n = max(k, CANDIDATES) + len(cited)
        dense_list: list[tuple[str, float]] = []
        lexical_list: list[tuple[str, float]] = []
        dense_text = rest if required and rest.strip() else searched
        if mode in ("hybrid", "dense") and (phrase_ids is None or phrase_ids):
            qvec, result.pieces = self.encode_passage(dense_text)
            dense_list = self.search_dense(dense_text, n, allowed, qvec=qvec)
        if mode in ("hybrid", "lexical"):
            lexical_list, result.total = self.lexical.search(searched, n, filters, with_total=True)
            from harmonize.index.lexical import MAX_TERMS, analyze

            result.lexical_terms = min(len(set(analyze(rest))), MAX_TERMS)
        if phrase_ids is not None:
            result.total = len(phrase_ids)
        ranked = dense_list if mode == "dense" else lexical_list if mode == "lexical" else fuse(dense_list, lexical_list)
        dense_rank = {pid: i + 1 for i, (pid, _) in enumerate(dense_list)}
        lexical_rank = {pid: i + 1 for i, (pid, _) in enumerate(lexical_list)}
        words = query_words(searched)
        top = max((s for _, s in ranked), default=1.0) or 1.0
        merged = [(pid, top * 2) for pid in cited] + [(pid, s) for pid, s in ranked if pid not in set(cited)]
        hits = []
        for pid, score, copies in self.dedupe(merged)[:k]:
            hits.append(self.make_hit(pid, score, words, copies, dense_rank.get(pid), lexical_rank.get(pid),
                                      citation=pid in cited))
        result.hits = hits
        result.cited = sum(h.citation for h in hits)
        if cited and not required:
            result.total = len(cited)  # what the page counts for a citation: the provisions cited
        return result

    def best_per_country(
        self, query: str, countries: list[str] | None = None, topic: str | None = None, kind: str | None = None,
        per_country: int = 1, correct: bool = True,
    ) -> SearchResult:
        """The best ``per_country`` units of each country (national ones unless ``countries``
        names others) for a comparative query, best country first."""
        result = SearchResult(hits=[], query=query, chars=len(query))
        if not query or not query.strip():
            return result
        if correct:
            fixed, result.corrections, result.unknown = self.spell(query)
            if result.corrections:
                result.corrected_from, result.query = query, fixed
        required, rest = phrases(result.query)
        result.phrases = [" ".join(p) for p in required]
        base = self.allowed_rows(topic=topic, kind=kind)
        phrase_ids = self.lexical.phrase_ids(required, {"topic": topic, "kind": kind}) if required else None
        qvec, result.pieces = self.encode_passage(rest if required and rest.strip() else result.query)
        scores = np.asarray(self.dense.vectors) @ qvec[0]
        lexical_split, result.total = self.lexical_by_country(result.query, LEXICAL_POOL,
                                                              {"topic": topic, "kind": kind})
        wanted = countries or ids.national(self.row_country)
        country_arr = np.array(self.row_country)
        words = query_words(result.query)
        hits = []
        for country in wanted:
            mask = country_arr == country
            if base is not None:
                mask &= base
            if phrase_ids is not None:
                keep = np.zeros(len(self.ids), dtype=bool)
                keep[[self.row_of[p] for p in phrase_ids if p in self.row_of]] = True
                mask &= keep
            rows = np.flatnonzero(mask)
            if len(rows) == 0:
                continue
            order = rows[np.argsort(-scores[rows])[:CANDIDATES]]
            dense_list = [(self.ids[r], float(scores[r])) for r in order]
            fused = fuse(dense_list, lexical_split.get(country, [])[:CANDIDATES] if phrase_ids is None
                         else [(p, s) for p, s in lexical_split.get(country, []) if p in phrase_ids][:CANDIDATES])
            for pid, score, copies in self.dedupe(fused)[:per_country]:
                hits.append(self.make_hit(pid, score, words, copies))
        hits.sort(key=lambda h: -h.score)
        result.hits = hits
        if phrase_ids is not None:
            result.total = len(phrase_ids)
        return result


def describe(citation: _citations.Citation) -> str:
    """The citation as understood, for the page: "s. 21 (NDPS)", "21 U.S.C. § 841"."""
    if citation.provision_id:
        return citation.provision_id
    if citation.usc_title:
        return f"{citation.usc_title} U.S.C. § {citation.printed}"
    mark = "art." if citation.article else "s." if citation.article is False else ""
    label = f"{mark} {citation.printed}".strip()
    return f"{label} of {citation.act}" if citation.act else label


def passage_pieces(text: str, size: int) -> list[str]:
    """``text`` cut at sentence ends (., ;, :) into pieces of at most ``size`` characters; a
    sentence longer than ``size`` is cut at a space."""
    pieces: list[str] = []
    current = ""
    for sentence in SENTENCE_END.split(text):
        while len(sentence) > size:
            cut = sentence.rfind(" ", 0, size)
            cut = cut if cut > size // 2 else size
            if current:
                pieces.append(current)
                current = ""
            pieces.append(sentence[:cut].strip())
            sentence = sentence[cut:].strip()
        if current and len(current) + 1 + len(sentence) > size:
            pieces.append(current)
            current = sentence
        else:
            current = f"{current} {sentence}".strip()
    if current:
        pieces.append(current)
    return [p for p in pieces if p]


def copy_groups(instruments: list[dict], rows: list) -> tuple[dict[int, int], dict[int, list[int]]]:
    """(row -> the row shown for it, shown row -> its other copies) for sections held twice."""
    groups: dict[tuple, list[int]] = {}
    for i, r in enumerate(rows):
        inst = instruments[r[1]]
        if "year" not in inst:
            continue
        # and the same main title: two Acts of one year and topic are not copies of each other
        key = (copy_key(inst["country"], inst.get("year"), inst.get("topic", ""), r[3], r[4] if len(r) > 4 else ""),
               _citations.main_title(inst.get("title", "")).lower())
        groups.setdefault(key, []).append(i)
    preferred: dict[int, int] = {}
    copies: dict[int, list[int]] = {}
    for members in groups.values():
        if len(members) < 2:
            continue
        members.sort(key=lambda i: (instruments[rows[i][1]].get("format") not in MARKUP_FORMATS, i))
        keep = members[0]
        for i in members:
            preferred[i] = keep
        copies[keep] = members[1:]
    return preferred, copies
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
        return index.lexical_by_country(text, pool, literal=True)[0]

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
