"""Build the search index from the store: incremental embedding, atomic replacement.

Layout of ``<data>/index/``::

    manifest.json   format version, model name and dimension, unit count, dense kind,
                    truncation, fingerprint of every unit (decides "nothing changed")
    units.json      row -> provision id, instrument, kind, number, heading; instruments -> country,
                    topic, source, title, year, format
    keys.npy        row -> sha1 of the embedded text (uint8, n x 20; not |S20, which drops trailing NULs)
    vectors.npy     row -> normalised embedding (float32)
    dense.faiss     FAISS index over vectors.npy (row ids)
    lexical/        Whoosh index

Incremental: the previous index's (keys.npy, vectors.npy) is the embedding cache; a unit whose
embedded text hashes to a known key reuses that vector, only new texts are encoded (and an
identical text held twice, e.g. the same section in two copies of an Act, is encoded once). A
different model name, dimension or embedding settings (word pieces read, int8) in the previous
manifest discards the cache (full rebuild). The lexical index is always built anew: Whoosh
can delete and add documents in a copy, but its merged segment keeps field lengths only as
its one-byte per-document codes, so BM25 scores then differ from a fresh build's (17.40 vs
17.37 on the same units): a changed file would give its country another alignment than an
index made from scratch. When every unit, its text and the model are unchanged the build
stops early and leaves the index as it is.

Atomic: everything is written into ``<data>/index.new-<pid>``; then ``index`` is renamed to
``index.old``, ``index.new-<pid>`` to ``index`` and ``index.old`` deleted. An exception or
Ctrl-C before the renames leaves ``index`` untouched (the half-written directory is removed,
or swept by the next build; a full disk raises DiskFull naming the directory); a crash between the two renames leaves ``index.old``, which
``recover`` (run by every build and every ``SearchIndex.open``) renames back.
"""

from __future__ import annotations

import errno
import hashlib
import json
import logging
import os
import shutil
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from harmonize.errors import DiskFull
from harmonize.index import dense, lexical
from harmonize.index.embed import (MAX_CHARS, EmbedSettings, Unit, collect_units, default_settings, encode, load_model,
                                   model_dim, resolve_model_name, text_key)
from harmonize.index.hybrid import SearchIndex
from harmonize.index.layout import FORMAT_VERSION, INDEX_DIR, NEW_PREFIX, OLD_DIR, index_path, read_manifest, recover

log = logging.getLogger(__name__)


@dataclass
class BuildReport:
    units: int = 0
    re_embedded: int = 0
    reused: int = 0
    unchanged: bool = False  # nothing changed: the previous index was kept as it is
    full_rebuild: bool = False  # no usable previous embeddings (none, other model, unreadable)
    seconds: float = 0.0
    embed_seconds: float = 0.0
    model: str = ""
    dim: int = 0
    dense: str = ""
    path: str = ""
    per_country: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict:
        return asdict(self)


def fingerprint(units: list[Unit], keys: list[bytes], model: str, max_chars: int,
                settings: EmbedSettings | None = None) -> str:
    # The lexical schema version is part of it (a new schema rebuilds the lexical index and
    # reuses every embedding); FORMAT_VERSION is not bumped for that, as it drops the cache.
    settings = settings or EmbedSettings()
    digest = hashlib.sha1(f"{FORMAT_VERSION}\0{lexical.SCHEMA_VERSION}\0{model}\0{max_chars}\0".encode())
    digest.update(repr(sorted(settings.to_dict().items())).encode())
    for unit, key in zip(units, keys):
        digest.update(
            "\0".join((unit.id, unit.instrument, unit.country, unit.topic, unit.source, unit.kind, unit.number,
                       unit.heading, unit.title, str(unit.year), unit.format)).encode()
        )
        digest.update(key)
        digest.update(hashlib.sha1(unit.text.encode()).digest())
    return digest.hexdigest()


def _previous_cache(current: Path, model: str, settings: EmbedSettings) -> tuple[dict | None, dict[bytes, np.ndarray]]:
    """The previous manifest and its key -> vector table, empty when unusable for ``model``
    read with ``settings``."""
    if not current.is_dir():
        return None, {}
    try:
        manifest = read_manifest(current)
        if manifest.get("version") != FORMAT_VERSION or manifest.get("model") != model:
            log.info("previous index used model %s: full re-embedding", manifest.get("model"))
            return manifest, {}
        if EmbedSettings.from_dict(manifest.get("embedding")) != settings:
            log.info("previous index was embedded with %s: full re-embedding", manifest.get("embedding"))
            return manifest, {}
        keys = np.load(current / "keys.npy")
        vectors = np.load(current / "vectors.npy")
        if keys.ndim != 2 or keys.shape[1] != 20 or len(keys) != len(vectors) or vectors.ndim != 2 or vectors.shape[1] != manifest.get("dim"):
            raise ValueError("keys.npy and vectors.npy do not match the manifest")
    except Exception as exc:  # unreadable cache: rebuild everything, never fail the build for it
        log.warning("previous index at %s is unreadable (%s): full re-embedding", current, exc)
        return None, {}
    return manifest, {k.tobytes(): vectors[i] for i, k in enumerate(keys)}


def unit_rows(units: list[Unit]) -> dict:
    """units.json: columnar, instruments factored out."""
    instruments: dict[str, int] = {}
    inst_rows: list[dict] = []
    rows = []
    for unit in units:
        if unit.instrument not in instruments:
            instruments[unit.instrument] = len(inst_rows)
            inst_rows.append(
                {"id": unit.instrument, "country": unit.country, "topic": unit.topic, "source": unit.source,
                 "title": unit.title, "year": unit.year, "format": unit.format}
            )
        rows.append([unit.id, instruments[unit.instrument], unit.kind, unit.number, unit.heading])
    return {"instruments": inst_rows, "rows": rows}


def lexical_docs(units: list[Unit]):
    for unit in units:
        yield {
            "id": unit.id, "country": unit.country, "instrument": unit.instrument, "topic": unit.topic,
            "kind": unit.kind, "number": unit.number, "heading": unit.heading, "context": unit.context,
            "text": unit.text, "words": f"{unit.heading}\n{unit.text}",
        }


def write_index(
    target: Path, meta: dict, keys: np.ndarray, vectors: np.ndarray, docs, manifest: dict,
    dense_kind: str = "auto", lexical_procs: int = 1,
) -> dict:
    """Write a complete index directory (used by ``build_index`` and by the bench)."""
    target.mkdir(parents=True, exist_ok=True)
    (target / "units.json").write_text(json.dumps(meta, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    np.save(target / "keys.npy", keys)
    np.save(target / "vectors.npy", vectors)
    index = dense.build_dense(vectors, dense_kind)
    import faiss

    faiss.write_index(index, str(target / "dense.faiss"))
    lexical.build_lexical(target / "lexical", docs, procs=lexical_procs)
    manifest = {**manifest, "version": FORMAT_VERSION, "lexical": lexical.SCHEMA_VERSION, "units": len(keys),
                "dense": dense.index_kind(index)}
    # the manifest goes last: a directory without one is never taken for an index
    (target / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return manifest


def _disk_full(exc: OSError, data_dir: Path) -> bool:
    """ENOSPC, or a short write (numpy's "N requested and M written" has no errno) on a full disk."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return True
    return exc.errno is None and shutil.disk_usage(data_dir).free < 16 * 1024 * 1024


def swap_in(data_dir: Path, new: Path) -> None:
    current, old = data_dir / INDEX_DIR, data_dir / OLD_DIR
    if old.exists():
        shutil.rmtree(old)
    if current.exists():
        os.replace(current, old)
    os.replace(new, current)
    shutil.rmtree(old, ignore_errors=True)


def build_index(store, data_dir, model_name: str | None = None, show_progress: bool = True, max_chars: int = MAX_CHARS,
                settings: EmbedSettings | None = None) -> BuildReport:
    """(Re)build ``<data_dir>/index`` from ``store``; see the module docstring."""
    settings = settings or default_settings()
    started = time.perf_counter()
    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    recover(data_dir)
    model = resolve_model_name(model_name)
    current = index_path(data_dir)
    report = BuildReport(model=model, path=str(current))

    units = collect_units(store)
    texts = [u.embed_text(max_chars) for u in units]
    keys = [text_key(t) for t in texts]
    report.units = len(units)
    for unit in units:
        report.per_country[unit.country] = report.per_country.get(unit.country, 0) + 1
    print_ = fingerprint(units, keys, model, max_chars, settings)

    previous, cache = _previous_cache(current, model, settings)
    if previous and previous.get("fingerprint") == print_ and previous.get("model") == model and cache:
        try:
            SearchIndex.open(data_dir).close()
        except Exception as exc:
            log.warning("index unchanged but unusable (%s): rebuilding", exc)
        else:
            report.unchanged = True
            report.reused = len(units)
            report.dim = int(previous["dim"])
            report.dense = previous.get("dense", "")
            report.seconds = time.perf_counter() - started
            log.info("index is up to date (%d units)", len(units))
            return report
    report.full_rebuild = not cache

    missing = [i for i, key in enumerate(keys) if key not in cache]
    todo: dict[bytes, int] = {}
    for i in missing:
        todo.setdefault(keys[i], i)
    dim = int(previous["dim"]) if previous and cache else 0
    fresh: dict[bytes, np.ndarray] = {}
    if todo or not dim:
        st_model = load_model(model, settings)
        dim = model_dim(st_model)
        embed_started = time.perf_counter()
        order = list(todo.values())
        vecs = encode(st_model, [texts[i] for i in order], show_progress=show_progress)
        fresh = {keys[i]: vecs[j] for j, i in enumerate(order)}
        report.embed_seconds = time.perf_counter() - embed_started
    report.re_embedded = len(fresh)
    report.reused = len(units) - len(missing)
    report.dim = dim

    vectors = np.zeros((len(units), dim), dtype=np.float32)
    for i, key in enumerate(keys):
        vectors[i] = cache[key] if key in cache else fresh[key]
    key_array = np.frombuffer(b"".join(keys), dtype=np.uint8).reshape(len(keys), 20)

    tmp = data_dir / f"{NEW_PREFIX}{os.getpid()}"
    if tmp.exists():
        shutil.rmtree(tmp)
    try:
        manifest = write_index(
            tmp, unit_rows(units), key_array, vectors, lexical_docs(units),
            {"model": model, "dim": dim, "max_chars": max_chars, "embedding": settings.to_dict(), "fingerprint": print_,
             "built": time.strftime("%Y-%m-%dT%H:%M:%S%z")},
        )
        swap_in(data_dir, tmp)
    except BaseException as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        if isinstance(exc, OSError) and _disk_full(exc, data_dir):
            raise DiskFull(errno.ENOSPC, f"disk full while writing the search index to {tmp} "
                           f"({shutil.disk_usage(data_dir).free / 1e6:.1f} MB free): the half-written index was "
                           f"removed and the previous one in {current} is kept; free some space and run again") from exc
        raise
    report.dense = manifest["dense"]
    report.seconds = time.perf_counter() - started
    log.info(
        "index built: %d units, %d embedded, %d reused in %.1fs", report.units, report.re_embedded, report.reused,
        report.seconds,
    )
    return report
