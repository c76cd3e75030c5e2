"""One small, real data directory for the web tests: a few instruments, analysed, indexed, aligned.

`build_web_data(target)` parses a handful of corpus files (Canada and India with a drug Act and
an extradition Act each, Nigeria's four partial Acts, three conventions), analyses them, writes the store, then builds the
search index (which also saves every country's alignment). Embedding is the slow part, so
`web_data_dir(root)` keeps the result in pytest's cache directory under a key made of the
corpus files' bytes and the harmonize code that decides the store and the index (DATA_CODE):
a second test run reuses it; a change to those files rebuilds it (about 5 minutes on 2
cores). What `harmonize index` saves beside the index (alignments, comparisons, extradition
pairs) is checked with the
service's own key (`Harmonize.alignment_key`): when it differs, the reused directory is
re-indexed, which recomputes only that.

The session fixture `web_data` in conftest.py serves it to the web, browser and alignment tests.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from conftest import CORPUS, parse_corpus_file

WEB_SOURCES = (
    "national/CAN/controlled-drugs-and-substances-act.xml",
    "national/CAN/extradition-act.xml",
    "national/IND/ndps-act-1985.xml",
    "national/IND/extradition-act-1962.xml",
    # the same NDPS Act as Nyaaya Markdown: search shows each section once (the Akoma Ntoso copy)
    "national/IND/ndps-act-1985-nyaaya.md",
    # Singapore: Acts in section-per-entry JSON, for the committee documents of a second country
    "national/SGP/misuse-of-drugs-act-1973.json",
    "national/SGP/prevention-of-human-trafficking-act-2014.json",
    # Nigeria's four partial Acts: a country whose corpus lacks trafficking and smuggling laws.
    "national/NGA/money-laundering-prohibition-act.json",
    "national/NGA/extradition-act.json",
    "national/NGA/mutual-assistance-criminal-matters-commonwealth-act.json",
    "national/NGA/robbery-and-firearms-special-provisions-act.json",
    "conventions/vienna-illicit-traffic-1988.md",
    "conventions/untoc-trafficking-persons-protocol-2000.md",
    "conventions/untoc-smuggling-migrants-protocol-2000.md",
)
READY = "READY"
# The code that decides the store and the index (parsing, analysis, ids, embedding); the
# saved alignments are checked with the service's own key instead.
DATA_CODE = ("parse/", "analyze/", "index/", "store.py", "model.py", "ids.py", "corpus.py", "ingest.py", "config.py")


def _key() -> str:
    import harmonize

    digest = hashlib.sha256()
    for source in WEB_SOURCES:
        digest.update(source.encode())
        digest.update((CORPUS / source).read_bytes())
    root = Path(harmonize.__file__).parent
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if path.suffix in (".py", ".toml") and rel.startswith(DATA_CODE):
            digest.update(rel.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:20]


def build_web_data(target: Path) -> Path:
    """Write store, facts, index and saved alignments for WEB_SOURCES into `target`."""
    from harmonize.service import Harmonize

    write_store(target, WEB_SOURCES)
    Harmonize(target).build_index(show_progress=False)
    return target


def write_store(target: Path, sources: tuple[str, ...]) -> Path:
    """Parse and analyse `sources` (corpus-relative) into a new store under `target`, as ingest does."""
    from harmonize import config
    from harmonize.ingest import analyse_document, write_document
    from harmonize.store import Store

    target.mkdir(parents=True, exist_ok=True)
    with Store(config.store_path(target), create=True) as store:
        for source in sources:
            doc = parse_corpus_file(source)
            facts, rule = analyse_document(doc)
            with store.transaction():
                write_document(store, doc, "x", facts, rule)
    return target


def store_aligner(target: Path, sources: tuple[str, ...]):
    """(align, store) over a new store of `sources`: `align(country, obligation id)` aligns one
    duty as `harmonize index` does, without a search index (candidates from the analysed
    categories, definitions and rules); close the store when done."""
    from harmonize import config
    from harmonize.align.coverage import CountryContext, align_obligation
    from harmonize.obligations import by_id, load_catalogue
    from harmonize.store import Store

    store = Store(config.store_path(write_store(target, sources)))
    catalogue = by_id(load_catalogue())
    contexts: dict = {}

    def align(country: str, obligation: str):
        ctx = contexts.setdefault(country, CountryContext(store, country))
        return align_obligation(ctx, catalogue[obligation], None)

    return align, store


def refresh_derived(target: Path) -> None:
    """Re-index a reused directory whose saved alignments (or derived data) are not the current code's."""
    from harmonize.service import Harmonize

    app = Harmonize(target)
    with app.store() as store:
        saved = {store.meta("alignment_key"), store.meta("derived_key")}
    if saved != {app.alignment_key()}:
        app.build_index(show_progress=False)


def web_data_dir(cache_root: Path) -> Path:
    """The built data dir, reused from `cache_root` when the corpus files and the code are unchanged."""
    target = cache_root / _key()
    if (target / READY).is_file():
        refresh_derived(target)
        return target
    for old in cache_root.glob("*"):  # earlier keys: stale
        if old.is_dir():
            shutil.rmtree(old, ignore_errors=True)
    shutil.rmtree(target, ignore_errors=True)  # a build that was interrupted
    build_web_data(target)
    (target / READY).write_text("ok\n")
    return target

