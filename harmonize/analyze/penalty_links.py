"""Penalties set in another provision of the same instrument, followed to the part that applies.

Phrasings followed (all seen in the corpus):

Forward: the offence names where its penalty is set
    "shall be punished as provided in subsection (d)"; "punishable under section 4";
    "is liable to the penalties set out in section 120"; "liable to the same punishment as if
    he had committed an offence under section 8". A reference with a subdivision,
    "section 924(a)", takes only the tiers read from that subdivision.
Reverse: a penalty provision names the offences it punishes
    "A person who contravenes section 118 or 119 ... is liable to ..." (IRPA s.120);
    "(1) A person who commits any offence prohibited under section 3 and section 116 of this Act is
    liable on conviction to:— (a) ... imprisonment for a period not exceeding fifteen years" / "(2)
    An offence mentioned in sections 117 to 135 is punishable— ..." (UGA AML Act s.136: s.116 takes
    the tiers of (1), ss.117-135 those of (2)); "Any person convicted of an offence contemplated in
    section 4, 5 or 6 is liable to ..." (NAM POCA s.11);
    "(2) Whoever knowingly violates subsection (a)(6), (h) ... of section 922 shall be fined ...,
    imprisoned not more than 10 years" (18 USC 924): the named offence takes the tiers of the
    smallest subdivision around the naming words that has tiers (924(a)(2)), never the whole
    penalty section (924(j)'s death belongs to murder in the course of 924(c), not to 922); but
    "A person convicted of an offence against section 10, 11, 12 or 13 is punishable in
    accordance with this section" takes every tier of the penalty section.
General penalties, for offences of the instrument that state none
    "When in this Code no punishment is specially provided for any misdemeanour, it shall be
    punishable with imprisonment for a term not exceeding two years" (misdemeanours only);
    "Any person who commits an offence under this Act for which no penalty is specifically
    provided is liable to ..." (offences only; "Every one who is convicted of an indictable offence
    for which no punishment is specially provided" only to indictable offences). They go to the
    sections that create an offence and state no penalty ("commits an offence", "is guilty of a
    misdemeanour", "it shall be an offence for", and "every such holder of land who knowingly
    neglects to give such information, shall be liable to punishment.", IND NDPS s.46), never to
    words that only name one ("will commit an offence under section 162.1", "where the doing of
    anything is an offence punishable under ...").
Schedules
    "the Second Schedule has effect ... with respect to the way in which offences under this Act
    are punishable" and "liable to the punishment specified in the Second Schedule": the
    reference is recorded, and marked missing when the instrument holds no such schedule
    (`PenaltyFacts.reference_missing`).
Derived penalties by the offence's name, followed to the section that punishes it in general
    "liable to the same punishment as if he had forged the document" -> "General punishment for
    forgery" (MWI, TZA, UGA, ZMB Penal Codes); "as if he had stolen the animal" -> "General
    punishment for theft"; "liable to the same penalty as is provided for rape" -> "Rape" (ZWE
    Criminal Law Code s.66 -> s.65); "the same penalty to which the person would have been liable if
    ... convicted of an offence against section 105C" (NZL Crimes Act s.105D); "the same punishment
    as for the offence under section 3, 4, 5 or 6" (SGP TSOF Act s.6B): the named sections' tiers
Derived penalties, recorded as a reference without tiers
    "liable to the same penalty as if he or she had committed that offence", "to the penalty
    provided for the offence aided", "a penalty determined in accordance with sections 73.1 and
    73.11" (when those sections are not in the instrument).
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field

from harmonize.analyze.penalties import CONNECTOR, LIST_LABEL, label_type, derived_penalty, normalise
from harmonize.analyze.references import find_references, reference_parts
from harmonize.model import PenaltyFacts, PenaltyTier, Provision

_F = re.I
REFERENCE_WORD = re.compile(r"\b(?:sections?|ss?\.|paragraphs?|sub-?sections?|articles?|rules?)\s*\d", _F)
PUNISH_WORDS = re.compile(r"\bpunish|\bliable\b|\bpenalt|\bsentence", _F)
# The words just before a reference that make it the place where a penalty is set.
PENALTY_BEFORE = re.compile(
    r"\b(?:punish\w*|liable|penalt(?:y|ies)|sentenced?|fined)\b(?:(?!\b(?:law|Act|Code|Ordinance)\b)[^.;]){0,90}?"
    r"\b(?:in|under|by|of|with)\s+(?:the\s+)?(?:provisions?\s+of\s+)?$",
    _F,
)
# "an offence under", "any offence prohibited under section 3 and section 116" (UGA AML Act
# s.136), "An offence mentioned in sections 117 to 135 is punishable", "convicted of an offence
# contemplated in section 4, 5 or 6 is liable" (NAM POCA s.11).
_OFFENCE_UNDER = (r"(?:(?:prohibited|created|described|defined)\s+)?(?:under|against|referred\s+to\s+in|mentioned\s+in|"
                  r"specified\s+in|in\s+contravention\s+of|contemplated\s+in|in\s+terms\s+of|created\s+by|described\s+in|"
                  r"set\s+out\s+in|provided\s+for\s+in)")
# The words just before a reference that make it the offence a penalty provision punishes.
# ("conduct that constitutes a violation of section 922(a)(1)(A)" is an element of another offence,
# and is not followed.)
OFFENCE_BEFORE = re.compile(
    r"(?:\b(?:contravene[sd]?|contravening|violat(?:es|ed|ing)|fails?\s+to\s+comply\s+with|"
    r"(?:commits?|committing|guilty\s+of|convicted\s+of)\s+(?:an?|any)\s+offen[cs]e\s+" + _OFFENCE_UNDER + r")"
    r"|^\W*(?:\(\w+\)\s*)?(?:an?|any|every)\s+offen[cs]e\s+" + _OFFENCE_UNDER + r")\b[^.;]{0,70}?$",
    _F,
)
# "A person convicted of an offence against section 10, 11, 12 or 13 is punishable in accordance
# with this section": every tier of the penalty section applies, not only those of subsection (1).
WHOLE_SECTION = re.compile(
    r"\b(?:punish\w*|liable|penalt(?:y|ies))\b[^.;]{0,60}?\b(?:in\s+accordance\s+with|as\s+provided\s+(?:in|by)|"
    r"under|set\s+out\s+in|specified\s+in)\s+this\s+section\b",
    _F,
)
# A penalty for contravening any provision of the instrument, with nothing after it that names a
# particular act: "Any person— (a) who acts in contravention of or fails to comply with any provision
# of this Act; ... shall ... be liable to a fine of K500,000 and to imprisonment for life", "A person
# who contravenes any provision of this Act, commits an offence and ... shall be liable", "(h)
# contravenes or fails to comply with any provision of this Act ;" (but not "Whoever, in contravention
# of any provision of this Act ..., manufactures, possesses, sells ...": that names the acts).
CONTRAVENTION = (
    r"\b(?:acts?\s+in\s+contravention\s+of|contravenes?)(?:\s*,?\s*or\s+fails?\s+to\s+comply\s+with\s*,?)?\s+any\s+(?:of\s+the\s+)?"
    r"provisions?\s+of\s+this\s+(?:Act|Ordinance|Code|Law)\b(?=\s*(?:[;,:.]|$|\bshall\b|\bcommits\b|\bis\s+guilty\b|\bor\s+(?:of\s+)?any\b))"
)
GENERAL = re.compile(
    r"\bno\s+(?:other\s+)?(?:punishment|penalty)\s+is\s+(?:\w+\s+)?(?:provided|prescribed|specified)"
    r"|\bfor\s+which\s+no\s+(?:other\s+|specific\s+)?(?:punishment|penalty)\b"
    r"|\b(?:punishment|penalty)\s+(?:is\s+)?not\s+(?:otherwise\s+|specifically\s+|expressly\s+)?(?:provided|prescribed|specified)"
    r"|(?P<contravention>" + CONTRAVENTION + r")",
    _F,
)
# What a prohibition says, so that it takes the penalty for contravening any provision: "No person
# shall import into or export from Malawi any prepared opium", "A person shall not ...", "It shall be
# unlawful for any person to ..." (not "No person shall be compelled ...": a passive status).
PROHIBITING = re.compile(
    r"\bno\s+(?:person|one)\s+(?:shall|may|must)\b(?!\s+(?:be|have\s+been)\b)|\b(?:person|one)\s+(?:shall|must)\s+not\s+(?!be\b)"
    r"|\b(?:shall|is|it\s+is)\s+(?:be\s+)?unlawful\s+for\b",
    _F,
)
# ("shall be liable to punishment." with nothing more names no punishment: the general one applies.)
# ("will commit an offence under section 162.1", "where the doing of anything is an offence
# punishable under ...", "would be an offence" name an offence; they do not create one.)
OFFENCE_CREATING = re.compile(
    r"\b(?:commits|is\s+guilty\s+of|shall\s+be\s+guilty\s+of)\s+an?\s+(?P<kind>(?:indictable\s+)?offen[cs]e|misdemeanou?r|felony)\b"
    r"(?!\s+(?:under|against|referred|punishable|mentioned|specified|in\s+respect|of\s+which))"
    r"|\bit\s+(?:shall\s+be|is)\s+an\s+(?P<kind2>offen[cs]e)\s+for\b|\bliable\s+to\s+(?P<bare>punishment)\s*[.;]",
    _F,
)
SCHEDULE = re.compile(r"\b(?:(?:First|Second|Third|Fourth|Fifth|Sixth|Seventh|Eighth|Ninth|Tenth)\s+)?Schedule\b", _F)
SCHEDULE_PENALTY = re.compile(
    r"\b(?:punish\w*|penalt(?:y|ies))\b[^.;]{0,80}?\b(?:in|under|by)\s+(?:the\s+)?" + SCHEDULE.pattern
    + r"|" + SCHEDULE.pattern + r"[^.;]{0,120}?\b(?:offences\s+under\s+this\s+Act\s+are\s+punishable|punishments?\s+to\s+be\s+imposed)",
    _F,
)


@dataclass
class SectionPenalties:
    """What the follower needs of one section: its clauses, where each sits, its own tiers."""

    id: str
    number: str
    text: str
    sentences: list[str]
    wheres: list[str]
    own: list[PenaltyTier]
    readable: list[str] = field(default_factory=list)  # the sentences normalised, filled on first use
    heading: str = ""

    def texts(self) -> list[str]:
        if not self.readable and self.sentences:
            self.readable = [normalise(s) for s in self.sentences]
        return self.readable


def unit_spans(section: Provision, children: dict[str, list[Provision]]) -> list[tuple[int, int, str]]:
    """(start, end, label path) of every subdivision of a section inside its text."""
    spans: list[tuple[int, int, str]] = []

    def walk(parent: Provision, start: int, prefix: str) -> None:
        cursor = start
        for child in children.get(parent.id, ()):
            at = section.text.find(child.text, cursor) if child.text else -1
            if at < 0:
                continue
            path = prefix + (child.label or "")
            spans.append((at, at + len(child.text), path))
            walk(child, at, path)
            cursor = at + len(child.text)

    walk(section, 0, "")
    return spans


def where_of(offset: int, spans: list[tuple[int, int, str]]) -> str:
    """The label path of the deepest subdivision that holds `offset` ("" for the section itself)."""
    best = ""
    for start, end, path in spans:
        if start <= offset < end and len(path) >= len(best):
            best = path
    return best


def _within(tiers: list[PenaltyTier], where: str) -> list[PenaltyTier]:
    """The tiers of the smallest subdivision around `where` that has tiers."""
    parts = re.findall(r"\([^)]*\)", where)
    # Up to the top subdivision that holds the words; the whole section only when it has none.
    if not parts:
        return list(tiers)
    for k in range(len(parts), 0, -1):
        prefix = "".join(parts[:k])
        found = [t for t in tiers if t.where.startswith(prefix)]
        if found:
            return found
    return []


def _list_head(sentences: list[str], i: int) -> str:
    """For a list item, the words that open its list ("(1) Every person who contravenes" before
    "(b) paragraph 122(1)(b) ..."), followed by a space; "" otherwise."""
    label = LIST_LABEL.match(sentences[i])
    if not label:
        return ""
    kind = label_type(label.group(1))
    for j in range(i - 1, max(-1, i - 30), -1):
        other = LIST_LABEL.match(sentences[j])
        if not other and CONNECTOR.match(sentences[j].strip()):
            continue
        if not other or label_type(other.group(1)) != kind:
            return normalise(sentences[j])[-200:] + " "
    return ""


def _borrow(tiers: list[PenaltyTier], source: str) -> list[PenaltyTier]:
    out = [copy.copy(t) for t in tiers]
    for t in out:
        t.source = t.source or source
    return out


def follow_penalties(
    sections: list[SectionPenalties], by_number: dict[str, str], schedules: set[str]
) -> dict[str, PenaltyFacts]:
    """PenaltyFacts for every section: its own tiers, or tiers and references followed as the
    module docstring says. `schedules` holds the names of the schedules the instrument has
    ("second schedule", "schedule")."""
    by_id = {s.id: s for s in sections}
    result: dict[str, PenaltyFacts] = {s.id: PenaltyFacts(s.id, list(s.own)) for s in sections if s.own}

    # Reverse: penalty provisions name the offences they punish.
    named: dict[str, list[tuple[list[PenaltyTier], str]]] = {}
    for sec in sections:
        if not sec.own:
            continue
        for i, (text, where) in enumerate(zip(sec.texts(), sec.wheres)):
            if not REFERENCE_WORD.search(text):
                continue
            lead = _list_head(sec.sentences, i)
            for ref in find_references(text):
                before = text[: text.find(ref.text)]
                if ref.external or not (OFFENCE_BEFORE.search(before) or (lead and OFFENCE_BEFORE.search(lead + before))):
                    continue
                for number in ref.numbers:
                    target = by_number.get(number)
                    if target and target != sec.id and not by_id[target].own:
                        group = list(sec.own) if WHOLE_SECTION.search(text) else _within(sec.own, where)
                        if group:  # naming words in a part that punishes nothing name an element, not a penalty
                            named.setdefault(target, []).append((group, sec.id, ref.text))
    for target, found in named.items():
        tiers: list[PenaltyTier] = []
        for group, source, _text in found:
            for t in _borrow(group, source):
                if not any(t.evidence == u.evidence and t.source == u.source for u in tiers):
                    tiers.append(t)
        result[target] = PenaltyFacts(target, tiers, reference=", ".join(dict.fromkeys(f"{_label(by_id, s)} ({r})"
                                                                                  for _, s, r in found)))

    # Forward: the offence says where its penalty is set (followed up to three links deep).
    for _ in range(3):
        changed = False
        for sec in sections:
            if sec.id in result:
                continue
            for text in sec.texts():
                if not (PUNISH_WORDS.search(text) and REFERENCE_WORD.search(text)):
                    continue
                for ref in find_references(text):
                    if ref.external or not PENALTY_BEFORE.search(text[: text.find(ref.text)]):
                        continue
                    tiers = []
                    for number, sub in reference_parts(ref):
                        target = by_number.get(number)
                        if target and target != sec.id and target in result and result[target].tiers:
                            source_tiers = result[target].tiers
                            chosen = [t for t in source_tiers if sub and t.where.startswith(sub)] or source_tiers
                            tiers += _borrow(chosen, target)
                    if tiers:
                        result[sec.id] = PenaltyFacts(sec.id, tiers, reference=ref.text)
                        changed = True
                        break
                if sec.id in result:
                    break
        if not changed:
            break

    # General penalties and schedules that apply to every offence of the instrument.
    general: dict[str, tuple[str, list[PenaltyTier]]] = {}
    general_words: dict[str, str] = {}
    act_schedule: tuple[str, str] | None = None
    for sec in sections:
        for sentence, text, where in zip(sec.sentences, sec.texts(), sec.wheres):
            if sec.own and (g := GENERAL.search(text)):
                kind = re.search(r"misdemeanou?r|felony|indictable\s+offen[cs]e|offen[cs]e", text, _F)
                scope = "contravention" if g.group("contravention") else _kind(kind.group(0)) if kind else "offence"
                tiers = [t for t in sec.own if t.where == where or t.evidence in sentence or sentence in t.evidence]
                tiers = tiers or _within(sec.own, where)
                if scope == "contravention" and not tiers:
                    continue  # "(h) contravenes ... any provision of this Act" in a list whose penalty is not read here
                general.setdefault(scope, (sec.id, tiers))
                general_words.setdefault(scope, re.sub(r"\s+", " ", text).strip(" ;,")[:200])
            if act_schedule is None and "chedule" in text and (m := SCHEDULE_PENALTY.search(text)) and "offences under this act" in text.lower():
                act_schedule = (_schedule_name(m.group(0)), sec.id)
    for sec in sections:
        facts = result.get(sec.id)
        readable = normalise(sec.text)
        creating = [_kind(m.group("kind") or "offence") for m in OFFENCE_CREATING.finditer(readable)]
        scopes = list(dict.fromkeys(scope for kind in creating for scope in (kind, "offence", "contravention")))
        if not scopes and PROHIBITING.search(readable):
            scopes = ["contravention"]
        if facts is None:
            # A schedule or a derived penalty named in the section itself.
            for text in sec.texts():
                if "chedule" in text and (m := SCHEDULE_PENALTY.search(text)):
                    name = _schedule_name(m.group(0))
                    result[sec.id] = PenaltyFacts(sec.id, [], reference=name, reference_missing=name.lower() not in schedules)
                    break
            else:
                if derived := derived_penalty(sec.sentences):
                    named = _named_offence(derived, sections, sec.id)
                    borrowed = [] if named else _same_as_sections(derived, sections, by_number, sec.id, result)
                    if borrowed:
                        result[sec.id] = PenaltyFacts(sec.id, borrowed, reference=derived)
                    elif named:
                        result[sec.id] = PenaltyFacts(sec.id, _borrow(named.own, named.id),
                                                      reference=f"{derived} (the punishment of section {named.number}: {named.heading})")
                    else:
                        result[sec.id] = PenaltyFacts(sec.id, [], reference=derived)
                else:
                    for scope in scopes:
                        if scope in general and general[scope][0] != sec.id and general[scope][1]:
                            source, tiers = general[scope]
                            tiers = _borrow(tiers, source)
                            for t in tiers:
                                # "(1) Any person— (a) who acts in contravention of ... any provision of this Act":
                                # the words that make the tier general, not those of the list item it was read from
                                if not GENERAL.search(t.condition or ""):
                                    t.condition = general_words[scope]
                            result[sec.id] = PenaltyFacts(
                                sec.id, tiers, reference=f"general penalty for any {scope}: {_label(by_id, source)}"
                            )
                            break
        facts = result.get(sec.id)
        if act_schedule and creating and (facts is None or (facts.reference and "Schedule" not in facts.reference)
                                          or (facts.tiers and facts.tiers[0].source)):
            name, source = act_schedule
            if source != sec.id:
                missing = name.lower() not in schedules
                if facts is None:
                    result[sec.id] = PenaltyFacts(sec.id, [], reference=f"{name} ({_label(by_id, source)})",
                                                  reference_missing=missing)
                else:
                    facts.reference = f"{facts.reference}; {name} ({_label(by_id, source)})" if facts.reference else name
                    facts.reference_missing = missing
    for facts in result.values():
        if not facts.tiers and facts.reference:
            facts.unread = unread_reason(facts)
    return result


# "liable to an administrative penalty", "liable to a civil penalty", "a penalty determined in
# accordance with sections 73.1 and 73.11": a money penalty imposed outside a criminal sentence.
ADMINISTRATIVE = re.compile(r"\b(?:civil|administrative|pecuniary)\s+penalt|\bpenalty\s+determined\s+in\s+accordance\b", _F)


def unread_reason(facts: PenaltyFacts) -> str:
    """Why a provision whose penalty is set by reference has no tier: the schedule is not in the
    corpus; the penalty is administrative or civil; or it is the penalty of an offence the words
    refer to without naming or fixing it (abetment, attempt, accessories, principal offenders)."""
    reference = facts.reference or ""
    if facts.reference_missing:
        return f"the penalty is set in the {reference}, which is not in the corpus"
    if SCHEDULE.search(reference) and not DERIVED_WORDS.search(reference):
        return f"the penalty is set in the {reference}, from which no term or fine was read"
    if ADMINISTRATIVE.search(reference):
        return f"an administrative or civil penalty, not a sentence the words fix (\u201c{reference}\u201d)"
    return (f"the penalty is that of another offence, which these words do not fix (\u201c{reference}\u201d): "
            f"no term or fine can be read from this provision")


DERIVED_WORDS = re.compile(r"\b(?:same|like)\s+(?:punishment|penalt)|\bprovided\s+for\b", _F)


# "liable to the same punishment as if he had forged the document", "... as if he had stolen the
# animal", "liable to the same penalty as is provided for rape": the penalty of an offence named
# by its act, set in the section of the instrument that punishes that offence in general.
NAMED_ACT = re.compile(r"\bas\s+if\s+(?:he|she|he\s+or\s+she|the\s+person)\s+had\s+(?:himself\s+|herself\s+)?(?P<verb>forged|stolen)\b"
                       r"|\b(?:penalty|punishment)\s+as\s+is\s+provided\s+for\s+(?P<noun>[a-z]+)\b", _F)
ACT_NOUNS = {"forged": "forgery", "stolen": "theft"}


# "liable to the same penalty to which the person would have been liable if ... convicted of an offence
# against section 105C" (NZL Crimes Act s.105D), "liable on conviction to the same punishment as for the
# offence under section 3, 4, 5 or 6" (SGP Terrorism (Suppression of Financing) Act s.6B).
SAME_AS_SECTION = re.compile(r"\bsame\s+(?:punishment|penalt(?:y|ies))\b[^.;]{0,120}?\boffen[cs]es?\s+(?:under|against)\s+(?=sections?\s*\d)", _F)


def _same_as_sections(derived: str, sections: list[SectionPenalties], by_number: dict[str, str], own_id: str,
                      followed: dict[str, PenaltyFacts]) -> list[PenaltyTier]:
    """The tiers of the sections a derived penalty names ("the same punishment as for the offence under
    section 3, 4, 5 or 6"): their own, or those they take from the section that sets them (SGP TSOF Act
    ss.3-6 from s.6A)."""
    m = SAME_AS_SECTION.search(derived)
    if not m:
        return []
    by_id = {s.id: s for s in sections}
    tiers: list[PenaltyTier] = []
    for ref in find_references(derived[m.end():]):
        if ref.external:
            continue
        for number in ref.numbers:
            target = by_number.get(number)
            if target and target != own_id and by_id[target].own:
                tiers += _borrow(by_id[target].own, target)
            elif target and target != own_id and target in followed and followed[target].tiers:
                for t in _borrow(followed[target].tiers, followed[target].tiers[0].source or target):
                    if not any(t.evidence == u.evidence and t.source == u.source for u in tiers):
                        tiers.append(t)
        break  # the first reference is the one named
    return tiers


def _named_offence(derived: str, sections: list[SectionPenalties], own_id: str) -> SectionPenalties | None:
    """The section that punishes the offence a derived penalty names by its act: "General punishment
    for forgery" first, then "Punishment for rape", then the section headed by the offence's name."""
    m = NAMED_ACT.search(derived)
    if not m:
        return None
    noun = ACT_NOUNS.get((m.group("verb") or "").lower()) or (m.group("noun") or "").lower()
    if not noun:
        return None
    ranked = (
        re.compile(rf"^\W*(?:offence\s+of\s+and\s+)?general\s+punishment\s+for,?\s+{noun}\W*$", _F),
        re.compile(rf"^\W*punishment\s+(?:for|of)\s+{noun}\W*$", _F),
        re.compile(rf"^\W*{noun}\W*$", _F),
    )
    for pattern in ranked:
        for sec in sections:
            if sec.id != own_id and sec.own and pattern.match(sec.heading):
                return sec
    return None


def _kind(word: str) -> str:
    word = word.lower()
    if word.startswith("misdemean"):
        return "misdemeanour"
    if word == "felony":
        return "felony"
    return "indictable offence" if word.startswith("indictable") else "offence"


def _schedule_name(words: str) -> str:
    m = SCHEDULE.search(words)
    return re.sub(r"\s+", " ", m.group(0)).strip().title() if m else "Schedule"


def _label(by_id: dict[str, SectionPenalties], pid: str) -> str:
    return f"section {by_id[pid].number}"
