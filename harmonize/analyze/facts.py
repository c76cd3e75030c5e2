"""Analyse the sections of one instrument: penalties, offence categories, definitions, references.

Penalties set elsewhere are followed inside the same instrument, in both directions:
    forward:  "shall be punished as provided in section 20" -> section 20's tiers;
    reverse:  IRPA s.120 "A person who contravenes section 118 or 119 ... is liable to ..."
              gives s.118 and s.119 their penalty.
The tiers say where they came from (`PenaltyTier.source`).
"""

from __future__ import annotations

import copy
import functools
import hashlib
import re
from pathlib import Path

from harmonize.analyze.categories import DEFINITION_HEADING, classify
from harmonize.analyze.nlp import get_nlp
from harmonize.analyze.penalties import extract_tiers
from harmonize.analyze.references import find_definitions, find_references
from harmonize.ids import SECTION_KINDS
from harmonize.model import PenaltyFacts, Provision, ProvisionFacts

PUNISH_WORDS = re.compile(r"\bpunish|\bliable\b|\bpenalt|\bsentence", re.I)
CONTRAVENE_WORDS = re.compile(r"\bcontravene|\boffence\s+(?:under|against)|\bfails?\s+to\s+comply|\bguilty\b", re.I)
SCHEDULE_PENALTY = re.compile(r"\b(?:(?:First|Second|Third|Fourth)\s+)?Schedule\b", re.I)


@functools.lru_cache(maxsize=1)
def analyzer_fingerprint() -> str:
    """Hash of the analysis code: changing a pattern re-analyses everything."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def analyze_instrument(provisions: list[Provision], language: str = "en") -> dict[str, ProvisionFacts]:
    """Facts for every section/article of one instrument (English text only)."""
    sections = [p for p in provisions if p.kind in SECTION_KINDS]
    if language != "en" or not sections:
        return {}
    nlp = get_nlp()
    by_number = {}
    for p in sections:
        by_number.setdefault(p.number, p.id)
    facts: dict[str, ProvisionFacts] = {}
    sentences: dict[str, list[str]] = {}
    # Lower-cased so that lemma patterns match "Schedule" and "Trafficking" alike; sentences
    # are cut from the original text by offset (same length after lower() for these scripts).
    texts = (p.text.lower() for p in sections)
    headings = nlp.pipe((p.heading.lower() for p in sections), batch_size=256)
    for prov, doc, head in zip(sections, nlp.pipe(texts, batch_size=64), headings):
        sents = original_sentences(prov.text, doc)
        sentences[prov.id] = sents
        refs = find_references(prov.text)
        for ref in refs:
            if ref.external is None:
                ref.targets = [by_number[n] for n in ref.numbers if n in by_number and by_number[n] != prov.id]
        tiers = extract_tiers(sents)
        facts[prov.id] = ProvisionFacts(
            provision=prov.id,
            categories=classify(head, doc),
            penalties=PenaltyFacts(prov.id, tiers) if tiers else None,
            definitions=find_definitions(prov.text, bool(DEFINITION_HEADING.search(prov.heading))),
            references=refs,
        )
    _follow_penalty_references(facts, sentences, by_number)
    return facts


def original_sentences(text: str, doc) -> list[str]:
    """The sentences of `doc` (parsed from text.lower()) as spans of the original text."""
    same_length = len(doc.text) == len(text)
    sents = []
    for sent in doc.sents:
        piece = text[sent.start_char: sent.end_char] if same_length else sent.text
        if piece.strip():
            sents.append(piece.strip())
    return sents


def _follow_penalty_references(
    facts: dict[str, ProvisionFacts], sentences: dict[str, list[str]], by_number: dict[str, str]
) -> None:
    own = {pid: f.penalties for pid, f in facts.items() if f.penalties}
    for pid, f in facts.items():
        if f.penalties:
            continue
        # Forward: "punished as provided in section 20".
        for sentence in sentences[pid]:
            if not PUNISH_WORDS.search(sentence):
                continue
            for ref in find_references(sentence):
                target = next((by_number[n] for n in ref.numbers if by_number.get(n) in own and by_number[n] != pid), None)
                if ref.external is None and target:
                    f.penalties = _borrowed(pid, own[target], target, ref.text)
                    break
            if f.penalties:
                break
            if SCHEDULE_PENALTY.search(sentence):
                f.penalties = PenaltyFacts(pid, [], reference=SCHEDULE_PENALTY.search(sentence).group(0))
                break
    # Reverse: a penalty section names the offence sections it punishes.
    for source_id, penalties in own.items():
        for sentence in sentences[source_id]:
            if not (CONTRAVENE_WORDS.search(sentence) and PUNISH_WORDS.search(sentence)):
                continue
            for ref in find_references(sentence):
                if ref.external:
                    continue
                for number in ref.numbers:
                    target = by_number.get(number)
                    if target and target != source_id and facts[target].penalties is None:
                        facts[target].penalties = _borrowed(target, penalties, source_id, ref.text)


def _borrowed(pid: str, penalties: PenaltyFacts, source: str, ref_text: str) -> PenaltyFacts:
    tiers = [copy.copy(t) for t in penalties.tiers]
    for t in tiers:
        t.source = source
    return PenaltyFacts(pid, tiers, reference=ref_text)
