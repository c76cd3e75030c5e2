"""Score penalty extraction against ../shared/eval/penalties.jsonl (exact match per field).

Usage: python bench/eval_penalties.py [--data DIR] [--eval FILE] [-v]
Prints per-field accuracy, the share of sections where max/min/life/death all match, and per
country the exact-match share of each field (max, min, life, death, fine).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from harmonize import config
from harmonize.model import ProvisionFacts
from harmonize.ids import SECTION_KINDS
from harmonize.service import Harmonize

FIELDS = ("max", "min", "life", "death", "fine")


def months_label(value) -> str | None:
    return None if value is None else f"{round(value)}m"


def predicted(facts: ProvisionFacts | None) -> dict:
    pen = facts.penalties if facts else None
    if pen is None or not pen.tiers:
        return {"max": None, "min": None, "life": False, "death": False, "fine": False}
    top = "death" if pen.death else "life" if pen.life else months_label(pen.max_months)
    low = pen.min_months
    most = pen.most_severe
    minimum = months_label(low) if low is not None else ("life" if most and most.mandatory_life else None)
    return {"max": top, "min": minimum, "life": pen.life, "death": pen.death, "fine": pen.fine}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data")
    ap.add_argument("--eval", default=str(config.PROJECT_ROOT.parent / "shared" / "eval" / "penalties.jsonl"))
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    app = Harmonize.open(args.data)
    labels = [json.loads(line) for line in Path(args.eval).read_text().splitlines() if line.strip()]
    hits = {f: 0 for f in FIELDS}
    totals = {f: 0 for f in FIELDS}
    all_match = 0
    per_country: dict[str, list[int]] = {}
    field_country: dict[str, dict[str, list[int]]] = {}
    with app.store() as store:
        by_source = {i.source: i for i in store.instruments()}
        for label in labels:
            inst = by_source[label["source"]]
            sections = [p for p in store.find_by_number(inst.id, label["section"]) if p.kind in SECTION_KINDS]
            pred = predicted(store.facts(sections[0].id) if sections else None)
            ok_all = True
            for f in FIELDS:
                gold = label[f]
                if gold is None and f in ("life", "death", "fine"):
                    continue  # penalty text missing from the corpus
                if gold is None and f == "max" and "not in the corpus" in label["note"]:
                    continue
                totals[f] += 1
                good = pred[f] == gold
                hits[f] += good
                field_country.setdefault(label["country"], {}).setdefault(f, []).append(int(good))
                if f != "fine":
                    ok_all &= good
            all_match += ok_all
            per_country.setdefault(label["country"], []).append(int(ok_all))
            if args.verbose and not ok_all or args.verbose > 1:
                print(f"{label['country']} {Path(label['source']).name} s.{label['section']}: gold "
                      f"{ {f: label[f] for f in FIELDS} } pred {pred}" + ("" if sections else " (section not found)"))
    print(f"penalty extraction on {len(labels)} labelled sections")
    for f in FIELDS:
        print(f"  {f:<6} {hits[f]}/{totals[f]} = {hits[f] / max(1, totals[f]):.0%}")
    print(f"  all of max/min/life/death: {all_match}/{len(labels)} = {all_match / len(labels):.0%}")
    print(f"  {'':4} " + " ".join(f"{f:>11}" for f in FIELDS) + "   all of max/min/life/death")
    for country, oks in sorted(per_country.items()):
        cells = []
        for f in FIELDS:
            got = field_country[country].get(f, [])
            cells.append(f"{sum(got):>3}/{len(got):<3}{sum(got) / max(1, len(got)):>4.0%}" if got else f"{'-':>11}")
        print(f"  {country:<4} " + " ".join(cells) + f"   {sum(oks)}/{len(oks)} = {sum(oks) / len(oks):.0%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
