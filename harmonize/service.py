"""The one API the CLI, the web UI and the JSON API call. Surfaces never touch stores directly."""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import shutil
import threading
import time
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path

from tqdm import tqdm

from harmonize import config, ids
from harmonize.align.compare import chart_png, compare_penalties, country_penalties
from harmonize.align.coverage import (LEVEL_WEIGHT, NO_DATA, STATUS_VALUE, STATUSES, CountryContext, align_country,
                                      align_obligation, reconcile)
from harmonize.align.extradition import extradition_analysis, extradition_matrix, extradition_tables
from harmonize.align.offences import CorpusHoldings, corpus_holdings
from harmonize.analyze.categories import CATEGORIES, OFFENCE_CATEGORIES
from harmonize.buildlock import build_lock
from harmonize.errors import NotFound, ParseError, ReportError, SearchIndexError
from harmonize.ingest import IngestReport, ingest_corpus
from harmonize.model import AlignmentResult, Instrument, Provision, ProvisionFacts
from harmonize.obligations import INSTRUMENT_SOURCES, Obligation, article_text, load_catalogue
from harmonize.obligations import instrument_id as convention_instrument_id
from harmonize.parties import PartyStatus, country_parties, load_parties
from harmonize.store import Store


log = logging.getLogger(__name__)

REPORT_FORMATS = ("pdf", "docx", "html", "md")
AHEAD_FORMATS = ("pdf", "docx")  # made by `index` for every country, served as they are
INDEXED_STORE = "indexed_store"  # meta key: store_key of the store the index was built from


def store_key(store: Store) -> str:
    """What the store holds, in one hash: every file's source, id, content and parser hash."""
    digest = hashlib.sha256()
    for source, fingerprint in sorted(store.fingerprints().items()):
        digest.update(f"{source}{fingerprint}".encode())
    return digest.hexdigest()[:20]


_REVIEWS_LOCK = threading.Lock()


@dataclass
class Harmonize:
    """Entry point over one data directory (store and indexes)."""

    data: Path
    reviews_url: str | None = None  # None: HARMONIZE_REVIEWS_URL, else reviews.sqlite in `data`

    @classmethod
    def open(cls, data: str | Path | None = None, reviews_url: str | None = None) -> Harmonize:
        return cls(config.data_dir(data), reviews_url)

    @property
    def store_path(self) -> Path:
        return config.store_path(self.data)

    def store(self, create: bool = False) -> Store:
        return Store(self.store_path, create=create)

    # -- ingest ----------------------------------------------------------------------------

    def build_lock(self, wait: bool = True):
        """The data directory's build lock (see buildlock.py): ingest and build_index take it."""
        return build_lock(self.data, wait=wait)

    def ingest(self, corpus: str | Path | None = None, show_progress: bool = True,
               limits: config.Limits | None = None, wait: bool = True) -> IngestReport:
        with self.build_lock(wait), self.store(create=True) as store:
            return ingest_corpus(config.corpus_dir(corpus), store, show_progress=show_progress, limits=limits)

    # -- index and search -----------------------------------------------------------------

    def build_index(self, show_progress: bool = True, align: bool = True, wait: bool = True) -> dict:
        """Embed and index the store (incremental, atomic), then save every country's alignment
        and what every request would otherwise recompute (`save_derived`)."""
        with self.build_lock(wait):
            return self._build_index(show_progress, align)

    def _build_index(self, show_progress: bool, align: bool) -> dict:
        from harmonize.index.build import build_index  # lazy: torch loads only when indexing

        clock = time.perf_counter()
        with self.store() as store:
            report = build_index(store, self.data, show_progress=show_progress)
            with store.transaction():
                store.set_meta(INDEXED_STORE, store_key(store))
        self._index = None  # a new index: reopen on next search
        seconds = {"index": time.perf_counter() - clock}
        result = {"index": report.to_dict(), "seconds": seconds}
        if align:
            clock = time.perf_counter()
            key = self.alignment_key()
            keys = self.country_alignment_keys()
            with self.store() as store:
                fresh = store.meta("alignment_key") == key
            if fresh:
                log.info("alignments are up to date")
                result["alignments"] = {}
            else:
                # Only the countries whose own files (or the conventions, or the aligning
                # code) changed are aligned again: one changed Act re-aligns one country.
                with self.store() as store:
                    stale = [c for c, k in keys.items() if store.meta(f"alignment_key:{c}") != k]
                result["alignments"] = self.save_alignments(stale, show_progress=show_progress) if stale else {}
                with self.store() as store, store.transaction():
                    for country in stale:
                        store.set_meta(f"alignment_key:{country}", keys[country])
                    store.set_meta("alignment_key", key)
            seconds["align"], clock = time.perf_counter() - clock, time.perf_counter()
            # Derived data and committee documents: only what a changed country takes part in
            # is made again (save_derived, write_reports).
            result["derived"] = self.save_derived(keys)
            with self.store() as store, store.transaction():
                store.set_meta("derived_key", key)
            seconds["derived"], clock = time.perf_counter() - clock, time.perf_counter()
            result["reports"] = self.write_reports(show_progress=show_progress, keys=keys)
            seconds["reports"] = time.perf_counter() - clock
        return result

    def save_derived(self, keys: dict[str, str] | None = None) -> dict[str, int]:
        """Compute and store the penalty comparison and chart of every category, every ordered
        pair's extradition analysis and the matrices (run by `harmonize index`: the web workers
        then read them), incrementally.

        Each country's part is stamped with its key (`country_alignment_keys`: its files and
        parsers, the conventions, the code) in `derived_key:<country>`. A country whose key
        moved is "changed"; then only what it takes part in is computed again: its row of
        each category's comparison (the comparison and its chart are made again only when
        that row differs from the saved one), the pairs it requests from or is requested by
        (the others are kept as saved), and the matrices, which are taken from the pairs.
        Another set of countries, or nothing saved yet, computes everything. The data and
        the stamps are written in one transaction; reads serve a saved item only while the
        stamps of its countries match the store (`derived_fresh`), so stale data is never
        served. Returns how many items were computed (empty: nothing changed)."""
        started = time.perf_counter()
        keys = self.country_alignment_keys() if keys is None else keys
        with self.store() as store:
            countries = store.national_countries()
            stamps = store.meta_like(DERIVED_STAMP)
            same_set = store.meta(DERIVED_COUNTRIES) == ",".join(countries)
            changed = [c for c in countries if not same_set or stamps.get(DERIVED_STAMP + c) != keys.get(c)]
            if not changed:
                log.info("derived data is up to date")
                return {}
            offences: dict = {}  # country -> its offence records, read once for all categories and pairs
            comparisons: dict[str, dict] = {}
            for category in OFFENCE_CATEGORIES:
                saved = store.derived(COMPARISON, category) if same_set else None
                if saved is not None and not self._rows_moved(store, category, json.loads(saved), changed, offences):
                    continue
                comparisons[category] = compare_penalties(store, category, offences=offences)
            charts, failed = {}, []
            for category, comparison in comparisons.items():
                try:
                    charts[category] = chart_png(comparison)
                except Exception as exc:  # noqa: BLE001 - a chart that fails is rendered (and reported) on request
                    log.warning("chart for %s: %s", category, exc)
                    failed.append(category)
            keep = {}
            if same_set:
                moved = set(changed)
                for pair_key, data in store.derived_items(EXTRADITION_PAIR):
                    requesting, _, requested = pair_key.partition(">")
                    if requesting not in moved and requested not in moved:
                        keep[(requesting, requested)] = json.loads(data)
            tables = extradition_tables(store, keep, offences)
            fresh_pairs = {k: v for k, v in tables.pairs.items() if k not in keep}
            with store.transaction():
                put = store.put_derived if same_set else store.write_derived
                put(COMPARISON, ((c, _json(v)) for c, v in comparisons.items()))
                put(CHART, charts.items())
                store.delete_derived(CHART, failed)
                put(EXTRADITION_PAIR, ((_pair_key(*k), _json(v)) for k, v in fresh_pairs.items()))
                store.write_derived(EXTRADITION_MATRIX, ((c or ALL, _json(v)) for c, v in tables.matrices.items()))
                for stamp in stamps:
                    if stamp[len(DERIVED_STAMP):] not in countries:
                        store.delete_meta(stamp)
                for country in countries:
                    store.set_meta(DERIVED_STAMP + country, keys[country])
                store.set_meta(DERIVED_COUNTRIES, ",".join(countries))
        log.info("derived data saved in %.1fs (changed: %s)", time.perf_counter() - started, ", ".join(changed))
        return {"changed": len(changed), "comparisons": len(comparisons), "charts": len(charts),
                "pairs": len(fresh_pairs), "matrices": len(tables.matrices)}

    @staticmethod
    def _rows_moved(store: Store, category: str, saved: dict, changed: list[str], offences: dict) -> bool:
        """Whether a changed country's row of the category's comparison differs from the saved one
        (the rest of a comparison, its spread and summary, is made from the rows)."""
        rows = {r["country"]: r for r in saved.get("countries", [])}
        return any(json.loads(_json(country_penalties(store, c, category, offences).to_dict())) != rows.get(c)
                   for c in changed)

    def derived_fresh(self, store: Store, countries: list[str] | None = None) -> bool:
        """Whether what `index` saved for these countries (None: for every country, and for
        this set of countries) was made from what the store holds now."""
        keys = self.country_alignment_keys(store)
        if countries is None and store.meta(DERIVED_COUNTRIES) != ",".join(sorted(keys)):
            return False
        stamps = store.meta_like(DERIVED_STAMP)
        return all(c in keys and stamps.get(DERIVED_STAMP + c) == keys[c] for c in (countries or keys))

    def _saved(self, kind: str, key: str, countries: list[str] | None = None) -> bytes | None:
        """A saved derived item, None when there is none or it is stale (`derived_fresh`)."""
        with self.store() as store:
            data = store.derived(kind, key)
            return data if data is not None and self.derived_fresh(store, countries) else None

    def alignment_key(self) -> str:
        """What the saved alignments depend on: the store's files and parsers (and analysers),
        the index, and the code that aligns (`derived_code_key`). Unchanged, `index` does not
        recompute them; the tests' data directory is refreshed by the same key."""
        digest = hashlib.sha256()
        with self.store() as store:
            for source, fingerprint in sorted(store.fingerprints().items()):
                digest.update(f"{source}{fingerprint}".encode())
        manifest = self.data / "index" / "manifest.json"
        digest.update(manifest.read_bytes() if manifest.is_file() else b"no index")
        digest.update(derived_code_key().encode())
        return digest.hexdigest()[:20]

    def country_alignment_keys(self, store: Store | None = None) -> dict[str, str]:
        """country -> what its saved alignment, its part of the derived data and its committee
        documents depend on: its own files and parsers, the conventions' files and the code that
        aligns. Another country's Act does not enter it (the search statistics it shifts move no
        decision in practice, and a change to one Act re-aligns one country); the global
        `alignment_key` still says whether anything changed."""
        if store is None:
            with self.store() as own:
                return self.country_alignment_keys(own)
        prints = store.fingerprints()
        by_source = {i.source: i.country for i in store.instruments()}
        countries = store.national_countries()
        shared = hashlib.sha256(derived_code_key().encode())
        for source, fingerprint in sorted(prints.items()):
            if by_source.get(source) not in countries:
                shared.update(f"{source}{fingerprint}".encode())
        keys = {}
        for country in countries:
            digest = shared.copy()
            for source, fingerprint in sorted(prints.items()):
                if by_source.get(source) == country:
                    digest.update(f"{source}{fingerprint}".encode())
            keys[country] = digest.hexdigest()[:20]
        return keys

    def index_stale(self) -> str | None:
        """Why the search index may not match the store (an ingest since the last index build,
        e.g. a build killed after its ingest); None when it matches or was not recorded."""
        with self.store() as store:
            built_from = store.meta(INDEXED_STORE)
            if built_from is None or built_from == store_key(store):
                return None
        return (f"the search index in {self.data} was built before the last ingest: searches and alignments "
                "miss what changed; run `harmonize index`")

    def search_index(self):
        """The open search index (cached); raises SearchIndexError telling the user to run `make index`."""
        from harmonize.index.hybrid import SearchIndex

        if getattr(self, "_index", None) is None:
            index = SearchIndex.open(self.data)
            # the catalogue's convention codes (UNTOC, TIP, UN1988) name conventions in citations
            for code in INSTRUMENT_SOURCES:
                index.aliases.setdefault(convention_instrument_id(code), []).append(code)
            self._index = index
        return self._index

    def search(self, query: str, k: int = 10, mode: str = "hybrid", country: str | None = None,
               instrument: str | None = None, topic: str | None = None, kind: str | None = None) -> list[dict]:
        """Provision JSON plus `score`, `matched_terms`, `title`, `citation` and `copies`, best first."""
        return self.search_page(query, k=k, mode=mode, country=country, instrument=instrument, topic=topic,
                                kind=kind)["hits"]

    def search_page(self, query: str, k: int = 10, mode: str = "hybrid", country: str | None = None,
                    instrument: str | None = None, topic: str | None = None, kind: str | None = None,
                    per_country: bool = False, correct: bool = True) -> dict:
        """A drafter's search (see harmonize.index.hybrid.SearchIndex.query): {hits, total, query,
        corrected_from, corrections, unknown, phrases, pieces, lexical_terms, chars, citation, cited};
        with `per_country`, the best hit of each country instead; `correct=False` searches the
        words as typed."""
        index = self.search_index()
        if per_country:
            result = index.best_per_country(query, countries=[country] if country else None, topic=topic, kind=kind,
                                            correct=correct)
        else:
            result = index.query(query, k=k, mode=mode, country=country, instrument=instrument, topic=topic,
                                 kind=kind, correct=correct)
        out = []
        with self.store() as store:
            instruments = {}
            for hit in result.hits:
                prov = store.provision(hit.id)
                if prov is None:  # the index is older than the store: skip what no longer exists
                    continue
                if hit.citation and result.cited_sub:  # "s.21(1)": open the subsection when there is one
                    prov = subsection(store, prov, f"{prov.number}{result.cited_sub}") or prov
                if prov.instrument not in instruments:
                    instruments[prov.instrument] = store.instrument(prov.instrument)
                inst = instruments[prov.instrument]
                out.append({**provision_json(prov, inst), "score": round(hit.score, 6),
                            "matched_terms": hit.matched_terms, "title": inst.title, "year": inst.year,
                            "language": inst.language,
                            "citation": hit.citation, "copies": hit.copies})
        data = result.to_dict()
        data["hits"] = out
        return data

    def retriever(self):
        """Hybrid search restricted to a country, for the alignment engine
        (`index.hybrid.country_retriever`); None without an index."""
        from harmonize.index.hybrid import country_retriever

        try:
            index = self.search_index()
        except SearchIndexError as exc:
            log.warning("%s; aligning on analysed categories only", exc)
            return None
        return country_retriever(index)

    # -- reads -----------------------------------------------------------------------------

    def instruments(self, country: str | None = None) -> list[dict]:
        with self.store() as store:
            return [
                {**inst.to_dict(), "provisions": store.provision_count(inst.id)}
                for inst in store.instruments(country)
            ]

    def countries(self) -> list[str]:
        """The national countries of the store (not UN / CoE)."""
        with self.store() as store:
            return store.national_countries()

    def all_countries(self) -> list[str]:
        """Every country code of the store, the conventions' UN / CoE included (search filters)."""
        return sorted({i["country"] for i in self.instruments()})

    def topics(self) -> list[str]:
        return sorted({i["topic"] for i in self.instruments()})

    def corpus_summary(self) -> dict:
        """Instruments, provisions, languages and years, in all and per country."""
        rows = self.instruments()
        per_country: dict[str, dict] = {}
        for i in rows:
            c = per_country.setdefault(i["country"], {"country": i["country"], "instruments": 0, "provisions": 0,
                                                      "languages": set()})
            c["instruments"] += 1
            c["provisions"] += i["provisions"]
            c["languages"].add(i["language"])
        for c in per_country.values():
            c["languages"] = sorted(c["languages"])
        years = [i["year"] for i in rows if i["year"]]
        return {
            "instruments": len(rows),
            "provisions": sum(i["provisions"] for i in rows),
            "countries": len(ids.national(i["country"] for i in rows)),
            "per_country": [per_country[k] for k in sorted(per_country)],
            "languages": sorted({i["language"] for i in rows}),
            "years": (min(years), max(years)) if years else None,
        }

    def conventions(self) -> list[dict]:
        """Catalogue instrument codes with their title, store id, obligation count (catalogue order)."""
        by_source = {i["source"]: i for i in self.instruments()}
        counts = Counter(ob.instrument for ob in load_catalogue())
        rows = []
        for code, source in INSTRUMENT_SOURCES.items():
            inst = by_source.get(source)
            rows.append({"code": code, "source": source, "id": convention_instrument_id(code),
                         "title": inst["title"] if inst else Path(source).stem.replace("-", " "),
                         "year": inst["year"] if inst else None, "in_store": inst is not None,
                         "obligations": counts.get(code, 0)})
        return rows

    def unanalysed_instruments(self, country: str) -> list[dict]:
        """Instruments of a country whose language the analyser does not read (Bengali, Arabic)."""
        return [i for i in self.instruments(country) if i["language"] != "en"]

    def penalties(self, country: str | None = None, category: str | None = None) -> list[dict]:
        """One record per provision that carries (or points to) a penalty."""
        records = []
        with self.store() as store:
            instruments = {i.id: i for i in store.instruments(country)}
            for facts in store.all_facts(country):
                if facts.penalties is None:
                    continue
                if category and category not in record_categories(facts):
                    continue
                prov = store.provision(facts.provision)
                records.append(penalty_record(provision_json(prov, instruments[prov.instrument], with_text=False), facts))
        return records

    def obligations(self, instrument: str | None = None) -> list[dict]:
        """The catalogue, each obligation with its article text from the parsed convention."""
        catalogue = self.catalogue(instrument)
        with self.store() as store:
            rows = []
            for ob in catalogue:
                article = article_text(store, ob)
                rows.append({**ob.to_dict(), "provision": article.id if article else None,
                             "text": article.text if article else None})
            return rows

    def catalogue(self, instrument: str | None = None) -> list[Obligation]:
        obligations = [ob for ob in load_catalogue() if instrument in (None, ob.instrument)]
        if instrument and not obligations:
            raise NotFound(f"no obligations for instrument {instrument!r}; known: {', '.join(INSTRUMENT_SOURCES)}")
        return obligations

    def align(self, country: str, instrument: str | None = None, retrieve=None, saved: bool = True,
              status: str | None = None, level: str | None = None) -> list[dict]:
        """Alignment JSON for every obligation of the chosen instruments, in catalogue order
        (only those of one status / level when asked).

        Uses the alignment saved by `harmonize index` when there is one (fast), else computes it.
        """
        return self.select_alignment(self._align(country, instrument, retrieve, saved), status=status, level=level)

    def select_alignment(self, rows: list[dict], instrument: str | None = None, status: str | None = None,
                         level: str | None = None) -> list[dict]:
        """The rows of one convention, status or level, in the order given (NotFound for an
        unknown convention): what `align` returns, taken from a country's whole alignment."""
        wanted = None if instrument is None else {ob.id for ob in self.catalogue(instrument)}
        return [r for r in rows if (wanted is None or r["obligation"] in wanted)
                and status in (None, r["status"]) and level in (None, r["level"])]

    def _align(self, country: str, instrument: str | None, retrieve, saved: bool) -> list[dict]:
        return [r.to_dict() for r in self.alignment_results(country, instrument, retrieve, saved)]

    def alignment_results(self, country: str, instrument: str | None = None, retrieve=None,
                          saved: bool = True) -> list[AlignmentResult]:
        """The country's alignment in catalogue order, as saved by `index` (computed when it was
        not saved, or with `saved=False`); NotFound for a country without instruments."""
        country = country.upper()
        obligations = self.catalogue(instrument)
        with self.store() as store:
            if not any(i.country == country for i in store.instruments(country)):
                raise NotFound(f"no instruments for country {country!r} in the store")
            cached = store.alignments(country) if saved else {}
            if cached and all(ob.id in cached for ob in obligations):
                return [cached[ob.id] for ob in obligations]
            retrieve = retrieve or self.retriever()
            return [a.to_result() for a in align_country(store, country, obligations, retrieve)]

    def save_alignments(self, countries: list[str] | None = None, show_progress: bool = True) -> dict[str, int]:
        """Compute and store the alignment of the countries given, or of every country (run by
        `harmonize index` for the countries whose files changed)."""
        retrieve = self.retriever()
        obligations = self.catalogue()
        with self.store() as store:
            countries = countries or store.national_countries()
            contexts = {c: CountryContext(store, c) for c in countries}
            aligned: dict[str, list] = {c: [] for c in countries}
            # Obligation by obligation, so each query is prepared once for all countries.
            for ob in tqdm(obligations, desc="align", unit="obligation", disable=not show_progress):
                for country, ctx in contexts.items():
                    aligned[country].append(align_obligation(ctx, ob, retrieve))
            results: dict[str, list[AlignmentResult]] = {c: [a.to_result() for a in reconcile(rows)]
                                                         for c, rows in aligned.items()}
            with store.transaction():
                for country, rows in results.items():
                    store.write_alignments(country, rows)
        return {c: len(rows) for c, rows in results.items()}

    def alignment_summary(self, results: list[dict]) -> dict:
        """Per convention: counts per status and the level-weighted coverage of the obligations
        the corpus can judge ("not analysed" and "no statute" are counted, never as 0%);
        coverage is None when the corpus can judge none of them."""
        catalogue = {ob.id: ob for ob in load_catalogue()}
        out: dict[str, dict] = {}
        for r in results:
            ob = catalogue[r["obligation"]]
            row = out.setdefault(ob.instrument, {s: 0 for s in STATUSES} | {"_w": 0.0, "_s": 0.0})
            row[r["status"]] += 1
            if r["status"] in NO_DATA:
                continue
            weight = LEVEL_WEIGHT.get(ob.level, 1.0)
            row["_w"] += weight
            row["_s"] += weight * STATUS_VALUE[r["status"]]
        for row in out.values():
            weight, total = row.pop("_w"), row.pop("_s")
            row["coverage"] = round(total / weight, 3) if weight else None
            row["judged"] = sum(row[s] for s in STATUS_VALUE)
        return out

    def party_status(self, country: str) -> dict[str, PartyStatus]:
        """convention code -> the country's party status (parties.tsv, with its confidence)."""
        return country_parties(country, list(INSTRUMENT_SOURCES))

    def corpus_holdings(self, country: str) -> CorpusHoldings:
        """What a country's corpus holds and does not hold, subject by subject."""
        with self.store() as store:
            return corpus_holdings(store, country)

    def committee_report(self, country: str, instrument: str | None = None, reader=None):
        """The committee report's content (``harmonize.report.committee.CommitteeReport``) for one
        country: every obligation of the chosen conventions, the statutes, party status."""
        from harmonize.corpus import read_manifest
        from harmonize.report.committee import Statute, build_report, version_of

        country = country.upper()
        results = self.reviewed_alignment(country, instrument, reader)
        catalogue = {ob.id: ob for ob in load_catalogue()}
        corpus = config.corpus_dir()
        try:
            manifest = {e.path: e for e in read_manifest(corpus)}
        except ParseError as exc:
            log.warning("report without manifest notes: %s", exc)
            manifest = {}
        parties = load_parties(corpus) if corpus.is_dir() else {}
        with self.store() as store:
            instruments = store.instruments(country)
            titles = {i.id: i.title for i in store.instruments()}
            convention_titles = {}
            for code, source in INSTRUMENT_SOURCES.items():
                inst = store.instrument(convention_instrument_id(code))
                convention_titles[code] = inst.title if inst else source
            convention_text, national = {}, {}
            for r in results:
                ob = catalogue[r["obligation"]]
                article = article_text(store, ob)
                convention_text[ob.id] = article.text if article else ob.summary
                review = r.get("review") or {}
                cited = (review.get("provisions") or [])[:1] if r.get("status_source") == "reviewed" else []
                for pid in cited or [p["id"] for p in r["provisions"][:1]]:
                    prov = store.provision(pid)
                    if prov is not None:
                        inst = store.instrument(prov.instrument)
                        national[prov.id] = (prov, inst.language if inst else "en")
        statutes = []
        for inst in instruments:
            entry = manifest.get(inst.source)
            notes = entry.notes if entry else ""
            origin = (entry.source_repo if entry else "") or "corpus"
            statutes.append(Statute(title=inst.title, year=inst.year, version=version_of(notes, inst.title),
                                    source=f"{origin} ({inst.source})", path=inst.source, language=inst.language,
                                    analysed=inst.language == "en"))
        return build_report(country, results, catalogue, titles, convention_text, national, statutes, parties,
                            convention_titles, LEVEL_WEIGHT, STATUS_VALUE,
                            holdings=self.corpus_holdings(country).sentence)

    def report(self, country: str, out_dir: str | Path, instrument: str | None = None,
               formats: tuple[str, ...] = REPORT_FORMATS, show_progress: bool = False, progress=None,
               reader=None) -> list[Path]:
        """Write the committee report of one country (PDF, Word, HTML, Markdown) into ``out_dir``,
        with the effective statuses (reviewer decisions the reader may see; None: the public ones);
        ``progress(done, total)`` is called as the PDF's obligations are written."""
        from harmonize.report.committee import write_documents

        report = self.committee_report(country, instrument, reader)
        bar = tqdm(total=len(report.obligations), desc=f"report {report.country}", unit="obligation",
                   disable=not show_progress)
        report_progress = progress

        def progress(done, total):
            bar.n = done
            bar.refresh()
            if report_progress:
                report_progress(done, total)
        try:
            return write_documents(report, Path(out_dir), formats, progress=progress)
        finally:
            bar.close()

    def reports_dir(self, country: str, keys: dict[str, str] | None = None) -> Path:
        """Where `index` keeps one country's committee documents, under the key of what they show."""
        return self.data / "reports" / self.report_key(country, keys)

    def report_key(self, country: str, keys: dict[str, str] | None = None) -> str:
        """What one country's committee documents show: its alignment's key (its files, the
        conventions, the aligning code), the report code, and its rows of MANIFEST.tsv and
        parties.tsv; another country's change does not move it."""
        country = country.upper()
        keys = self.country_alignment_keys() if keys is None else keys
        digest = hashlib.sha256(f"{country}\0{keys.get(country, '')}\0{report_code_key()}".encode())
        corpus = config.corpus_dir()
        for name, column in (("MANIFEST.tsv", 2), ("parties.tsv", 0)):
            path = corpus / name
            if not path.is_file():
                continue
            lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
            for i, line in enumerate(lines):
                fields = line.split("\t")
                if i == 0 or (len(fields) > column and fields[column].strip().upper() == country):
                    digest.update(f"{name}\0{line}\n".encode())
        return f"{country}-{digest.hexdigest()[:16]}"

    def has_reviews(self, country: str, reader=None) -> bool:
        """Whether any reviewer decision or note shows on the country's rows (then a document made
        ahead by `index` may be out of date: it is made again on request)."""
        return any(r.get("status_source") != "machine" or r.get("review")
                   for r in self.reviewed_alignment(country, None, reader))

    def review_digest(self, country: str, reader=None) -> str:
        """A digest of the reviewer decisions and notes the reader sees on the country's rows: a
        document made for that reader is made again when it changes."""
        digest = hashlib.sha256()
        for r in self.reviewed_alignment(country, None, reader):
            review = r.get("review") or {}
            digest.update(f"{r['obligation']}|{r['status']}|{r.get('status_source')}|{review.get('id')}|"
                          f"{review.get('version')}|{review.get('entries')}\n".encode())
        return digest.hexdigest()[:16]

    def write_reports(self, show_progress: bool = True, keys: dict[str, str] | None = None) -> dict[str, int]:
        """Every country's committee documents (PDF and Word) ahead of any request, each in the
        directory of its own key (`report_key`): those whose key did not move are kept, older
        ones removed."""
        keys = self.country_alignment_keys() if keys is None else keys
        with self.store() as store:
            countries = store.national_countries()
        dirs = {country: self.reports_dir(country, keys) for country in countries}
        written = {}
        for country in tqdm(countries, desc="reports", unit="country", disable=not show_progress):
            out = dirs[country]
            if all((out / f"committee-report-{country}.{f}").is_file() for f in AHEAD_FORMATS):
                continue
            try:
                written[country] = len(self.report(country, out, formats=AHEAD_FORMATS))
            except ReportError as exc:
                # e.g. the PDF fonts are not installed: the index stands, documents are made on
                # request (where the same error is shown to the reader)
                log.warning("committee documents not made ahead: %s", exc)
                break
        current = set(dirs.values())
        for old in (self.data / "reports").glob("*"):
            if old.is_dir() and old not in current:
                shutil.rmtree(old, ignore_errors=True)
        return written

    def provision_alignments(self) -> dict[str, list[dict]]:
        """Provision id -> the saved alignments that list it (obligation, country, status, score,
        rank, obligation_score), best rank first."""
        table: dict[str, list[dict]] = {}
        for country in self.countries():
            for r in self.alignment_results(country):
                for rank, p in enumerate(r.provisions, 1):
                    table.setdefault(p.id, []).append({
                        "obligation": r.obligation, "country": country, "status": r.status,
                        "score": p.score, "rank": rank, "obligation_score": r.score})
        for rows in table.values():
            rows.sort(key=lambda row: (row["rank"], -row["score"]))
        return table

    def article_obligations(self) -> dict[str, list[dict]]:
        """Convention provision id -> the obligations whose article it is."""
        table: dict[str, list[dict]] = {}
        for ob in self.obligations():
            if ob["provision"]:
                table.setdefault(ob["provision"], []).append(ob)
        return table

    def obligation_labels(self, own: dict | None = None, aligned: dict | None = None) -> dict[str, list[dict]]:
        """Provision id -> obligation labels for a search hit: its own obligations (an article),
        then those it best implements (the first candidate of a covered or partial obligation:
        the nearest text of a missing one implements nothing). `own` and `aligned`: the tables
        of `article_obligations` and `provision_alignments` when the caller holds them."""
        own = self.article_obligations() if own is None else own
        aligned = self.provision_alignments() if aligned is None else aligned
        labels = {}
        for pid in set(own) | set(aligned):
            labels[pid] = ([{"obligation": ob["id"], "status": None, "country": None} for ob in own.get(pid, [])]
                           + [row for row in aligned.get(pid, []) if row["rank"] == 1 and row["status"] != "missing"])
        return labels

    def compare_penalties(self, category: str, countries: list[str] | None = None) -> dict:
        """Penalties of one offence category across countries (all countries: as saved by
        `index`); confiscation, extradition and mutual legal assistance are duties, not offences:
        they have no penalties to compare."""
        if category not in OFFENCE_CATEGORIES:
            raise NotFound(f"penalties are compared for offence categories only; {category!r} is not one "
                           f"(one of: {', '.join(OFFENCE_CATEGORIES)})")
        saved = None if countries else self._saved(COMPARISON, category)
        if saved is not None:
            return json.loads(saved)
        with self.store() as store:  # not saved, or saved before the store changed: computed now
            return compare_penalties(store, category, countries)

    def penalty_chart(self, category: str, countries: list[str] | None = None) -> bytes:
        """The comparison as a PNG range chart (all countries: as saved by `index`)."""
        saved = None if countries else self._saved(CHART, category)
        return saved if saved is not None else chart_png(self.compare_penalties(category, countries))

    def extradition(self, requesting: str, requested: str, categories: list[str] | None = None) -> dict:
        """Dual criminality, thresholds and bars per offence category for one pair of countries."""
        with self.store() as store:
            known = set(store.national_countries())
            for country in (requesting, requested):
                if country.upper() not in known:
                    raise NotFound(f"no national instruments for country {country!r}; known: {', '.join(sorted(known))}")
            pair = [requesting.upper(), requested.upper()]
            saved = None if categories else store.derived(EXTRADITION_PAIR, _pair_key(*pair))
            if saved is not None and self.derived_fresh(store, pair):
                return json.loads(saved)
            try:
                return extradition_analysis(store, requesting.upper(), requested.upper(), categories)
            except ValueError as exc:
                raise NotFound(str(exc)) from None

    def extradition_matrix(self, category: str | None = None) -> dict:
        if category and category not in CATEGORIES:
            raise NotFound(f"unknown category {category!r}; one of: {', '.join(CATEGORIES)}")
        saved = self._saved(EXTRADITION_MATRIX, category or ALL)
        if saved is not None:
            return json.loads(saved)
        with self.store() as store:
            return extradition_matrix(store, category)

    def provision_facts(self, provision_id: str) -> ProvisionFacts | None:
        """Analysed facts of a section or article (categories, penalties, definitions, references
        with resolved targets), None when it was not analysed; NotFound for an unknown id."""
        with self.store() as store:
            if store.provision(provision_id) is None:
                raise NotFound(f"no provision with id {provision_id!r}")
            return store.facts(provision_id)

    def provision_context(self, provision_id: str) -> dict:
        """Ancestors (outermost first) and children of a provision, each as
        {id, kind, number, label, heading}; NotFound for an unknown id."""
        def brief(p: Provision) -> dict:
            return {"id": p.id, "kind": p.kind, "number": p.number, "label": p.label, "heading": p.heading}

        with self.store() as store:
            prov = store.provision(provision_id)
            if prov is None:
                raise NotFound(f"no provision with id {provision_id!r}")
            ancestors, parent = [], prov.parent
            while parent:
                node = store.provision(parent)
                if node is None:
                    break
                ancestors.append(brief(node))
                parent = node.parent
            ancestors.reverse()
            return {"ancestors": ancestors, "children": [brief(c) for c in store.children(prov.id)]}

    def index_info(self) -> dict:
        """The search index manifest (model, dim, units, dense kind, built), without the fingerprint;
        raises SearchIndexError (telling to run `make index`) when there is no index."""
        manifest = dict(self.search_index().manifest)
        manifest.pop("fingerprint", None)
        manifest.pop("fingerprints", None)
        manifest["stale"] = self.index_stale()
        return manifest

    def similar(self, provision_id: str, k: int = 5, exclude_country: str | None = None) -> list[dict]:
        """Provisions closest in meaning to an indexed unit (its stored vector), best first, as
        provision JSON plus `score`; the unit itself and units of `exclude_country` left out."""
        found = self.search_index().similar(provision_id, k, exclude_country)
        out = []
        with self.store() as store:
            for pid, score in found:
                prov = store.provision(pid)
                if prov is None:
                    continue
                inst = store.instrument(prov.instrument)
                out.append({**provision_json(prov, inst), "score": round(score, 6), "title": inst.title})
                if len(out) == k:
                    break
        return out

    def similar_provisions(self, provision_id: str, k: int = 5) -> list[dict]:
        """Provisions of other countries closest in meaning (texts cut at 400 characters): by
        the stored vector of an indexed section or article, else by a dense search on its text."""
        prov = self.provision(provision_id)
        if prov["kind"] in ids.SECTION_KINDS:
            try:
                found = [h for h in self.similar(prov["id"], k=k + 10, exclude_country=prov["country"])
                         if ids.is_national(h["country"])]
                return [h | {"text": h.get("text", "")[:400]} for h in found[:k]]
            except NotFound:
                pass  # not an indexed unit: search with its text
        query = f"{prov['heading']}\n{prov['text']}"[:1000]
        if not query.strip():
            return []
        hits = self.search(query, k=40, mode="dense")
        out = [h for h in hits if h["country"] != prov["country"] and ids.is_national(h["country"])
               and h["id"] != prov["id"]]
        return [{key: v for key, v in h.items() if key != "text"} | {"text": h["text"][:400]} for h in out[:k]]

    def provision(self, provision_id: str) -> dict:
        """Provision JSON (id, instrument, country, source, number, path, heading, text, kind)."""
        with self.store() as store:
            prov = store.provision(provision_id)
            if prov is None:
                raise NotFound(f"no provision with id {provision_id!r}")
            return provision_json(prov, store.instrument(prov.instrument))

    # -- reviewer decisions (harmonize/reviews) ------------------------------------------------

    def reviews(self, create: bool = True):
        """The reviews database (opened and migrated once); with create=False, None while the
        default SQLite file does not exist yet (reads then see no decisions, and write nothing)."""
        from harmonize.reviews import Reviews, reviews_url

        url = reviews_url(self.data, self.reviews_url)
        cached = getattr(self, "_reviews", None)
        if cached is not None:
            return cached
        if not create and url.startswith("sqlite:///") and not Path(url[len("sqlite:///"):]).is_file():
            return None
        with _REVIEWS_LOCK:
            if getattr(self, "_reviews", None) is None:
                self._reviews = Reviews.open(url)
        return self._reviews

    def reviewed(self, country: str, results: list[dict], reader=None) -> list[dict]:
        """Alignment rows with the effective status: the newest confirm/override the reader may
        see, unless a provision it cites changed or disappeared (then the machine's status, and
        the decision marked needs re-review). The machine's view stays under `machine`."""
        from harmonize.reviews.join import overlay

        reviews = self.reviews(create=False)
        country = country.upper()
        if reviews is None:
            return overlay(None, results, country, {}, {})
        latest = reviews.latest(reader, country)
        counts = reviews.comment_counts(reader, country)
        with self.store() as store:
            return overlay(store, results, country, latest, counts)

    def reviewed_alignment(self, country: str, instrument: str | None = None, reader=None) -> list[dict]:
        return self.reviewed(country, self.align(country, instrument), reader)

    def review_item(self, country: str, obligation: str, reader=None) -> dict:
        """One (country, obligation): machine and effective row, the version to write against,
        and the history the reader may see (oldest first)."""
        row = self._machine_row(country.upper(), obligation)
        reviews = self.reviews(create=False)
        effective = self.reviewed(country, [row], reader)[0]
        return {"country": country.upper(), "obligation": obligation, "effective": effective,
                "version": reviews.version(country.upper(), obligation) if reviews else 0,
                "history": reviews.history(country.upper(), obligation, reader) if reviews else []}

    def _machine_row(self, country: str, obligation: str) -> dict:
        """The machine's row of one item: the saved alignment (one store read, no catalogue parse:
        a reviewer's write must not wait for the TOML), else computed with NotFound as `align` says."""
        with self.store() as store:
            row = store.alignments(country).get(obligation)
        if row is not None:
            return row.to_dict()
        if obligation not in {ob.id for ob in load_catalogue()}:
            raise NotFound(f"no obligation with id {obligation!r}")
        row = next((r for r in self.align(country) if r["obligation"] == obligation), None)
        if row is None:
            raise NotFound(f"no alignment of {obligation} for {country}")
        return row

    def record_review(self, author, country: str, obligation: str, kind: str, version: int, *,
                      status: str | None = None, provisions: list[str] | None = None,
                      missing_elements: list[str] | None = None, reason: str = "", note: str = "",
                      visibility: str = "organisation", uid: str | None = None) -> dict:
        """Validate a decision against the store (obligation, country, every cited provision) and
        append it; ReviewError (nothing written) or ReviewConflict (with both versions)."""
        from harmonize.errors import ReviewError
        from harmonize.reviews.join import cited_hashes, check_provisions, note_citations

        if author is None:
            raise ReviewError("sign in to record a decision")
        country = (country or "").upper()
        row = self._machine_row(country, obligation)
        reviews = self.reviews()
        reviews.check(kind, status, provisions, missing_elements, reason, note, visibility, version)
        with self.store() as store:
            implementing = check_provisions(store, country, list(provisions or []))
            if kind == "confirm" and not implementing and row["status"] != "missing" and row["provisions"]:
                implementing = [row["provisions"][0]["id"]]  # what the reviewer confirms
            cited = implementing + [p for p in note_citations(store, note or "") if p not in implementing]
            if kind == "override" and not cited:
                raise ReviewError("an override must cite at least one provision by id (as an implementing "
                                  "provision or in the note)")
            hashes = cited_hashes(store, cited)
        return reviews.record(author, country, obligation, kind, version, status=status, provisions=implementing,
                              missing_elements=missing_elements, reason=reason, note=note, visibility=visibility,
                              cited=hashes, machine_status=row["status"], machine_score=row["score"], uid=uid)

    def export_reviews(self, reader=None, everything: bool = False, as_labels: bool = False) -> list[dict]:
        """Decisions the reader may see (`everything`: all, for moving them to another server); as
        labels: one alignment label per item whose newest applied confirm/override the reader sees."""
        from harmonize.reviews.join import label, reattach

        reviews = self.reviews(create=False)
        if reviews is None:
            return []
        rows = reviews.all_decisions(reader, everything)
        if not as_labels:
            return rows
        newest: dict[tuple[str, str], dict] = {}
        for d in rows:
            if d["kind"] != "comment":
                newest[(d["country"], d["obligation"])] = d
        labels = []
        with self.store() as store:
            for d in newest.values():
                changed, gone = reattach(store, d)
                if changed or gone:
                    log.warning("%s %s: decision %d needs re-review (cited text changed: %s); not a label",
                                d["country"], d["obligation"], d["id"], ", ".join(changed + gone))
                    continue
                line = label(store, d)
                if line is None:
                    log.warning("%s %s: %s without an implementing provision; not a label", d["country"],
                                d["obligation"], d["status"])
                    continue
                labels.append(line)
        return labels

    def import_reviews(self, rows: list[dict]) -> dict[str, int]:
        return self.reviews().import_decisions(rows)


# Kinds of what `index` saves in the store's `derived` table (ALL: the key of "every category").
COMPARISON, CHART, EXTRADITION_PAIR, EXTRADITION_MATRIX = "comparison", "chart", "extradition-pair", "extradition-matrix"
ALL = "*"
# Meta keys: each country's key when its part of the derived data was saved, and the countries then.
DERIVED_STAMP, DERIVED_COUNTRIES = "derived_key:", "derived_countries"


def _pair_key(requesting: str, requested: str) -> str:
    return f"{requesting}>{requested}"


def _json(data: dict) -> bytes:
    return json.dumps(data, ensure_ascii=False).encode()


def subsection(store: Store, section: Provision, number: str) -> Provision | None:
    """The provision under ``section`` printed as ``number`` ("21(1)(a)"), None when none."""
    todo = [section]
    while todo:
        node = todo.pop()
        for child in store.children(node.id):
            if child.number.replace(" ", "") == number:
                return child
            if number.startswith(child.number.replace(" ", "")):
                todo.append(child)
    return None


# The code that computes what `index` saves beside the index (relative to the package):
# alignment, penalty comparison, extradition, the catalogue, the retrieval alignment uses,
# and this module, which drives them.
DERIVED_CODE = ("align", "obligations", "index/hybrid.py", "service.py")


@functools.lru_cache(maxsize=1)
def derived_code_key() -> str:
    """A hash of DERIVED_CODE, read once per process (the code a process runs does not change
    under it; a build by newer code stamps another key, and this process then computes live)."""
    digest = hashlib.sha256()
    root = Path(__file__).parent
    for part in DERIVED_CODE:
        path = root / part
        files = sorted(p for p in path.glob("*.*") if p.suffix in (".py", ".toml")) if path.is_dir() else [path]
        for file in files:
            digest.update(file.relative_to(root).as_posix().encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()[:20]


@functools.lru_cache(maxsize=1)
def report_code_key() -> str:
    """A hash of the committee report's code and template (read once per process)."""
    from harmonize.report import committee

    digest = hashlib.sha256()
    root = Path(committee.__file__).parent
    for path in sorted(root.rglob("*")):
        if path.suffix in (".py", ".html"):
            digest.update(path.read_bytes())
    return digest.hexdigest()[:20]


def record_categories(facts: ProvisionFacts) -> list[str]:
    """Offence categories of a provision, from its offence record (conduct + object + subject)."""
    return list(facts.offence.categories) if facts.offence else []


def penalty_record(prov_json: dict, facts: ProvisionFacts) -> dict:
    """The `harmonize penalties` record: provision (no text), categories, tiers and the summary."""
    pen = facts.penalties
    top = pen.most_severe
    return {
        "provision": prov_json,
        "category": record_categories(facts),
        "offence": facts.offence.to_dict() if facts.offence else None,
        "tiers": [
            {
                "condition": t.condition,
                "min_months": t.min_months,
                "max_months": t.max_months,
                "life": t.life,
                "death": t.death,
                "death_named": t.death_named,
                "fine": asdict(t.fine) if t.fine else None,
                "corporal": t.corporal,
                "mode": t.mode,
                "mandatory_min": t.mandatory_min,
                "source": t.source,
                "where": t.where,
            }
            for t in pen.tiers
        ],
        "max_months": pen.max_months,
        "min_months": pen.min_months,
        "life": pen.life,
        "death": pen.death,
        "fine": pen.fine,
        "reference": pen.reference,
        "reference_missing": pen.reference_missing,
        "unread": pen.unread,
        "evidence": top.evidence if top else "",
    }


def provision_json(prov: Provision, instrument: Instrument, with_text: bool = True) -> dict:
    return prov.to_json(instrument.country, instrument.source, with_text=with_text)
