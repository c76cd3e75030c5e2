"""Search benchmark: indexing throughput, query latency, HNSW recall, peak memory.

1. Indexing throughput on a subset of the store (whole instruments, about --units units):
   raw ``model.encode`` of the pipeline's texts (batch 32) vs the full pipeline
   (``build_index`` from scratch on a store holding only those instruments: collecting units,
   building texts, hashing, length-sorted encoding, FAISS, Whoosh, atomic swap).
   Target: pipeline >= 90% of raw.
2. Query latency of hybrid search (query encoding included) on the corpus index
   (``<data>/index``), without and with a country filter. Target p95 < 50 ms.
3. ``--million``: a synthetic index of 1,000,000 units (random unit vectors of the model's
   dimension, text drawn from the corpus vocabulary, instruments/countries drawn from the
   corpus), dense = HNSW. Recall@10 of HNSW against exact search, and hybrid latency.
   Target p95 < 150 ms. The synthetic index is kept in ``<data>/bench-1m`` and reused
   (``--rebuild`` to rebuild it).
Peak memory (ru_maxrss) after each part.

Usage: python bench/search_bench.py [--data DIR] [--units 600] [--queries 60] [--million] [--rebuild]
"""

from __future__ import annotations

import argparse
import random
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from harmonize import config
from harmonize.index import SearchIndex, build_index
from harmonize.index.build import write_index
from harmonize.index.embed import collect_units, encode_query, load_model, model_dim
from harmonize.store import Store

QUERIES = [
    "cultivation of cannabis plant without a licence",
    "possession of a controlled substance for the purpose of trafficking",
    "importing or exporting narcotic drugs",
    "punishment for money laundering",
    "concealing the proceeds of crime",
    "trafficking in persons for sexual exploitation",
    "smuggling of migrants across the border",
    "illicit manufacturing of firearms and ammunition",
    "extradition of nationals",
    "mutual legal assistance request for evidence",
    "bribery of a public official",
    "financing of terrorism offence",
    "confiscation of property derived from drug offences",
    "participation in an organized criminal group",
    "obstruction of justice by intimidating witnesses",
    "death penalty for drug trafficking",
    "minimum sentence of imprisonment for dealing in heroin",
    "definition of narcotic drug",
    "search and seizure without warrant",
    "forfeiture of vehicles used to transport drugs",
    "precursor chemicals used in manufacture of drugs",
    "conspiracy to commit an offence",
    "attempt and abetment",
    "liability of companies for offences",
    "protection of victims of trafficking",
    "fraudulent travel or identity documents",
    "licensing of firearms dealers",
    "marking and tracing of firearms",
    "reporting suspicious transactions to the financial intelligence unit",
    "customer due diligence by banks",
    "freezing of terrorist funds",
    "dual criminality requirement for extradition",
    "political offence exception",
    "provisional arrest pending extradition request",
    "controlled delivery of drugs",
    "embezzlement of public property",
    "harbouring illegal immigrants",
    "employer hiring a foreign worker without a permit",
    "sale of drugs to minors near schools",
    "presumption of knowledge of possession",
    "bail in drug offences",
    "treatment and rehabilitation of drug addicts",
    "forced labour and debt bondage",
    "kidnapping and abduction for ransom",
    "s. 5 trafficking in substance",
    "sub-s. (2) possession for the purpose of trafficking",
    "art. 3 offences and sanctions",
    "property obtained by crime",
    "receiving stolen goods",
    "corruption of judges",
    "transfer of sentenced persons",
    "jurisdiction over offences committed abroad",
    "psychotropic substances schedule",
    "the Director may issue a licence",
    "unlawful possession of a prohibited weapon",
    "carrying a loaded firearm in public",
    "penalty units fine",
    "cash couriers declaring currency at the border",
    "shell banks and correspondent banking",
    "whistleblower protection",
]


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def pct(values, q) -> float:
    return float(np.percentile(np.asarray(values) * 1000, q))


def subset_store(store: Store, path: Path, target_units: int) -> list[str]:
    """A store at ``path`` with whole instruments (English ones, shuffled) until ``target_units``."""
    units_per = {}
    for unit in collect_units(store):
        units_per[unit.instrument] = units_per.get(unit.instrument, 0) + 1
    insts = [i for i in store.instruments() if i.language == "en" and units_per.get(i.id, 0) <= target_units]
    random.Random(1).shuffle(insts)
    chosen, total = [], 0
    with Store(path, create=True) as sub:
        with sub.transaction():
            for inst in insts:
                if total >= target_units:
                    break
                provs = list(store.provisions(inst.id))
                sub.replace_instrument(inst, "bench", provs, [])
                chosen.append(inst.id)
                total += units_per.get(inst.id, 0)
    return chosen


def bench_throughput(store: Store, target_units: int, model_name: str) -> None:
    model = load_model(model_name)
    model.encode(["warm up the model"] * 8)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        chosen = subset_store(store, tmp / "harmonize.sqlite", target_units)
        with Store(tmp / "harmonize.sqlite") as sub:
            texts = [u.embed_text() for u in collect_units(sub)]
            t0 = time.perf_counter()
            model.encode(texts, batch_size=32, normalize_embeddings=True, show_progress_bar=False)
            raw = time.perf_counter() - t0
            report = build_index(sub, tmp, model_name=model_name, show_progress=False)
    n = len(texts)
    print(f"[throughput] {n} units from {len(chosen)} instruments, model {model_name}")
    print(f"  raw model.encode        {n / raw:8.1f} units/s  ({raw:.1f} s)")
    print(f"  pipeline (build_index)  {n / report.seconds:8.1f} units/s  ({report.seconds:.1f} s; "
          f"embedding {report.embed_seconds:.1f} s, rest {report.seconds - report.embed_seconds:.1f} s)")
    print(f"  pipeline / raw          {raw / report.seconds:8.1%}   (target >= 90%)")
    print(f"  peak memory             {peak_mb():8.0f} MB")


def bench_latency(index: SearchIndex, queries: list[str], label: str, filters: list[dict]) -> None:
    index.search(queries[0], k=10)  # load the model, warm caches
    for flt in filters:
        times = []
        for q in queries:
            t0 = time.perf_counter()
            index.search(q, k=10, mode="hybrid", **flt)
            times.append(time.perf_counter() - t0)
        enc = []
        for q in queries[:20]:
            t0 = time.perf_counter()
            encode_query(index.model, q)
            enc.append(time.perf_counter() - t0)
        desc = ",".join(f"{k}={v}" for k, v in flt.items()) or "no filter"
        print(f"  hybrid {desc:<14} p50 {pct(times, 50):7.1f} ms  p95 {pct(times, 95):7.1f} ms  "
              f"max {pct(times, 100):7.1f} ms  (query encoding p50 {pct(enc, 50):.1f} ms)  [{label}]")
    for mode in ("dense", "lexical"):
        times = []
        for q in queries:
            t0 = time.perf_counter()
            index.search(q, k=10, mode=mode)
            times.append(time.perf_counter() - t0)
        print(f"  {mode:<7}                p50 {pct(times, 50):7.1f} ms  p95 {pct(times, 95):7.1f} ms  [{label}]")


def build_million(store: Store, target: Path, n: int, dim: int, model_name: str) -> None:
    rng = np.random.default_rng(0)
    units = collect_units(store)
    words = []
    for unit in random.Random(0).sample(units, min(3000, len(units))):
        words += [w for w in unit.text.split()[:200] if w.isalpha()]
    words = np.array(words)
    heads = np.array([w for u in units for w in u.heading.split() if w.isalpha()] or ["section"])
    insts = sorted({(u.instrument, u.country, u.topic, u.source) for u in units})
    t0 = time.perf_counter()
    vectors = rng.standard_normal((n, dim), dtype=np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    keys = rng.integers(0, 256, size=(n, 20), dtype=np.uint8)
    inst_of = rng.integers(0, len(insts), size=n)
    meta = {
        "instruments": [{"id": i, "country": c, "topic": t, "source": s} for i, c, t, s in insts],
        "rows": [[f"SYN/{i}", int(inst_of[i]), "section", str(i)] for i in range(n)],
    }
    wi = rng.integers(0, len(words), size=(n, 30))
    hi = rng.integers(0, len(heads), size=(n, 4))

    def docs():
        for i in range(n):
            inst = insts[inst_of[i]]
            yield {
                "id": f"SYN/{i}", "country": inst[1], "instrument": inst[0], "topic": inst[2], "kind": "section",
                "number": str(i), "heading": " ".join(heads[hi[i]]), "context": "Synthetic Act",
                "text": " ".join(words[wi[i]]),
            }

    if target.exists():
        shutil.rmtree(target)
    manifest = {"model": model_name, "dim": dim, "max_chars": 0, "fingerprint": "synthetic"}
    write_index(target / "index", meta, keys, vectors, docs(), manifest, dense_kind="hnsw", lexical_procs=2)
    print(f"  built synthetic index of {n} units in {time.perf_counter() - t0:.0f} s")


def bench_million(store: Store, data: Path, model_name: str, queries: list[str], rebuild: bool, n: int) -> None:
    import faiss

    model = load_model(model_name)
    dim = model_dim(model)
    target = data / "bench-1m"
    print(f"[million] synthetic index of {n} units in {target}")
    if rebuild or not (target / "index" / "manifest.json").is_file():
        build_million(store, target, n, dim, model_name)
    t0 = time.perf_counter()
    index = SearchIndex.open(target)
    print(f"  opened in {time.perf_counter() - t0:.1f} s; dense index: {index.dense.kind}")
    # HNSW recall@10 against exact search, for real query embeddings and for near-duplicate queries
    vectors = np.asarray(index.dense.vectors)
    exact = faiss.IndexFlatIP(dim)
    exact.add(vectors)
    rng = np.random.default_rng(1)
    real_q = np.vstack([encode_query(index.model, q) for q in queries])
    picks = rng.integers(0, len(vectors), size=100)
    near_q = vectors[picks] + 0.5 * rng.standard_normal((100, dim), dtype=np.float32) / np.sqrt(dim)
    near_q /= np.linalg.norm(near_q, axis=1, keepdims=True)
    for name, qs in (("corpus queries", real_q), ("near-duplicate queries", near_q.astype(np.float32))):
        _, truth = exact.search(qs, 10)
        t0 = time.perf_counter()
        _, approx = index.dense.index.search(qs, 10)
        per_q = (time.perf_counter() - t0) / len(qs)
        recall = np.mean([len(set(a) & set(t)) / 10 for a, t in zip(approx, truth)])
        recall1 = np.mean(approx[:, 0] == truth[:, 0])
        print(f"  HNSW vs exact ({name}): recall@1 {recall1:.3f}  recall@10 {recall:.3f}  "
              f"({per_q * 1000:.1f} ms/query)")
    del exact
    bench_latency(index, queries, "1M synthetic", [{}, {"country": "CAN"}])
    index.close()
    print(f"  peak memory             {peak_mb():8.0f} MB")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", help="data dir with harmonize.sqlite and index/ (default: config)")
    ap.add_argument("--units", type=int, default=600, help="units for the throughput part (default 600)")
    ap.add_argument("--queries", type=int, default=len(QUERIES))
    ap.add_argument("--skip-throughput", action="store_true")
    ap.add_argument("--million", action="store_true", help="also bench a synthetic 1,000,000-unit index")
    ap.add_argument("--size", type=int, default=1_000_000, help="size of the synthetic index (default 1M)")
    ap.add_argument("--rebuild", action="store_true", help="rebuild the synthetic index even if present")
    args = ap.parse_args(argv)
    data = config.data_dir(args.data)
    model_name = config.model_name()
    queries = QUERIES[: args.queries]
    with Store(config.store_path(data)) as store:
        if not args.skip_throughput:
            bench_throughput(store, args.units, model_name)
        print(f"[corpus] hybrid search latency on {data / 'index'}")
        with SearchIndex.open(data) as index:
            print(f"  {len(index)} units, dense index {index.dense.kind}, model {index.model_name}")
            bench_latency(index, queries, "corpus", [{}, {"country": "CAN"}, {"topic": "drugs"}])
        print(f"  peak memory             {peak_mb():8.0f} MB")
        if args.million:
            bench_million(store, data, model_name, queries, args.rebuild, args.size)
    return 0


if __name__ == "__main__":
    sys.exit(main())
