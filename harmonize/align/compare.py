"""Penalty comparison across countries for one offence category, on offence records.

For each country: the offences of the category (records decided from conduct, object and
the law's subject at ingest), each with its range from ONE tier (the minimum and maximum of
the same tier, with the condition that selects it: "commercial quantity", "child victim");
then per country the basic form (the least severe tier among them) and the most severe
aggravated form, both with the provision they come from. A tier an offence takes from the
Act's general penalty ("Every person who commits an offence against this Act for which no
penalty is provided elsewhere than in this section") is a regulatory offence's (a medical
practitioner's duty in treating a dependent person), not the basic form of the category's
offence: it is the basic form only when no offence of the category has a penalty of its own. A country whose corpus holds no
statute on the subject says so ("no statute on this subject in the corpus"); one whose
statutes on it are in a language the analysis does not read says "not analysed (text in
Bengali)"; neither gets a figure, so neither is "most lenient". The spread ranks the
countries with figures by their most severe tier; "below threshold" is UNTOC's serious
crime (a maximum of at least four years), tested on that same tier.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from harmonize.align.offences import (
    ANALYSED,
    NO_STATUTE,
    NOT_ANALYSED,
    CountryOffences,
    Offence,
    SubjectHolding,
    category_holding,
    offences_of,
    tier_dict,
    tier_label,
)
from harmonize.analyze.offences import CATEGORY_SUBJECT
from harmonize.analyze.penalty_links import GENERAL as GENERAL_PENALTY
from harmonize.model import PenaltyTier
from harmonize.store import Store

SERIOUS_CRIME_MONTHS = 48
FIGURES, NO_OFFENCE = "figures", "no offence found"
MAX_OFFENCES = 12


def general_penalty(tier: PenaltyTier) -> bool:
    """The tier is the Act's general penalty ("an offence against this Act for which no penalty is provided")."""
    return bool(GENERAL_PENALTY.search(tier.condition or ""))


@dataclass
class CountryPenalties:
    country: str
    state: str  # FIGURES / NO_OFFENCE / NO_STATUTE / NOT_ANALYSED
    note: str
    offences: list[Offence] = field(default_factory=list)  # most severe first
    holding: SubjectHolding | None = None

    @property
    def penalised(self) -> list[Offence]:
        return [o for o in self.offences if o.tiers]

    @property
    def most_severe(self) -> tuple[Offence, PenaltyTier] | None:
        found = [(o, o.top) for o in self.penalised]
        return max(found, key=lambda f: f[1].severity()) if found else None

    @property
    def basic(self) -> tuple[Offence, PenaltyTier] | None:
        """The basic form: the least severe tier among the offences' own basic tiers that carry a term,
        those set by the Act's general penalty last."""
        # a stated maximum: "not less than one year" with no maximum is no basic form (its top is open)
        found = [(o, o.basic) for o in self.penalised if o.basic.max_months or o.basic.life or o.basic.death]
        found = [f for f in found if not general_penalty(f[1])] or found or [(o, o.basic) for o in self.penalised]
        return min(found, key=lambda f: f[1].severity()) if found else None

    def to_dict(self) -> dict:
        top, basic = self.most_severe, self.basic
        tier = top[1] if top else None
        return {
            "country": self.country,
            "state": self.state,
            "note": self.note,
            "analysed": self.state not in (NOT_ANALYSED,),
            "severity": tier_label(tier) if tier else self.note,
            "max_months": tier.max_months if tier else None,
            "min_months": tier.min_months if tier and tier.mandatory_min else None,
            "life": bool(tier and tier.life),
            "death": bool(tier and tier.death),
            "fine": bool(tier and tier.fine is not None),
            "most_severe": _form(top),
            "basic": _form(basic),
            "offences": [o.to_dict() for o in self.offences[:MAX_OFFENCES]],
            "provisions": [_provision_row(o) for o in self.offences[:MAX_OFFENCES]],
            "holding": self.holding.to_dict() if self.holding else None,
        }


def _form(found: tuple[Offence, PenaltyTier] | None) -> dict | None:
    if not found:
        return None
    offence, tier = found
    return {"provision": offence.id, "number": offence.number, "heading": offence.heading,
            "title": offence.title, "tier": tier_dict(tier)}


def _provision_row(o: Offence) -> dict:
    """The flat row older surfaces list (one tier: the offence's most severe)."""
    top = o.top
    return {
        "id": o.id, "source": o.source, "number": o.number, "heading": o.heading, "title": o.title,
        "max_months": top.max_months if top else None,
        "min_months": top.min_months if top and top.mandatory_min else None,
        "life": bool(top and top.life), "death": bool(top and top.death), "fine": bool(top and top.fine),
        "condition": top.condition if top else "", "severity": tier_label(top) if top else "no penalty read",
        "via": o.penalties.reference if o.penalties else None, "penalty_note": o.record.penalty_note or None,
    }


def country_penalties(store: Store, country: str, category: str,
                      offences: dict[str, CountryOffences] | None = None) -> CountryPenalties:
    """One country's row of the comparison; ``offences``: country -> its records, read once per
    country and kept there when given (every category of a comparison run reads the same)."""
    country = country.upper()
    offences = offences_of(store, country, offences)
    holding = category_holding(store, country, category, offences)
    found = sorted(offences.of_category(category),
                   key=lambda o: o.top.severity() if o.top else (False, False, -1, 0), reverse=True)
    if found:
        state = FIGURES if any(o.tiers for o in found) else NO_OFFENCE
        note = "" if state == FIGURES else "offences found, but no penalty could be read from their text"
        return CountryPenalties(country, state, note, found, holding)
    if holding.state == NO_STATUTE:
        return CountryPenalties(country, NO_STATUTE, "no statute on this subject in the corpus", [], holding)
    if holding.state == NOT_ANALYSED:
        return CountryPenalties(country, NOT_ANALYSED, holding.describe(country), [], holding)
    unread = f"; {holding.describe(country)} also" if holding.unread and holding.languages else ""
    note = f"statutes on {CATEGORY_SUBJECT[category]} are in the corpus but no offence of this category was found{unread}"
    return CountryPenalties(country, NO_OFFENCE, note, [], holding)


def compare_penalties(
    store: Store, category: str, countries: list[str] | None = None, threshold_months: int = SERIOUS_CRIME_MONTHS,
    offences: dict[str, CountryOffences] | None = None,
) -> dict:
    if not countries:
        countries = store.national_countries()
    rows = [country_penalties(store, c, category, offences) for c in countries]
    with_figures = [r for r in rows if r.most_severe is not None]
    ranked = sorted(with_figures, key=lambda r: r.most_severe[1].severity(), reverse=True)

    def ties(row: CountryPenalties) -> list[str]:
        return [r.country for r in tied_with(ranked, row)]

    below = [
        r.country for r in with_figures
        if not (r.most_severe[1].life or r.most_severe[1].death) and (r.most_severe[1].longest_months or 0) < threshold_months
    ]
    return {
        "category": category,
        "subject": CATEGORY_SUBJECT[category],
        "threshold_months": threshold_months,
        "countries": [r.to_dict() for r in rows],
        "spread": {
            "harshest": ties(ranked[0]) if ranked else [],
            "most_lenient": ties(ranked[-1]) if len(ranked) > 1 else [],
            "below_threshold": below,
            "no_statute": [r.country for r in rows if r.state == NO_STATUTE],
            "not_analysed": [r.country for r in rows if r.state == NOT_ANALYSED],
            "no_provision_found": [r.country for r in rows if r.state == NO_OFFENCE],
        },
        "summary": summary_line(category, rows, ranked, below, threshold_months),
    }


def summary_line(category, rows, ranked, below, threshold_months) -> str:
    """One sentence a committee could quote; no-data states are named, never ranked. Countries tied
    at the top (or the bottom) are all named, each with the provision its figure comes from:
    "most severe: death — IND (NDPS s.31A), SGP (...), USA (...)"."""
    parts = []
    if ranked:
        parts.append(f"{category}: most severe {_ranked_end(ranked, ranked[0], conditions=True)}")
    if len(ranked) > 1:
        parts.append(f"lowest maximum {_ranked_end(ranked, ranked[-1], conditions=False)}")
    if below:
        parts.append(f"below the {threshold_months // 12}-year threshold: {', '.join(below)}")
    none = [r.country for r in rows if r.state == NO_STATUTE]
    if none:
        parts.append(f"no statute on this subject in the corpus: {', '.join(none)}")
    unread = [f"{r.country} ({r.note})" for r in rows if r.state == NOT_ANALYSED]
    if unread:
        parts.append(f"not analysed: {', '.join(unread)}")
    return "; ".join(parts) + "." if parts else f"{category}: no country has an offence of this category."


def tied_with(ranked: list[CountryPenalties], row: CountryPenalties) -> list[CountryPenalties]:
    """The countries whose most severe tier is at the same level as `row`'s (death, life, or the
    same maximum): the ranking's ties, named together, never one picked."""
    level = row.most_severe[1].severity()[:2]
    return [r for r in ranked if r.most_severe[1].severity()[:2] == level]


def _ranked_end(ranked: list[CountryPenalties], end: CountryPenalties, conditions: bool) -> str:
    """One end of the ranking as a clause: a single country with its tier and provision, or every
    country tied with it at the same level ("death: IND (…), SGP (…)")."""
    tied = tied_with(ranked, end)

    def cite(row: CountryPenalties) -> str:
        offence, tier = row.most_severe
        return offence.cite() + (f", {tier.condition}" if conditions and tier.condition else "")

    if len(tied) == 1:
        return f"{end.country} ({tier_label(end.most_severe[1])}, {cite(end)})"
    return f"({tier_label(end.most_severe[1])}): " + ", ".join(f"{r.country} ({cite(r)})" for r in tied)


def plot_penalties(comparison: dict, path: Path) -> Path:
    """A horizontal range chart per country: the most severe tier (its own minimum to maximum),
    a tick at the basic form's maximum; life and death marked; no-data countries listed, not drawn."""
    import matplotlib

    matplotlib.use("Agg")  # files only, no display
    import matplotlib.pyplot as plt

    rows = [r for r in comparison["countries"] if r["state"] == FIGURES]
    others = [f"{r['country']}: {r['note']}" for r in comparison["countries"] if r["state"] != FIGURES]
    cap = max([r["max_months"] or 0 for r in rows] + [SERIOUS_CRIME_MONTHS * 2]) / 12 + 5
    fig, ax = plt.subplots(figsize=(8, 0.5 * len(rows) + 1.5 + 0.2 * len(others)))
    for y, row in enumerate(rows):
        top = cap if (row["life"] or row["death"]) else (row["max_months"] or 0) / 12
        low = (row["min_months"] or 0) / 12
        color = "#8b0000" if row["death"] else "#c0504d" if row["life"] else "#4f81bd"
        ax.barh(y, top - low, left=low, color=color, height=0.5)
        basic = (row["basic"] or {}).get("tier") or {}
        if basic.get("max_months") and not (basic.get("life") or basic.get("death")):
            ax.plot([basic["max_months"] / 12] * 2, [y - 0.3, y + 0.3], color="black", linewidth=1)
        ax.text(top + 0.3, y, row["severity"], va="center", fontsize=8)
    ax.axvline(comparison["threshold_months"] / 12, color="grey", linestyle="--", linewidth=1)
    ax.set_yticks(range(len(rows)), [r["country"] for r in rows])
    ax.set_xlabel("imprisonment (years), most severe tier; tick: basic form's maximum; right edge: life or death")
    ax.set_title(f"Penalties for {comparison['category']}")
    if others:
        fig.text(0.01, 0.01, "\n".join(others), fontsize=7, va="bottom")
    fig.tight_layout(rect=(0, 0.03 * min(len(others), 10), 1, 1))
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def chart_png(comparison: dict) -> bytes:
    """`plot_penalties` as PNG bytes (what the web page and `index` keep)."""
    with tempfile.TemporaryDirectory(prefix="harmonize-chart-") as tmp:
        return plot_penalties(comparison, Path(tmp) / "chart.png").read_bytes()


__all__ = ["compare_penalties", "country_penalties", "plot_penalties", "chart_png", "ANALYSED", "SERIOUS_CRIME_MONTHS"]
