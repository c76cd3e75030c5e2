"""Reproduce the choice of the alignment weights and cut-offs (harmonize/obligations/alignment.toml).

Usage: python bench/calibrate_alignment.py [--data DIR] [--eval FILE]

1. Each labelled obligation of ../shared/eval/alignment.jsonl is aligned once (hybrid search
   + analysed categories), keeping every candidate's signals (the slow part).
2. For each setting of a grid of weights and cut-offs the candidates are re-scored
   (coverage.combine) and re-decided (coverage.decide), without reading text again.
3. The objective of a setting is the mean of recall@5 (at least one primary section in the
   first five), precision@1 (primary or acceptable) and the share of obligations absent
   from the corpus that are reported missing / no statute / not analysed.
Prints the objective of the setting in alignment.toml and of the best grid setting on all
development countries, then leave-one-country-out: per country, the setting best on the
others scored on it, beside the file's setting on it. Parents are not reconciled with their
children here (bench/eval_alignment.py does that); it moves no figure of a leaf obligation.
"""

from __future__ import annotations

import argparse
import copy
import itertools
import json
import sys
from pathlib import Path

from harmonize import config
from harmonize.align.coverage import (NO_DATA, RULES, CountryContext, combine, corpus_state, decide, rank_candidates,
                                      scored_candidates, with_corpus_state)
from harmonize.obligations import by_id, load_catalogue
from harmonize.service import Harmonize

GRID = {
    "retrieval": (0.1, 0.2, 0.3),
    "category": (0.25, 0.35, 0.45),
    "elements": (0.1, 0.2, 0.3),
    "covered": (0.5, 0.55, 0.6),
    "not_an_offence": (0.5, 0.6, 0.7),
}
WEIGHT_KEYS = ("retrieval", "category", "elements")


def setting_rules(setting: dict):
    return RULES.with_values({k: setting[k] for k in WEIGHT_KEYS},
                             {k: v for k, v in setting.items() if k not in WEIGHT_KEYS})


def measure(cases: list[dict], rules) -> dict[str, dict[str, list[float]]]:
    """country -> {"recall": [...], "p1": [...], "absent": [...]} under `rules`."""
    out: dict[str, dict[str, list[float]]] = {}
    for case in cases:
        cands = copy.copy(case["candidates"])
        for c in cands:
            c.score = combine(c.signals, rules)
        ranked = rank_candidates(case["ctx"], cands)
        result = with_corpus_state(decide(case["obligation"], ranked, None, rules, evidence=False), *case["state"])
        got = [(c.source, c.provision.number) for c in result.provisions]
        row = out.setdefault(case["country"], {"recall": [], "p1": [], "absent": []})
        if case["in_corpus"]:
            row["recall"].append(float(bool(case["primary"] & set(got[:5]))))
            row["p1"].append(float(bool(got) and got[0] in case["acceptable"]))
        else:
            row["absent"].append(float(result.status == "missing" or result.status in NO_DATA))
    return out


def pooled(results: dict, countries) -> dict[str, float]:
    figures = {}
    for key in ("recall", "p1", "absent"):
        values = [x for c in countries for x in results.get(c, {}).get(key, [])]
        figures[key] = sum(values) / len(values) if values else None
    present = [v for v in figures.values() if v is not None]
    figures["objective"] = sum(present) / len(present) if present else 0.0
    return figures


def fmt(f: dict) -> str:
    def one(v):
        return "  – " if v is None else f"{v:.2f}"
    return f"recall@5 {one(f['recall'])}, precision@1 {one(f['p1'])}, absent {one(f['absent'])} (objective {f['objective']:.3f})"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data")
    ap.add_argument("--eval", default=str(config.PROJECT_ROOT.parent / "shared" / "eval" / "alignment.jsonl"))
    args = ap.parse_args()
    app = Harmonize.open(args.data)
    catalogue = by_id(load_catalogue())
    labels = [json.loads(line) for line in Path(args.eval).read_text().splitlines() if line.strip()]
    retrieve = app.retriever()
    cases = []
    with app.store() as store:
        contexts: dict[str, CountryContext] = {}
        for label in labels:
            ctx = contexts.setdefault(label["country"], CountryContext(store, label["country"]))
            ob = catalogue[label["obligation"]]
            primary = {(p["source"], s) for p in label["primary"] for s in p["sections"]}
            cases.append({
                "country": label["country"], "obligation": ob, "ctx": ctx, "in_corpus": label["in_corpus"],
                "candidates": scored_candidates(ctx, ob, retrieve), "state": corpus_state(ctx, ob), "primary": primary,
                "acceptable": primary | {(p["source"], s) for p in label["acceptable"] for s in p["sections"]},
            })
        countries = sorted({c["country"] for c in cases})
        current = {k: RULES.weights[k] for k in WEIGHT_KEYS} | {k: RULES.cutoffs[k] for k in ("covered", "not_an_offence")}
        settings = [dict(zip(GRID, values)) for values in itertools.product(*GRID.values())]
        results = [(s, measure(cases, setting_rules(s))) for s in settings]
        file_results = measure(cases, setting_rules(current))

    def best_on(held: list[str]) -> tuple[dict, dict]:
        # Ties go to the setting nearest the file's (the middle of a plateau of equal settings).
        def key(item):
            setting, res = item
            distance = sum(abs(setting[k] - current[k]) for k in setting)
            return (-round(pooled(res, held)["objective"], 6), distance)
        return min(results, key=key)

    print(f"calibration on {len(cases)} labelled pairs, {len(settings)} settings, countries {', '.join(countries)}")
    print(f"  alignment.toml {current}: {fmt(pooled(file_results, countries))}")
    best, best_res = best_on(countries)
    print(f"  best on all    {best}: {fmt(pooled(best_res, countries))}")
    print("leave-one-country-out (setting chosen on the other countries, scored on the held-out one):")
    loco_all = {}
    for held_out in countries:
        others = [c for c in countries if c != held_out]
        chosen, res = best_on(others)
        loco_all[held_out] = res[held_out] if held_out in res else {}
        print(f"  {held_out}: chosen {chosen}")
        print(f"       held-out {fmt(pooled(res, [held_out]))}")
        print(f"       file     {fmt(pooled(file_results, [held_out]))}")
    print(f"  pooled held-out figures: {fmt(pooled(loco_all, countries))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
