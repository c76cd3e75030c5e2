"""Definitions ("X" means ...) and cross-references ("section 21", "sections 5, 6 and 7").

Phrasings understood:
    Definitions: '"trafficking" means ...', '“traffic” includes ...', 'In this Act, "proceeds
    of crime" means ...'; in a definitions section also unquoted entries, one per line, as the
    consolidations print them once the bold term is stripped: 'traffic means ...' followed
    by its '(a) ... (b) ...' lines. A section headed "Meaning of <term>" that defines its term
    in a sentence of its own is that term's definition, the whole section: "Meaning of
    traffics": "For the purposes of this Part, a person traffics in a substance if: (a) the
    person sells the substance; or ... (e) the person possesses the substance with the intention
    of selling any of it"; "Meaning of dealing in drugs": "each of the following is a dealing
    in drugs: ... (fb) organising, managing or financing a dealing in drugs"; "Meanings of
    cultivate and cultivates a plant" (two terms); not "Meaning of terms used in sections ..."
    nor a repealed section.
    References: "section 21", "sections 117, 118 or 119", "s. 9", "paragraph 122(1)(a)",
    "sections 5, 6, 10, 13 to 17", "section 924(a)" (the subdivision is kept: `reference_parts`);
    inside the same section "subsection (1)", "sub-section (2)", "paragraph (b)" (scope
    "section"); schedules "the Second Schedule", "Schedule 3", "Schedule I", "the Schedule to this Act" (scope
    "schedule"). A reference followed by "of the <Name> Act", "of Act 16 of 2022", "of Act No. IX
    of 2025" or "of the Act" points outside the instrument and is kept unresolved.
    Not references of this instrument: citations of the amending Acts in amendment notes,
    "[Repealed, 2012, c. 1, s. 39]", "[Act 12 of 2009, s.3]", "[30/2012; 1/2019]", "[section 24
    substituted by section 14 of Act 16 of 2022 ]", and footnote lines "Subs. by Act No. IX of
    2025, ss.2-3."
"""

from __future__ import annotations

import re

from spacy.lang.en.stop_words import STOP_WORDS

from harmonize.model import Definition, Reference

DEFINITION = re.compile(
    r"[\"“'‘](?P<term>[^\"”'’\n]{2,60})[\"”'’]\s+(?P<verb>means|includes|shall mean|has the meaning)\b(?P<body>[^\n;]{0,400})",
    re.I,
)
_SECNUM = r"\d+[A-Z]{0,3}(?:\.\d+)*"
REFERENCE = re.compile(
    r"\b(?P<kind>sections?|ss?\.|paragraphs?|sub-?sections?|articles?|rules?)\s+"
    r"(?P<list>" + _SECNUM + r"(?:\([0-9A-Za-z.]+\))*(?:\s*(?:,|and|or|to)\s*" + _SECNUM + r"(?:\([0-9A-Za-z.]+\))*)*)"
    r"(?P<external>\s+of\s+the\s+[A-Z][\w\s,()-]{0,80}?(?:Act|Code|Ordinance|Law|Decree)\b"
    r"|\s+of\s+(?:the\s+)?(?:Act|Ordinance)\s+(?:No\.?\s*)?[\dIVXLC]+\s+of\s+\d{4}|\s+of\s+\d{4}\b)?",
)
# "[Repealed, 2012, c. 1, s. 39]", "[Act 12 of 2009, s.3]", "[section 24 substituted by section 14 of
# Act 16 of 2022 ]": an amendment note, whose references cite the amending Act.
AMENDMENT_NOTE = re.compile(
    r"\[[^\[\]]{0,200}?(?:\b(?:1[89]|20)\d\d\b|\bc\.\s*\d|\bAct\b|\bOrd\.|\bwef\b)[^\[\]]{0,200}\]"
    r"|^\s*(?:Ins|Subs|Added|Omitted|Amended|Renumbered|Substituted)\b[^\n]*$",
    re.M,
)
SCHEDULE_REF = re.compile(
    r"\b(?:the\s+)?(?:(?:First|Second|Third|Fourth|Fifth|Sixth|Seventh|Eighth|Ninth|Tenth)\s+Schedule|Schedule\s+(?:\d+[A-Z]?|[IVX]+\b)"
    r"|Schedule\s+to\s+this\s+(?:Act|Code|Ordinance))\b"
    r"(?P<external>\s+(?:to|of)\s+the\s+[A-Z][\w\s,()-]{0,80}?(?:Act|Code|Ordinance|Law|Decree)\b)?",
)
_ITEM = re.compile(r"(" + _SECNUM + r")((?:\([0-9A-Za-z.]+\))*)")


# An entry of a definitions section: a short term at the start of a line, then the verb.
UNQUOTED_DEFINITION = re.compile(
    r"^(?:\(\w+\)\s+)?(?!(?:and|or|but|it|this|that|which|who|also|the\s+\w+\s+includes)\b)(?P<term>[A-Za-z][\w’'-]*(?:\s+[\w’'-]+){0,5}?)\s+"
    r"(?P<verb>means|includes|has\s+the\s+(?:same\s+)?meaning)\b(?P<body>.*)$")
MAX_DEFINITION_CHARS = 600


def find_definitions(text: str, definitions_section: bool = False, heading: str = "") -> list[Definition]:
    found = []
    for m in DEFINITION.finditer(text):
        found.append(Definition(m.group("term").strip(), (m.group("verb") + m.group("body")).strip()))
    if definitions_section and not found:
        found = _unquoted_definitions(text)
    if not found and heading:
        found = _meaning_definitions(heading, text)
    return found


# "Meaning of traffics", "Meanings of cultivate and cultivates a plant", "Meaning of “gun” and associated terms".
MEANING_HEADING = re.compile(r"^\s*meanings?\s+of\s+(?P<terms>.+?)\s*$", re.I)
# Heading words that name no term: "Meaning of terms used in sections 378C and 378D", "expressions used in ...".
NOT_A_TERM = re.compile(r"^(?:terms?|expressions?|words?|associated\s+terms|certain\s+(?:terms|expressions|words))\b", re.I)
MAX_TERM_WORDS = 6
# A "Meaning of" section is read whole: the alternatives it lists ("(e) the person possesses the
# substance with the intention of selling any of it") can sit far into it.
MAX_MEANING_CHARS = 3000


def _meaning_definitions(heading: str, text: str) -> list[Definition]:
    """The terms a "Meaning of <term>" heading names, each defined by the whole section."""
    m = MEANING_HEADING.match(heading)
    body = " ".join(text.split())
    if m is None or not body or re.match(r"^\[?\s*repealed\b", body, re.I):
        return []
    # "unlawfully in New Zealand (in relation to person ...)", "flight in relation to aircraft", "etc."
    terms = re.sub(r"\s*\(.*?\)|\s+in\s+relation\s+to\b.*$|,?\s+etc\.?$", "", m.group("terms"), flags=re.I)
    found = []
    for term in re.split(r",\s*|\s+and\s+", terms):
        term = term.strip(" “”\"'‘’.")
        if term and not NOT_A_TERM.match(term) and len(term.split()) <= MAX_TERM_WORDS:
            found.append(Definition(term, body[:MAX_MEANING_CHARS]))
    return found


def is_defined_term(term: str) -> bool:
    """Not a function word ("by ... means") nor a sentence fragment the unquoted pattern
    catches ("a reference to ... includes", "any material by ... means")."""
    words = term.lower().split()
    return bool(words) and words[0] not in ("a", "an", "any") and not all(w in STOP_WORDS for w in words)


def _unquoted_definitions(text: str) -> list[Definition]:
    """'term means ...' entries, each with the item lines that follow it, up to the next entry."""
    found: list[Definition] = []
    for line in text.splitlines():
        m = UNQUOTED_DEFINITION.match(line.strip())
        if m and is_defined_term(m.group("term")):
            found.append(Definition(m.group("term").strip(), (m.group("verb") + m.group("body")).strip()))
        elif found and len(found[-1].text) < MAX_DEFINITION_CHARS:
            found[-1].text = f"{found[-1].text} {line.strip()}"[:MAX_DEFINITION_CHARS]
    return found


def _expand(listing: str) -> list[str]:
    """'5, 6, 10, 13 to 17' -> 5, 6, 10, 13, 14, 15, 16, 17; '122(1)(a)' -> 122."""
    numbers: list[str] = []
    items = _ITEM.findall(listing)
    ranges = re.findall(r"(" + _SECNUM + r")\s*to\s*(" + _SECNUM + r")", listing)
    for number, _sub in items:
        if number not in numbers:
            numbers.append(number)
    for low, high in ranges:
        if low.isdigit() and high.isdigit() and 0 < int(high) - int(low) < 50:
            for n in range(int(low) + 1, int(high)):
                if str(n) not in numbers:
                    numbers.append(str(n))
    return numbers


INTERNAL = re.compile(r"\b(?P<kind>sub-?sections?|paragraphs?|sub-?paragraphs?|clauses?)\s+(?P<list>\(\s?[0-9A-Za-z.]+\s?\)"
                      r"(?:\(\s?[0-9A-Za-z.]+\s?\))*(?:\s*(?:,|and|or|to)\s*\(\s?[0-9A-Za-z.]+\s?\)(?:\(\s?[0-9A-Za-z.]+\s?\))*)*)")


def _notes_blanked(text: str) -> str:
    """The text with amendment notes blanked out (same length, so offsets still hold)."""
    return AMENDMENT_NOTE.sub(lambda m: " " * len(m.group(0)), text)


def find_references(text: str) -> list[Reference]:
    """Section, subdivision and schedule references in document order (amendment notes skipped)."""
    text = _notes_blanked(text)
    found: list[tuple[int, Reference]] = []
    for m in REFERENCE.finditer(text):
        if m.group("kind").lower().startswith(("sub", "paragraph")) and m.group("list").startswith("("):
            continue  # "subsection (1)": read by INTERNAL below
        external = m.group("external")
        found.append((m.start(), Reference(m.group(0).strip(), _expand(m.group("list")),
                                           external.strip() if external else None, [])))
    for m in INTERNAL.finditer(text):
        if not re.match(r"\s*of\s+(?:section|the|this)\b", text[m.end(): m.end() + 14]):
            found.append((m.start(), Reference(m.group(0).strip(), [], None, [], scope="section")))
    for m in SCHEDULE_REF.finditer(text):
        external = m.group("external")
        name = re.sub(r"^the\s+", "", m.group(0)[: m.start("external") - m.start()] if external else m.group(0), flags=re.I)
        found.append((m.start(), Reference(name.strip(), [], external.strip() if external else None, [], scope="schedule")))
    return [ref for _, ref in sorted(found, key=lambda item: item[0])]


def reference_parts(ref: Reference) -> list[tuple[str, str]]:
    """(section number, subdivision) pairs of a section reference: "section 924(a)(2)" ->
    [("924", "(a)(2)")]; "sections 5 to 7" -> 5, 6, 7 with no subdivision."""
    subs = {number: sub.replace(" ", "") for number, sub in _ITEM.findall(ref.text)}
    return [(number, subs.get(number, "")) for number in ref.numbers]
