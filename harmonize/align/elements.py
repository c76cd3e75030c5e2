"""Matching an obligation's elements (conduct, object, mental element, purpose, means) in a provision.

Both sides are lemmatised with the shared spaCy pipeline and compared as lower-case lemma
sequences, so "sells", "sold" and "sale of" meet the element "sell", and "cultivating"
meets "cultivate". A phrase matches when its lemma sequence appears on word boundaries.
Conduct is compared after the nominalisations of analyze/offences.py's CONDUCT table, so
"has in his or her possession" meets "possess" and "buys" meets "purchase"; a conduct
element is a disjunctive list: any one alternative is enough, except that a duty naming an
offence and its ancillaries ("recruit, transport ..., attempt, organize") needs the offence's
own conduct ("attempt" alone is another offence's attempt).

With the provision's offence record (analyze/offences.py) the legal semantics apply:
- a duty about public officials (bribery, embezzlement, trading in influence) needs the
  offence to name one ("public servant", "public officer", "foreign public official"): that
  requirement is its own element (`official`), not one alternative among the objects;
- conduct and object are also met by the record's normalised conduct and object kinds
  (object through the Act's definitions: "prohibited plant means cannabis plant ...");
- a national offence that requires no purpose (or no means) where the convention names one
  is BROADER and covers it: "possesses any narcotic drug" covers "possession ... for the
  purpose of trafficking"; the element is met and recorded in `broader`;
- a national offence with a requirement the convention lacks is NARROWER: recorded in
  `narrower` (element -> the national words that create it), so the decision is partial and
  its sentence names the element and the words. Requirements are read from the offence's
  defining words only (`defining_text`: the heading and the clauses before the penalty; a
  penalty tier's condition, "liable to imprisonment for life if they kidnap", "where the
  offence involves the trafficking of a minor", does not narrow the offence). The narrowings:
  - coercive means ("by means of abduction, fraud, deception", "uses force or threats")
    where the duty asks for no means at all (smuggling of migrants, against trafficking);
  - means (force, threat, deception, abduction, abuse of power ...) where the duty reaches
    child victims without them, and the defining words name no child: IPC-style
    "Whoever, for the purpose of exploitation, recruits ... a person ... by using threats";
  - movement across a border, where the duty is not about crossing (no import, export,
    smuggling, illegal entry or transnationality in it): "organize the coming into Canada of
    one or more persons", "bringing into the country", "entry ... into a foreign country",
    "across the border";
  - a minimum quantity, where the duty names none: "the quantity trafficked is a commercial
    quantity", "marketable quantity", "not less than 500 grams", "10 kilograms or more";
  - transnationality, where the duty does not ask for it (UNTOC art. 34(2): offences are
    established independently of their transnational nature): "transnational", "in more
    than one State";
  - a scope limited to the Act's own offences, where the duty reaches serious crime in
    general (liability of legal persons, UNTOC art. 10): "in relation to an offence against
    this Act", "contravention of this Part", "Where an offence under Chapter IV ...",
    "parties to offences under section 1, 2, 3 or 4", "Where
    an offence is committed against this Act", "a civil penalty provision in this Subdivision",
    "in a civil proceeding under, or arising out of, this Act" (a liability rule's scope is read
    from its whole text: "When an offence against this Act punishable by imprisonment ... is
    committed by a corporation" is its condition, not a penalty tier's);
  - a victim or recipient under 18, where the duty names no child: "Supplying controlled drugs
    to children for trafficking", "(b) the individual is under 18";
  - a terrorist group, where the duty is about organized criminal groups and not terrorism:
    "member of a terrorist gang or a terrorist organisation".
The opposite, a BROADER object: "conspires with another to commit any felony", "to commit an
offence" reaches every serious crime (BROADER_OBJECTS); purposes in the words statutes use for
them ("with the intention of selling" for "for the purpose of sale": EQUIVALENTS).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from harmonize.analyze.categories import TERMS
from harmonize.analyze.nlp import get_nlp
from harmonize.analyze.offences import CONDUCT, MEANS, OBJECTS, PURPOSE
from harmonize.model import OffenceRecord
from harmonize.obligations import Obligation

# The keys a national offence must show; circumstance and penalty describe, they do not constitute.
REQUIRED_KEYS = ("conduct", "object", "mental", "purpose", "means")
# Mental elements are often implied by the offence structure ("knowingly" is not always
# written), so a missing mental element alone does not make an offence partial.
SOFT_KEYS = ("mental",)
# Term groups of analyze/categories.py that name one kind of thing in the words statutes use
# (drugs, firearms, officials, legal persons, criminal groups): an object element is met by any of them.
SYNONYM_GROUPS = ("drug", "firearm", "official", "legal_person", "group")


@functools.lru_cache(maxsize=20000)
def lemmas(text: str) -> str:
    """ ' lemma lemma lemma ' with spaces at both ends, for boundary-safe substring tests."""
    doc = get_nlp()(text.lower()[:20000])
    words = [t.lemma_.lower() for t in doc if not t.is_punct and not t.is_space]
    return " " + " ".join(words) + " "


@functools.lru_cache(maxsize=4096)
def lemma_sentences(text: str) -> list[tuple[str, str]]:
    """(original sentence, lemma string) pairs, for choosing an evidence span."""
    doc = get_nlp()(text[:20000])
    out = []
    for sent in doc.sents:
        words = [t.lemma_.lower() for t in sent if not t.is_punct and not t.is_space]
        if words:
            out.append((sent.text.strip(), " " + " ".join(words) + " "))
    return out


@dataclass
class ElementMatch:
    found: dict[str, list[str]] = field(default_factory=dict)  # key -> phrases found
    missing: dict[str, list[str]] = field(default_factory=dict)  # key -> phrases looked for
    broader: list[str] = field(default_factory=list)  # keys the national offence does not require at all
    narrower: dict[str, list[str]] = field(default_factory=dict)  # key -> the national words that narrow it

    @property
    def coverage(self) -> float:
        """Share of the required keys found (soft keys count half when missing)."""
        keys = list(self.found) + list(self.missing)
        if not keys:
            return 1.0
        weight = {k: 0.5 if k in SOFT_KEYS else 1.0 for k in keys}
        return sum(weight[k] for k in self.found) / sum(weight.values())

    @property
    def missing_elements(self) -> list[str]:
        """Human-readable: "purpose: for the purpose of exploitation"; a narrowing element as
        "means required nationally even for child victims: force / threat" or "movement
        across a border required nationally: the coming into Canada"."""
        out = [f"{key}: {' / '.join(phrases[:4])}" for key, phrases in self.missing.items() if key not in SOFT_KEYS]
        out += [f"{narrowing_phrase(key)}: {' / '.join(words)}" for key, words in self.narrower.items()]
        return out


def phrase_found(phrase: str, lemma_text: str) -> bool:
    return lemmas(phrase) in lemma_text if phrase.strip() else False


@functools.lru_cache(maxsize=1)
def _synonym_rings() -> dict[str, tuple[str, ...]]:
    """lemma of a term -> every term of its group, for the groups that name one kind of thing."""
    rings: dict[str, tuple[str, ...]] = {}
    for group in SYNONYM_GROUPS:
        for term in TERMS[group]:
            rings[lemmas(term)] = tuple(TERMS[group])
    return rings


# Words statutes use for a convention's phrase (conduct or object).
EQUIVALENTS = {
    "interfere": ("obstruct", "hinder", "impede", "resist"),
    "law enforcement official": ("law enforcement officer", "police officer", "peace officer", "authorised officer",
                                 "authorized officer", "public officer", "officer of the agency"),
    "justice official": ("judicial officer", "judge", "magistrate", "officer of the court"),
    # "possesses the substance with the intention of selling any of it" (a "Meaning of traffics"
    # section), "possession with the intention of sale or supply", "with intent to sell".
    "for the purpose of sale": ("with the intention of selling", "with the intention of sale", "intending to sell",
                                "with intent to sell"),
    "for the purpose of supply": ("with the intention of supply", "with the intention of supplying",
                                  "intending to supply", "with intent to supply"),
}
# National words that reach every offence of the kind a duty names, so the offence is BROADER on
# its object: a conspiracy "to commit any felony" or "to commit an offence" reaches every serious
# crime (UNTOC art. 5(1)(a)(i) asks for the agreement to commit a serious crime).
# An offence named with its scope ("to commit an offence under section 1, 2, 3 or 4 of this Act",
# "an offence against this Act") is not any offence.
BROADER_OBJECTS = {
    "serious crime": re.compile(
        r"\b(?:commit(?:ting)?|commission\s+of)\s+(?:any|an?)\s+(?:indictable\s+)?(?:offen[cs]e|felony|crime)\b"
        r"(?!\s*,?\s*(?:under|against|contrary\s+to|referred\s+to|mentioned|specified|described|in\s+(?:section|this))\b)", re.I),
}


def with_synonyms(phrases: list[str]) -> list[str]:
    """An object phrase that is a term of a synonym group stands for the whole group:
    "controlled substance" is also met by "narcotic" or "substance included in Schedule";
    a phrase of EQUIVALENTS also by the words statutes use for it ("authorised officer")."""
    out = list(phrases)
    for phrase in phrases:
        out.extend(e for e in EQUIVALENTS.get(phrase, ()) if e not in out)
    for phrase in phrases:
        out.extend(t for t in _synonym_rings().get(lemmas(phrase), ()) if t not in out)
    return out


# Ancillary conduct: attempt and complicity, which reach another offence (organising and
# directing are offences of their own in UNTOC art. 5(1)(b)).
ANCILLARY = frozenset({"attempt", "participate as an accomplice", "aid", "abet"})


def official_phrases(obligation: Obligation) -> list[str]:
    """The duty's object phrases that name a public official (UNCAC, UNTOC art. 8): the
    offence must name one, whatever else it names."""
    rings = _synonym_rings()
    return [p for p in obligation.elements.object if rings.get(lemmas(p)) == tuple(TERMS["official"])]


# Conduct verbs that are also the name of a thing the statute regulates: after these words
# they are the thing ("border controlled plant", "any plant"), not the conduct ("plants"); and
# verbs an authority uses for its own acts: "the Review Board shall make an order directing that
# any information ... shall not be published", "the court may direct" is no offender directing others.
HOMOGRAPHS = {"plant": frozenset({"a", "an", "the", "any", "such", "that", "this", "controlled", "prohibited",
                                  "control", "prohibit", "cannabis", "coca", "opium", "poppy", "narcotic", "of", "whole",
                                  "living"}),
              "direct": frozenset({"order", "court", "judge", "magistrate", "tribunal", "board", "minister", "may",
                                   "commissioner", "registrar"})}


ACT_TITLE = re.compile(r"\b(?:[A-Z][\w-]*,?\s+(?:(?:and|of|the|for|on|in|to)\s+)*){1,12}Act\b(?:,?\s+\d{4})?")
NOUN_UNLESS_OF = frozenset({"organization", "organisation"})
BODY_MANAGED = tuple(f"of {d}{body}" for d in ("the ", "a ", "any ", "") for body in
                     ("company", "body", "corporation", "business", "firm", "undertaking", "premise", "partnership"))
THINGS = frozenset({"substance", "drug", "seed", "thing", "article", "material"})


def conduct_forms(lemma_text: str) -> str:
    """A lemma string with each word put in its canonical conduct verb ("possession" ->
    "possess"); a homograph used as a noun ("border controlled plant") is left out."""
    words = lemma_text.split()
    out = []
    for i, w in enumerate(words):
        thing = i and words[i - 1] in HOMOGRAPHS.get(w, ())
        # "an organization", "the organization may be fined": a body, not the organizing of an
        # offence ("the organization of any of the offences").
        thing = thing or (w in NOUN_UNLESS_OF and (i + 1 >= len(words) or words[i + 1] != "of"))
        # "an organised criminal group", "organized crime": the kind of group, not organizing.
        thing = thing or (CONDUCT.get(w, w) == "organize" and i + 1 < len(words)
                          and words[i + 1] in ("criminal", "crime", "group", "gang"))
        # "concerned in the management of the company": running a body, not managing an offence.
        thing = thing or (w == "management" and " ".join(words[i + 1:i + 4]).startswith(BODY_MANAGED))
        # "a substance or plant": after "or"/"and" the word takes the reading of the one before.
        thing = thing or (w in HOMOGRAPHS and i > 1 and words[i - 1] in ("or", "and")
                          and (words[i - 2] in THINGS or out[-2].endswith(":thing")))
        if thing:
            out.append(f"{CONDUCT.get(w, w)}:thing")
        else:
            out.append(CONDUCT.get(w, w))
    return " " + " ".join(out) + " "


CONDUCT_VERBS = frozenset(CONDUCT.values())


def names_conduct(term: str) -> bool:
    """Whether a defined term is a word of conduct ("traffics", "dealing in drugs", "cultivate"),
    not of a thing ("controlled drug", "offence")."""
    return any(w in CONDUCT_VERBS for w in conduct_forms(lemmas(term)).split())


def object_kinds(phrases: list[str]) -> set[str]:
    """The offence records' object kinds the phrases name ("narcotic drug" -> drug)."""
    text = " ; ".join(phrases)
    return {kind for kind, pattern in OBJECTS if pattern.search(text)}


# Means that make an offence narrower than a duty reaching child victims without them.
COERCIVE_MEANS = frozenset({"force", "threat", "coercion", "deception", "abduction", "abuse of power", "payments"})

# Where an offence's penalty begins: "is guilty of an indictable offence and liable",
# "shall be punished with", "shall be liable on conviction", "Penalty:", "commits an offence
# and is liable". What follows on that line is the penalty and its tiers' conditions.
PENALTY_START = re.compile(
    r"\b(?:(?:is|are|shall\s+be)\s+guilty\s+of|(?:shall|is|are|be)\s+(?:also\s+)?(?:on\s+conviction\s+)?(?:liable|punished|punishable|"
    r"sentenced|fined|imprisoned)|it\s+shall\s+be\s+punishable|liable\s+(?:on|upon)\s+(?:summary\s+)?conviction|who\s+is\s+convicted)\b"
    r"|\bPenalty\s*:", re.I)
# A line whose words before the penalty are a tier's condition: "(4) Where the offence
# involves the trafficking of a minor, it shall be punishable ...", "(b) if the subject matter".
CONDITION_START = re.compile(r"^\s*(?:\(\s*[a-z0-9]{1,5}\s*\)\s*)*(?:where|if|when|in\s+the\s+case|in\s+any\s+other\s+case|"
                             r"subject\s+to|except|provided)\b", re.I)
PENALTY_HEADING = re.compile(r"^\s*(?:penalt|punishment\s+for\s+offences\b|sentenc)", re.I)
SUBSECTION_LABEL = re.compile(r"^\s*\(\s*\d+[A-Z]*\s*\)")
ITEM_LABEL = re.compile(r"^\s*\(\s*(?:[a-z]{1,2}|[ivx]+)\s*\)", re.I)
EXPLANATION_LINE = re.compile(r"^\s*(?:explanation|illustrations?|note)\b", re.I)


def defining_text(heading: str, text: str) -> str:
    """The words that define an offence: its heading and each line of its text up to the
    penalty ("Every person who recruits ... for the purpose of exploiting them" without "is
    guilty ... and liable (a) to imprisonment for life if they kidnap"); a line that is a
    penalty tier's condition ("Where the offence involves the trafficking of a minor, it
    shall be punishable"), the tier items that follow a penalty ("liable— (a) if the subject
    matter ... Schedule I"), and explanations are left out; the items after a penalty that
    opens the offence ("Every one is liable to imprisonment ... who— (a) dissuades ...") are kept."""
    kept = [heading or ""]
    if PENALTY_HEADING.match(heading or ""):
        return kept[0]  # "Penalties for offences against sections 10 to 13": tiers, not the offence
    in_tiers = False
    for line in text.splitlines():
        if not line.strip() or EXPLANATION_LINE.match(line):
            continue
        if in_tiers and ITEM_LABEL.match(line) and not SUBSECTION_LABEL.match(line):
            continue  # a tier of the penalty just opened
        in_tiers = False
        cut = PENALTY_START.search(line)
        if cut is None:
            kept.append(line)
            continue
        in_tiers = True
        before = line[: cut.start()]
        if before.strip() and not CONDITION_START.match(before):
            kept.append(before)
        if OFFENCE_FOLLOWS.search(line[cut.start():]):
            # "Every one is liable to imprisonment for a term not exceeding 7 years who— (a) dissuades
            # ...": the penalty comes first and the items that follow are the offence.
            in_tiers = False
    return "\n".join(kept)


# A penalty clause that ends by opening the offence's items: "... not exceeding 7 years who—".
OFFENCE_FOLLOWS = re.compile(r"\bwho\s*[—–:-]*\s*$", re.I)


OWN_OFFENCES = "the Act's own offences only"  # the narrowing of a scope limited to one Act's offences
# The narrowing requirements (element, words that create it). Border and transnationality
# name places with a capital (a country's name, never a list of them).
NARROWING = (
    ("movement across a border", re.compile(
        r"\b(?:coming|bring(?:s|ing)?|brought|entry|enter(?:s|ing|ed)?|arriv\w*|landing)\s+(?:of\s+[\w\s,]{1,60}?\s+)?"
        r"into\s+(?:the\s+)?(?:(?!Schedule|Part|Division|Chapter|Section|Agreement|Force)[A-Z][a-z]+|country|State|territory|"
        r"a\s+foreign\s+country)\b"
        r"|\bacross\s+(?:a|the|an?\s+international|any)\s+(?:border|frontier)s?\b"
        r"|\bcross(?:es|ed|ing)?\s+(?:the|a|any)\s+(?:international\s+)?(?:border|frontier)s?\b"
        r"|\b(?:into|out\s+of)\s+(?:or\s+out\s+of\s+)?(?:the\s+)?(?:country|a\s+foreign\s+country)\b")),
    ("a minimum quantity", re.compile(
        r"\b(?:commercial|marketable|trafficable|traffickable|large|substantial)\s+quantit(?:y|ies)\b"
        r"|\bnot\s+less\s+than\s+[\d.,]+\s*(?:grams?|kilograms?|kg|g)\b|\b[\d.,]+\s*(?:grams?|kilograms?|kg)\s+or\s+more\b", re.I)),
    ("transnationality", re.compile(r"\btransnational\b|\bin\s+more\s+than\s+one\s+(?:State|country)\b", re.I)),
    (OWN_OFFENCES, re.compile(
        r"\b(?:an?\s+|any\s+)?offen[cs]es?,?\s+(?:(?:is|are|was)\s+)?(?:committed\s+)?(?:against|under)\s+"
        r"(?:this\s+(?:Act|Part|Division|Subdivision|Ordinance|Law|Chapter)\b|(?:Chapter|Part|Division)\s+[IVXLC\d]+[A-Z]?\b"
        r"|sections?\s+[IVXLC\d]+[A-Z]?\b)"
        r"|\bcontraven\w+\s+(?:of\s+)?(?:(?:any|a)\s+(?:of\s+the\s+)?(?:civil\s+penalty\s+)?provisions?\s+(?:of|in)\s+)?"
        r"this\s+(?:Act|Part|Division|Subdivision)\b"
        r"|\bproceedings?\s+under,?\s+(?:or\s+arising\s+out\s+of,?\s+)?this\s+(?:Act|Part)\b", re.I)),
    ("a victim or recipient under 18", re.compile(
        r"\b(?:to|of|involving|using|procur\w*)\s+(?:a\s+)?(?:child|children|minors?)\b"
        r"|\b(?:is|are|was)\s+under\s+(?:the\s+age\s+of\s+)?(?:18|eighteen)\b", re.I)),
    ("a terrorist group", re.compile(
        r"\bterrorist\s+(?:gang|organi[sz]ation|group|organi[sz]ations|groups|gangs|entity|entities)\b", re.I)),
)
# What makes a duty itself about the requirement (then the national words do not narrow it).
DUTY_HAS = {
    "movement across a border": re.compile(r"\bimport|\bexport|\bsmuggl|\billegal\s+entry|\bentry\b|\bborder|\bfrontier|"
                                           r"\btransnational|\bmigrant|\btransit|\bacross", re.I),
    "a minimum quantity": re.compile(r"\bquantit", re.I),
    "transnationality": re.compile(r"\btransnational|\bmore\s+than\s+one\s+State", re.I),
    # Only a duty reaching crime in general (serious crime) is narrowed by a clause that reaches
    # its own Act's offences; a drugs Act's "offence against this Act" is a drug offence.
    OWN_OFFENCES: re.compile(r"^(?!.*\bserious\s+crime)", re.I | re.S),
    # A duty about children (trafficking in children) is itself about them.
    "a victim or recipient under 18": re.compile(r"\bchild|\bminor|\byoung|\bunder\s+(?:the\s+age\s+of\s+)?18", re.I),
    # Only a duty on organized criminal groups, not one on terrorism, is narrowed by membership of
    # "a terrorist gang or a terrorist organisation".
    "a terrorist group": re.compile(r"^(?!.*\borgani[sz]ed\s+criminal\s+group)|\bterror", re.I | re.S),
}
# Words that make means a requirement rather than a mention: "by means of abduction, fraud",
# "by using force", "uses force or threats", "by threat or use of force".
REQUIRES_MEANS = re.compile(r"\bby\s+(?:means\s+of|the\s+use\s+of|using|use\s+of|threat)|\buses?\s+(?:force|threats?|coercion|deception)", re.I)
CHILD_WORDS = re.compile(r"\bchild(?:ren)?\b|\bminors?\b|\bunder\s+(?:the\s+age\s+of\s+)?(?:18|eighteen)\b|\bgirls?\b|\bboys?\b", re.I)


def narrowing_phrase(element: str) -> str:
    """ "means required nationally even for child victims", "a minimum quantity required nationally" """
    return f"{element} required nationally" + (" even for child victims" if element == "means" else "")


def _duty_words(obligation: Obligation) -> str:
    return " ; ".join([*obligation.elements.phrases(), obligation.summary])


def narrowings(obligation: Obligation, defining: str, record: OffenceRecord | None) -> dict[str, list[str]]:
    """element -> the national words that make the offence narrower than the duty (see the
    module docstring), read from the offence's defining words."""
    out: dict[str, list[str]] = {}
    duty = _duty_words(obligation)
    for element, pattern in NARROWING:
        if DUTY_HAS[element].search(duty):
            continue
        words = list(dict.fromkeys(re.sub(r"\s+", " ", m.group(0)).strip() for m in pattern.finditer(defining)))
        if words:
            out[element] = words[:3]
    if not obligation.elements.means:
        # The duty asks for no means at all (smuggling of migrants): an offence that requires
        # abduction, force or deception is the narrower one (trafficking in persons).
        # ... unless the duty's own conduct is the means ("use physical force, threats or intimidation").
        means = [name for name, p in MEANS if name in COERCIVE_MEANS and p.search(defining) and not p.search(duty)]
        if means and REQUIRES_MEANS.search(defining):
            out["coercive means"] = means
        return out
    child_duty = "child" in " ".join(obligation.elements.object).lower()
    if child_duty and obligation.elements.means and not CHILD_WORDS.search(defining) and not (
            record is not None and "child" in record.objects and CHILD_WORDS.search(defining)):
        means = [name for name, p in MEANS if name in COERCIVE_MEANS and p.search(defining)]
        if means:
            out["means"] = means
    return out


def _record_hits(key: str, phrases: list[str], record: OffenceRecord) -> list[str]:
    if key == "conduct":
        wanted = {conduct_forms(lemmas(p)).split()[0] for p in phrases if p.strip()}
        return sorted(wanted & set(record.conduct))
    if key == "object":
        return sorted(object_kinds(phrases) & set(record.objects))
    if key in ("purpose", "means"):
        own = getattr(record, key)
        return [p for p in own if any(lemmas(p).strip() in lemmas(q) for q in phrases)]
    if key == "mental":
        return [m for m in record.mental if any(lemmas(m).strip() in lemmas(q) for q in phrases)]
    return []


def match_elements(obligation: Obligation, text: str, record: OffenceRecord | None = None,
                   defining: str | None = None, offence_words: str | None = None) -> ElementMatch:
    """The duty's elements found in `text` (a section with the definitions it uses); with the
    offence's record and `defining` words (`defining_text`), the narrowing requirements. With
    `offence_words` (an offence's defining words and the definitions they use), conduct is read
    there or from the record: a verb elsewhere in the section is not the conduct the offence
    creates ("Trespass on railway": "(5) In any proceedings ... any document ... shall be
    received in evidence" receives no bribe)."""
    lemma_text = lemmas(text)
    # Titles of Acts name no conduct ("Anti-Money Laundering and Countering Financing of Terrorism Act").
    untitled = ACT_TITLE.sub(" the Act ", text)
    whole = conduct_forms(lemma_text if untitled == text else lemmas(untitled))
    conduct_text = whole if offence_words is None else conduct_forms(lemmas(ACT_TITLE.sub(" the Act ", offence_words)))
    result = ElementMatch()
    broad_object = False
    for key in REQUIRED_KEYS:
        phrases = list(getattr(obligation.elements, key))
        if not phrases:
            continue
        candidates = with_synonyms(phrases) if key == "object" else phrases
        if key in ("conduct", "purpose", "means"):
            candidates = list(phrases) + [e for p in phrases for e in EQUIVALENTS.get(p, ()) if e not in phrases]
        if key == "conduct":
            hits = [p for p in candidates if p.strip() and conduct_forms(lemmas(p)) in conduct_text]
            principal = [p for p in phrases if p not in ANCILLARY]
            if principal and not set(hits) - ANCILLARY:
                # A duty naming the offence and its ancillaries ("recruit, transport ...,
                # attempt, organize") is carried by the offence: "attempt" alone in a
                # section is some other offence's attempt.
                hits = []
                phrases = principal
        else:
            hits = [p for p in candidates if phrase_found(p, lemma_text)]
        if not hits and key == "object":
            broader = [m.group(0) for p in phrases if p in BROADER_OBJECTS
                       for m in BROADER_OBJECTS[p].finditer(text if offence_words is None else offence_words)]
            if broader:  # "conspires with another to commit any felony": every serious crime, and more
                result.broader.append(key)
                broad_object = True
                hits = list(dict.fromkeys(re.sub(r"\s+", " ", b) for b in broader))[:2]
        if not hits and record is not None:
            hits = _record_hits(key, phrases, record)
            if key == "conduct":
                # The record's verb read from a word the text uses as a thing ("the management
                # of the company", "border controlled plant") is not the conduct.
                hits = [v for v in hits if f" {v}:thing " not in whole or f" {v} " in whole]
        if hits:
            result.found[key] = hits
        else:
            result.missing[key] = phrases
    wanted = official_phrases(obligation)
    if wanted and not any(phrase_found(p, lemma_text) for p in with_synonyms(wanted)) and not (
            record is not None and "official" in record.objects):
        # Who the offence is about is a requirement of its own, not one object among others:
        # "offers any reward" or "with intent to extort" names no public official.
        result.missing["official"] = wanted
    if record is not None and "conduct" in result.found:
        for key in ("purpose", "means"):
            # Read from the defining words when there are some: a purpose that only raises
            # the penalty ("if the offence was committed for profit") is not required.
            patterns = dict(PURPOSE if key == "purpose" else MEANS)
            required = [name for name in getattr(record, key)
                        if defining is None or name not in patterns or patterns[name].search(defining)]
            if key in result.missing and not required:
                # The national offence asks for no purpose (means) at all: broader, so it covers.
                result.found[key] = [f"(no {key} required nationally)"]
                del result.missing[key]
                result.broader.append(key)
    if record is not None or defining is not None:
        result.narrower = narrowings(obligation, text if defining is None else defining, record)
    if broad_object and OWN_OFFENCES in result.narrower:
        # "conspires with ... any other person to commit an offence; ... under this Act": the
        # offences of one Act are not any offence, and not the serious crime the duty names.
        del result.narrower[OWN_OFFENCES]
        result.broader.remove("object")
        result.found.pop("object")
        result.missing["object"] = list(obligation.elements.object)
    return result



def evidence_span(obligation: Obligation, text: str, elements: ElementMatch | None = None,
                  defining: str | None = None, max_chars: int = 400) -> str:
    """The sentence of `text` that satisfies (or fails) the duty: with a narrowing element,
    the sentence holding the words that create it ("No person shall knowingly organize the
    coming into Canada of one or more persons by means of abduction ..."); otherwise the
    sentence of the offence's defining words that shows the conduct found together with most
    of the other elements found (a penalty tier's sentence counts less); without a match, the
    sentence that shows most of the obligation's phrases."""
    sentences = lemma_sentences(text)
    if not sentences:
        return ""
    narrow_words = [w.lower() for ws in (elements.narrower.values() if elements else ()) for w in ws]
    defining_lemmas = lemmas(defining) if defining else ""
    found = {k: [lemmas(p) for p in v if not p.startswith("(")] for k, v in (elements.found.items() if elements else ())}
    phrases = [lemmas(p) for p in obligation.elements.phrases()]

    def score(item: tuple[int, tuple[str, str]]) -> tuple:
        order, (sentence, lemma_text) = item
        if narrow_words and any(w in sentence.lower() for w in narrow_words):
            return (3, 0, -order)
        conduct_text = conduct_forms(lemma_text)
        conduct = any(conduct_forms(p) in conduct_text for p in found.get("conduct", ()) if p.strip())
        others = sum(1 for k, ps in found.items() if k != "conduct" and any(p.strip() and p in lemma_text for p in ps))
        hits = sum(1 for p in phrases if p.strip() and p in lemma_text)
        defines = bool(defining_lemmas) and lemma_text.strip()[:60] in defining_lemmas
        return (int(conduct) + int(defines and conduct), others + hits / 100, -order)

    at = max(enumerate(sentences), key=score)[0]
    best = sentences[at][0]
    # A list item cut off as its own sentence ("using threats, or") is read with the words
    # that open its offence ("(1) Whoever, for the purpose of exploitation, (a) recruits ...").
    start = at
    while start > 0 and len(best) < 120 and not OPENING.match(sentences[start][0]):
        start -= 1
        best = f"{sentences[start][0]} {best}"
    best = re.sub(r"\s+", " ", best)
    if len(best) <= max_chars:
        return best
    if start < at:  # keep the opening and the words that decide
        tail = re.sub(r"\s+", " ", sentences[at][0])
        head = best[: max(40, max_chars - len(tail) - 3)]
        return f"{head} … {tail}"[:max_chars]
    return best[: max_chars - 1] + "…"


# Where an offence's sentence opens: "(1) Whoever", "No person shall", "A person commits".
OPENING = re.compile(r"^\s*(?:\(?\s*\d+[A-Z]*\s*\)\s*)?(?:whoever|every\s*(?:one|person)|any\s+person|no\s+(?:person|one)|"
                     r"a\s+person|if\s+a\s+person|it\s+(?:shall\s+be|is)\s+unlawful|where\s+a\s+person)\b", re.I)
