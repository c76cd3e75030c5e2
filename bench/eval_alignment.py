"""Score alignment against ../shared/eval/alignment.jsonl, beside a plain BM25 baseline.

Usage: python bench/eval_alignment.py [--data DIR] [--no-index] [-v]
Prints, per country and overall: recall@5 (the share of in-corpus obligations with at least
one primary section among the first five provisions), the stricter average share of primary
sections found in the first five, precision@1 (primary or acceptable), and for the
obligations the corpus does not implement how often the engine says so (`missing`, `no
statute` or `not analysed`; and with `partial`). With --families each labelled obligation is
aligned with its sub-obligations and reconciled with them, as `harmonize index` does. The baseline ranks the
country's sections by BM25 alone (lexical search with the convention text as the query).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from harmonize import config
from harmonize.align.coverage import NO_DATA, CountryContext, align_obligation, reconcile
from harmonize.obligations import article_text, by_id, load_catalogue
from harmonize.service import Harmonize


def baseline_ranking(index, store, query: str, country: str, k: int = 5) -> list[tuple[str, str]]:
    """(source, section number) of the top BM25 hits for the convention text."""
    out = []
    for pid, _ in index.lexical.search(query, 50, {"country": country}):
        prov = store.provision(pid)
        if prov is None:
            continue
        out.append((store.instrument(prov.instrument).source, prov.number))
        if len(out) == k:
            break
    return out


def _under(ob, wanted: set[str], catalogue: dict) -> bool:
    """Whether `ob` is a sub-obligation (at any depth) of one of `wanted`."""
    parent = ob.parent
    while parent:
        if parent in wanted:
            return True
        parent = catalogue[parent].parent if parent in catalogue else None
    return False


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data")
    ap.add_argument("--eval", default=str(config.PROJECT_ROOT.parent / "shared" / "eval" / "alignment.jsonl"))
    ap.add_argument("--no-index", action="store_true", help="category candidates only, no hybrid search")
    ap.add_argument("-v", "--verbose", action="store_true")
    ap.add_argument("--baseline", action="store_true", help="also score a BM25-only baseline (slow: long queries)")
    ap.add_argument("--families", action="store_true",
                    help="align each labelled obligation with its sub-obligations and reconcile them, as `harmonize "
                         "index` does (moves only parents' statuses, not recall or precision; about 3x slower)")
    args = ap.parse_args()
    app = Harmonize.open(args.data)
    catalogue = by_id(load_catalogue())
    labels = [json.loads(line) for line in Path(args.eval).read_text().splitlines() if line.strip()]
    retrieve = None if args.no_index else app.retriever()
    recall: dict[str, list[float]] = {}
    share: dict[str, list[float]] = {}
    p_at_1: dict[str, list[int]] = {}
    abstain = []
    not_covered = []
    false_abstain = []
    base_recall: list[float] = []
    base_p1: list[int] = []
    index = None if args.no_index or not args.baseline else app.search_index()
    started = time.perf_counter()
    with app.store() as store:
        aligned: dict[tuple[str, str], object] = {}
        for country in sorted({label["country"] for label in labels}):
            ctx = CountryContext(store, country)
            wanted = {label["obligation"] for label in labels if label["country"] == country}
            family = [ob for ob in catalogue.values() if ob.id in wanted or (args.families and _under(ob, wanted, catalogue))]
            for a in reconcile([align_obligation(ctx, ob, retrieve) for ob in family]):
                aligned[(country, a.obligation.id)] = a
        for label in labels:
            result = aligned[(label["country"], label["obligation"])]
            got = [(c.source, c.provision.number) for c in result.provisions]
            primary = {(p["source"], s) for p in label["primary"] for s in p["sections"]}
            acceptable = primary | {(p["source"], s) for p in label["acceptable"] for s in p["sections"]}
            if label["in_corpus"]:
                share.setdefault(label["country"], []).append(len(primary & set(got[:5])) / len(primary))
                recall.setdefault(label["country"], []).append(float(bool(primary & set(got[:5]))))
                p_at_1.setdefault(label["country"], []).append(int(bool(got) and got[0] in acceptable))
                false_abstain.append(result.status == "missing" or result.status in NO_DATA)
            else:
                abstain.append(result.status == "missing" or result.status in NO_DATA)
                not_covered.append(result.status in ("missing", "partial", *NO_DATA))
            if index is not None and label["in_corpus"]:
                article = article_text(store, catalogue[label["obligation"]])
                base = baseline_ranking(index, store, article.text, label["country"])
                base_recall.append(len(primary & set(base)) / len(primary))
                base_p1.append(int(bool(base) and base[0] in acceptable))
            if args.verbose:
                print(f"{label['country']} {label['obligation']:<20} {result.status:<12} {result.score:.2f} "
                      f"top: {[n for _, n in got[:5]]} primary: {sorted(s for _, s in primary)} | {result.reason}")
    seconds = time.perf_counter() - started
    all_r = [x for v in recall.values() for x in v]
    all_s = [x for v in share.values() for x in v]
    all_p = [x for v in p_at_1.values() for x in v]
    print(f"alignment on {len(labels)} labelled pairs ({'category only' if retrieve is None else 'hybrid + category'})")
    for country in sorted(recall):
        print(f"  {country}: recall@5 {sum(recall[country]) / len(recall[country]):.2f}, "
              f"primary share@5 {sum(share[country]) / len(share[country]):.2f}, "
              f"precision@1 {sum(p_at_1[country]) / len(p_at_1[country]):.2f} (n={len(recall[country])})")
    print(f"  overall: recall@5 {sum(all_r) / len(all_r):.2f}, primary share@5 {sum(all_s) / len(all_s):.2f}, "
          f"precision@1 {sum(all_p) / len(all_p):.2f}")
    if abstain:
        print(f"  not in corpus: reported missing / no statute / not analysed {sum(abstain)}/{len(abstain)} "
              f"= {sum(abstain) / len(abstain):.2f}, with partial {sum(not_covered)}/{len(not_covered)}")
    print(f"  in corpus: wrongly called missing (or no data) on {sum(false_abstain)}/{len(false_abstain)}")
    if base_recall:
        print(f"  BM25 baseline (convention text, lexical only): recall@5 {sum(base_recall) / len(base_recall):.2f}, "
              f"precision@1 {sum(base_p1) / len(base_p1):.2f}")
    print(f"  {seconds:.1f}s, {seconds / len(labels) * 1000:.0f} ms per obligation")
    return 0


if __name__ == "__main__":
    sys.exit(main())
