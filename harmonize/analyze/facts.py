"""Analyse the sections of one instrument: penalties, offence categories, definitions, references.

Penalties set elsewhere are followed inside the same instrument, in both directions and down to
the subdivision that applies (see `analyze/penalty_links.py`); the tiers say where they came
from (`PenaltyTier.source`) and from which subdivision (`PenaltyTier.where`).
"""

from __future__ import annotations

import functools
import hashlib
import re
from pathlib import Path

from harmonize.analyze.categories import DEFINITION_HEADING, classify
from harmonize.analyze.nlp import get_nlp, pipe
from harmonize.analyze.offences import act_definitions, offence_record
from harmonize.analyze.penalties import extract_tiers
from harmonize.analyze.penalty_links import SectionPenalties, follow_penalties, unit_spans, where_of
from harmonize.analyze.references import find_definitions, find_references
from harmonize.ids import SECTION_KINDS
from harmonize.model import Provision, ProvisionFacts, Reference
from harmonize.obligations.vocabulary import VOCABULARY_PATH


@functools.lru_cache(maxsize=1)
def analyzer_fingerprint() -> str:
    """Hash of the analysis code and the category vocabulary it reads: changing a pattern or a
    term re-analyses everything."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.read_bytes())
    digest.update(VOCABULARY_PATH.read_bytes())
    return digest.hexdigest()[:16]


def analyze_instrument(provisions: list[Provision], language: str = "en", topic: str = "") -> dict[str, ProvisionFacts]:
    """Facts for every section/article of one instrument (English text only); `topic` is the
    Act's subject from the manifest, used for offence records where no heading names one."""
    sections = [p for p in provisions if p.kind in SECTION_KINDS]
    if language != "en" or not sections:
        return {}
    nlp = get_nlp()
    by_number = {}
    for p in sections:
        by_number.setdefault(p.number, p.id)
    children: dict[str, list[Provision]] = {}
    for p in provisions:
        if p.parent:
            children.setdefault(p.parent, []).append(p)
    schedule_ids = {p.id: _schedule_names(p) for p in provisions if p.kind == "schedule"}
    schedules = {name for names in schedule_ids.values() for name in names}
    facts: dict[str, ProvisionFacts] = {}
    following: list[SectionPenalties] = []
    # Lower-cased so that lemma patterns match "Schedule" and "Trafficking" alike; sentences
    # are cut from the original text by offset (same length after lower() for these scripts).
    texts = (p.text.lower() for p in sections)
    headings = pipe(nlp, (p.heading.lower() for p in sections), batch_size=256)
    docs: dict[str, object] = {}
    subdivisions: dict[str, list[tuple[int, int, str]]] = {}
    for prov, doc, head in zip(sections, pipe(nlp, texts, batch_size=64), headings):
        docs[prov.id] = doc
        spans = sentence_spans(prov.text, doc)
        sents = [text for _, text in spans]
        units = subdivisions[prov.id] = unit_spans(prov, children)
        wheres = [where_of(start, units) for start, _ in spans]
        refs = find_references(prov.text)
        for ref in refs:
            if ref.external is None:
                ref.targets = _targets(ref, prov, by_number, children, schedule_ids)
        shown = illustration_spans(prov.text)
        law = [i for i, (start, _) in enumerate(spans) if not any(a <= start < b for a, b in shown)]
        tiers = extract_tiers([sents[i] for i in law], [wheres[i] for i in law])
        following.append(SectionPenalties(prov.id, prov.number, prov.text, sents, wheres, tiers, heading=prov.heading))
        facts[prov.id] = ProvisionFacts(
            provision=prov.id,
            categories=classify(head, doc),
            penalties=None,
            definitions=find_definitions(prov.text, bool(DEFINITION_HEADING.search(prov.heading)), prov.heading),
            references=refs,
        )
    for pid, penalties in follow_penalties(following, by_number, schedules).items():
        facts[pid].penalties = penalties
    _offence_records(provisions, sections, facts, docs, topic, subdivisions)
    return facts


# The Indian-model penal codes follow a section with "Illustrations" (worked examples: "A
# instigates B to murder Z ... If B had murdered Z, he would have been subject to the
# punishment of death or imprisonment for life. Therefore A is liable to imprisonment for a term
# which may extend to seven years"): not law, so no penalty is read from them. They run to the
# next "Explanation" or "Exception", or to the end of the section.
ILLUSTRATIONS = re.compile(r"^[ \t]*Illustrations?[ \t]*\.?[ \t]*$(?P<body>.*?)(?=^[ \t]*(?:Explanation|Exception)\b|\Z)", re.M | re.S)


def illustration_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each block of Illustrations in a section's text (read once per section)."""
    return [m.span() for m in ILLUSTRATIONS.finditer(text)] if "llustration" in text else []


def without_illustrations(text: str) -> str:
    """The section's text with its Illustrations blanked (what the penalty reader reads)."""
    for start, end in illustration_spans(text):
        text = text[:start] + " " * (end - start) + text[end:]
    return text


def _offence_records(provisions, sections, facts, docs, topic: str, subdivisions) -> None:
    """Offence records, once penalties (own or borrowed) are known; headings give the subject."""
    by_id = {p.id: p for p in provisions}
    definitions = act_definitions(f.definitions for f in facts.values())
    for prov in sections:
        chain, parent = [prov.heading], prov.parent
        while parent and parent in by_id:
            chain.append(by_id[parent].heading)
            parent = by_id[parent].parent
        f = facts[prov.id]
        f.offence = offence_record(prov, docs[prov.id], chain, topic, definitions, f.penalties, subdivisions[prov.id])


def _targets(ref: Reference, prov: Provision, by_number: dict[str, str], children: dict[str, list[Provision]],
             schedule_ids: dict[str, set[str]]) -> list[str]:
    """Provision ids a reference points to: sections of the instrument, a subdivision of the same
    section ("subsection (1)" -> its (1)), or a schedule the instrument holds."""
    if ref.scope == "instrument":
        return [by_number[n] for n in ref.numbers if n in by_number and by_number[n] != prov.id]
    if ref.scope == "schedule":
        name = ref.text.lower()
        return [pid for pid, names in schedule_ids.items() if name in names][:1]
    label = re.search(r"\(\s?([0-9A-Za-z.]+)\s?\)", ref.text)
    if not label:
        return []
    wanted, queue = f"({label.group(1)})", list(children.get(prov.id, ()))
    while queue:
        child = queue.pop(0)
        if child.label.replace(" ", "") == wanted:
            return [child.id]
        queue.extend(children.get(child.id, ()))
    return []


def _schedule_names(schedule: Provision) -> set[str]:
    """How the instrument may name one of its schedules: "second schedule", "schedule 3", "schedule"."""
    names = {"schedule"}
    for words in (schedule.heading, schedule.label, schedule.number, *schedule.path):
        m = re.search(r"\b(?:(\w+)\s+)?schedule(?:\s+(\d+[a-z]?))?\b", (words or "").lower())
        if m:
            names.add(m.group(0))
            if m.group(2):
                names.add(f"schedule {m.group(2)}")
    return names


def sentence_spans(text: str, doc) -> list[tuple[int, str]]:
    """(offset, sentence) for the sentences of `doc` (parsed from text.lower()) in the original text."""
    same_length = len(doc.text) == len(text)
    out = []
    for sent in doc.sents:
        piece = text[sent.start_char: sent.end_char] if same_length else sent.text
        if piece.strip():
            out.append((sent.start_char + len(piece) - len(piece.lstrip()), piece.strip()))
    return out
