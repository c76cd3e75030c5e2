"""Offence categories: a controlled vocabulary shared with the obligations catalogue.

A category is recognised when every term group its rule needs is found (lemma-based
PhraseMatcher over the provision's heading and text). The matched words are the evidence.
"""

from __future__ import annotations

import functools
import re

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from harmonize.analyze.nlp import get_nlp
from harmonize.model import CategoryMatch

# The controlled vocabulary. Obligations use the same strings (obligations/schema).
CATEGORIES = (
    "drug trafficking",
    "cultivation",
    "possession for trafficking",
    "precursors and equipment",
    "organizing or financing",
    "drug money laundering",
    "personal-use possession",
    "incitement and conspiracy",
    "participation in an organized criminal group",
    "money laundering",
    "obstruction of justice",
    "trafficking in persons",
    "smuggling of migrants",
    "firearms manufacturing",
    "firearms trafficking",
    "firearms markings",
    "terrorist financing",
    "bribery",
    "embezzlement",
    "trading in influence",
    "illicit enrichment",
    "confiscation",
    "extradition",
    "mutual legal assistance",
    "liability of legal persons",
)
# Categories of cooperation and of measures, not of offences: extradition is analysed for the others.
NON_OFFENCE_CATEGORIES = ("confiscation", "extradition", "mutual legal assistance")
OFFENCE_CATEGORIES = tuple(c for c in CATEGORIES if c not in NON_OFFENCE_CATEGORIES)

# Term groups, written as the statutes write them; matched on lemmas.
TERMS: dict[str, list[str]] = {
    "drug": ["drug", "narcotic", "psychotropic", "controlled substance", "controlled drug", "dangerous drug",
             "cocaine", "heroin", "opium", "cannabis", "morphine", "methamphetamine", "marihuana", "marijuana",
             "coca", "poppy", "narcotic drug", "psychotropic substance", "substance included in schedule",
             "substance included in any of schedules", "substance listed in schedule", "substance specified in schedule"],
    "traffic_verb": ["traffic", "trafficking", "sell", "sale", "supply", "distribute", "distribution", "deal",
                     "dealing", "import", "export", "transport", "deliver", "dispense", "offer for sale",
                     "manufacture", "produce", "production", "smuggle"],
    "cultivate": ["cultivate", "cultivation", "grow", "plant"],
    "possess": ["possess", "possession", "in possession"],
    "purpose_traffic": ["purpose of trafficking", "intent to distribute", "for sale", "purpose of sale",
                        "for the purpose of", "intent to sell", "purpose of supply", "for supply"],
    "personal": ["personal use", "personal consumption", "consume", "consumption", "use of"],
    "precursor": ["precursor", "controlled chemical", "listed chemical", "essential chemical", "equipment",
                  "material", "controlled precursor", "table i", "table ii", "scheduled substance",
                  "for use in production", "for use in the production", "used in the production", "used to produce",
                  "used in the manufacture", "intending that it will be used", "knowing that it will be used"],
    "organize_finance": ["finance", "financing", "organize", "organise", "manage", "management of", "direct"],
    "launder": ["launder", "laundering", "proceeds of crime", "proceed of crime", "conceal", "disguise",
                "convert", "criminal property", "proceeds", "tainted property", "property derived"],
    "person_traffic": ["trafficking in person", "traffic in person", "trafficking in persons", "human trafficking",
                       "trafficking of person", "slavery", "forced labour", "forced labor", "servitude",
                       "sexual exploitation", "exploitation", "trafficked person", "debt bondage", "peonage",
                       "trafficking in people", "trafficking in human being"],
    "migrant": ["smuggling of migrant", "people smuggling", "migrant smuggling", "migrant", "illegal entry",
                "unlawful entry", "alien", "non-citizen", "noncitizen", "non citizen", "human smuggling",
                "enter canada", "entry into", "illegal immigrant", "smuggle"],
    "smuggle_act": ["smuggle", "smuggling", "organise", "organize", "bring", "facilitate", "arrange", "induce",
                    "assist", "transport", "harbour", "harbor", "entry"],
    "firearm": ["firearm", "gun", "weapon", "ammunition", "arm", "pistol", "rifle", "revolver", "prohibited weapon"],
    "manufacture": ["manufacture", "make", "assemble", "manufacturing"],
    "arms_traffic": ["traffic", "trafficking", "sell", "sale", "transfer", "import", "export", "deal", "dealing",
                     "smuggle", "transport", "deliver"],
    "marking": ["serial number", "marking", "mark", "obliterate", "deface", "alter", "remove"],
    "group": ["organized criminal group", "organised criminal group", "criminal organization",
              "criminal organisation", "organized crime", "organised crime", "criminal group", "gang",
              "organized criminal", "racketeering", "enterprise"],
    "participate": ["participate", "participation", "member", "membership", "instruct", "commission",
                    "contribute", "direct", "recruit", "conduct"],
    "obstruct": ["obstruct", "obstruction", "intimidate", "intimidation", "pervert", "defeat", "interfere",
                 "tamper", "false testimony", "induce false", "witness", "dissuade"],
    "terror": ["terrorist", "terrorism", "terrorist act", "terrorist organization", "terrorist organisation",
               "terrorist property", "terrorist group"],
    "fund": ["fund", "finance", "financing", "property", "provide", "collect", "make available", "money"],
    "bribe": ["bribe", "bribery", "gratification", "undue advantage", "secret commission", "corruptly",
              "illegal gratification", "valuable thing", "reward", "inducement"],
    "official": ["public servant", "public official", "official", "officer", "judge", "foreign public official",
                 "member of parliament", "public officer"],
    "embezzle": ["embezzle", "embezzlement", "misappropriate", "misappropriation", "criminal breach of trust",
                 "fraudulently", "dishonest misappropriation"],
    "influence": ["trading in influence", "influence"],
    "enrich": ["illicit enrichment", "disproportionate to", "unexplained wealth", "known sources of income",
               "pecuniary resources"],
    "conspire": ["conspiracy", "conspire", "abet", "abetment", "incite", "incitement", "attempt", "counsel",
                 "aid", "procure", "solicit", "criminal conspiracy", "party to an offence", "party to the offence",
                 "parties to offence", "parties to offences", "accessory", "accessories"],
    "confiscate": ["confiscation", "confiscate", "forfeiture", "forfeit", "freezing", "seizure", "restraint",
                   "restraining order", "forfeiture order", "confiscation order", "seize", "freeze"],
    "extradite": ["extradition", "extradite", "surrender", "fugitive", "extradition offence",
                  "extraditable offence", "extradition crime"],
    "legal_person": ["body corporate", "legal person", "legal entity", "corporation", "company", "organization",
                     "organisation", "firm", "corporate body", "incorporated", "unincorporated"],
    "liable": ["liable", "liability", "guilty", "offence", "party to", "responsible", "responsibility"],
    "mla": ["mutual assistance", "mutual legal assistance", "request for assistance", "foreign request",
            "assistance in criminal matter", "letters of request", "foreign state request"],
}

# category -> term groups that must all match (any of several alternative rules).
RULES: dict[str, list[tuple[str, ...]]] = {
    "drug trafficking": [("drug", "traffic_verb")],
    "cultivation": [("drug", "cultivate")],
    "possession for trafficking": [("drug", "possess", "purpose_traffic")],
    "precursors and equipment": [("precursor", "drug")],
    "organizing or financing": [("organize_finance", "drug", "traffic_verb")],
    "drug money laundering": [("launder", "drug")],
    "personal-use possession": [("drug", "possess", "personal")],
    "incitement and conspiracy": [("conspire",)],
    "participation in an organized criminal group": [("group", "participate")],
    "money laundering": [("launder",)],
    "obstruction of justice": [("obstruct",)],
    "trafficking in persons": [("person_traffic",)],
    "smuggling of migrants": [("migrant", "smuggle_act")],
    "firearms manufacturing": [("firearm", "manufacture")],
    "firearms trafficking": [("firearm", "arms_traffic")],
    "firearms markings": [("firearm", "marking")],
    "terrorist financing": [("terror", "fund")],
    "bribery": [("bribe", "official"), ("bribe",)],
    "embezzlement": [("embezzle",)],
    "trading in influence": [("influence", "official", "bribe")],
    "illicit enrichment": [("enrich",)],
    "confiscation": [("confiscate",)],
    "extradition": [("extradite",)],
    "mutual legal assistance": [("mla",)],
    "liability of legal persons": [("legal_person", "liable")],
}


# A generic category and the specific offences carved out of it: a section whose heading
# names one of these ("... for use in production of ... substance") is that offence's section.
SPECIFIC_FORMS = {
    "drug trafficking": ("cultivation", "possession for trafficking", "precursors and equipment",
                         "organizing or financing", "drug money laundering", "personal-use possession"),
    "money laundering": ("drug money laundering",),
}

# The corpus topic (MANIFEST.tsv) of the specialised statutes for each category: a drug
# offence in a drugs Act is a stronger signal than the same words in a penal code.
CATEGORY_TOPIC = {
    "drug trafficking": "drugs", "cultivation": "drugs", "possession for trafficking": "drugs",
    "precursors and equipment": "drugs", "organizing or financing": "drugs", "drug money laundering": "drugs",
    "personal-use possession": "drugs", "money laundering": "aml", "trafficking in persons": "trafficking",
    "smuggling of migrants": "smuggling", "firearms manufacturing": "firearms", "firearms trafficking": "firearms",
    "firearms markings": "firearms", "terrorist financing": "terrorism-financing", "bribery": "corruption",
    "embezzlement": "corruption", "trading in influence": "corruption", "illicit enrichment": "corruption",
    "extradition": "extradition", "mutual legal assistance": "mla",
}


@functools.lru_cache(maxsize=1)
def _matcher() -> PhraseMatcher:
    nlp = get_nlp()
    matcher = PhraseMatcher(nlp.vocab, attr="LEMMA")
    for group, phrases in TERMS.items():
        matcher.add(group, list(nlp.pipe(phrases)))
    return matcher


def _outermost(matches: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """Drop a match lying strictly inside a longer one of another group: "organization" in
    "criminal organization" is not a legal person, "trafficking" in "trafficking in persons"
    is not drug trafficking. Equal spans in several groups ("smuggle") are all kept."""
    by_start: dict[int, list[tuple[int, int, int]]] = {}
    for match in matches:
        by_start.setdefault(match[1], []).append(match)
    longest = max((e - s for _, s, e in matches), default=0)

    def inside_longer(mid: int, start: int, end: int) -> bool:
        # only a match starting at most `longest` tokens earlier can hold this one (linear, not
        # quadratic: a 5-million-character section has tens of thousands of matches)
        return any(other != mid and end <= e and (e - s) > (end - start)
                   for s in range(max(0, start - longest), start + 1) for other, _, e in by_start.get(s, ()))

    return [(mid, start, end) for mid, start, end in matches if not inside_longer(mid, start, end)]


def term_groups(doc: Doc, by_sentence: bool = False) -> list[dict[str, list[str]]]:
    """group -> the words of `doc` that matched it; one dict per sentence when `by_sentence`."""
    sentence_of = {}
    if by_sentence:
        for i, sent in enumerate(doc.sents):
            sentence_of.update((t, i) for t in range(sent.start, sent.end))
    found: dict[int, dict[str, list[str]]] = {}
    for match_id, start, end in _outermost(_matcher()(doc)):
        words = doc[start:end].text.lower()
        group = doc.vocab.strings[match_id]
        bucket = found.setdefault(sentence_of.get(start, 0), {}).setdefault(group, [])
        if words not in bucket:
            bucket.append(words)
    return list(found.values()) or [{}]


DEFINITION_HEADING = re.compile(r"\b(?:interpretation|definitions?|meaning of)\b", re.I)


def classify(heading: Doc, text: Doc) -> list[CategoryMatch]:
    """Categories of one provision, those named in the heading first.

    A rule's term groups must meet in one sentence (or in the heading plus one sentence):
    a long section that mentions drugs in one subsection and sale in another is not
    drug trafficking. Definition sections name every term of an Act, so only their
    heading counts.
    """
    head_groups = term_groups(heading)[0]
    sentences = [{}] if DEFINITION_HEADING.search(heading.text) else term_groups(text, by_sentence=True)
    matches = []
    for category, rules in RULES.items():
        match = _first_match(category, rules, head_groups, sentences)
        if match:
            matches.append(match)
    return sorted(matches, key=lambda m: not m.in_heading)


def _first_match(category: str, rules, head_groups: dict, sentences: list[dict]) -> CategoryMatch | None:
    for rule in rules:
        for sentence_groups in sentences:
            groups = {g: head_groups.get(g, []) + sentence_groups.get(g, []) for g in rule}
            if all(groups.values()):
                evidence = [w for g in rule for w in dict.fromkeys(groups[g])][:8]
                return CategoryMatch(category, evidence, any(head_groups.get(g) for g in rule))
    return None
