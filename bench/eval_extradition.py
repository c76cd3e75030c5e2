"""Exact match of the extracted extradition rules against /work/shared/eval/extradition.jsonl.

Usage: python bench/eval_extradition.py [--data DIR] [--labels FILE]
Null labels are skipped (they mean the text is not in the corpus), as the eval README says.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from harmonize import config
from harmonize.align.extradition import extradition_rules
from harmonize.store import Store

FIELDS = ("threshold_months", "list_based", "nationals_bar", "death_penalty_bar")
DEFAULT_LABELS = Path("/work/shared/eval/extradition.jsonl")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", help="data directory with the store (default: indexes/)")
    parser.add_argument("--labels", type=Path, default=DEFAULT_LABELS)
    args = parser.parse_args()
    labels = [json.loads(line) for line in args.labels.read_text().splitlines() if line.strip()]
    hits = {f: 0 for f in FIELDS}
    totals = {f: 0 for f in FIELDS}
    with Store(config.store_path(config.data_dir(args.data))) as store:
        for label in labels:
            rule = extradition_rules(store, label["country"])
            row = []
            for f in FIELDS:
                got, want = getattr(rule, f), label[f]
                if want is None:
                    row.append(f"{f}={got!r} (label null, skipped)")
                    continue
                totals[f] += 1
                hits[f] += got == want
                row.append(f"{f}={got!r}{'' if got == want else f' WANT {want!r}'}")
            print(f"{label['country']}: " + "; ".join(row))
    print()
    for f in FIELDS:
        share = hits[f] / totals[f] if totals[f] else float("nan")
        print(f"{f:<18} {hits[f]}/{totals[f]}  {share:.2f}")
    all_hits, all_total = sum(hits.values()), sum(totals.values())
    print(f"{'all fields':<18} {all_hits}/{all_total}  {all_hits / all_total:.2f}")


if __name__ == "__main__":
    main()
