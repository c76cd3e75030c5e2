"""Retrieval eval: recall@10 of the labelled primary sections of /work/shared/eval/alignment.jsonl.

For each label with primary sections, the query is the text of the obligation's convention
provision (e.g. UN1988:3(1)(a)(i) -> the provision numbered 3(1)(a)(i) of
UN/vienna-illicit-traffic-1988 in the store), searched with the label's country as filter.
A returned unit counts when its instrument source is the label's source and its top-level
section number is among the label's sections.

Reported per mode (dense, lexical, hybrid with each fusion setting):
  recall@10  mean over labels of (primary sections found in the top 10) / (primary sections)
  hit@10     share of labels with at least one primary section in the top 10
  mrr        mean reciprocal rank of the first primary section (0 when not in the top 10)

Usage: python bench/eval_retrieval.py [--data DIR] [--labels FILE] [--k 10] [--grid] [--verbose]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from harmonize import config
from harmonize.index import SearchIndex
from harmonize.index import hybrid
from harmonize.ids import SECTION_KINDS
from harmonize.obligations import instrument_id
from harmonize.store import Store

DEFAULT_LABELS = config.PROJECT_ROOT.parent / "shared" / "eval" / "alignment.jsonl"


def obligation_text(store: Store, obligation: str) -> str:
    prefix, number = obligation.split(":", 1)
    instrument = instrument_id(prefix)
    found = store.find_by_number(instrument, number)
    if not found:
        raise KeyError(f"{obligation}: no provision {number!r} in {instrument}")
    prov = found[0]
    return f"{prov.heading}. {prov.text}" if prov.heading else prov.text


def top_section(store: Store, provision_id: str, cache: dict) -> str:
    """The number of the section (or article) a unit belongs to."""
    if provision_id in cache:
        return cache[provision_id]
    prov = store.provision(provision_id)
    number = prov.number if prov else ""
    while prov is not None and prov.kind not in SECTION_KINDS and prov.parent:
        parent = store.provision(prov.parent)
        if parent is None or parent.kind in ("part", "chapter", "division", "schedule"):
            break
        prov, number = parent, parent.number
    cache[provision_id] = number
    return number


def score(ranked_ids, targets: set, sources: dict, sections: dict, k: int) -> tuple[float, float, float]:
    found, first = set(), 0
    for rank, pid in enumerate(ranked_ids[:k], start=1):
        pair = (sources[pid], sections[pid])
        if pair in targets:
            found.add(pair)
            first = first or rank
    return len(found) / len(targets), float(bool(found)), (1.0 / first if first else 0.0)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", help="data dir with harmonize.sqlite and index/ (default: config)")
    ap.add_argument("--labels", default=str(DEFAULT_LABELS))
    ap.add_argument("--k", type=int, default=10)
    ap.add_argument("--grid", action="store_true", help="also try a grid of fusion settings")
    ap.add_argument("--verbose", action="store_true", help="print per-label ranks")
    args = ap.parse_args(argv)

    data = config.data_dir(args.data)
    labels = [json.loads(line) for line in Path(args.labels).read_text(encoding="utf-8").splitlines() if line.strip()]
    labels = [lab for lab in labels if lab.get("primary")]
    store = Store(config.store_path(data))
    index = SearchIndex.open(data)
    sources = {inst["id"]: inst["source"] for inst in index.instruments}
    n_cand = hybrid.CANDIDATES
    section_cache: dict = {}

    # one dense and one lexical candidate list per label; every fusion setting re-ranks them
    runs = []
    for lab in labels:
        query = obligation_text(store, lab["obligation"])
        allowed = index.allowed_rows(country=lab["country"])
        dense_list = index.search_dense(query, n_cand, allowed)
        lexical_list = index.lexical.search(query, n_cand, {"country": lab["country"]})
        targets = {(p["source"], s) for p in lab["primary"] for s in p["sections"]}
        runs.append((lab, dense_list, lexical_list, targets))
    src_of, sec_of = {}, {}
    for _, dl, ll, _ in runs:
        for pid, _ in dl + ll:
            row = index.row_of[pid]
            src_of[pid] = sources[index.instruments[index.row_inst[row]]["id"]]
            sec_of[pid] = top_section(store, pid, section_cache)

    def evaluate(ranker):
        totals = [0.0, 0.0, 0.0]
        per_label = []
        for lab, dl, ll, targets in runs:
            ranked = [pid for pid, _ in ranker(dl, ll)]
            r = score(ranked, targets, src_of, sec_of, args.k)
            per_label.append((lab, r, ranked[: args.k]))
            totals = [a + b for a, b in zip(totals, r)]
        return [t / len(runs) for t in totals], per_label

    settings = [
        ("dense", lambda dl, ll: dl),
        ("lexical", lambda dl, ll: ll),
        (f"hybrid rrf k={hybrid.RRF_K}", lambda dl, ll: hybrid.fuse(dl, ll, "rrf")),
        (f"hybrid weighted w={hybrid.W_DENSE}", lambda dl, ll: hybrid.fuse(dl, ll, "weighted")),
    ]
    if args.grid:
        for rk in (1, 5, 10, 20, 30, 60, 100):
            settings.append((f"  rrf k={rk}", lambda dl, ll, rk=rk: hybrid.fuse(dl, ll, "rrf", rrf_k=rk)))
        for w in (0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8):
            settings.append((f"  weighted w={w}", lambda dl, ll, w=w: hybrid.fuse(dl, ll, "weighted", w_dense=w)))
        for cand in (20, 50):
            settings.append(
                (f"  rrf k={hybrid.RRF_K} cand={cand}", lambda dl, ll, c=cand: hybrid.fuse(dl[:c], ll[:c], "rrf"))
            )

    print(f"labels with primary sections: {len(runs)}  (k={args.k}, candidates={n_cand}, "
          f"units={len(index)}, model={index.model_name})")
    print(f"{'mode':<32} {'recall@' + str(args.k):>10} {'hit@' + str(args.k):>8} {'mrr':>7}")
    for name, ranker in settings:
        (rec, hit, mrr), per_label = evaluate(ranker)
        print(f"{name:<32} {rec:>10.3f} {hit:>8.3f} {mrr:>7.3f}")
        if args.verbose and not name.startswith(" "):
            for lab, (r, h, m), top in per_label:
                print(f"    {lab['country']} {lab['obligation']:<22} recall {r:.2f} rr {m:.2f}  top3 {top[:3]}")
    index.close()
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
