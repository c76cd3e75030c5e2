"""Whole-corpus self-check of the saved alignments: decisions no reviewer could sign.

Usage: python bench/alignment_selfcheck.py [--data DIR] [--list N]

Reads what `harmonize index` saved for every country (no labels needed) and counts:
- `missing with a score`: a missing duty whose own score is not 0, or whose first listed
  provision (the one a page shows beside "missing") scores at or above the covered cut-off;
- `partial without a reason`: a partial duty whose sentence is empty, does not start with
  "partial:", or names neither an element, a narrowing, a threshold, a subject nor a child
  paragraph (the catch-all "carries the duty's words only in part");
- `status and score disagree`: covered or partial below the partial cut-off;
- `reason and status disagree`: a sentence that does not start with the status;
- `parent and child disagree`: a parent missing while a paragraph on its offences is
  covered or partial, or covered while a mandatory paragraph is missing;
- `no evidence`: a covered or partial duty without the sentence that satisfies it.
Prints the counts per country and in all, and lists the first N of each kind for reading.
`violations(results)` is what tests/test_align_selfcheck.py asserts on the shared test data.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter

from harmonize.align.coverage import COVERED, NO_DATA, PARTIAL
from harmonize.obligations import by_id, load_catalogue
from harmonize.service import Harmonize

KINDS = ("missing with a score", "partial without a reason", "status and score disagree",
         "reason and status disagree", "parent and child disagree", "no evidence")
# The catch-all sentence: a partial that names nothing a reviewer could check.
CATCH_ALL = "carries the duty's words only in part"


def violations(results: dict, catalogue: dict | None = None) -> list[tuple[str, str, str]]:
    """(kind, obligation id, detail) for one country's saved alignment (obligation ->
    AlignmentResult, or its JSON)."""
    catalogue = catalogue or by_id(load_catalogue())
    # The store hands typed results (AlignmentResult); the JSON shape is what pages show.
    results = {k: (r.to_dict() if hasattr(r, "to_dict") else r) for k, r in results.items()}
    out = []
    for ob_id, r in results.items():
        status, score, reason = r["status"], r["score"], r.get("reason", "")
        provisions = r.get("provisions", [])
        top = provisions[0]["score"] if provisions else 0.0
        if status == "missing" and (score > 0 or top >= COVERED):
            out.append((KINDS[0], ob_id, f"score {score}, first provision s.{provisions[0]['number']} at {top}"))
        if status == "partial" and (not reason.startswith("partial:") or CATCH_ALL in reason):
            out.append((KINDS[1], ob_id, reason or "(no sentence)"))
        if status in ("covered", "partial") and score < PARTIAL:
            out.append((KINDS[2], ob_id, f"{status} at {score}"))
        if status not in NO_DATA and not reason.startswith(status):
            out.append((KINDS[3], ob_id, f"{status}: {reason}"))
        if status in ("covered", "partial") and not r.get("evidence"):
            out.append((KINDS[5], ob_id, f"{status} without evidence"))
    for ob_id, r in results.items():
        ob = catalogue.get(ob_id)
        if ob is None or r["status"] in NO_DATA:
            continue
        kids = [(catalogue[k], results[k]) for k in results if k in catalogue and catalogue[k].parent == ob_id]
        same = [k for k, kr in kids if kr["status"] in ("covered", "partial")
                and (not ob.category or set(k.category) & set(ob.category))]
        gaps = [k for k, kr in kids if kr["status"] == "missing" and k.level == "mandatory"]
        if r["status"] == "missing" and same:
            out.append((KINDS[4], ob_id, f"missing while {same[0].id} is {results[same[0].id]['status']}"))
        if r["status"] == "covered" and gaps:
            out.append((KINDS[4], ob_id, f"covered while the mandatory {gaps[0].id} is missing"))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data")
    ap.add_argument("--list", type=int, default=5, help="list the first N of each kind")
    args = ap.parse_args()
    app = Harmonize.open(args.data)
    catalogue = by_id(load_catalogue())
    found: dict[str, list[tuple[str, str, str]]] = {}
    decisions = 0
    with app.store() as store:
        for country in store.national_countries():
            saved = store.alignments(country)
            decisions += len(saved)
            found[country] = violations(saved, catalogue)
    total = Counter(kind for rows in found.values() for kind, _, _ in rows)
    print(f"alignment self-check: {decisions} saved decisions, {len(found)} countries")
    for country, rows in found.items():
        counts = Counter(kind for kind, _, _ in rows)
        print(f"  {country}: " + ", ".join(f"{k} {counts.get(k, 0)}" for k in KINDS))
    print("  all: " + ", ".join(f"{k} {total.get(k, 0)}" for k in KINDS))
    for kind in KINDS:
        rows = [(c, o, d) for c, rs in found.items() for k, o, d in rs if k == kind][: args.list]
        if rows:
            print(f"{kind}:")
            for country, ob_id, detail in rows:
                print(f"  {country} {ob_id}: {detail}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
