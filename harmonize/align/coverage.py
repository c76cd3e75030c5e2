"""Coverage: which obligations a country's statutes implement, with which provisions, how well.

For each obligation:
1. Candidates: hybrid search restricted to the country (query = the convention text plus
   the obligation's element phrases), joined with the provisions whose analysed offence
   categories include the obligation's categories and, for an extradition duty, the
   sections the country's extradition rule is read from (align/extradition.py).
2. Each candidate section gets signals in [0, 1]:
   - retrieval: 1 / (1 + (rank - 1) / 3) in the hybrid list (0 when not retrieved);
   - category: 1.0 named in the heading, 0.8 in the text of the specialised Act (drugs Act
     for drug trafficking), 0.6 in other text or once the section's defined terms are read
     with their definitions ("produce" includes "cultivating"), 0.3 any section of the
     specialised Act, else 0. A heading naming a specific form of a generic category
     (precursors, of drug trafficking) counts as text only (lex specialis); the generic
     category gives GENERIC_CREDIT to a duty about one of its specific forms;
   - elements: share of the obligation's conduct/object/mental/purpose/means found (lemma
     match over the section and the definitions of the terms it uses; an object phrase is
     met by any synonym of its term group; a missing mental element counts half);
   - penalty (criminalization, sanction): the section carries a penalty or the words that
     attach one ("commits an offence", "is a party to an offence", "it shall be unlawful");
     a section without them, or headed as machinery (definitions, powers, regulations,
     defences), is also scaled by NOT_AN_OFFENCE;
   - topic: the section's Act is on the convention's subject, the general criminal law or
     the specialised subject of the duty (no signal for UNTOC, which reaches every crime);
   - rule (extradition duties): the section defines the extraditable offence (or bars
     nationals, for duties about nationals).
   score = weighted mean with WEIGHTS (signals that do not apply are left out). The same
   section of a law held twice in the corpus is listed once.
3. Status from the best candidate: `missing` unless it is grounded (its offence category
   detected, or a generic offence reaching it; elements alone ground a duty with no
   category, or within the specialised Act; an extradition duty needs the rule's section
   or an extradition heading: retrieval alone proves nothing);
   `covered` when score >= COVERED, the category is in the heading or the specialised Act's
   text, the Act is on a subject of the duty (topic), no required element is missing and
   the threshold holds (UNTOC "serious crime": maximum >= 48 months, life or death);
   `partial` when score >= PARTIAL (the missing elements / failed threshold are named);
   `missing` otherwise. Provisions under FLOOR are not listed.

Calibration: the weights and NOT_AN_OFFENCE were chosen on a grid over the development
labels (bench/eval_alignment.py, ../shared/eval/alignment.jsonl) from a plateau of equally
good settings, and checked leave-one-country-out (weights chosen on NGA+BGD score CAN at
recall@5 0.87 / precision@1 0.90); nothing is fitted per country or per labelled section.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from harmonize.align.elements import ElementMatch, evidence_span, lemmas, match_elements
from harmonize.align.extradition import extradition_rules
from harmonize.analyze.categories import CATEGORY_TOPIC, SPECIFIC_FORMS, classify
from harmonize.analyze.nlp import get_nlp
from harmonize.ids import SECTION_KINDS, instrument_of
from harmonize.model import AlignedProvision, AlignmentResult, Provision, ProvisionFacts
from harmonize.obligations import Obligation, article_text, instrument_id
from harmonize.store import Store

log = logging.getLogger(__name__)

WEIGHTS = {"retrieval": 0.20, "category": 0.35, "elements": 0.20, "penalty": 0.10, "rule": 0.35, "topic": 0.10}
# Levels of the category signal (see category_signal).
IN_TEXT, IN_SPECIALISED_TEXT = 0.6, 0.8
GENERIC_CREDIT = 0.45
IN_SPECIALISED_ACT = 0.3
# A best candidate with neither its offence category (or a generic offence reaching it) nor
# half of the elements present is not evidence of implementation, however well retrieved.
MIN_CATEGORY, MIN_ELEMENTS = GENERIC_CREDIT, 0.5
# `covered` needs the category named in the heading or in the text of the specialised Act:
# a money-laundering Act that mentions "illicit traffic in narcotic drugs" as a predicate
# does not make drug trafficking an offence.
COVERED_CATEGORY = IN_SPECIALISED_TEXT
COVERED, PARTIAL, FLOOR = 0.55, 0.35, 0.2
# Sections that create no offence ("Power of entry, search, seizure ...") rank below offences
# for criminalization and sanction obligations.
NOT_AN_OFFENCE = 0.6
# Words that make a section a source of criminal liability even without a penalty of its
# own: general-part provisions ("is a party to an offence", "deemed to be guilty") carry
# the penalty of the offence they attach to.
OFFENCE_WORDS = re.compile(
    r"\b(?:commits?\s+an\s+offence|guilty\s+of\s+an?\s+(?:indictable\s+)?offence|"
    r"(?:shall\s+be|is)\s+(?:punished|liable(?!\s+to\s+(?:be\s+)?(?:confiscat|forfeit|seiz)))|"
    r"no\s+(?:persons?|one)\s+(?:shall|may)|(?:a|any)\s+person\s+(?:shall|must)\s+not|whoever|"
    r"(?:shall\s+be|it\s+is)\s+unlawful|(?:is|shall\s+be)\s+guilty|"
    r"(?:is|be|are)\s+a\s+party\s+to\s+(?:an|the|that|every)\s+offence|"
    r"(?:deemed|taken)\s+to\s+(?:be\s+guilty|have\s+committed))\b", re.I)
# Headings of sections that set up the machinery of an Act (titles, definitions, powers,
# regulations, purposes) rather than create an offence.
MACHINERY_HEADING = re.compile(
    r"^\s*(?:short\s+title|commencement|interpretation|definitions?|meaning\s+of|application\b|"
    r"regulations?\b|rules?\b|powers?\b|purpose|objects?\s+of|declaration\s+of\s+principles|"
    r"references?\s+to|repeal|transitional|amend|designation|delegation|report|review|"
    r"exemption|service\s+of|examination\s+of|evidence|procedure|defences?\b)", re.I)
RETRIEVE_K = 30
# Structured official formats (Akoma Ntoso, Justice Canada XML), preferred over a rendering
# of the same law.
MARKUP_FORMATS = ("akn", "lims")
LEXICAL_TERMS = 50
MAX_PROVISIONS = 10
PENALISED_TYPES = ("criminalization", "sanction")
# Extradition-rule fields whose source sections carry out an extradition duty about the
# extraditable offence; a duty about nationals is carried out where nationals are barred.
OFFENCE_RULE_FIELDS = ("threshold_months", "list_based")
NATIONALS_RULE_FIELDS = ("nationals_bar",)
# How much an optional obligation counts in a summary, against 1 for a mandatory one.
LEVEL_WEIGHT = {"mandatory": 1.0, "subject to constitutional principles": 0.75, "optional": 0.5}
STATUS_VALUE = {"covered": 1.0, "partial": 0.5, "missing": 0.0}

# (dense query, lexical query, country, k) -> provision ids best first
Retriever = Callable[[str, str, str, int], list[str]]


@dataclass
class CandidateScore:
    provision: Provision
    source: str
    score: float
    signals: dict[str, float]
    elements: ElementMatch
    threshold_ok: bool | None
    evidence: str = ""

    def to_result(self) -> AlignedProvision:
        return AlignedProvision(
            id=self.provision.id, source=self.source, number=self.provision.number,
            heading=self.provision.heading, score=round(self.score, 3),
            signals={k: round(v, 3) for k, v in self.signals.items()}, evidence=self.evidence,
        )


@dataclass
class Alignment:
    obligation: Obligation
    status: str  # covered | partial | missing
    score: float
    missing_elements: list[str] = field(default_factory=list)
    provisions: list[CandidateScore] = field(default_factory=list)

    def to_result(self) -> AlignmentResult:
        """What is saved and shown: ids and figures, not the scoring's working objects."""
        return AlignmentResult(
            obligation=self.obligation.id, level=self.obligation.level, type=self.obligation.type,
            category=list(self.obligation.category), status=self.status, score=round(self.score, 3),
            missing_elements=self.missing_elements, provisions=[c.to_result() for c in self.provisions],
        )


class CountryContext:
    """What alignment needs about one country, loaded once: sections, facts, sources."""

    def __init__(self, store: Store, country: str):
        self.store = store
        self.country = country.upper()
        instruments = store.instruments(self.country)
        self.sources = {i.id: i.source for i in instruments}
        self.topics = {i.id: i.topic for i in instruments}
        self.years = {i.id: i.year for i in instruments}
        self.formats = {i.id: i.format for i in instruments}
        self.facts: dict[str, ProvisionFacts] = {
            f.provision: f for f in store.all_facts(self.country)
        }
        self.by_category: dict[str, list[tuple[str, bool]]] = {}
        # instrument -> [(" lemma of term ", definition text)]: a statute's words carry the
        # meaning its definitions give them ("produce" includes "cultivating").
        self.definitions: dict[str, list[tuple[str, str]]] = {}
        for pid, facts in self.facts.items():
            for match in facts.categories:
                self.by_category.setdefault(match.category, []).append((pid, match.in_heading))
            instrument = instrument_of(pid)
            for d in facts.definitions:
                self.definitions.setdefault(instrument, []).append((lemmas(d.term), f"{d.term} {d.text}"))
        self._provisions: dict[str, Provision | None] = {}
        self._extradition_rule = None
        self._extradition_sections: dict[tuple[str, ...], set[str]] = {}
        self._convention_topics: dict[str, str] = {}
        self._definition_categories: dict[str, set[str]] = {}
        self._definitions_used: dict[str, list[str]] = {}

    def provision(self, pid: str) -> Provision | None:
        if pid not in self._provisions:
            self._provisions[pid] = self.store.provision(pid)
        return self._provisions[pid]

    def section_of(self, pid: str) -> Provision | None:
        """The section or article that holds `pid` (itself when it is one)."""
        prov = self.provision(pid)
        while prov is not None and prov.kind not in SECTION_KINDS and prov.parent:
            prov = self.provision(prov.parent)
        return prov if prov is not None and prov.kind in SECTION_KINDS else None

    def extradition_sections(self, fields: tuple[str, ...]) -> set[str]:
        """Sections the country's extradition rule reads `fields` from (e.g. the threshold and
        list that define the extraditable offence)."""
        if fields not in self._extradition_sections:
            if self._extradition_rule is None:
                self._extradition_rule = extradition_rules(self.store, self.country)
            found = (self.section_of(s.provision) for s in self._extradition_rule.sources if s.field in fields)
            self._extradition_sections[fields] = {p.id for p in found if p is not None}
        return self._extradition_sections[fields]

    def definitions_used(self, section: Provision) -> list[str]:
        """The definitions ("produce means ...") of the terms the section uses (once per
        section: every obligation asks again)."""
        if section.id not in self._definitions_used:
            used = lemmas(f"{section.heading}\n{section.text}")
            self._definitions_used[section.id] = [
                d for term, d in self.definitions.get(section.instrument, []) if term.strip() and term in used]
        return self._definitions_used[section.id]

    def with_definitions(self, section: Provision) -> str:
        """Heading and text of a section followed by the definitions of the terms it uses."""
        return "\n".join([f"{section.heading}\n{section.text}", *self.definitions_used(section)])

    def categories_by_definition(self, section: Provision) -> set[str]:
        """Offence categories the section shows once its defined terms are read with their
        definitions (none when it uses no defined term)."""
        if section.id not in self._definition_categories:
            found: set[str] = set()
            if self.definitions_used(section):
                nlp = get_nlp()
                expanded = nlp(self.with_definitions(section).lower())
                found = {m.category for m in classify(nlp((section.heading or "").lower()), expanded)}
            self._definition_categories[section.id] = found
        return self._definition_categories[section.id]

    def convention_topic(self, obligation: Obligation) -> str:
        code = instrument_id(obligation)
        if code not in self._convention_topics:
            inst = self.store.instrument(code)
            self._convention_topics[code] = inst.topic if inst else ""
        return self._convention_topics[code]

    def topic_of(self, pid: str) -> str:
        prov = self.provision(pid)
        return self.topics.get(prov.instrument, "") if prov else ""

    def category_candidates(self, obligation: Obligation, limit: int = 60) -> list[str]:
        found: dict[str, bool] = {}
        for category in obligation.category:
            for pid, in_heading in self.by_category.get(category, []):
                found[pid] = found.get(pid, False) or in_heading
        topics = {CATEGORY_TOPIC.get(c) for c in obligation.category}
        # Heading matches first, then provisions of the specialised Acts, then the rest.
        ranked = sorted(found, key=lambda pid: (not found[pid], self.topic_of(pid) not in topics))
        # Then the generic offence that reaches a specific form (drug trafficking, for
        # possession for trafficking), specialised Acts first.
        generic: dict[str, bool] = {}
        for category, forms in SPECIFIC_FORMS.items():
            if set(obligation.category) & set(forms):
                for pid, in_heading in self.by_category.get(category, []):
                    if pid not in found:
                        generic[pid] = generic.get(pid, False) or in_heading
        more = sorted(generic, key=lambda pid: (self.topic_of(pid) not in topics, not generic[pid]))
        return ranked[:limit] + more[: max(0, limit - len(ranked))]


def obligation_query(store: Store, obligation: Obligation, max_words: int = 120) -> tuple[str, str]:
    """(dense query, lexical query) for an obligation.

    The dense side reads the convention's opening words and the element phrases; the
    lexical side only the element phrases (at most LEXICAL_TERMS words): they are the words
    a statute would use, and BM25 over a long OR query is slow (seconds) and no better.
    """
    article = article_text(store, obligation)
    opening = " ".join((article.text if article else obligation.summary).split()[:max_words])
    phrases = " ".join(obligation.elements.phrases()) or obligation.summary
    words = [w for w in f"{phrases} {opening}".split() if len(w) > 3 or w.isdigit()]
    lexical = " ".join(list(dict.fromkeys(words))[:LEXICAL_TERMS])
    return f"{phrases} {opening}", lexical


def retrieval_signal(rank: int | None) -> float:
    return 0.0 if rank is None else 1.0 / (1.0 + (rank - 1) / 3.0)


# Subjects that share statutes: trafficking and smuggling laws overlap, drug money is laundered
# under the money-laundering Acts, and confiscation and cooperation live in AML and MLA Acts.
NEIGHBOUR_TOPICS = {"trafficking": ("smuggling",), "smuggling": ("trafficking",), "drugs": ("aml",)}
TYPE_TOPICS = {"extradition": ("extradition",), "mutual legal assistance": ("mla",), "confiscation": ("aml", "mla")}
GENERAL_TOPIC = "general-criminal"


def allowed_topics(obligation: Obligation, convention_topic: str) -> set[str] | None:
    """Corpus topics of the statutes that can carry out a duty of a convention on
    `convention_topic`: its own subject, the general criminal law, the specialised Acts of the
    duty's categories and type; None (any) for a convention on crime in general (UNTOC)."""
    if not convention_topic or convention_topic == GENERAL_TOPIC:
        return None
    topics = {convention_topic, GENERAL_TOPIC, *NEIGHBOUR_TOPICS.get(convention_topic, ())}
    topics.update(CATEGORY_TOPIC[c] for c in obligation.category if c in CATEGORY_TOPIC)
    topics.update(TYPE_TOPICS.get(obligation.type, ()))
    return topics


def category_signal(obligation: Obligation, facts: ProvisionFacts | None, topic: str = "") -> float:
    """1.0 category in the heading, 0.8 in the text of the specialised Act (a drugs Act for
    drug trafficking), 0.6 in the text of another; 0.3 for any section of the specialised Act
    (an extradition Act's "General principle" section names no category but is the place).
    A heading that also names a specific form of a generic category (precursors, for drug
    trafficking) counts as text only: the section is the specific offence's."""
    specialised = bool(topic) and topic in {CATEGORY_TOPIC.get(c) for c in obligation.category}
    best = IN_SPECIALISED_ACT if specialised else 0.0
    matches = facts.categories if facts else []
    in_heading = {m.category for m in matches if m.in_heading}
    for match in matches:
        generic_home = specialised or topic in (GENERAL_TOPIC, CATEGORY_TOPIC.get(match.category))
        if generic_home and set(obligation.category) & set(SPECIFIC_FORMS.get(match.category, ())):
            # The generic offence of its own Act or of a penal code ("manufactures, possesses,
            # sells ... any drug"; laundering the proceeds of any crime) reaches the specific
            # conduct (possession for trafficking; laundering drug proceeds) without naming it;
            # a laundering Act naming drug trafficking as a predicate does not.
            best = max(best, GENERIC_CREDIT)
        if match.category in obligation.category:
            specific = in_heading.intersection(SPECIFIC_FORMS.get(match.category, ())) - set(obligation.category)
            if match.in_heading and not specific:
                best = 1.0
            else:
                best = max(best, IN_SPECIALISED_TEXT if specialised and not specific else IN_TEXT)
    return best


def creates_liability(section: Provision, facts: ProvisionFacts | None) -> bool:
    """Whether a section makes conduct punishable: it carries a penalty or says who commits
    an offence, and is not machinery (definitions, powers, regulations) by its heading."""
    if MACHINERY_HEADING.search(section.heading or ""):
        return False
    has_penalty = bool(facts and facts.penalties and facts.penalties.tiers)
    return has_penalty or bool(OFFENCE_WORDS.search(section.text))


def threshold_holds(obligation: Obligation, facts: ProvisionFacts | None) -> bool | None:
    threshold = obligation.elements.threshold_months
    if threshold is None or obligation.type not in PENALISED_TYPES:
        return None  # e.g. UNTOC art. 10: "serious crime" qualifies the offences, not the liability rule
    pen = facts.penalties if facts else None
    if pen is None or not pen.tiers:
        return False
    return bool(pen.life or pen.death or (pen.max_months or 0) >= threshold)


def extradition_rule_sections(ctx: CountryContext, obligation: Obligation) -> set[str]:
    """For an extradition duty, the sections of the country's extradition rule that carry it
    out: the extraditable-offence definition for duties about extraditable offences, the
    nationals bar for duties about nationals; empty for any other duty."""
    if obligation.type != "extradition":
        return set()
    if obligation.elements.object:
        return ctx.extradition_sections(OFFENCE_RULE_FIELDS)
    if any("national" in c for c in obligation.elements.circumstance):
        return ctx.extradition_sections(NATIONALS_RULE_FIELDS)
    return set()


def score_candidate(
    ctx: CountryContext, obligation: Obligation, section: Provision, rank: int | None
) -> CandidateScore:
    facts = ctx.facts.get(section.id)
    elements = match_elements(obligation, ctx.with_definitions(section))
    signals = {"retrieval": retrieval_signal(rank), "elements": elements.coverage}
    if obligation.category:
        signals["category"] = category_signal(obligation, facts, ctx.topics.get(section.instrument, ""))
        if signals["category"] < IN_TEXT and set(obligation.category) & ctx.categories_by_definition(section):
            signals["category"] = IN_TEXT  # "produce" is defined to include "cultivating"
        rule_sections = extradition_rule_sections(ctx, obligation)
        if rule_sections:
            # The sections the extradition rule is read from are where such a duty is carried
            # out; the Act's other sections (procedure, surrender) only mention extradition.
            signals["rule"] = 1.0 if section.id in rule_sections else 0.0
            signals["category"] = max(signals["rule"], min(signals["category"], 0.6))
    topics = allowed_topics(obligation, ctx.convention_topic(obligation))
    if topics is not None:
        signals["topic"] = 1.0 if ctx.topics.get(section.instrument, "") in topics else 0.0
    if obligation.type in PENALISED_TYPES:
        # A penalty of its own, or the words that attach the penalty of another offence.
        signals["penalty"] = 1.0 if creates_liability(section, facts) else 0.0
    score = sum(WEIGHTS[k] * v for k, v in signals.items()) / sum(WEIGHTS[k] for k in signals)
    if signals.get("penalty") == 0.0:
        score *= NOT_AN_OFFENCE  # a power, procedure or definition, not the offence a duty asks for
    return CandidateScore(
        provision=section,
        source=ctx.sources.get(section.instrument, ""),
        score=score,
        signals=signals,
        elements=elements,
        threshold_ok=threshold_holds(obligation, facts),
    )


def decide(obligation: Obligation, ranked: list[CandidateScore]) -> Alignment:
    listed = [c for c in ranked if c.score >= FLOOR][:MAX_PROVISIONS]
    if not listed:
        return Alignment(obligation, "missing", ranked[0].score if ranked else 0.0)
    best = listed[0]
    missing = best.elements.missing_elements
    if best.threshold_ok is False:
        missing = missing + [f"threshold: maximum penalty of at least {obligation.elements.threshold_months} months"]
    category = best.signals.get("category")
    if category is None:  # a duty with no offence category: its elements decide
        grounded = best.elements.coverage >= MIN_ELEMENTS
    else:  # elements alone ground only within the specialised Act: elsewhere the words are scattered
        grounded = category >= MIN_CATEGORY or (category >= IN_SPECIALISED_ACT and best.elements.coverage >= MIN_ELEMENTS)
    if obligation.type == "extradition":
        # Any Act may mention extradition in passing; the duty is met by the extradition
        # rule's own sections or a section headed as being about extradition.
        grounded = best.signals.get("category", 1.0) >= 1.0
    if not grounded:
        status = "missing"
    elif (best.score >= COVERED and not missing and best.signals.get("category", 1.0) >= COVERED_CATEGORY
          and best.signals.get("topic", 1.0) == 1.0):  # an Act on another subject is at most partial
        status = "covered"
    elif best.score >= PARTIAL:
        status = "partial"
    else:
        status = "missing"
    for cand in listed:
        cand.evidence = evidence_span(obligation, cand.provision.text)
    return Alignment(obligation, status, best.score, missing if status != "covered" else [], listed)


def align_obligation(ctx: CountryContext, obligation: Obligation, retrieve: Retriever | None) -> Alignment:
    ranks: dict[str, int] = {}
    if retrieve is not None:
        rank = 0
        dense_query, lexical_query = obligation_query(ctx.store, obligation)
        for pid in retrieve(dense_query, lexical_query, ctx.country, RETRIEVE_K):
            section = ctx.section_of(pid)
            if section is not None and section.id not in ranks:
                rank += 1
                ranks[section.id] = rank
    extra = ctx.category_candidates(obligation)
    extra = sorted(extradition_rule_sections(ctx, obligation)) + extra
    candidates = list(dict.fromkeys(list(ranks) + extra))
    scored = []
    for pid in candidates:
        section = ctx.provision(pid)
        if section is not None:
            scored.append(score_candidate(ctx, obligation, section, ranks.get(pid)))
    # Equal scores (the same section in two copies of a law) put the official markup first.
    scored.sort(key=lambda c: (-round(c.score, 6), ctx.formats.get(c.provision.instrument) not in MARKUP_FORMATS))
    return decide(obligation, without_copies(ctx, scored))


def without_copies(ctx: CountryContext, ranked: list[CandidateScore]) -> list[CandidateScore]:
    """Keep the best of the same section of the same law held twice in the corpus (IND NDPS
    Act as XML and as Markdown): same year, topic, number and heading."""
    seen: set[tuple] = set()
    kept = []
    for cand in ranked:
        prov = cand.provision
        key = (ctx.years.get(prov.instrument), ctx.topics.get(prov.instrument), prov.number,
               " ".join((prov.heading or "").lower().split()))
        if key not in seen:
            seen.add(key)
            kept.append(cand)
    return kept


def align_country(
    store: Store, country: str, obligations: list[Obligation], retrieve: Retriever | None
) -> list[Alignment]:
    """Every obligation, in catalogue order, including the missing ones."""
    ctx = CountryContext(store, country)
    return [align_obligation(ctx, ob, retrieve) for ob in obligations]
