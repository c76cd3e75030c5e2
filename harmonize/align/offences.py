"""A country's offences (records stored at ingest) and what subjects its corpus holds.

The one home for both questions the comparison, extradition and (next) alignment ask:
- `country_offences(store, country)`: every offence record of the country with its
  provision, Act and penalty tiers, as typed `Offence` objects;
- `corpus_subjects(store, country)`: per subject ("drugs", "trafficking", ...), whether the
  corpus holds a statute on it that was analysed, holds one only in a language the analysis
  does not read ("not analysed (text in Bengali)"), or holds none ("no statute on this
  subject in the corpus"). A subject is held by an English Act whose manifest topic it is,
  or by offences of a general code whose Part/Chapter/Division heading names it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from harmonize.analyze.offences import CATEGORY_SUBJECT, CATEGORY_SUBJECTS, GENERAL
from harmonize.model import Instrument, OffenceRecord, PenaltyFacts, PenaltyTier
from harmonize.store import Store

# Subjects of duties that are not offences: a country holds them when it has an Act on them.
DUTY_SUBJECTS = ("extradition", "mla")
LANGUAGE_NAMES = {"bn": "Bengali", "ar": "Arabic", "hi": "Devanagari"}
ANALYSED, NOT_ANALYSED, NO_STATUTE = "analysed", "not analysed", "no statute"


@dataclass
class Offence:
    """One offence-creating provision: its record, where it is, and the tiers that punish it."""

    record: OffenceRecord
    number: str
    heading: str
    instrument: str
    title: str  # the Act's title
    source: str  # corpus-relative path
    penalties: PenaltyFacts | None
    order: int = 0

    @property
    def id(self) -> str:
        return self.record.provision

    @property
    def tiers(self) -> list[PenaltyTier]:
        return self.penalties.tiers if self.penalties else []

    @property
    def top(self) -> PenaltyTier | None:
        """The most severe tier (one tier: its minimum and maximum go together)."""
        return max(self.tiers, key=PenaltyTier.severity) if self.tiers else None

    @property
    def basic(self) -> PenaltyTier | None:
        """The least severe tier: the basic form of the offence."""
        return min(self.tiers, key=PenaltyTier.severity) if self.tiers else None

    @property
    def carries_death(self) -> bool:
        return bool(self.penalties and self.penalties.death)

    def cite(self) -> str:
        """ "Controlled Drugs and Substances Act s.5", "21 U.S.C. ch. 13 s.841" """
        return f"{short_title(self.title)} s.{self.number}"

    def to_dict(self) -> dict:
        return {
            "id": self.id, "number": self.number, "heading": self.heading, "instrument": self.instrument,
            "title": self.title, "source": self.source, "conduct": self.record.conduct,
            "objects": self.record.objects, "circumstances": self.record.circumstances,
            "subject": self.record.subject, "categories": self.record.categories,
            "top": tier_dict(self.top), "basic": tier_dict(self.basic),
            "penalty_note": self.record.penalty_note or (None if self.tiers else "no penalty read from the text"),
        }


def short_title(title: str) -> str:
    """The Act's name without the manifest's notes: "Criminal Code Act 1995 (Cth), compilation ..." -> "Criminal Code Act 1995"."""
    return re.split(r"\s+\(|,\s+compilation|\s+-\s+|\s+\[", title, maxsplit=1)[0].strip()


def tier_dict(tier: PenaltyTier | None) -> dict | None:
    if tier is None:
        return None
    return {
        "condition": tier.condition, "min_months": tier.min_months if tier.mandatory_min else None,
        "max_months": tier.max_months, "life": tier.life, "death": tier.death,
        "fine": tier.fine is not None, "source": tier.source, "label": tier_label(tier),
    }


def tier_label(tier: PenaltyTier | None) -> str:
    """ "death", "life", "2–10 years", "up to 6 months", "at least 30 years" (only a minimum stated), "fine only" """
    if tier is None:
        return "no penalty read"
    if tier.death:
        return "death"
    if tier.life:
        low = tier.min_months if tier.mandatory_min else None
        return f"{_years(low)} to life" if low else "life"
    if tier.max_months is None:
        if tier.min_months:  # "not less than thirty years": no maximum stated
            return f"{'fine or ' if tier.fine and not tier.mandatory_min else ''}at least {_years(tier.min_months)}"
        return "fine only" if tier.fine else "no term stated"
    low = tier.min_months if tier.mandatory_min else None
    return f"{_years(low)}–{_years(tier.max_months)}" if low else f"up to {_years(tier.max_months)}"


def _years(months: float | None) -> str:
    if months is None:
        return "–"
    if months >= 12:
        return f"{months / 12:g} year{'' if months == 12 else 's'}"
    return f"{months:g} month{'' if months == 1 else 's'}"


@dataclass
class CountryOffences:
    country: str
    offences: list[Offence]

    def of_category(self, category: str) -> list[Offence]:
        return [o for o in self.offences if category in o.record.categories]


def country_offences(store: Store, country: str) -> CountryOffences:
    """Every offence record of a country, in document order."""
    country = country.upper()
    instruments = {i.id: i for i in store.instruments(country)}
    found: list[Offence] = []
    for facts in store.all_facts(country):
        if facts.offence is None:
            continue
        prov = store.provision(facts.provision)
        inst = instruments[prov.instrument]
        found.append(Offence(facts.offence, prov.number, prov.heading, inst.id, inst.title, inst.source,
                             facts.penalties, len(found)))
    return CountryOffences(country, found)


def offences_of(store: Store, country: str, cache: dict[str, CountryOffences] | None) -> CountryOffences:
    """The country's offence records, from ``cache`` when it holds them (and kept there)."""
    if cache is None:
        return country_offences(store, country)
    if country not in cache:
        cache[country] = country_offences(store, country)
    return cache[country]


@dataclass
class SubjectHolding:
    """What a country's corpus holds on one subject."""

    subject: str
    state: str  # ANALYSED / NOT_ANALYSED / NO_STATUTE
    instruments: list[str] = field(default_factory=list)  # English Acts on the subject
    unread: list[str] = field(default_factory=list)  # Acts on the subject the analysis does not read
    languages: list[str] = field(default_factory=list)  # their languages, in words

    def describe(self, country: str) -> str:
        if self.state == NO_STATUTE:
            return f"no statute on this subject ({self.subject}) in {country}'s corpus"
        if self.state == NOT_ANALYSED:
            return f"not analysed (text in {'/'.join(self.languages)})"
        return f"{len(self.instruments)} statute(s) on {self.subject} analysed"

    def to_dict(self) -> dict:
        return {"subject": self.subject, "state": self.state, "instruments": self.instruments,
                "unread": self.unread, "languages": self.languages}


def corpus_subjects(store: Store, country: str, offences: CountryOffences | None = None) -> dict[str, SubjectHolding]:
    """subject -> what the country's corpus holds on it (every subject a category belongs to)."""
    country = country.upper()
    instruments = store.instruments(country)
    offences = offences or country_offences(store, country)
    subjects = sorted(set(CATEGORY_SUBJECT.values()) | {s for subs in CATEGORY_SUBJECTS.values() for s in subs}
                      | set(DUTY_SUBJECTS))
    codes = {i.id for i in instruments if i.topic == GENERAL}
    from_codes: dict[str, set[str]] = {}
    for o in offences.offences:
        if o.instrument not in codes:
            continue  # a drug clause in a money-laundering Act is not a drugs statute
        from_codes.setdefault(o.record.subject, set()).add(o.instrument)
        for category in o.record.categories:
            from_codes.setdefault(CATEGORY_SUBJECT[category], set()).add(o.instrument)
    return {s: _holding(s, instruments, from_codes.get(s, set())) for s in subjects}


def _holding(subject: str, instruments: list[Instrument], from_codes: set[str]) -> SubjectHolding:
    english = sorted({i.id for i in instruments if i.language == "en" and i.topic == subject} | from_codes)
    unread = [i for i in instruments if i.language != "en" and (i.topic == subject or i.topic == GENERAL)]
    languages = sorted({LANGUAGE_NAMES.get(i.language, i.language) for i in unread})
    if english:
        return SubjectHolding(subject, ANALYSED, english, [i.id for i in unread], languages)
    if unread:
        return SubjectHolding(subject, NOT_ANALYSED, [], [i.id for i in unread], languages)
    return SubjectHolding(subject, NO_STATUTE)


@dataclass
class CorpusHoldings:
    """What a country's corpus holds and does not hold, subject by subject (the banner beside
    its coverage and on the committee report's cover)."""

    country: str
    subjects: dict[str, SubjectHolding]

    @property
    def held(self) -> list[str]:
        return sorted(s for s, h in self.subjects.items() if h.state == ANALYSED)

    @property
    def not_analysed(self) -> dict[str, list[str]]:
        """subject -> the languages its only statutes are in."""
        return {s: h.languages for s, h in sorted(self.subjects.items()) if h.state == NOT_ANALYSED}

    @property
    def no_statute(self) -> list[str]:
        return sorted(s for s, h in self.subjects.items() if h.state == NO_STATUTE)

    @property
    def sentence(self) -> str:
        """ "NGA's corpus holds statutes on extradition, ...; no statute on drugs, ..." """
        parts = [f"{self.country}'s corpus holds statutes on {', '.join(self.held) or 'no subject'}"]
        unread = self.not_analysed
        if unread:
            langs = "/".join(sorted({lang for v in unread.values() for lang in v}))
            parts.append(f"statutes on {', '.join(unread)} only in {langs} (not analysed)")
        if self.no_statute:
            parts.append(f"no statute on {', '.join(self.no_statute)}")
        return "; ".join(parts) + "."

    def to_dict(self) -> dict:
        return {"country": self.country, "held": self.held, "not_analysed": list(self.not_analysed),
                "no_statute": self.no_statute, "sentence": self.sentence,
                "subjects": {s: h.to_dict() for s, h in self.subjects.items()}}


def corpus_holdings(store: Store, country: str) -> CorpusHoldings:
    country = country.upper()
    return CorpusHoldings(country, corpus_subjects(store, country))


def category_holding(store: Store, country: str, category: str, offences: CountryOffences | None = None) -> SubjectHolding:
    """What the corpus holds on the subject of one offence category."""
    return corpus_subjects(store, country, offences)[CATEGORY_SUBJECT[category]]
