"""Matching an obligation's elements (conduct, object, mental element, purpose, means) in a provision.

Both sides are lemmatised with the shared spaCy pipeline and compared as lower-case lemma
sequences, so "sells", "sold" and "sale of" meet the element "sell", and "cultivating"
meets "cultivate". A phrase matches when its lemma sequence appears on word boundaries.
Conduct is compared after the nominalisations of analyze/offences.py's CONDUCT table, so
"has in his or her possession" meets "possess" and "buys" meets "purchase"; a conduct
element is a disjunctive list: any one alternative is enough.

With the provision's offence record (analyze/offences.py) the legal semantics apply:
- conduct and object are also met by the record's normalised conduct and object kinds
  (object through the Act's definitions: "prohibited plant means cannabis plant ...");
- a national offence that requires no purpose (or no means) where the convention names one
  is BROADER and covers it: "possesses any narcotic drug" covers "possession ... for the
  purpose of trafficking"; the element is met and recorded in `broader`;
- a national offence that requires means (force, threat, deception ...) where the duty
  reaches child victims without them is NARROWER: recorded in `narrower` with the words
  that create the requirement, so the decision is partial and says why.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from harmonize.analyze.categories import TERMS
from harmonize.analyze.nlp import get_nlp
from harmonize.analyze.offences import CONDUCT, OBJECTS
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
        "means required nationally even for child victims: force / threat"."""
        out = [f"{key}: {' / '.join(phrases[:4])}" for key, phrases in self.missing.items() if key not in SOFT_KEYS]
        out += [f"{key} required nationally even for child victims: {' / '.join(words)}"
                for key, words in self.narrower.items()]
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


def with_synonyms(phrases: list[str]) -> list[str]:
    """An object phrase that is a term of a synonym group stands for the whole group:
    "controlled substance" is also met by "narcotic" or "substance included in Schedule"."""
    out = list(phrases)
    for phrase in phrases:
        out.extend(t for t in _synonym_rings().get(lemmas(phrase), ()) if t not in out)
    return out


def conduct_forms(lemma_text: str) -> str:
    """A lemma string with each word put in its canonical conduct verb ("possession" -> "possess")."""
    return " " + " ".join(CONDUCT.get(w, w) for w in lemma_text.split()) + " "


def object_kinds(phrases: list[str]) -> set[str]:
    """The offence records' object kinds the phrases name ("narcotic drug" -> drug)."""
    text = " ; ".join(phrases)
    return {kind for kind, pattern in OBJECTS if pattern.search(text)}


# Means that make an offence narrower than a duty reaching child victims without them.
COERCIVE_MEANS = frozenset({"force", "threat", "coercion", "deception", "abduction", "abuse of power", "payments"})


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


def match_elements(obligation: Obligation, text: str, record: OffenceRecord | None = None) -> ElementMatch:
    lemma_text = lemmas(text)
    conduct_text = conduct_forms(lemma_text)
    result = ElementMatch()
    for key in REQUIRED_KEYS:
        phrases = list(getattr(obligation.elements, key))
        if not phrases:
            continue
        candidates = with_synonyms(phrases) if key == "object" else phrases
        if key == "conduct":
            hits = [p for p in candidates if p.strip() and conduct_forms(lemmas(p)) in conduct_text]
        else:
            hits = [p for p in candidates if phrase_found(p, lemma_text)]
        if not hits and record is not None:
            hits = _record_hits(key, phrases, record)
        if hits:
            result.found[key] = hits
        else:
            result.missing[key] = phrases
    if record is not None and "conduct" in result.found:
        for key in ("purpose", "means"):
            if key in result.missing and not getattr(record, key):
                # The national offence asks for no purpose (means) at all: broader, so it covers.
                result.found[key] = [f"(no {key} required nationally)"]
                del result.missing[key]
                result.broader.append(key)
        child_duty = "child" in " ".join(obligation.elements.object).lower()
        coercive = sorted(set(record.means) & COERCIVE_MEANS)
        if (child_duty and obligation.elements.means and coercive and "child" not in record.objects
                and "child victim" not in record.circumstances):
            result.narrower["means"] = coercive
    return result


def evidence_span(obligation: Obligation, text: str, max_chars: int = 400) -> str:
    """The sentence of `text` that shows most of the obligation's phrases."""
    phrases = [lemmas(p) for p in obligation.elements.phrases()]
    best, best_hits = "", -1
    for sentence, lemma_text in lemma_sentences(text):
        hits = sum(1 for p in phrases if p.strip() and p in lemma_text)
        if hits > best_hits:
            best, best_hits = sentence, hits
    best = re.sub(r"\s+", " ", best)
    return best if len(best) <= max_chars else best[: max_chars - 1] + "…"
