"""Extradition between two countries, per offence category, on offence records.

The rule of each country is read from its extradition Act at ingest (`analyze.extradition_rules`)
and stored; `extradition_rules(store, country)` loads it. `extradition_analysis(store,
requesting, requested)` then decides, per offence category:

1. What the requesting country asks for: its offences of the category (records), the most
   severe first; none in its corpus -> "no data" (no statute on the subject, or not analysed).
2. Dual criminality by conduct, whatever the offence is called: some offence of the requested
   country punishes the same conduct (verbs compared across word forms and equivalents:
   traffic ~ sell ~ supply ~ distribute ~ deliver ~ deal; manufacture ~ produce; production
   "includes cultivating" through the Act's definitions) on the same object (a controlled drug,
   a person, a firearm, proceeds ...). Financing or organising an offence is also punished
   where the requested country punishes the offence and makes whoever aids or abets it a party
   ("Every one is a party to an offence who ... abets"). A requested corpus with no statute on
   the subject gives "no data", never "fails".
3. The requested country's threshold, tested against the requesting offence's own most severe
   tier and the matching requested offence's (the requesting country's own threshold, when
   known, also bounds what it may ask for). A list-based Act (a Schedule of offences) and a
   treaty-based regime (USA: extradition only under a treaty, whose list is not in the corpus)
   are named as such and leave the answer open.
4. The death-penalty bar only when the requesting country's offence itself carries death,
   stated as the requested Act states it ("refused unless an undertaking is given that the death
   penalty will not be imposed or carried out", "may refuse ... (discretionary)").
Every reason names the provisions on both sides.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from harmonize.align.offences import (
    NO_STATUTE,
    NOT_ANALYSED,
    CountryOffences,
    Offence,
    category_holding,
    offences_of,
    tier_label,
)
from harmonize.analyze.extradition_rules import (  # noqa: F401  (re-exported for callers and tests)
    EXTRADITION_TOPIC,
    NO_ACT,
    ExtraditionRule,
    clauses_of,
    no_act_rule,
    read_rule,
    read_threshold,
)
from harmonize.analyze.categories import OFFENCE_CATEGORIES
from harmonize.analyze.offences import CATEGORY_SUBJECT, TERMS, VOCABULARY
from harmonize.ids import SECTION_KINDS
from harmonize.store import EXTRADITION_RULE, Store

MAX_PROVISIONS = 5
RULE_KIND = EXTRADITION_RULE

# What the category is about (obligations/categories.toml, one vocabulary with the analyser):
# the object kinds a requested offence must act on (`requested_objects`, default the category's
# objects) and, where `asks_conduct_only`, the conduct that makes it that category (the
# requesting side's conduct outside it is not asked; otherwise all the offence's conduct is).
CATEGORY_OBJECTS: dict[str, frozenset[str]] = {c: t.requested_objects for c, t in TERMS.items()}
CATEGORY_CONDUCT: dict[str, frozenset[str]] = {c: t.conduct for c, t in TERMS.items() if t.asks_conduct_only}
# Conduct equivalents, the same act under another verb ([equivalents] of categories.toml).
EQUIVALENT = VOCABULARY.equivalents
# Conduct of a party rather than a principal ([party] of categories.toml): punished wherever the
# principal offence is and the requested law makes aiders and abettors parties to it.
PARTY_CONDUCT = VOCABULARY.party_conduct
PARTY_HEADING = re.compile(r"\bpart(?:y|ies)\s+to\s+(?:an?\s+|the\s+)?offen[cs]es?\b|\babet\w*\b|\baid(?:ing)?\s+(?:and|or)\s+abet|\baccessor", re.I)
PARTY_TEXT = re.compile(r"\bis\s+a\s+party\s+to\s+(?:an?|the|that)\s+offen[cs]e\b|\bwho\s+abets\b|\babets\s+(?:any|another|the)\b", re.I)


def _equivalents(verbs) -> set[str]:
    out = set(verbs)
    for group in EQUIVALENT:
        if out & group:
            out |= group
    return out


# -- rules -----------------------------------------------------------------------------------


def extradition_instruments(store: Store, country: str):
    return [i for i in store.instruments(country) if i.topic == EXTRADITION_TOPIC and i.country == country.upper()]


def extradition_rules(store: Store, country: str) -> ExtraditionRule:
    """The stored rule of one country's extradition Act (read at ingest)."""
    country = country.upper()
    instruments = extradition_instruments(store, country)
    english = [i for i in instruments if i.language == "en"]
    if not english:
        return no_act_rule(country, NO_ACT if not instruments else f"extradition act not in English ({instruments[0].language})")
    stored = store.rules(RULE_KIND, country)
    if len(english) == 1 and english[0].id in stored:
        return stored[english[0].id]
    # Several Acts (or a store ingested before rules were stored): read them together.
    sections = [p for i in english for p in store.provisions(i.id, kinds=SECTION_KINDS)]
    return read_rule(country, [i.id for i in english], sections)


# -- one pair, one category ---------------------------------------------------------------------


class Side:
    """One country's offences, rule and party-liability provision, loaded once per analysis."""

    def __init__(self, store: Store, country: str, offences: dict[str, CountryOffences] | None = None):
        self.store = store
        self.country = country.upper()
        self.offences: CountryOffences = offences_of(store, self.country, offences)
        self.rule = extradition_rules(store, self.country)
        self._party: Offence | None | bool = False

    def holding(self, category: str):
        return category_holding(self.store, self.country, category, self.offences)

    def party_provision(self):
        """The provision that makes aiders and abettors parties to any offence (general code)."""
        if self._party is False:
            self._party = None
            for inst in self.store.instruments(self.country):
                if inst.language != "en" or inst.topic not in ("general-criminal", "drugs"):
                    continue
                for prov in self.store.provisions(inst.id, kinds=("section",)):
                    if PARTY_HEADING.search(prov.heading) and PARTY_TEXT.search(prov.text):
                        self._party = (prov, inst)
                        break
                if self._party:
                    break
        return self._party


def _rank(offences: list[Offence]) -> list[Offence]:
    return sorted(offences, key=lambda o: o.top.severity() if o.top else (-1,), reverse=True)


def _principal(offences: list[Offence]) -> list[Offence]:
    """The offences a request is for, basic forms first: an aggravated form for repeat offenders
    (NDPS s.31A) is asked only when the person was convicted before; it is reported apart."""
    return sorted(_rank(offences), key=lambda o: "repeat offence" in o.record.circumstances and not o.record.conduct[:0])


def dual_criminality(category: str, asked: Offence, requested: Side) -> tuple[list[Offence], str]:
    """Requested offences punishing the same conduct on the same object, and how they were matched."""
    objects = CATEGORY_OBJECTS.get(category, frozenset())
    conduct = set(asked.record.conduct) & set(CATEGORY_CONDUCT.get(category, asked.record.conduct))
    wanted = _equivalents(conduct)
    matches = [
        o for o in requested.offences.offences
        if set(o.record.objects) & objects and set(o.record.conduct) & wanted
        and (category not in CATEGORY_CONDUCT or category in o.record.categories or set(o.record.conduct) & conduct)
    ]
    same = [o for o in matches if category in o.record.categories]
    return _rank(same or matches), ", ".join(sorted(conduct)) or "the conduct"


def analyse_category(category: str, requesting: Side, requested: Side) -> dict:
    ours = _principal(requesting.offences.of_category(category))
    result = {"category": category, "extraditable": None, "reasons": [],
              "requesting_provisions": [o.to_dict() for o in ours[:MAX_PROVISIONS]], "requested_provisions": []}
    reasons = result["reasons"]
    rule = requested.rule
    if not rule.has_act:
        reasons.append(f"{requested.country}: {rule.reasons.get('threshold_months', NO_ACT)}")
        return result
    if not ours:
        reasons.append(_no_offence(requesting, category, "requesting"))
        return result
    holding = requested.holding(category)
    if holding.state in (NO_STATUTE, NOT_ANALYSED) and not requested.offences.of_category(category):
        reasons.append(f"no data: {requested.country} {holding.describe(requested.country)}")
        return result
    asked = ours[0]
    theirs, conduct = dual_criminality(category, asked, requested)
    party = None
    if not theirs and set(asked.record.conduct) & PARTY_CONDUCT:
        principal = _rank(requested.offences.of_category("drug trafficking" if CATEGORY_SUBJECT[category] == "drugs"
                                                        else category))
        party = requested.party_provision()
        if principal and party:
            theirs = principal
    result["requested_provisions"] = [o.to_dict() for o in theirs[:MAX_PROVISIONS]]
    if not theirs:
        result["extraditable"] = False
        reasons.append(f"dual criminality not shown: no {requested.country} offence punishes {conduct} of "
                       f"{'/'.join(sorted(CATEGORY_OBJECTS.get(category) or {'the object'}))} as {asked.cite()} does "
                       f"({holding.describe(requested.country)})")
        return result
    match = theirs[0]
    if party:
        prov, inst = party
        reasons.append(f"dual criminality: {asked.cite()} ({conduct}) is punished in {requested.country} as being a "
                       f"party to {match.cite()} ({inst.title} s.{prov.number}: {prov.heading})")
    else:
        reasons.append(f"dual criminality: {asked.cite()} ({conduct}) ~ {match.cite()} "
                       f"({', '.join(match.record.conduct[:5])})")
    status = _threshold(requesting, requested, asked, match, reasons)
    if rule.list_based:
        reasons.append(f"{requested.country} is list-based: the offence must also fall within its Schedule, which is not checked")
        status = None if status else status
    elif rule.treaty_based:
        reasons.append(f"{requested.country} extradites only under a treaty ({rule.reasons.get('list_based', '')}); "
                       "the treaty's list of offences is not in the corpus")
        status = None if status else status
    status = _death_bar(category, requested, asked, status, reasons)
    aggravated = next((o for o in ours[1:] if o.carries_death and not asked.carries_death), None)
    if aggravated is not None and requested.rule.death_penalty_bar:
        reasons.append(f"for a request under {aggravated.cite()} ({', '.join(aggravated.record.circumstances) or 'aggravated form'}), "
                       f"which carries death: {requested.country} {requested.rule.death_penalty_terms}")
    if rule.nationals_bar:
        reasons.append(f"nationals bar: {requested.country} does not surrender its own nationals")
    result["extraditable"] = status
    return result


def _no_offence(side: Side, category: str, role: str) -> str:
    holding = side.holding(category)
    if holding.state in (NO_STATUTE, NOT_ANALYSED):
        return f"no data: {side.country} {holding.describe(side.country)}"
    return f"no offence of this category found in {side.country}'s corpus ({role} country)"


def _threshold(requesting: Side, requested: Side, asked: Offence, match: Offence, reasons: list[str]) -> bool | None:
    threshold = requested.rule.threshold_months
    if threshold is None:
        reasons.append(f"{requested.country}: threshold unknown ({requested.rule.reasons.get('threshold_months', '')})")
        return None
    own = max(threshold, requesting.rule.threshold_months or 0)
    status: bool | None = True
    for country, offence, level in ((requested.country, match, threshold), (requesting.country, asked, own)):
        top = offence.top
        if top is None:
            ok = None
        elif top.life or top.death:
            ok = True
        else:
            ok = None if top.longest_months is None else top.longest_months >= level
        verdict = "meets" if ok else "below" if ok is False else "cannot be compared with"
        condition = f", {top.condition}" if top is not None and top.condition else ""
        reasons.append(f"{country}: {offence.cite()} carries {tier_label(top)}{condition}; {verdict} the threshold of "
                       f"{level} months")
        if ok is False:
            status = False
        elif ok is None and status:
            status = None
    return status


def _death_bar(category: str, requested: Side, asked: Offence, status: bool | None, reasons: list[str]) -> bool | None:
    rule = requested.rule
    death = [t for t in asked.tiers if t.death]
    if not death:
        return status
    condition = f" ({death[0].condition})" if death[0].condition else ""
    if rule.death_penalty_bar:
        reasons.append(f"death penalty bar: {asked.cite()} carries death{condition} ({asked.id}); "
                       f"{requested.country} {rule.death_penalty_terms}; the bar is {rule.death_penalty_bar_kind}")
        if status is not False:
            # An undertaking or the Minister's discretion decides: conditional, not refused outright.
            absolute = rule.death_penalty_bar_kind == "mandatory" and "unless an undertaking" not in (rule.death_penalty_terms or "")
            status = False if absolute else None
    elif rule.death_penalty_bar is None:
        reasons.append(f"{asked.cite()} carries death; whether {requested.country} may refuse on that ground is unknown "
                       f"({rule.reasons.get('death_penalty_bar', '')})")
    return status


def _rule_summary(rule: ExtraditionRule) -> dict:
    data = rule.to_dict()
    data.pop("country", None)
    return data


def _categories(categories) -> tuple[str, ...]:
    if categories is None:
        return OFFENCE_CATEGORIES
    unknown = [c for c in categories if c not in OFFENCE_CATEGORIES]
    if unknown:
        raise ValueError(f"not an offence category: {', '.join(unknown)}")
    return tuple(categories)


def _pair(requesting: Side, requested: Side, categories: tuple[str, ...]) -> dict:
    return {
        "requesting": requesting.country,
        "requested": requested.country,
        "rules": {s.country: _rule_summary(s.rule) for s in (requesting, requested)},
        "offences": [analyse_category(cat, requesting, requested) for cat in categories],
    }


def extradition_analysis(store: Store, requesting: str, requested: str, categories=None) -> dict:
    """Per offence category: is conduct punished in `requesting` extraditable from `requested`?"""
    return _pair(Side(store, requesting.upper()), Side(store, requested.upper()), _categories(categories))


def _matrix(countries: list[str], results: dict[tuple[str, str], list[dict]], category: str | None) -> dict:
    """The matrix from each ordered pair's category results (one category, or all)."""
    pairs = []
    for (requesting, requested), rows in results.items():
        counts = Counter(json_key(r["extraditable"]) for r in rows)
        pair = {
            "requesting": requesting,
            "requested": requested,
            "extraditable": (rows[0]["extraditable"] if category
                             else [r["category"] for r in rows if r["extraditable"] is True]),
            "counts": {k: counts.get(k, 0) for k in ("true", "false", "null")},
        }
        if category:
            pair["reasons"] = rows[0]["reasons"]
        pairs.append(pair)
    return {"countries": countries, "category": category, "pairs": pairs}


def _ordered_pairs(countries: list[str]) -> list[tuple[str, str]]:
    return [(a, b) for a in countries for b in countries if a != b]


def extradition_matrix(store: Store, category: str | None = None) -> dict:
    """Every ordered pair of countries. Without a category, `extraditable` lists the
    extraditable categories; with one, it is that category's status (true/false/null)."""
    countries = store.national_countries()
    sides = {c: Side(store, c) for c in countries}
    cats = _categories([category] if category else None)
    results = {(a, b): [analyse_category(cat, sides[a], sides[b]) for cat in cats] for a, b in _ordered_pairs(countries)}
    return _matrix(countries, results, category)


@dataclass
class ExtraditionTables:
    """Everything the extradition pages show, for every country: computed once by `index`
    (the rules themselves stay in the store's rules table, read at ingest)."""

    pairs: dict[tuple[str, str], dict]  # (requesting, requested) -> extradition_analysis
    matrices: dict[str | None, dict]  # offence category (None: all) -> extradition_matrix


def extradition_tables(store: Store, keep: dict[tuple[str, str], dict] | None = None,
                       offences: dict[str, CountryOffences] | None = None) -> ExtraditionTables:
    """Each country's rule and offences read once; every pair analysed once; the matrices
    (all categories, then each) taken from those analyses. ``keep``: pairs analysed before that
    still hold (neither country changed since), used as they are; only the other pairs are
    analysed, and only their countries read."""
    countries = store.national_countries()
    keep = keep or {}
    todo = [p for p in _ordered_pairs(countries) if p not in keep]
    sides = {c: Side(store, c, offences) for c in sorted({c for p in todo for c in p})}
    pairs = {(a, b): keep[(a, b)] if (a, b) in keep else _pair(sides[a], sides[b], OFFENCE_CATEGORIES)
             for a, b in _ordered_pairs(countries)}
    matrices: dict[str | None, dict] = {None: _matrix(countries, {k: v["offences"] for k, v in pairs.items()}, None)}
    for i, category in enumerate(OFFENCE_CATEGORIES):
        matrices[category] = _matrix(countries, {k: [v["offences"][i]] for k, v in pairs.items()}, category)
    return ExtraditionTables(pairs, matrices)


def json_key(value: bool | None) -> str:
    return "null" if value is None else "true" if value else "false"


def rules_table(store: Store) -> list[ExtraditionRule]:
    """The rule of every national country, for reports and the evaluation."""
    return [extradition_rules(store, c) for c in store.national_countries()]
