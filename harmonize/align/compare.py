"""Penalty comparison across countries for one offence category.

For each country, the penalised provisions of the category (analysed facts), those that
name the category in their heading first, with their minimum and maximum terms, life,
death and fines side by side; then the spread: who punishes most severely and least, and
who falls below a threshold (by default UNTOC's "serious crime": a maximum of at least four
years, which is what makes an offence one the Convention's cooperation duties reach).
Severity is the domain model's ordering (`model.severity`); death counts where a tier
sentences to death (`analyze.penalties.punishable_by_death`), as in the extradition analysis.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from harmonize.analyze.categories import CATEGORY_TOPIC
from harmonize.ids import instrument_of
from harmonize.analyze.penalties import punishable_by_death
from harmonize.model import PenaltyFacts
from harmonize.model import severity as model_severity
from harmonize.store import Store

SERIOUS_CRIME_MONTHS = 48


def severity(pen: PenaltyFacts | None) -> tuple:
    """The model's ordering of one provision's penalty."""
    if pen is None:
        return model_severity(False, False, None)
    return model_severity(punishable_by_death(pen), pen.life, pen.max_months)


def severity_label(pen: PenaltyFacts | None) -> str:
    if pen is None or not pen.tiers:
        return "none"
    if punishable_by_death(pen):
        return "death"
    if pen.life:
        return "life"
    if pen.max_months is None:
        return "fine" if pen.fine else "none"
    years = pen.max_months / 12
    return f"{years:g} years" if years >= 1 else f"{pen.max_months:g} months"


@dataclass
class CountryPenalties:
    country: str
    provisions: list[dict] = field(default_factory=list)  # best first
    most_severe: PenaltyFacts | None = None
    analysed: bool = True  # False when the country's texts are not in English

    def to_dict(self) -> dict:
        pen = self.most_severe
        return {
            "country": self.country,
            "analysed": self.analysed,
            "max_months": pen.max_months if pen else None,
            "min_months": max((p["min_months"] for p in self.provisions if p["min_months"] is not None), default=None),
            "life": bool(pen and pen.life),
            "death": punishable_by_death(pen),
            "fine": any(p["fine"] for p in self.provisions),
            "severity": severity_label(pen),
            "provisions": self.provisions,
        }


def country_penalties(store: Store, country: str, category: str, limit: int = 10) -> CountryPenalties:
    instruments = {i.id: i for i in store.instruments(country)}
    # The country's specialised statute for this category is in a language the analyser
    # does not read (BGD Bengali, ARE Arabic): say so rather than report "no provision".
    topic = CATEGORY_TOPIC.get(category)
    unread = [i for i in instruments.values() if i.language != "en" and (i.topic == topic or topic is None)]
    result = CountryPenalties(country, analysed=not unread and any(i.language == "en" for i in instruments.values()))
    found = []
    for facts in store.all_facts(country):
        match = next((c for c in facts.categories if c.category == category), None)
        if match is None or facts.penalties is None or not facts.penalties.tiers:
            continue
        prov_instrument = instruments.get(instrument_of(facts.provision))
        specialised = prov_instrument is not None and prov_instrument.topic == CATEGORY_TOPIC.get(category)
        found.append((match.in_heading or specialised, severity(facts.penalties), facts))
    # Offences in the specialised Act, or naming the category in their heading, are the ones
    # a drafter would cite; the same words elsewhere (a penal code's "adulterated drugs")
    # count only when there is nothing better.
    if any(strong for strong, _, _ in found):
        found = [f for f in found if f[0]]
    found.sort(key=lambda f: f[1], reverse=True)
    for _, _, facts in found[:limit]:
        prov = store.provision(facts.provision)
        pen = facts.penalties
        result.provisions.append({
            "id": prov.id, "source": instruments[prov.instrument].source, "number": prov.number,
            "heading": prov.heading, "max_months": pen.max_months, "min_months": pen.min_months,
            "life": pen.life, "death": punishable_by_death(pen), "fine": pen.fine, "severity": severity_label(pen),
            "via": pen.reference,
        })
    if found:
        result.most_severe = found[0][2].penalties
    return result


def compare_penalties(
    store: Store, category: str, countries: list[str] | None = None, threshold_months: int = SERIOUS_CRIME_MONTHS
) -> dict:
    if not countries:
        countries = store.national_countries()
    rows = [country_penalties(store, c.upper(), category) for c in countries]
    with_penalty = [r for r in rows if r.most_severe is not None]
    ranked = sorted(with_penalty, key=lambda r: severity(r.most_severe), reverse=True)
    below = [
        r.country for r in with_penalty
        if not (r.most_severe.life or punishable_by_death(r.most_severe)) and (r.most_severe.max_months or 0) < threshold_months
    ]
    return {
        "category": category,
        "threshold_months": threshold_months,
        "countries": [r.to_dict() for r in rows],
        "spread": {
            "harshest": [r.country for r in ranked if severity(r.most_severe) == severity(ranked[0].most_severe)] if ranked else [],
            "most_lenient": [r.country for r in ranked if severity(r.most_severe) == severity(ranked[-1].most_severe)] if ranked else [],
            "below_threshold": below,
            "no_provision_found": [r.country for r in rows if r.most_severe is None and r.analysed],
            "not_analysed": [r.country for r in rows if not r.analysed],
        },
    }


def plot_penalties(comparison: dict, path: Path) -> Path:
    """A horizontal range chart (minimum to maximum term) per country; life and death marked."""
    import matplotlib

    matplotlib.use("Agg")  # files only, no display
    import matplotlib.pyplot as plt

    rows = [r for r in comparison["countries"] if r["provisions"]]
    cap = max([r["max_months"] or 0 for r in rows] + [SERIOUS_CRIME_MONTHS * 2]) / 12 + 5
    fig, ax = plt.subplots(figsize=(8, 0.5 * len(rows) + 1.5))
    for y, row in enumerate(rows):
        top = cap if (row["life"] or row["death"]) else (row["max_months"] or 0) / 12
        low = (row["min_months"] or 0) / 12
        color = "#8b0000" if row["death"] else "#c0504d" if row["life"] else "#4f81bd"
        ax.barh(y, top - low, left=low, color=color, height=0.5)
        ax.text(top + 0.3, y, row["severity"], va="center", fontsize=8)
    ax.axvline(comparison["threshold_months"] / 12, color="grey", linestyle="--", linewidth=1)
    ax.set_yticks(range(len(rows)), [r["country"] for r in rows])
    ax.set_xlabel("imprisonment (years); bars reaching the right edge: life or death")
    ax.set_title(f"Penalties for {comparison['category']}")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def chart_png(comparison: dict) -> bytes:
    """`plot_penalties` as PNG bytes (what the web page and `index` keep)."""
    with tempfile.TemporaryDirectory(prefix="harmonize-chart-") as tmp:
        return plot_penalties(comparison, Path(tmp) / "chart.png").read_bytes()
