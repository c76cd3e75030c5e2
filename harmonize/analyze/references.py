"""Definitions ("X" means ...) and cross-references ("section 21", "sections 5, 6 and 7").

Phrasings understood:
    Definitions: '"trafficking" means ...', '“traffic” includes ...', 'In this Act, "proceeds
    of crime" means ...'; in a definitions section also unquoted entries, one per line, as the
    consolidations print them once the bold term is stripped: 'traffic means ...' followed
    by its '(a) ... (b) ...' lines.
    References: "section 21", "sections 117, 118 or 119", "s. 9", "sub-section (1)",
    "paragraph 122(1)(a)", "sections 5, 6, 10, 13 to 17"; a reference followed by "of the
    <Name> Act" points outside the instrument and is kept unresolved.
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
    r"(?P<external>\s+of\s+the\s+[A-Z][\w\s,()-]{0,80}?(?:Act|Code|Ordinance|Law|Decree)\b)?",
)
_ITEM = re.compile(r"(" + _SECNUM + r")((?:\([0-9A-Za-z.]+\))*)")


# An entry of a definitions section: a short term at the start of a line, then the verb.
UNQUOTED_DEFINITION = re.compile(
    r"^(?:\(\w+\)\s+)?(?!(?:and|or|but|it|this|that|which|who|also|the\s+\w+\s+includes)\b)(?P<term>[A-Za-z][\w’'-]*(?:\s+[\w’'-]+){0,5}?)\s+"
    r"(?P<verb>means|includes|has\s+the\s+(?:same\s+)?meaning)\b(?P<body>.*)$")
MAX_DEFINITION_CHARS = 600


def find_definitions(text: str, definitions_section: bool = False) -> list[Definition]:
    found = []
    for m in DEFINITION.finditer(text):
        found.append(Definition(m.group("term").strip(), (m.group("verb") + m.group("body")).strip()))
    if definitions_section and not found:
        found = _unquoted_definitions(text)
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


def find_references(text: str) -> list[Reference]:
    refs = []
    for m in REFERENCE.finditer(text):
        if m.group("kind").lower().startswith(("sub", "paragraph")) and m.group("list").startswith("("):
            continue  # "subsection (1)" refers inside the same section
        external = m.group("external")
        refs.append(Reference(m.group(0).strip(), _expand(m.group("list")), external.strip() if external else None, []))
    return refs
