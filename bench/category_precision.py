"""A seeded sample of offences per category, across countries, for reading (category precision).

Usage: python bench/category_precision.py [--data DIR] [--per 20] [--seed 11] [--category C]
For each offence category: how many offence records carry it, per country, then a sample of
`--per` records drawn across countries (round-robin over countries, seeded) with the section
heading, the conduct and objects the record holds, the subject and where it came from, and
the opening words of the text. Read the sample and judge each line: is it an offence of
this category? The count you accept over the sample size is the category's precision.
"""

from __future__ import annotations

import argparse
import random
import re
from collections import defaultdict

from harmonize import config, ids
from harmonize.align.offences import country_offences
from harmonize.analyze.categories import OFFENCE_CATEGORIES
from harmonize.store import Store


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", help="data directory with the store (default: indexes/)")
    parser.add_argument("--per", type=int, default=20)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--category", action="append", help="only this category (repeatable)")
    args = parser.parse_args()
    with Store(config.store_path(config.data_dir(args.data))) as store:
        countries = ids.national(i.country for i in store.instruments())
        by_category: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
        for country in countries:
            for offence in country_offences(store, country).offences:
                for category in offence.record.categories:
                    by_category[category][country].append(offence)
        for category in args.category or OFFENCE_CATEGORIES:
            per_country = by_category.get(category, {})
            total = sum(len(v) for v in per_country.values())
            counts = ", ".join(f"{c} {len(v)}" for c, v in sorted(per_country.items()))
            print(f"\n=== {category}: {total} offences ({counts or 'none'})")
            for offence in sample(per_country, args.per, random.Random(f"{args.seed}:{category}")):
                r = offence.record
                text = re.sub(r"\s+", " ", store.provision(offence.id).text)[:160]
                print(f"- {offence.id} [{offence.heading[:70]}] conduct={','.join(r.conduct[:6])} "
                      f"objects={','.join(r.objects[:5])} subject={r.subject} ({r.subject_from[:40]})\n    {text}")


def sample(per_country: dict[str, list], size: int, rng: random.Random) -> list:
    """Round-robin over countries (shuffled), a random offence from each in turn."""
    pools = {c: rng.sample(v, len(v)) for c, v in per_country.items()}
    order = sorted(pools)
    rng.shuffle(order)
    picked = []
    while len(picked) < size and any(pools.values()):
        for country in order:
            if pools[country] and len(picked) < size:
                picked.append(pools[country].pop())
    return picked


if __name__ == "__main__":
    main()
