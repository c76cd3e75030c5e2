"""The offence-category vocabulary as data: `categories.toml` beside the catalogue, loaded and validated.

Tables (see the file's header for their meaning):
- `[conduct]` verb -> list of word forms (strings; a form belongs to one verb only);
- `[equivalents]` (optional) name -> list of at least two verbs of `[conduct]` that name the
  same act under another verb (extradition's dual criminality);
- `[party]` (optional) `conduct` = list of verbs of `[conduct]`: the acts of a party rather than a
  principal (extradition's dual criminality through party liability);
- `[category."NAME"]` for every offence category of `analyze/categories.py` and nothing else,
  with keys `subjects`, `conduct`, `objects` (required) and `strong`, `without`, `requested`
  and `asks_conduct_only` (optional): lists of strings (the last true or false); conduct and strong
  name verbs of `[conduct]`, objects, without and requested name
  object kinds the analyser knows, subjects name known subjects.
The first problem raises `VocabularyError` naming the file, the line and what was expected.
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from harmonize.errors import VocabularyError
from harmonize.obligations.rules import line_of

VOCABULARY_PATH = Path(__file__).with_name("categories.toml")
REQUIRED = ("subjects", "conduct", "objects")
OPTIONAL = ("strong", "without", "requested", "asks_conduct_only")
FLAGS = ("asks_conduct_only",)


@dataclass(frozen=True)
class CategoryTerms:
    """What makes an offence statement one of a category."""

    name: str
    subjects: tuple[str, ...]  # the laws' subjects it may sit in (empty: any)
    conduct: frozenset[str]  # the offender's acts (empty: no condition)
    objects: frozenset[str]  # what they are done to (empty: no condition)
    strong: frozenset[str] = frozenset()  # acts that suffice with the category's purpose
    without: frozenset[str] = frozenset()  # object kinds that exclude it
    requested: frozenset[str] = frozenset()  # object kinds a requested country's offence may act on (extradition)
    asks_conduct_only: bool = False  # an extradition request asks only the category's conduct of an offence

    @property
    def requested_objects(self) -> frozenset[str]:
        """What dual criminality looks for in the requested country's offences: `requested`, else the objects."""
        return self.requested or self.objects


@dataclass(frozen=True)
class Vocabulary:
    forms: dict[str, str]  # word form -> canonical verb (every verb is its own form)
    categories: dict[str, CategoryTerms]
    equivalents: tuple[frozenset[str], ...] = ()  # groups of verbs naming the same act (extradition)
    party_conduct: frozenset[str] = frozenset()  # acts of a party, not a principal (extradition)

    @property
    def verbs(self) -> frozenset[str]:
        return frozenset(self.forms.values())


def parse_vocabulary(text: str, source: str, categories: Collection[str], object_kinds: Collection[str],
                     subjects: Collection[str]) -> Vocabulary:
    """The vocabulary in `text`, checked against the analyser's categories, object kinds and subjects."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = re.search(r"line (\d+)", str(exc))
        raise VocabularyError(source, int(line.group(1)) if line else None, f"not valid TOML: {exc}") from exc
    for table in data:
        if table not in ("conduct", "equivalents", "party", "category"):
            raise VocabularyError(source, line_of(text, table), f"unknown table [{table}]; expected [conduct], "
                                                                f"[equivalents], [party] and [category.\"NAME\"]")
    conduct = data.get("conduct")
    if not isinstance(conduct, dict) or not conduct:
        raise VocabularyError(source, None, "expected a [conduct] table of verb = [word forms]")
    forms: dict[str, str] = {}
    for verb, words in conduct.items():
        line = line_of(text, "conduct", verb)
        if not isinstance(words, list) or not all(isinstance(w, str) and w.strip() for w in words):
            raise VocabularyError(source, line, f"[conduct] {verb}: expected a list of word forms (strings)")
        for word in [verb, *words]:
            word = word.strip().lower()
            if forms.get(word, verb) != verb:
                raise VocabularyError(source, line, f"[conduct] {verb}: the form {word!r} already belongs to {forms[word]!r}")
            forms[word] = verb
    verbs = set(conduct)
    equivalents = data.get("equivalents", {})
    if not isinstance(equivalents, dict):
        raise VocabularyError(source, line_of(text, "equivalents"), "[equivalents]: expected a table of name = [verbs]")
    groups = []
    for name, group in equivalents.items():
        line = line_of(text, "equivalents", name)
        if not isinstance(group, list) or len(group) < 2 or not all(isinstance(v, str) for v in group):
            raise VocabularyError(source, line, f"[equivalents] {name}: expected a list of at least two verbs")
        unknown = [v for v in group if v not in verbs]
        if unknown:
            raise VocabularyError(source, line, f"[equivalents] {name}: {', '.join(map(repr, unknown))} not among the "
                                                f"verbs of [conduct]")
        groups.append(frozenset(group))
    party = _party_conduct(data.get("party", {}), text, source, verbs)
    table = data.get("category")
    if not isinstance(table, dict):
        raise VocabularyError(source, None, 'expected [category."NAME"] tables, one per offence category')
    found: dict[str, CategoryTerms] = {}
    for name, entry in table.items():
        where = f'category."{name}"'
        line = line_of(text, where)
        if name not in categories:
            raise VocabularyError(source, line, f"[{where}]: not an offence category; expected one of {', '.join(categories)}")
        if not isinstance(entry, dict):
            raise VocabularyError(source, line, f"[{where}]: expected a table")
        for key in REQUIRED:
            if key not in entry:
                raise VocabularyError(source, line, f"[{where}] lacks {key!r}")
        for key, value in entry.items():
            key_line = line_of(text, where, key)
            if key not in REQUIRED + OPTIONAL:
                raise VocabularyError(source, key_line, f"[{where}] {key!r} is not a key; expected one of {', '.join(REQUIRED + OPTIONAL)}")
            if key in FLAGS:
                if not isinstance(value, bool):
                    raise VocabularyError(source, key_line, f"[{where}] {key}: expected true or false")
                continue
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise VocabularyError(source, key_line, f"[{where}] {key}: expected a list of strings")
            known = {"conduct": verbs, "strong": verbs, "objects": set(object_kinds), "without": set(object_kinds),
                     "requested": set(object_kinds),
                     "subjects": set(subjects)}[key]
            unknown = [v for v in value if v not in known]
            if unknown:
                what = {"conduct": "verbs of [conduct]", "strong": "verbs of [conduct]", "subjects": "subjects"}.get(key, "object kinds")
                raise VocabularyError(source, key_line, f"[{where}] {key}: {', '.join(map(repr, unknown))} not among the "
                                                        f"{what} ({', '.join(sorted(known))})")
        found[name] = CategoryTerms(name, tuple(entry["subjects"]), frozenset(entry["conduct"]), frozenset(entry["objects"]),
                                    frozenset(entry.get("strong", ())), frozenset(entry.get("without", ())),
                                    frozenset(entry.get("requested", ())), entry.get("asks_conduct_only", False))
    missing = [c for c in categories if c not in found]
    if missing:
        raise VocabularyError(source, None, f"no [category.\"NAME\"] table for {', '.join(missing)}")
    return Vocabulary(forms, found, tuple(groups), party)


def _party_conduct(table, text: str, source: str, verbs: set[str]) -> frozenset[str]:
    """[party] conduct = [verbs of [conduct]]."""
    if not isinstance(table, dict):
        raise VocabularyError(source, line_of(text, "party"), "[party]: expected a table with conduct = [verbs of [conduct]]")
    for key in table:
        if key != "conduct":
            raise VocabularyError(source, line_of(text, "party", key), f"[party] {key!r} is not a key; expected only conduct")
    conduct = table.get("conduct", [])
    line = line_of(text, "party", "conduct")
    if not isinstance(conduct, list) or not all(isinstance(v, str) for v in conduct):
        raise VocabularyError(source, line, "[party] conduct: expected a list of verbs")
    unknown = [v for v in conduct if v not in verbs]
    if unknown:
        raise VocabularyError(source, line, f"[party] conduct: {', '.join(map(repr, unknown))} not among the verbs of [conduct]")
    return frozenset(conduct)


@functools.lru_cache(maxsize=4)
def load_vocabulary(categories: tuple[str, ...], object_kinds: tuple[str, ...], subjects: tuple[str, ...],
                    path: str | Path = VOCABULARY_PATH) -> Vocabulary:
    path = Path(path)
    return parse_vocabulary(path.read_text(encoding="utf-8"), str(path), categories, object_kinds, subjects)
