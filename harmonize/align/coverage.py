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
   score = weighted mean with the weights (signals that do not apply are left out). The same
   section of a law held twice in the corpus is listed once.
3. Status from the best QUALIFYING candidate (`judge` per listed candidate): the top-scored
   one unless it does not qualify at all, then the best that does (covered before partial,
   then the higher score); that candidate is listed first and its score is the alignment's
   score, so status and score agree (`missing` scores 0).
   A candidate is `missing` unless grounded (its offence category detected, by the
   classifier or by its offence record, or a generic offence reaching it; elements alone
   ground a duty with no category, or within the specialised Act; an extradition duty needs
   the rule's section or an extradition heading: retrieval alone proves nothing);
   `covered` when score >= covered, the category is in the heading, the specialised Act's
   text or the record, the Act (or, in a general code, the offence's Part/Chapter/Division
   subject) is on a subject of the duty, no required element is missing, none is narrower
   (align/elements.py: means required even for child victims) and the threshold holds
   (UNTOC "serious crime": maximum >= 48 months, life or death); `partial` when score >=
   partial; `missing` otherwise. Provisions under floor are not listed. Every decision
   carries one sentence (`reason`): "partial: Criminal Code s.279.01 does not show the
   purpose ..., which the duty requires".
4. What the corpus can tell (`corpus_state`, from align/offences.corpus_subjects, the one home
   of "what subjects a country's corpus holds"): a duty whose subjects (`duty_subjects`)
   the country holds only in a language the analysis does not read is `not analysed`; one
   on which it holds no statute is `no statute` ("no statute in the corpus: GHA's corpus
   holds no statute on drugs"); `missing` means laws on the subject exist and none carries
   the duty. Those two states are never counted as 0% in a coverage share.
5. `reconcile`: a parent is partial, not missing, while a paragraph on the same offences
   is covered or partial, and partial, not covered, while a mandatory paragraph is missing.

Weights, signal levels, cut-offs and the topic tables are data (obligations/alignment.toml,
validated by obligations/rules.py with line-numbered errors).

Calibration: bench/calibrate_alignment.py reproduces the choice of the weights and cut-offs
on ../shared/eval (a grid re-scored from the signals, leave-one-country-out over the
development countries, printing both); nothing is fitted per country or per labelled section.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from harmonize.align.elements import (OWN_OFFENCES, SOFT_KEYS, ElementMatch, conduct_forms, defining_text, evidence_span,
                                      lemmas, match_elements, names_conduct)
from harmonize.align.extradition import extradition_rules
from harmonize.align.offences import ANALYSED, LANGUAGE_NAMES, SubjectHolding, corpus_subjects, short_title
from harmonize.analyze.categories import CATEGORY_TOPIC, SPECIFIC_FORMS, classify
from harmonize.analyze.nlp import get_nlp
from harmonize.analyze.offences import CATEGORY_SUBJECT, CATEGORY_SUBJECTS, EXCLUDED_SUBJECTS, SUBJECT_HEADINGS
from harmonize.ids import SECTION_KINDS, instrument_of
from harmonize.model import (
    MARKUP_FORMATS, AlignedProvision, AlignmentResult, Provision, ProvisionFacts, copy_key,
)
from harmonize.obligations import Obligation, article_text, instrument_id
from harmonize.obligations.rules import Rules, load_rules
from harmonize.store import Store

log = logging.getLogger(__name__)

# Weights, signal levels, cut-offs and topic tables are data: obligations/alignment.toml.
RULES = load_rules()
WEIGHTS = RULES.weights
# Levels of the category signal (see category_signal).
IN_TEXT, IN_SPECIALISED_TEXT = RULES.category["in_text"], RULES.category["in_specialised_text"]
GENERIC_CREDIT = RULES.category["generic_credit"]
IN_SPECIALISED_ACT = RULES.category["in_specialised_act"]
# A best candidate with neither its offence category (or a generic offence reaching it) nor
# half of the elements present is not evidence of implementation, however well retrieved.
MIN_CATEGORY, MIN_ELEMENTS = GENERIC_CREDIT, RULES.cutoffs["min_elements"]
# `covered` needs the category named in the heading or in the text of the specialised Act:
# a money-laundering Act that mentions "illicit traffic in narcotic drugs" as a predicate
# does not make drug trafficking an offence.
COVERED_CATEGORY = IN_SPECIALISED_TEXT
COVERED, PARTIAL, FLOOR = (RULES.cutoffs[k] for k in ("covered", "partial", "floor"))
# Sections that create no offence ("Power of entry, search, seizure ...") rank below offences
# for criminalization and sanction obligations.
NOT_AN_OFFENCE = RULES.cutoffs["not_an_offence"]
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
# regulations, purposes, the bodies it sets up) rather than create an offence.
MACHINERY_HEADING = re.compile(
    r"^\s*(?:short\s+title|commencement|interpretation|definitions?|meaning\s+of|application\b|"
    r"regulations?\b|rules?\b|powers?\b|purpose|objects?\s+of|declaration\s+of\s+principles|"
    r"references?\s+to|repeal|transitional|amend|designation|delegation|report|review|"
    r"exemption|service\s+of|examination\s+of|evidence|procedure|defences?\b|"
    # a body's constitution: "Composition of Committee", "Appointment of Director", "Functions of the Board"
    r"composition\b|appointment\b|tenure\b|vacanc|remuneration\b|meetings?\b|functions?\s+of\b)", re.I)
RETRIEVE_K = 30
PARTY_CANDIDATES = 15
LEXICAL_TERMS = 50
MAX_PROVISIONS = 10
PENALISED_TYPES = ("criminalization", "sanction")
# The elements without which a provision is another offence, not a partial one.
OFFENCE_KEYS = frozenset({"conduct", "object", "official"})
# Extradition-rule fields whose source sections carry out an extradition duty about the
# extraditable offence; a duty about nationals is carried out where nationals are barred.
OFFENCE_RULE_FIELDS = ("threshold_months", "list_based")
NATIONALS_RULE_FIELDS = ("nationals_bar",)
# How much an optional obligation counts in a summary, against 1 for a mandatory one.
LEVEL_WEIGHT = {"mandatory": 1.0, "subject to constitutional principles": 0.75, "optional": 0.5}
STATUS_VALUE = {"covered": 1.0, "partial": 0.5, "missing": 0.0}
# States that say the corpus cannot tell, not that the country fails the duty: they are shown
# as such and left out of every coverage share.
NOT_ANALYSED, NO_STATUTE = "not analysed", "no statute"
NO_DATA = (NOT_ANALYSED, NO_STATUTE)
STATUSES = ("covered", "partial", "missing", NOT_ANALYSED, NO_STATUTE)
STATUS_RANK = {"covered": 0, "partial": 1, "missing": 2}

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
    # Sections whose definitions give this one the duty's conduct (`CountryContext.defining_sections`).
    companions: list[str] = field(default_factory=list)

    def to_result(self) -> AlignedProvision:
        return AlignedProvision(
            id=self.provision.id, source=self.source, number=self.provision.number,
            heading=self.provision.heading, score=round(self.score, 3),
            signals={k: round(v, 3) for k, v in self.signals.items()}, evidence=self.evidence,
        )


@dataclass
class Alignment:
    obligation: Obligation
    status: str  # one of STATUSES
    score: float  # the support for the status: the deciding provision's score (0 without one)
    missing_elements: list[str] = field(default_factory=list)
    provisions: list[CandidateScore] = field(default_factory=list)  # the deciding provision first
    reason: str = ""  # one plain sentence: why this status
    carried_by: list[str] = field(default_factory=list)  # provision ids that together carry the duty

    @property
    def evidence(self) -> str:
        """The sentence of the deciding provision that satisfies (or, for a partial or missing
        duty, fails) it; empty where the corpus cannot tell or nothing was read."""
        return self.provisions[0].evidence if self.provisions and self.status not in NO_DATA else ""

    def to_result(self) -> AlignmentResult:
        """What is saved and shown: ids and figures, not the scoring's working objects."""
        return AlignmentResult(
            obligation=self.obligation.id, level=self.obligation.level, type=self.obligation.type,
            category=list(self.obligation.category), status=self.status, score=round(self.score, 3),
            reason=self.reason, missing_elements=self.missing_elements, carried_by=self.carried_by,
            provisions=[c.to_result() for c in self.provisions], evidence=self.evidence,
        )

    def to_dict(self) -> dict:
        return self.to_result().to_dict()


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
        self.titles = {i.id: i.title for i in instruments}
        self.languages = {i.id: i.language for i in instruments}
        self._holdings: dict[str, SubjectHolding] | None = None
        self.facts: dict[str, ProvisionFacts] = {
            f.provision: f for f in store.all_facts(self.country)
        }
        self.by_category: dict[str, list[tuple[str, bool]]] = {}
        # instrument -> [(" lemma of term ", definition text, the section defining it)]: a
        # statute's words carry the meaning its definitions give them ("produce" includes "cultivating").
        self.definitions: dict[str, list[tuple[str, str, str]]] = {}
        for pid, facts in self.facts.items():
            for match in facts.categories:
                self.by_category.setdefault(match.category, []).append((pid, match.in_heading))
            # The offence record's categories (conduct + object + subject) bring in the sections
            # whose words the classifier did not match ("Cultivating controlled plants").
            named = {m.category for m in facts.categories}
            for category in (facts.offence.categories if facts.offence else ()):
                if category not in named:
                    self.by_category.setdefault(category, []).append((pid, False))
            instrument = instrument_of(pid)
            for d in facts.definitions:
                self.definitions.setdefault(instrument, []).append((lemmas(d.term), f"{d.term} {d.text}", pid))
        self._provisions: dict[str, Provision | None] = {}
        self._extradition_rule = None
        self._extradition_sections: dict[tuple[str, ...], set[str]] = {}
        self._convention_topics: dict[str, str] = {}
        self._definition_categories: dict[str, set[str]] = {}
        self._definitions_used: dict[str, list[tuple[str, str, str]]] = {}
        self._party: dict[tuple[str, ...], set[str]] = {}
        self._structural: dict[str, bool] = {}
        self._legal_person_rules: list[str] | None = None

    def holdings(self) -> dict[str, SubjectHolding]:
        """subject -> what the country's corpus holds on it (align/offences.py decides)."""
        if self._holdings is None:
            self._holdings = corpus_subjects(self.store, self.country)
        return self._holdings

    def cite(self, section: Provision) -> str:
        """ "Misuse of Drugs Act 1973 s.5" """
        return f"{short_title(self.titles.get(section.instrument, section.instrument))} s.{section.number}"

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
        """The definitions ("produce means ...") of the terms the section uses."""
        return [text for _, _, text in self._used_definitions(section)]

    def conduct_definitions(self, section: Provision) -> list[str]:
        """The definitions of the words of conduct the section uses ("traffics", "dealing in drugs")."""
        return [text for _, term, text in self._used_definitions(section) if names_conduct(term)]

    def _used_definitions(self, section: Provision) -> list[tuple[str, str, str]]:
        """(defining section, term, definition) of the terms the section uses, its own left out
        (once per section: every obligation asks again)."""
        if section.id not in self._definitions_used:
            used = lemmas(f"{section.heading}\n{section.text}")
            self._definitions_used[section.id] = [
                (pid, term, d) for term, d, pid in self.definitions.get(section.instrument, [])
                if pid != section.id and term.strip() and term in used]
        return self._definitions_used[section.id]

    def defining_sections(self, section: Provision, obligation: Obligation, found: list[str]) -> list[str]:
        """The sections whose definition of the section's word of conduct gives it the duty's
        conduct (`found`), where its own words show none of the duty's alternatives: "the
        person traffics in a substance" (s.302.4) "possesses the substance with the intention of
        selling any of it" only through "Meaning of traffics" (s.302.1); "engages in conduct
        that is a dealing in drugs" organises or finances one through "Meaning of dealing in
        drugs". Such a section carries the duty with the offence that uses its term; the
        definition of a thing ("offence means an offence contrary to section 279.01 ...") does not."""
        wanted = [conduct_forms(lemmas(p)) for p in found if p.strip() and not p.startswith("(")]
        if not wanted:
            return []
        own = conduct_forms(lemmas(f"{section.heading}\n{section.text}"))
        if any(conduct_forms(lemmas(p)) in own for p in obligation.elements.conduct if p.strip()):
            return []
        sections: list[str] = []
        for pid, term, text in self._used_definitions(section):
            words = conduct_forms(lemmas(text))
            if pid not in sections and names_conduct(term) and any(w in words for w in wanted):
                sections.append(pid)
        return sections

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
        # Then the general criminal law's party-liability provisions that reach the duty, and its
        # rule that legal persons are liable for its offences.
        party = [pid for pid in self.party_sections(obligation) if pid not in found and pid not in generic]
        general = self.legal_person_rules() if obligation.type == "liability of legal persons" else []
        return list(dict.fromkeys(ranked[:limit] + more[: max(0, limit - len(ranked))] + party[:PARTY_CANDIDATES]
                                  + general))

    def legal_person_rules(self) -> list[str]:
        """Sections of the general criminal law that make legal persons liable for its offences
        in general (GENERAL_LEGAL_PERSON): read from the text, since an interpretation section
        ("person ... include ... any board, society, or company") gets no offence category."""
        if self._legal_person_rules is None:
            found = []
            for instrument, topic in self.topics.items():
                if topic != GENERAL_TOPIC or self.languages.get(instrument) != "en":
                    continue
                for prov in self.store.provisions(instrument, SECTION_KINDS):
                    if GENERAL_LEGAL_PERSON.search(prov.text or ""):
                        self._provisions.setdefault(prov.id, prov)
                        found.append(prov.id)
            self._legal_person_rules = found
        return self._legal_person_rules

    def excluded_regime(self, section: Provision) -> bool:
        """Whether the section or a Part/Division/Chapter above it is headed as a regime that is
        never an offence of the categories it mentions (war crimes and the International
        Criminal Court's justice, treason, abortion): "Division 268—Genocide, crimes against
        humanity, war crimes and crimes against the administration of the justice of the
        International Criminal Court" holds "Corrupting witnesses or interpreters"."""
        if section.id not in self._structural:
            found, prov = False, section
            while prov is not None and not found:
                found = any(p.search(prov.heading or "") for subject, p in SUBJECT_HEADINGS if subject in EXCLUDED_SUBJECTS)
                prov = self.provision(prov.parent) if prov.parent else None
            self._structural[section.id] = found
        return self._structural[section.id]

    def party_set(self, obligation: Obligation) -> set[str]:
        key = tuple(obligation.category)
        if key not in self._party:
            self._party[key] = set(self.party_sections(obligation))
        return self._party[key]

    def party_sections(self, obligation: Obligation) -> list[str]:
        """Sections of a general criminal code whose categories are the generic ones that reach
        the duty through party liability (alignment.toml [reach]), headings first."""
        wanted = {g for c in obligation.category for g in RULES.party_liability.get(c, ())}
        if not wanted:
            return []
        found: dict[str, tuple[bool, int]] = {}
        for category in wanted:
            for pid, in_heading in self.by_category.get(category, []):
                if self.topic_of(pid) != GENERAL_TOPIC or pid in found:
                    continue
                # General party liability reaches any offence: headed as such ("Parties to
                # offence", "Person counselling offence", "Complicity and common purpose").
                words = self.party_words(pid)
                if words and PARTY_HEADING.search(self.provision(pid).heading or ""):
                    found[pid] = (in_heading, len(words))
        # The provisions naming most of the party conduct ("aids, abets, counsels or procures") first.
        return sorted(found, key=lambda pid: (-found[pid][1], not found[pid][0]))

    def party_words(self, pid: str) -> list[str]:
        """The party conduct ("aid", "abet", "counsel", "procure") a section's words show."""
        section = self.provision(pid)
        if section is None:
            return []
        text = conduct_forms(lemmas(f"{section.heading}\n{section.text}"))
        return [w for w in PARTY_CONDUCT if f" {conduct_forms(lemmas(w)).strip()} " in text]


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
NEIGHBOUR_TOPICS = RULES.neighbours
TYPE_TOPICS = RULES.types
GENERAL_TOPIC = "general-criminal"


def native_categories(obligation: Obligation, convention_topic: str) -> list[str]:
    """The duty's categories that belong to its convention's subject: "organizing or
    financing" is a drug offence's category, so for the Trafficking Protocol's "organizing
    or directing others" it does not bring the drugs Acts in (CATEGORY_SUBJECTS lists where
    each category lives); all of them when none does or the convention is on crime in general."""
    if not convention_topic or convention_topic == GENERAL_TOPIC:
        return list(obligation.category)
    native = [c for c in obligation.category
              if c not in CATEGORY_SUBJECT or convention_topic in CATEGORY_SUBJECTS.get(c, (CATEGORY_SUBJECT[c],))
              or CATEGORY_SUBJECT[c] == GENERAL_TOPIC]
    return native or list(obligation.category)


def allowed_topics(obligation: Obligation, convention_topic: str) -> set[str] | None:
    """Corpus topics of the statutes that can carry out a duty of a convention on
    `convention_topic`: its own subject, the general criminal law, the specialised Acts of the
    duty's categories and type; None (any) for a convention on crime in general (UNTOC)."""
    if not convention_topic or convention_topic == GENERAL_TOPIC:
        return None
    topics = {convention_topic, GENERAL_TOPIC, *NEIGHBOUR_TOPICS.get(convention_topic, ())}
    topics.update(CATEGORY_TOPIC[c] for c in native_categories(obligation, convention_topic) if c in CATEGORY_TOPIC)
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


# Headings of general party liability: "Parties to offence", "Person counselling offence",
# "Complicity and common purpose", "Abetment" (not "Counselling or aiding suicide").
PARTY_HEADING = re.compile(r"^\W*(?:part(?:y|ies)\s+to\s+(?:an?\s+)?offen[cs]es?|complicity\b|abetment\b|(?:person\s+)?"
                           r"(?:counsell?ing|aiding|abetting|procuring|inciting)(?:\s+(?:or|and)\s+\w+)?\s+(?:an?\s+)?offen[cs]es?\b|"
                           r"accessor(?:y|ies)\b|incitement\b)", re.I)
# Words that make a legal person liable (the rule a liability-of-legal-persons duty asks for):
#   "Offences by a body corporate", "Criminal liability of corporations", "This Code applies
#   to bodies corporate in the same way as it applies to individuals", "A body corporate may be
#   found guilty of any offence", "the company shall be guilty", "an organization is a party
#   to the offence", "person includes any board, society or company".
LEGAL_PERSON = (r"(?:bod(?:y|ies)\s+corporate|compan(?:y|ies)|corporations?|legal\s+(?:persons?|entit(?:y|ies))|firms?"
                r"|organi[sz]ations?)")
# "person includes any Company or Association or body of persons", "every one, person and owner ...
# include ... an organization", "person, owner, and other words and expressions of the like kind,
# include the Crown ... and any board, society, or company".
PERSON_INCLUDES = (rf"\b(?:every\s*one|person)\b[^.;:\n]{{0,100}}?\binclude[sd]?\b[^.;\n]{{0,160}}?\b{LEGAL_PERSON}")
# The general criminal law's rule for all its offences: "This Code applies to bodies corporate in
# the same way as it applies to individuals", "A body corporate may be found guilty of any offence",
# and its interpretation of "person" (PERSON_INCLUDES).
GENERAL_LEGAL_PERSON = re.compile(
    rf"\bappl(?:y|ies)\s+to\s+{LEGAL_PERSON}\s+in\s+the\s+same\s+way|\b{LEGAL_PERSON}\s+may\s+be\s+found\s+guilty\s+of\s+any"
    rf"|{PERSON_INCLUDES}", re.I)
LEGAL_PERSON_LIABLE = re.compile(
    rf"\boffen[cs]es?\s+(?:committed\s+)?by\s+(?:an?\s+)?{LEGAL_PERSON}|\bliability\s+of\s+{LEGAL_PERSON}"
    rf"|\bappl(?:y|ies)\s+to\s+{LEGAL_PERSON}|\b{LEGAL_PERSON}\s+(?:may|shall|is|are)\s+(?:be\s+)?(?:found\s+)?(?:guilty|liable|convicted|a\s+party)"
    rf"|{PERSON_INCLUDES}", re.I)
EXTRADITION_HEADING = re.compile(r"\bextradit\w*", re.I)
# Conduct by which a party-liability provision reaches an offence: "aids, abets, counsels or procures".
PARTY_CONDUCT = ("aid", "abet", "counsel", "procure", "incite", "instruct")


def party_liability(ctx: CountryContext, obligation: Obligation, section: Provision, facts: ProvisionFacts | None) -> bool:
    """Whether `section` is a party-liability provision of the general criminal law that
    reaches the duty (alignment.toml [reach]): its categories include a generic one listed
    for the duty's category and its Act is a general code."""
    return section.id in ctx.party_set(obligation)


def reach_as_party(ctx: CountryContext, elements: ElementMatch, section: Provision) -> None:
    """A party-liability provision shows no conduct of the duty ("organize", "finance") but
    reaches it for any offence: conduct met as a party, object met by "any offence" (broader),
    and the decision partial, naming the words ("aids", "abets")."""
    if "conduct" not in elements.missing:
        return
    words = ctx.party_words(section.id)
    if not words:
        return
    del elements.missing["conduct"]
    elements.found["conduct"] = [f"(as a party: {' / '.join(words)})"]
    if "object" in elements.missing:
        del elements.missing["object"]
        elements.found["object"] = ["(any offence)"]
        elements.broader.append("object")
    elements.narrower[PARTY_ELEMENT] = words


PARTY_ELEMENT = "party liability only"
SCOPE_ELEMENT = OWN_OFFENCES  # align/elements.py NARROWING


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
    # death counts where a tier sentences to death (`PenaltyTier.death`), not where the clause
    # only names it ("an offence punishable with death": `death_named`), as in the comparison
    return bool(pen.life or pen.death or (pen.longest_months or 0) >= threshold)


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
    record = facts.offence if facts else None
    # A liability rule's scope is its condition ("When an offence against this Act ... is committed
    # by a corporation"): read from the whole text; an offence's requirements from its defining words.
    defining = (f"{section.heading}\n{section.text}" if obligation.type == "liability of legal persons"
                else defining_text(section.heading, section.text))
    # An offence's conduct is read in its defining words and the definitions of its words of conduct
    # (or its record): "border controlled plant ... is a growing plant" grows nothing.
    offence_words = "\n".join([defining, *ctx.conduct_definitions(section)]) if record is not None else None
    elements = match_elements(obligation, ctx.with_definitions(section), record, defining, offence_words)
    signals = {"retrieval": retrieval_signal(rank), "elements": elements.coverage}
    if obligation.category:
        signals["category"] = category_signal(obligation, facts, ctx.topics.get(section.instrument, ""))
        if signals["category"] < IN_TEXT and set(obligation.category) & ctx.categories_by_definition(section):
            signals["category"] = IN_TEXT  # "produce" is defined to include "cultivating"
        if record is not None and set(obligation.category) & set(record.categories):
            # The offence record decided the category from conduct + object + the law's subject
            # ("possesses ... sells ... any narcotic drug" is possession for trafficking).
            own = {CATEGORY_SUBJECT.get(c) for c in set(obligation.category) & set(record.categories)}
            signals["category"] = max(signals["category"], IN_SPECIALISED_TEXT if record.subject in own else IN_TEXT)
        if (record is not None and record.subject in EXCLUDED_SUBJECTS) or ctx.excluded_regime(section):
            # War crimes, treason, abortion: never an offence of the categories they mention
            # (the witness offences of International Criminal Court proceedings are not
            # obstruction of a country's justice).
            signals["category"] = 0.0
        elif party_liability(ctx, obligation, section, facts):
            signals["category"] = max(signals["category"], GENERIC_CREDIT)
            reach_as_party(ctx, elements, section)
            signals["elements"] = elements.coverage
        if obligation.type == "liability of legal persons" and section.id in ctx.legal_person_rules():
            # The general criminal law's own rule for legal persons is the duty's category, named.
            signals["category"] = max(signals["category"], 1.0)
        if "official" in elements.missing:
            # Bribery that names no public official ("with intent to extort", "offers any
            # reward", "sexual gratification") is not the offence the duty asks for.
            signals["category"] = 0.0
        rule_sections = extradition_rule_sections(ctx, obligation)
        if rule_sections:
            # The sections the extradition rule is read from are where such a duty is carried
            # out; the Act's other sections (procedure, surrender) only mention extradition.
            # So is a section of an Act on the convention's subject headed as being about
            # extradition ("Offences deemed to be included in extradition treaties" in a drugs Act).
            deems = (ctx.topics.get(section.instrument) == ctx.convention_topic(obligation)
                     and bool(EXTRADITION_HEADING.search(section.heading or "")))
            signals["rule"] = 1.0 if section.id in rule_sections or deems else 0.0
            signals["category"] = max(signals["rule"], min(signals["category"], 0.6))
    topics = allowed_topics(obligation, ctx.convention_topic(obligation))
    if topics is not None:
        # The Act's subject, or for an offence of a general code the subject its
        # Part/Chapter/Division heading gives it (the offence record's subject).
        record_subject = facts.offence.subject if facts and facts.offence else ""
        act_topic = ctx.topics.get(section.instrument, "")
        if act_topic == GENERAL_TOPIC and record_subject and record_subject != GENERAL_TOPIC:
            signals["topic"] = 1.0 if record_subject in topics else 0.0
        else:
            signals["topic"] = 1.0 if act_topic in topics else 0.0
    if obligation.type in PENALISED_TYPES:
        # A penalty of its own, or the words that attach the penalty of another offence.
        signals["penalty"] = 1.0 if creates_liability(section, facts) else 0.0
    if outline(section):
        signals["operative"] = 0.0
    return CandidateScore(
        provision=section,
        source=ctx.sources.get(section.instrument, ""),
        score=combine(signals),
        signals=signals,
        elements=elements,
        threshold_ok=threshold_holds(obligation, facts),
        companions=ctx.defining_sections(section, obligation, elements.found.get("conduct", [])),
    )


# Sections that guide the reader through an Act rather than provide anything: "Simplified outline
# of this Part", "Overview", "Outline of offences", and "The confiscation scheme (Chapter 2)":
# "Chapter 2 sets out a number of processes relating to confiscation: ... (b) forfeiture orders
# under which property is forfeited to the Commonwealth (see Part 22)". The sections they point
# to carry the duty; the outline itself is scaled by not_an_offence and grounds nothing.
OUTLINE_HEADING = re.compile(r"^\W*(?:simplified\s+)?(?:outline|overview)\b", re.I)
OUTLINE_OPENING = re.compile(r"^\W*(?:\(\d+\)\s*)?(?:this\s+|the\s+)?(?:Act|Chapter|Part|Division|Subdivision)(?:\s+[\dA-Z.]+)?\s+"
                             r"(?:sets\s+out|deals\s+with|is\s+about|contains)\b", re.I)
POINTER = re.compile(r"\(see\s+(?:also\s+)?(?:Parts?|Divisions?|Chapters?|Subdivisions?|sections?)\b", re.I)


def outline(section: Provision) -> bool:
    """Whether the section is an outline of its Act (see OUTLINE_HEADING)."""
    if OUTLINE_HEADING.search(section.heading or ""):
        return True
    return bool(OUTLINE_OPENING.match(section.text or "")) and len(POINTER.findall(section.text or "")) >= 2


def duty_subjects(obligation: Obligation, convention_topic: str) -> set[str]:
    """The subjects a country's corpus must hold for the duty to be judged on it: the
    subjects of its offence categories (CATEGORY_SUBJECTS of analyze/offences.py, the general
    criminal law left out: every country has one), the Acts its type lives in (extradition,
    mutual assistance, confiscation), and for a duty with neither the convention's subject
    ("drug offences must carry grave sanctions"). Empty when the general criminal law reaches
    the duty (participation in a group, obstruction, conspiracy) or the convention is UNTOC."""
    subjects = set(TYPE_TOPICS.get(obligation.type, ()))
    offences = [c for c in native_categories(obligation, convention_topic) if c in CATEGORY_SUBJECT]
    if offences and all(CATEGORY_SUBJECT[c] == GENERAL_TOPIC for c in offences):
        return set()
    for category in offences:
        subjects.update(s for s in CATEGORY_SUBJECTS.get(category, (CATEGORY_SUBJECT[category],)) if s != GENERAL_TOPIC)
    if not subjects and convention_topic and convention_topic != GENERAL_TOPIC:
        subjects.add(convention_topic)
    return subjects


def corpus_state(ctx: CountryContext, obligation: Obligation) -> tuple[str, str]:
    """("", "") when the corpus holds an analysed statute that can carry out the duty; else
    (NOT_ANALYSED or NO_STATUTE, the sentence that says so). Two questions, both on what the
    corpus holds: is there an analysed statute on a subject of the duty (`duty_subjects`, read
    from align/offences.corpus_subjects), and is any Act the duty can live in
    (`allowed_topics`) there at all, and in English. The committee report and the pages show
    this one answer."""
    holdings = ctx.holdings()
    held = [holdings[s] for s in sorted(duty_subjects(obligation, ctx.convention_topic(obligation))) if s in holdings]
    if not held or any(h.state == ANALYSED for h in held):
        return acts_state(ctx, obligation)
    subjects = " or ".join(h.subject for h in held)
    unread = [h for h in held if h.state == NOT_ANALYSED]
    if unread:
        languages = "/".join(sorted({lang for h in unread for lang in h.languages}))
        return NOT_ANALYSED, (f"not analysed: {ctx.country}'s statutes on {subjects} are in {languages}, "
                              "which the analysis does not read")
    return NO_STATUTE, f"no statute in the corpus: {ctx.country}'s corpus holds no statute on {subjects}"


def acts_state(ctx: CountryContext, obligation: Obligation) -> tuple[str, str]:
    """NO_STATUTE when the country holds no Act on a topic that can carry out the duty
    (``allowed_topics``: a drugs duty lives in a drugs Act or the criminal code, not in an
    extradition Act), NOT_ANALYSED when every such Act is in a language the analysis does not
    read (Arabic, Bengali); ("", "") when an English one is there."""
    topics = allowed_topics(obligation, ctx.convention_topic(obligation))
    acts = [i for i, topic in ctx.topics.items() if topics is None or topic in topics]
    if not acts:
        return NO_STATUTE, (f"no statute in the corpus: {ctx.country}'s corpus holds no Act on "
                            f"{' or '.join(sorted(topics or ()))}")
    if all(ctx.languages[i] != "en" for i in acts):
        unread = sorted({LANGUAGE_NAMES.get(ctx.languages[i], ctx.languages[i]) for i in acts})
        return NOT_ANALYSED, (f"not analysed: {ctx.country}'s Acts that could carry out this duty are in "
                              f"{'/'.join(unread)}, which the analysis does not read")
    return "", ""


def judge(obligation: Obligation, cand: CandidateScore, rules: Rules = RULES) -> tuple[str, list[str]]:
    """(status, missing elements) the duty would have if `cand` were the provision carrying it.

    `missing` unless the provision is grounded (its offence category detected, or a generic
    offence reaching it; elements alone ground a duty with no category, or within the
    specialised Act; an extradition duty needs the rule's section or an extradition heading);
    `covered` when its score >= COVERED, the category is in the heading or the specialised
    Act's text, the Act is on a subject of the duty, no required element is missing and the
    threshold holds; `partial` when its score >= PARTIAL; else `missing`."""
    missing = list(cand.elements.missing_elements)
    if cand.threshold_ok is False:
        missing.append(f"threshold: maximum penalty of at least {obligation.elements.threshold_months} months")
    category = cand.signals.get("category")
    if category is None:  # a duty with no offence category: its elements decide
        grounded = cand.elements.coverage >= rules.cutoffs["min_elements"]
    else:  # elements alone ground only within the specialised Act: elsewhere the words are scattered
        grounded = category >= MIN_CATEGORY or (category >= IN_SPECIALISED_ACT
                                                and cand.elements.coverage >= rules.cutoffs["min_elements"])
    if obligation.type == "criminalization" and cand.signals.get("penalty") == 0.0:
        grounded = False  # a procedure, power or definition creates no part of an offence
    if cand.signals.get("operative") == 0.0:
        grounded = False  # an outline points to the sections that carry the duty
    if obligation.type == "criminalization" and OFFENCE_KEYS & set(cand.elements.missing):
        # Another offence: a provision carries part of a criminalization duty only when it
        # punishes the duty's conduct (any alternative) on its object (and, for a duty about
        # public officials, names one); "possession of firearms" is not their manufacture,
        # a conspiracy to commit "an offence under this Act" is not participation in an
        # organized criminal group.
        grounded = False
    if obligation.type == "liability of legal persons" and not LEGAL_PERSON_LIABLE.search(
            f"{cand.provision.heading}\n{cand.provision.text}"):
        grounded = False  # a fine "for a body corporate" in a penalty clause is not the rule that makes it liable
    if obligation.type == "extradition":
        # Any Act may mention extradition in passing; the duty is met by the extradition
        # rule's own sections or a section headed as being about extradition.
        grounded = cand.signals.get("category", 1.0) >= 1.0
    if not grounded:
        return "missing", missing
    if (cand.score >= rules.cutoffs["covered"] and not missing and cand.signals.get("category", 1.0) >= COVERED_CATEGORY
            and cand.signals.get("topic", 1.0) == 1.0):  # an Act on another subject is at most partial
        return "covered", []
    if cand.score >= rules.cutoffs["partial"]:
        return "partial", missing
    return "missing", missing


def _listing(phrases: list[str]) -> str:
    return " or ".join(f'"{p}"' for p in phrases[:3])


def partial_reason(ctx: CountryContext | None, obligation: Obligation, cand: CandidateScore) -> str:
    """One sentence naming what keeps the deciding provision from carrying the whole duty."""
    cite = ctx.cite(cand.provision) if ctx else f"s.{cand.provision.number}"
    if PARTY_ELEMENT in cand.elements.narrower:
        what = " or ".join(obligation.category) or "the duty"
        return (f"partial: {cite} reaches {what} only through general party liability "
                f"({_listing(cand.elements.narrower[PARTY_ELEMENT])}), not as an offence of its own")
    narrower = dict(cand.elements.narrower)
    scope = narrower.pop(SCOPE_ELEMENT, None)
    if narrower:
        return f"partial: {cite} requires {narrowing_words(narrower)}; the {obligation.instrument} does not"
    if scope:
        return (f"partial: {cite} reaches only its own Act's offences ({_listing(scope)}); the "
                f"{obligation.instrument} duty reaches serious crime in general")
    parts = []
    for key, phrases in cand.elements.missing.items():
        if key == "mental":
            continue
        parts.append(f"the {KEY_WORDS.get(key, key)} {_listing(phrases)}")
    if parts:
        return f"partial: {cite} does not show {' nor '.join(parts)}, which the duty requires"
    if cand.threshold_ok is False:
        return (f"partial: {cite} does not carry a maximum of at least "
                f"{obligation.elements.threshold_months / 12:g} years, which the duty requires")
    if cand.signals.get("topic", 1.0) < 1.0:
        topic = ctx.topics.get(cand.provision.instrument, "") if ctx else ""
        return f"partial: {cite} is in an Act on {topic or 'another subject'}, not on the subject of the duty"
    if cand.signals.get("category", 1.0) < COVERED_CATEGORY:
        what = " or ".join(obligation.category) or "the duty"
        return f"partial: {cite} mentions {what} but its heading and Act do not make it the offence they create"
    return f"partial: {cite} carries the duty's words only in part (score {cand.score:.2f} of the {COVERED:.2f} needed)"


def narrowing_words(narrower: dict[str, list[str]]) -> str:
    """ 'abduction or force even when the victim is a child, and movement across a border ("the coming into Canada")' """
    parts = []
    for element, words in narrower.items():
        if element == "means":
            parts.append(f"{' or '.join(words)} even when the victim is a child")
        else:
            parts.append(f"{element} ({_listing(words)})")
    return ", and ".join(parts)


KEY_WORDS = {"conduct": "conduct", "object": "object", "purpose": "purpose", "means": "means", "official": "official"}


def missing_reason(ctx: CountryContext | None, obligation: Obligation, listed: list[CandidateScore]) -> str:
    what = " or ".join(obligation.category) or "the duty"
    if not listed:
        return f"missing: no provision of the country's statutes was found that carries {what}"
    cite = ctx.cite(listed[0].provision) if ctx else f"s.{listed[0].provision.number}"
    if obligation.type == "extradition":
        why = "is not a section of the extradition rule nor headed as being about extradition"
    elif obligation.category:
        why = f"does not make {what} an offence"
    else:
        why = "does not show the duty's elements"
    return f"missing: none of the {len(listed)} provisions read carries it; the closest, {cite}, {why}"


def combine(signals: dict[str, float], rules: Rules = RULES) -> float:
    """The weighted mean of the signals that apply; a section that creates no offence is
    scaled by not_an_offence (a power, procedure or definition, not the offence a duty asks for),
    and so is an outline of its Act (`operative` 0: it points to the sections that provide)."""
    weights = rules.weights
    total = sum(weights[k] for k in signals if k in weights)
    score = sum(weights[k] * v for k, v in signals.items() if k in weights) / total if total else 0.0
    inoperative = signals.get("penalty") == 0.0 or signals.get("operative") == 0.0
    return score * rules.cutoffs["not_an_offence"] if inoperative else score


def decide(obligation: Obligation, ranked: list[CandidateScore], ctx: CountryContext | None = None,
           rules: Rules = RULES, evidence: bool = True) -> Alignment:
    """Status from the best QUALIFYING candidate (the top-scored one unless it does not qualify
    at all, then the best that does), which is listed first; the score is that candidate's, so
    a status and its score agree (a duty no provision is grounded for is `missing` at 0)."""
    above = [c for c in ranked if c.score >= rules.cutoffs["floor"]]
    listed = above[:MAX_PROVISIONS]
    if listed and all(judge(obligation, c, rules)[0] == "missing" for c in listed):
        # None of the first ones qualifies: the best that does further down is the one to show
        # (a general rule for legal persons below ten sector clauses that do not make them liable).
        further = next((c for c in above[MAX_PROVISIONS:] if judge(obligation, c, rules)[0] != "missing"), None)
        if further is not None:
            listed = [further, *listed[:MAX_PROVISIONS - 1]]
    if evidence:  # calibration re-decides many times without re-reading the sentences
        for cand in listed:
            cand.evidence = evidence_span(obligation, cand.provision.text, cand.elements,
                                          defining_text(cand.provision.heading, cand.provision.text))
    if not listed:
        return Alignment(obligation, "missing", 0.0, reason=missing_reason(ctx, obligation, []))
    verdicts = [judge(obligation, c, rules) for c in listed]
    # The top-scored provision decides unless it does not qualify at all; then the best that
    # does (a section that carries the duty scored below one that only mentions it). A partial
    # top gives way to a provision that covers the duty within `covered_within` of its score:
    # an aggravated form (commercial quantity, force required) beside the basic offence.
    best = 0 if verdicts[0][0] != "missing" else min(
        range(len(listed)), key=lambda i: (STATUS_RANK[verdicts[i][0]], -listed[i].score))
    if verdicts[best][0] == "partial":
        # ... and a narrower one (its scope or a requirement the duty lacks) to one that is not,
        # when that one is an offence of the duty's category with all of its elements: IPC s.370,
        # trafficking that requires force even for children, does not give way to a custody
        # section without the purpose of exploitation, nor an organising offence limited to the
        # border to a section that only mentions trafficking.
        near = [i for i, v in enumerate(verdicts)
                if listed[i].score >= listed[best].score - rules.cutoffs["covered_within"]
                and (v[0] == "covered" or (v[0] == "partial" and listed[best].elements.narrower
                                           and not listed[i].elements.narrower and complete(listed[i])))]
        best = min(near, key=lambda i: (STATUS_RANK[verdicts[i][0]], i)) if near else best
    status, missing = verdicts[best]
    # The provisions that carry the duty as a set (NDPS ss.15-23, one per kind of drug): every
    # listed provision judged as well as the deciding one.
    together = [c for c, v in zip(listed, verdicts) if v[0] == status and c is not listed[best]]
    # The deciding provision first, then the others that qualify, then those that do not; a
    # provision that does not carry the duty shows a score below the partial cut-off (its
    # signals keep why it was read), so no page shows "missing" beside a high score.
    lead = listed[best]
    order = sorted(range(len(listed)), key=lambda i: (i != best, verdicts[i][0] == "missing"))
    for i, (cand, verdict) in enumerate(zip(listed, verdicts)):
        if verdict[0] == "missing":
            cand.score = min(cand.score, round(rules.cutoffs["partial"] - 0.01, 2))
    listed = [listed[i] for i in order]
    if status == "missing":
        return Alignment(obligation, status, 0.0, missing, listed, missing_reason(ctx, obligation, listed))
    # The definitions that give a carrying offence the duty's conduct carry it with the offence
    # ("Meaning of traffics" with "Trafficking controlled drugs"): listed right after it.
    listed, defining = with_companions(listed, ranked, [lead, *together], rules)
    for cand in defining if evidence else ():
        cand.evidence = cand.evidence or evidence_span(obligation, cand.provision.text, cand.elements)
    carried = [lead, *together, *defining]
    if status == "partial":
        return Alignment(obligation, status, lead.score, missing, listed, partial_reason(ctx, obligation, lead),
                         [c.provision.id for c in carried])
    verb = "carries" if len(carried) == 1 else "together carry"
    return Alignment(obligation, status, lead.score, [], listed,
                     f"covered: {cite_set(ctx, [c.provision for c in carried])} {verb} the duty",
                     [c.provision.id for c in carried])


def complete(cand: CandidateScore) -> bool:
    """An offence of the duty's category (heading, specialised Act or record) that shows every
    required element (a mental element may be implied)."""
    return cand.signals.get("category", 1.0) >= COVERED_CATEGORY and not set(cand.elements.missing) - set(SOFT_KEYS)


def with_companions(listed: list[CandidateScore], ranked: list[CandidateScore], carriers: list[CandidateScore],
                    rules: Rules = RULES) -> tuple[list[CandidateScore], list[CandidateScore]]:
    """`listed` with the defining sections of each carrier (`CandidateScore.companions`) moved
    (or, when below the floor or the listing's end, brought) right after it; and those sections.
    One brought in was not judged: a definition creates no offence of its own, so it shows a
    score below the partial cut-off."""
    by_id = {c.provision.id: c for c in ranked}
    shown = {id(c) for c in listed}
    out: list[CandidateScore] = []
    defining: list[CandidateScore] = []
    placed: set[int] = set()
    carrier_ids = {id(c) for c in carriers}
    for cand in listed:
        if id(cand) in placed:
            continue
        out.append(cand)
        placed.add(id(cand))
        if id(cand) not in carrier_ids:
            continue
        for pid in cand.companions:
            comp = by_id.get(pid)
            if comp is None or id(comp) in placed or id(comp) in carrier_ids:
                continue
            if id(comp) not in shown:  # not judged with the listed ones: a definition, below the partial cut-off
                comp.score = min(comp.score, round(rules.cutoffs["partial"] - 0.01, 2))
            out.append(comp)
            placed.add(id(comp))
            defining.append(comp)
    return out, defining


def cite_set(ctx: CountryContext | None, sections: list[Provision], most: int = 6) -> str:
    """ "Narcotic Drugs and Psychotropic Substances Act, 1985 s.15, s.16, s.17 (and 4 more)" """
    by_act: dict[str, list[str]] = {}
    for section in sections[:most]:
        by_act.setdefault(section.instrument, []).append(f"s.{section.number}")
    titles = {i: short_title(ctx.titles.get(i, i)) if ctx else "" for i in by_act}
    text = "; ".join(f"{titles[i]} {', '.join(nums)}".strip() for i, nums in by_act.items())
    return text + (f" (and {len(sections) - most} more)" if len(sections) > most else "")


def reconcile(alignments: list[Alignment]) -> list[Alignment]:
    """Parents and children agree: a parent is not `missing` while one of its paragraphs is
    covered or partial (it becomes partial), nor `covered` while a mandatory paragraph is
    missing (it becomes partial, naming the paragraph). States that say the corpus cannot
    tell are left as they are. Children are reconciled before their parents."""
    by_id = {a.obligation.id: a for a in alignments}
    children: dict[str, list[Alignment]] = {}
    for a in alignments:
        if a.obligation.parent in by_id:
            children.setdefault(a.obligation.parent, []).append(a)

    def depth(a: Alignment) -> int:
        n, ob = 0, a.obligation
        while ob.parent in by_id:
            n, ob = n + 1, by_id[ob.parent].obligation
        return n

    for parent in sorted(alignments, key=depth, reverse=True):
        kids = children.get(parent.obligation.id, [])
        if not kids or parent.status in NO_DATA:
            continue
        # A paragraph carries part of its parent when it is about the same offences: an
        # attempt or accessory paragraph covered by the general law does not carry the offence.
        carried = [k for k in kids if k.status in ("covered", "partial")
                   and (not parent.obligation.category or set(k.obligation.category) & set(parent.obligation.category))]
        if parent.status == "missing" and carried:
            parent.status = "partial"
            parent.score = max(k.score for k in carried)
            parent.carried_by = list(dict.fromkeys(p for k in carried for p in k.carried_by))
            parent.reason = f"partial: carried in part by {', '.join(k.obligation.id for k in carried)}"
        gaps = [k for k in kids if k.status == "missing" and k.obligation.level == "mandatory"]
        if parent.status == "covered" and gaps:
            parent.status = "partial"
            parent.reason = f"partial: the mandatory {', '.join(k.obligation.id for k in gaps)} {'is' if len(gaps) == 1 else 'are'} missing"
    return alignments


def scored_candidates(ctx: CountryContext, obligation: Obligation, retrieve: Retriever | None) -> list[CandidateScore]:
    """Every candidate section of the duty with its signals and score, best first, each law
    held twice in the corpus listed once."""
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
    # The sections whose definitions give a candidate the duty's conduct are read too, retrieved or not.
    seen = set(candidates)
    for cand in list(scored):
        for pid in cand.companions:
            if pid not in seen and (section := ctx.provision(pid)) is not None:
                seen.add(pid)
                scored.append(score_candidate(ctx, obligation, section, ranks.get(pid)))
    return rank_candidates(ctx, scored)


def rank_candidates(ctx: CountryContext, scored: list[CandidateScore]) -> list[CandidateScore]:
    # Equal scores put the general criminal law first (it reaches every offence, a sector
    # Act's clause only its own), then (the same section in two copies of a law) the official markup.
    scored = sorted(scored, key=lambda c: (-round(c.score, 6), ctx.topics.get(c.provision.instrument) != GENERAL_TOPIC,
                                           ctx.formats.get(c.provision.instrument) not in MARKUP_FORMATS))
    return without_copies(ctx, scored)


def with_corpus_state(result: Alignment, state: str, reason: str) -> Alignment:
    """Where the corpus cannot tell, say so: the provisions found stay listed as the nearest, not as evidence."""
    if state:
        result.status, result.score, result.reason, result.missing_elements, result.carried_by = state, 0.0, reason, [], []
    return result


def align_obligation(ctx: CountryContext, obligation: Obligation, retrieve: Retriever | None) -> Alignment:
    result = decide(obligation, scored_candidates(ctx, obligation, retrieve), ctx)
    return with_corpus_state(result, *corpus_state(ctx, obligation))


def without_copies(ctx: CountryContext, ranked: list[CandidateScore]) -> list[CandidateScore]:
    """Keep the best of the same section of the same law held twice in the corpus (IND NDPS
    Act as XML and as Markdown): same year, topic, number and heading."""
    seen: set[tuple] = set()
    kept = []
    for cand in ranked:
        prov = cand.provision
        key = copy_key(ctx.country, ctx.years.get(prov.instrument), ctx.topics.get(prov.instrument), prov.number,
                       prov.heading)
        if key not in seen:
            seen.add(key)
            kept.append(cand)
    return kept


def align_country(
    store: Store, country: str, obligations: list[Obligation], retrieve: Retriever | None
) -> list[Alignment]:
    """Every obligation, in catalogue order, including the missing ones."""
    ctx = CountryContext(store, country)
    return reconcile([align_obligation(ctx, ob, retrieve) for ob in obligations])
