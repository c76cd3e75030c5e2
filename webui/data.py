"""What the web layer reads: a cache over harmonize.service.Harmonize, nothing derived here.

The store and the index are read-only while the app serves them, so every answer of the
service is kept in memory for the life of the process, under the arguments it was asked with:
instruments, the catalogue, each country's saved alignment, penalty comparisons, charts,
extradition analyses (saved by `harmonize index`, so a worker reads them rather than computing
them), search results and provisions (bounded LRU caches for the last two). The only logic
here is how pages of search results are fetched in blocks. Restart the server after
`make index` to see a new corpus.
"""

from __future__ import annotations

import logging
import sys
import tempfile
import threading
from collections import OrderedDict
from pathlib import Path

from harmonize import ids
from harmonize.analyze.categories import CATEGORIES, OFFENCE_CATEGORIES
from harmonize.errors import NotFound
from harmonize.align.offences import CorpusHoldings
from harmonize.model import KINDS, ProvisionFacts
from harmonize.obligations import INSTRUMENT_SOURCES, LEVELS
from harmonize.parties import PartyStatus
from harmonize.service import Harmonize
from webui.params import valid_provision_id

log = logging.getLogger(__name__)

SEARCH_POOL = 200  # most results a search shows (paging goes no further)
SEARCH_STEP = 20  # results are fetched in blocks of this size (two pages) and cached
SIMILAR_K = 5
STATUSES = ("covered", "partial", "missing", "not analysed", "no statute")  # align.coverage.STATUSES


class LRU:
    """A small thread-safe LRU cache; `get(key, compute)` computes at most once per key at a time."""

    def __init__(self, size: int):
        self.size = size
        self.items: OrderedDict = OrderedDict()
        self.lock = threading.Lock()
        self.key_locks: dict = {}

    def get(self, key, compute):
        with self.lock:
            if key in self.items:
                self.items.move_to_end(key)
                return self.items[key]
            key_lock = self.key_locks.setdefault(key, threading.Lock())
        with key_lock:
            with self.lock:
                if key in self.items:
                    return self.items[key]
            value = compute()
            with self.lock:
                self.items[key] = value
                self.items.move_to_end(key)
                while len(self.items) > self.size:
                    self.items.popitem(last=False)
                self.key_locks.pop(key, None)
            return value


class WebData:
    def __init__(self, service: Harmonize):
        self.svc = service
        self.cache = LRU(512)  # small, whole-corpus results
        self.provisions = LRU(4096)
        self.searches = LRU(512)
        self.lock = threading.Lock()
        self.jobs: dict[tuple, dict] = {}  # committee documents being made: progress, bytes, error

    def _get(self, key, compute):
        return self.cache.get(key, compute)

    # -- corpus -------------------------------------------------------------------------

    def instruments(self) -> list[dict]:
        return self._get("instruments", self.svc.instruments)

    def instrument(self, iid: str) -> dict | None:
        return self.instrument_map().get(iid)

    def instrument_map(self) -> dict[str, dict]:
        return self._get("instrument_map", lambda: {i["id"]: i for i in self.instruments()})

    def countries(self) -> list[str]:
        return self._get("countries", self.svc.countries)

    def all_countries(self) -> list[str]:
        """Countries and UN/CoE: the search filter accepts both."""
        return self._get("all_countries", self.svc.all_countries)

    def topics(self) -> list[str]:
        return self._get("topics", self.svc.topics)

    def instrument_ids(self) -> list[str]:
        return list(self.instrument_map())

    def instrument_titles(self) -> dict[str, str]:
        """Instrument id -> its title, for filters and links (people read titles, not file names)."""
        return self._get("instrument_titles", lambda: {iid: i["title"] for iid, i in self.instrument_map().items()})

    def act_title(self, pid: str) -> str:
        """The title of the instrument a provision id belongs to."""
        iid = ids.instrument_of(pid)
        return self.instrument_titles().get(iid, iid)

    kinds = KINDS
    levels = LEVELS
    statuses = STATUSES
    categories = CATEGORIES
    offence_categories = OFFENCE_CATEGORIES

    def conventions(self) -> list[dict]:
        """Catalogue instrument codes with their title, store id, obligation count (catalogue order)."""
        return self._get("conventions", self.svc.conventions)

    def convention(self, code: str) -> dict | None:
        return next((c for c in self.conventions() if c["code"] == code), None)

    def convention_codes(self) -> list[str]:
        return list(INSTRUMENT_SOURCES)

    def corpus_summary(self) -> dict:
        return self._get("corpus_summary", self.svc.corpus_summary)

    def index_info(self) -> dict:
        """The index manifest (model, units, built, ...)."""
        return self._get("index_info", self.svc.index_info)

    # -- obligations and alignments -------------------------------------------------------

    def obligations(self) -> list[dict]:
        return self._get("obligations", self.svc.obligations)

    def obligation(self, ob_id: str) -> dict:
        ob = self.obligation_map().get(ob_id)
        if ob is None:
            raise NotFound(f"no obligation with id {ob_id!r}")
        return ob

    def obligation_map(self) -> dict[str, dict]:
        return self._get("obligation_map", lambda: {ob["id"]: ob for ob in self.obligations()})

    def obligations_of(self, code: str | None) -> list[dict]:
        return self._get(("obligations_of", code), lambda: self.svc.obligations(code))

    def alignment(self, country: str, code: str | None = None, status: str | None = None,
                  level: str | None = None) -> list[dict]:
        """Saved alignment of a national country (catalogue order), optionally of one
        convention, status or level; NotFound for an unknown country."""
        country = country.upper()
        if country not in self.countries():
            raise NotFound(f"no instruments for country {country!r} in the store")
        rows = self._get(("align", country), lambda: self.svc.align(country))
        if code is None and status is None and level is None:
            return rows
        return self._get(("align", country, code, status, level),
                         lambda: self.svc.select_alignment(rows, code, status=status, level=level))

    def alignment_of(self, country: str, ob_id: str) -> dict | None:
        table = self._get(("align_map", country), lambda: {r["obligation"]: r for r in self.alignment(country)})
        return table.get(ob_id)

    def summary(self, country: str, code: str | None = None, status: str | None = None,
                level: str | None = None) -> dict:
        return self._get(("summary", country, code, status, level),
                         lambda: self.svc.alignment_summary(self.alignment(country, code, status, level)))

    def aligned_to(self, pid: str) -> list[dict]:
        """Alignments that list this provision: obligation, country, status, rank, score."""
        return self._get("aligned_to", self.svc.provision_alignments).get(pid, [])

    def article_obligations(self, pid: str) -> list[dict]:
        """Obligations whose convention article is this provision."""
        return self._get("article_obligations", self.svc.article_obligations).get(pid, [])

    def labels_for(self, pid: str) -> list[dict]:
        """Obligation labels for a search hit: its own obligations (an article) or those it best implements."""
        return self._get("labels", lambda: self.svc.obligation_labels(
            self._get("article_obligations", self.svc.article_obligations),
            self._get("aligned_to", self.svc.provision_alignments))).get(pid, [])

    # -- provisions -----------------------------------------------------------------------

    def provision(self, pid: str) -> dict:
        """Provision JSON (cached); NotFound when unknown or not shaped like an id."""
        if not valid_provision_id(pid):
            raise NotFound(f"no provision with id {pid!r}")

        def load():
            try:
                return self.svc.provision(pid)
            except NotFound:
                return None
        prov = self.provisions.get(("prov", pid), load)
        if prov is None:
            raise NotFound(f"no provision with id {pid!r}")
        return prov

    def provision_text(self, pid: str) -> str:
        try:
            return self.provision(pid)["text"]
        except NotFound:
            return ""

    def facts(self, pid: str) -> ProvisionFacts | None:
        """Analysed facts of the section that holds pid (penalties, categories, references); None if none."""
        return self.provisions.get(("facts", pid), lambda: self.svc.provision_facts(pid))

    def context(self, pid: str) -> dict | None:
        """Ancestors and children of a provision, None for an unknown id."""
        def load():
            try:
                return self.svc.provision_context(pid)
            except NotFound:
                return None
        return self.provisions.get(("ctx", pid), load)

    def similar(self, prov: dict, k: int = SIMILAR_K) -> list[dict]:
        """Provisions of other countries closest in meaning (the pages ask for SIMILAR_K)."""
        return self.provisions.get(("similar", prov["id"]), lambda: self.svc.similar_provisions(prov["id"], k))

    # -- search ---------------------------------------------------------------------------

    def search(self, query: str, page: int, per: int, mode: str, filters: dict,
               per_country: bool = False, correct: bool = True) -> tuple[dict, list[dict], bool]:
        """(what the search says: total, corrections, pieces, citation ...; one page of results;
        whether there is a next page); the blocks are cached. `per_country`: the best hit of each
        country, on one page."""
        need = min(SEARCH_POOL, page * per + 1)
        fetch = min(SEARCH_POOL, -(-need // SEARCH_STEP) * SEARCH_STEP)
        key = (query, mode, tuple(sorted((k, v) for k, v in filters.items() if v)), fetch, per_country, correct)
        result = self.searches.get(key, lambda: self.svc.search_page(
            query, k=fetch, mode=mode, per_country=per_country, correct=correct, **filters))
        hits = result["hits"]
        if per_country:
            return result, hits, False
        start = (page - 1) * per
        return result, hits[start:start + per], len(hits) > start + per and start + per < SEARCH_POOL

    def search_api(self, query: str, k: int, mode: str, filters: dict) -> list[dict]:
        key = (query, mode, tuple(sorted((k2, v) for k2, v in filters.items() if v)), k)
        return self.searches.get(key, lambda: self.svc.search(query, k=k, mode=mode, **filters))

    # -- penalties --------------------------------------------------------------------------

    def compare(self, category: str, countries: list[str] | None = None) -> dict:
        key = ("compare", category, tuple(countries) if countries else None)
        return self._get(key, lambda: self.svc.compare_penalties(category, countries))

    def chart_png(self, category: str, countries: list[str] | None = None) -> bytes:
        key = ("chart", category, tuple(countries) if countries else None)
        return self._get(key, lambda: self.svc.penalty_chart(category, countries))

    def penalties(self, country: str, category: str | None) -> list[dict]:
        """A country's penalised provisions (of one category)."""
        return self._get(("penalties", country, category), lambda: self.svc.penalties(country, category))

    # -- extradition ------------------------------------------------------------------------

    def extradition(self, requesting: str, requested: str) -> dict:
        return self._get(("extradition", requesting, requested),
                         lambda: self.svc.extradition(requesting, requested))

    def extradition_matrix(self, category: str | None) -> dict:
        return self._get(("matrix", category), lambda: self.svc.extradition_matrix(category))

    # -- reports --------------------------------------------------------------------------

    def committee_report(self, country: str, code: str | None, reader=None):
        """The committee report's content for this reader (HTML and Markdown are rendered from it on
        request); cached while no reviewer decision shows on the country's rows."""
        if reader is None and not self.svc.has_reviews(country):
            return self._get(("committee", country, code), lambda: self.svc.committee_report(country, code))
        return self.svc.committee_report(country, code, reader)

    def report_document(self, country: str, code: str | None, fmt: str, reader=None) -> tuple[bytes | None, dict]:
        """(the PDF or Word document, None while it is being made; its progress). Whole-catalogue
        documents are made ahead by `harmonize index`; any other is made in a background thread on
        the first request, and the page shows how far it has got."""
        reviewed = reader is not None or self.svc.has_reviews(country)
        # a document with reviewer decisions is made for its reader, and again when they change
        key = (country, code, fmt, getattr(reader, "id", None),
               self.svc.review_digest(country, reader) if reviewed else None)
        with self.lock:
            job = self.jobs.get(key)
            if job and job.get("data") is not None:
                return job["data"], job
        if code is None and not reviewed:  # made ahead by `index`
            ahead = self.svc.reports_dir(country) / f"committee-report-{country}.{fmt}"
            if ahead.is_file():
                return ahead.read_bytes(), {"done": 1, "total": 1}
        if reviewed:  # for this reader and these decisions: made now, not kept
            job = {"done": 0, "total": 0, "data": None, "error": None}
            self._make_document(key, job, reader)
            return job["data"], job
        with self.lock:
            job = self.jobs.get(key)
            if job is None or job.get("error"):
                job = self.jobs[key] = {"done": 0, "total": 0, "data": None, "error": None}
                threading.Thread(target=self._make_document, args=(key, job, reader), daemon=True).start()
        return None, job

    def corpus_holdings(self, country: str) -> CorpusHoldings:
        """What the country's corpus holds and does not hold (the banner beside its coverage)."""
        return self._get(("holdings", country), lambda: self.svc.corpus_holdings(country))

    def party_status(self, country: str) -> dict[str, PartyStatus]:
        return self._get(("parties", country), lambda: self.svc.party_status(country))

    def _make_document(self, key, job, reader=None) -> None:
        country, code, fmt = key[:3]
        try:
            with tempfile.TemporaryDirectory(prefix="harmonize-report-") as tmp:
                def progress(done, total):
                    job["done"], job["total"] = done, total
                paths = self.svc.report(country, tmp, code, formats=(fmt,), progress=progress, reader=reader)
                job["data"] = Path(paths[0]).read_bytes()
        except Exception as exc:  # noqa: BLE001 - shown on the page; the log has the traceback
            log.exception("committee %s for %s failed", fmt, country)
            job["error"] = f"{type(exc).__name__}: {exc}"

    # -- warm-up --------------------------------------------------------------------------

    def warm(self, full: bool = False) -> None:
        """Load what the first requests would otherwise wait for: index, model, catalogue, alignments.

        `full` also reads the penalty comparisons, charts, the extradition matrix and every
        pair's extradition analysis (saved by `harmonize index`; computed here only when the
        data directory has none); `serve` runs it in a background thread.
        """
        self.instruments()
        self.obligations()
        self.conventions()
        try:
            self.index_info()
            self.svc.search("warm up the search model", k=1)
        except Exception as exc:  # noqa: BLE001 - check_ready reports index problems; warming is best effort
            log.warning("search warm-up failed: %s", exc)
        limit_torch_threads()
        for country in self.countries():
            self.summary(country)
        self.aligned_to("")
        self.article_obligations("")
        self.labels_for("")
        if full:
            for category in OFFENCE_CATEGORIES:
                self.compare(category)
                try:
                    self.chart_png(category)
                except Exception as exc:  # noqa: BLE001 - a chart that fails is reported on request
                    log.warning("chart for %s: %s", category, exc)
            self.extradition_matrix(None)
            countries = self.countries()
            for country in countries:
                self.penalties(country, None)
            for requesting in countries:  # every pair page a committee may open
                for requested in countries:
                    if requesting != requested:
                        self.extradition(requesting, requested)


def limit_torch_threads(n: int = 1) -> None:
    """One intra-op thread per query: the server runs requests in parallel threads, and with
    several torch threads per query on a busy machine a 10 ms query encoding takes 500 ms."""
    torch = sys.modules.get("torch")
    if torch is not None:
        try:
            torch.set_num_threads(n)
        except RuntimeError:  # pragma: no cover - set after parallel work started
            pass

