"""The obligations catalogue: dataclasses, loader and schema validation.

The data is `catalogue.toml` next to this module: one `[[obligation]]` table per obligation,
with an `[obligation.elements]` sub-table. Everything is checked on load; the first problem
raises `CatalogueError` naming the file, the TOML line of the obligation, its id and what
was expected.
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import asdict, dataclass, field
from pathlib import Path

from harmonize.analyze.categories import CATEGORIES
from harmonize.errors import CatalogueError

CATALOGUE_PATH = Path(__file__).with_name("catalogue.toml")

# Instrument code -> corpus-relative path of the convention it refers to.
INSTRUMENT_SOURCES: dict[str, str] = {
    "UN1961": "conventions/single-convention-1961-as-amended-1972.md",
    "UN1971": "conventions/psychotropic-substances-1971.md",
    "UN1988": "conventions/vienna-illicit-traffic-1988.md",
    "UNTOC": "conventions/untoc-2000.md",
    "TIP": "conventions/untoc-trafficking-persons-protocol-2000.md",
    "SOM": "conventions/untoc-smuggling-migrants-protocol-2000.md",
    "FP": "conventions/untoc-firearms-protocol-2001.md",
    "UNCAC": "conventions/uncac-2003.md",
    "ICSFT": "conventions/terrorist-financing-convention-1999.md",
    "ATT": "conventions/arms-trade-treaty-2013.md",
}

# "optional" = "shall consider" / "may"; the third level covers provisions made "subject to
# its constitutional principles / the basic concepts of its legal system / constitutional
# limitations".
LEVELS = ("mandatory", "optional", "subject to constitutional principles")

TYPES = (
    "criminalization",
    "sanction",
    "confiscation",
    "jurisdiction",
    "extradition",
    "mutual legal assistance",
    "liability of legal persons",
    "other",
)

# Element keys holding lists of short lowercase phrases, and the one integer key.
PHRASE_KEYS = ("conduct", "object", "mental", "purpose", "means", "circumstance", "penalty")
THRESHOLD_KEY = "threshold_months"
ELEMENT_KEYS = PHRASE_KEYS + (THRESHOLD_KEY,)

OBLIGATION_KEYS = ("id", "parent", "level", "type", "category", "summary", "elements")
REQUIRED_KEYS = ("id", "level", "type", "category", "summary")

# "3", "14bis", "3(1)(a)(i)", "5(1)(a)(ii)(b)": the number the convention parser writes.
ARTICLE_REF = re.compile(r"^\d+(?:bis|ter|quater)?(?:\((?:\d+|[a-z]+)\))*$")
ID_FORMAT = re.compile(r"^(?P<code>[A-Z0-9]+):(?P<ref>.+)$")


@dataclass(frozen=True)
class Elements:
    """What a national offence must contain, as phrases a statute would use."""

    conduct: tuple[str, ...] = ()
    object: tuple[str, ...] = ()
    mental: tuple[str, ...] = ()
    purpose: tuple[str, ...] = ()
    means: tuple[str, ...] = ()
    circumstance: tuple[str, ...] = ()
    penalty: tuple[str, ...] = ()
    threshold_months: int | None = None  # minimum maximum-penalty the text sets, in months

    def phrases(self) -> list[str]:
        """Every phrase, in key order, without duplicates."""
        seen: dict[str, None] = {}
        for key in PHRASE_KEYS:
            for phrase in getattr(self, key):
                seen.setdefault(phrase, None)
        return list(seen)

    def to_dict(self) -> dict:
        """Only the keys that are set."""
        data: dict = {}
        for key in PHRASE_KEYS:
            value = getattr(self, key)
            if value:
                data[key] = list(value)
        if self.threshold_months is not None:
            data[THRESHOLD_KEY] = self.threshold_months
        return data


@dataclass(frozen=True)
class Obligation:
    """One obligation of a convention, linked to its article by `article_ref`."""

    id: str  # "UN1988:3(1)(a)(i)"
    instrument: str  # code, "UN1988"
    article_ref: str  # "3(1)(a)(i)": the provision number as the convention parser writes it
    level: str  # one of LEVELS
    type: str  # one of TYPES
    category: tuple[str, ...]  # from harmonize.analyze.categories.CATEGORIES
    elements: Elements
    summary: str
    parent: str | None = None  # id of the obligation this one refines
    line: int | None = field(default=None, compare=False)  # TOML line of its [[obligation]]

    @property
    def source(self) -> str:
        """Corpus-relative path of the convention."""
        return INSTRUMENT_SOURCES[self.instrument]

    @property
    def article(self) -> str:
        """The article number alone: "3" for "3(1)(a)(i)"."""
        return self.article_ref.split("(", 1)[0]

    def to_dict(self) -> dict:
        data = asdict(self)
        data.pop("line")
        data["category"] = list(self.category)
        data["elements"] = self.elements.to_dict()
        data["source"] = self.source
        return data


def convention_number(obligation: Obligation) -> str:
    """The provision number as the convention parser writes it: exactly the article_ref."""
    return obligation.article_ref


def load_catalogue(path: Path | str | None = None) -> list[Obligation]:
    """Read and validate the catalogue (default: the packaged catalogue.toml)."""
    path = Path(path) if path is not None else CATALOGUE_PATH
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CatalogueError(str(path), None, None, f"cannot read the catalogue: {exc}") from exc
    return list(_parsed(text, str(path)))


@functools.lru_cache(maxsize=8)
def _parsed(text: str, source: str) -> tuple[Obligation, ...]:
    """The obligations of one catalogue text (frozen, so shared): pages and reports read the catalogue
    per request, and parsing its TOML each time cost a page seconds."""
    return tuple(parse_catalogue(text, source))


def parse_catalogue(text: str, source: str = "<catalogue>") -> list[Obligation]:
    """Validate catalogue TOML text and return its obligations in file order."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CatalogueError(source, None, None, f"not valid TOML: {exc}") from exc
    extra = set(data) - {"obligation"}
    if extra:
        raise CatalogueError(source, None, None, f"unknown top-level keys {sorted(extra)}; expected only [[obligation]] tables")
    tables = data.get("obligation", [])
    if not isinstance(tables, list):
        raise CatalogueError(source, None, None, "expected [[obligation]] tables (an array of tables)")
    lines = _table_lines(text)

    obligations: list[Obligation] = []
    seen: dict[str, Obligation] = {}
    for index, table in enumerate(tables):
        line = lines[index] if index < len(lines) else None
        ob = _obligation(table, source, line)
        if ob.id in seen:
            first = seen[ob.id].line
            raise CatalogueError(source, line, ob.id, f"duplicate id (first defined at line {first})")
        seen[ob.id] = ob
        obligations.append(ob)

    for ob in obligations:
        if ob.parent is None:
            continue
        parent = seen.get(ob.parent)
        if parent is None:
            raise CatalogueError(source, ob.line, ob.id, f"parent {ob.parent!r} is not an obligation of the catalogue")
        if parent.instrument != ob.instrument or not ob.article_ref.startswith(parent.article_ref + "("):
            raise CatalogueError(
                source, ob.line, ob.id,
                f"parent {ob.parent!r} must be of the same instrument and its article reference "
                f"a prefix of {ob.article_ref!r} (a wider provision)",
            )
    return obligations


def _table_lines(text: str) -> list[int]:
    """1-based line of each `[[obligation]]` header, in order."""
    return [n for n, raw in enumerate(text.splitlines(), 1) if re.match(r"^\s*\[\[\s*obligation\s*\]\]", raw)]


def _obligation(table: object, source: str, line: int | None) -> Obligation:
    if not isinstance(table, dict):
        raise CatalogueError(source, line, None, "expected a table")
    ident = table.get("id")
    label = ident if isinstance(ident, str) else None

    def fail(message: str) -> CatalogueError:
        return CatalogueError(source, line, label, message)

    unknown = set(table) - set(OBLIGATION_KEYS)
    if unknown:
        raise fail(f"unknown keys {sorted(unknown)}; expected some of {list(OBLIGATION_KEYS)}")
    for key in REQUIRED_KEYS:
        if key not in table:
            raise fail(f"missing key {key!r}")
    if not isinstance(ident, str):
        raise fail("id must be a string like 'UN1988:3(1)(a)(i)'")
    match = ID_FORMAT.match(ident)
    if not match:
        raise fail("id must be '<INSTRUMENT>:<article reference>', e.g. 'UN1988:3(1)(a)(i)'")
    code, ref = match["code"], match["ref"]
    if code not in INSTRUMENT_SOURCES:
        raise fail(f"unknown instrument code {code!r}; expected one of {list(INSTRUMENT_SOURCES)}")
    if not ARTICLE_REF.match(ref):
        raise fail(f"article reference {ref!r} must read like '3', '3(2)' or '3(1)(a)(i)'")

    level = table["level"]
    if level not in LEVELS:
        raise fail(f"level {level!r} is not one of {list(LEVELS)}")
    kind = table["type"]
    if kind not in TYPES:
        raise fail(f"type {kind!r} is not one of {list(TYPES)}")

    categories = table["category"]
    if isinstance(categories, str):
        categories = [categories]
    if not isinstance(categories, list) or not all(isinstance(c, str) for c in categories):
        raise fail("category must be a list of strings")
    for cat in categories:
        if cat not in CATEGORIES:
            raise fail(f"category {cat!r} is not in harmonize.analyze.categories.CATEGORIES")
    if len(set(categories)) != len(categories):
        raise fail("category lists a category twice")

    summary = table["summary"]
    if not isinstance(summary, str) or not summary.strip():
        raise fail("summary must be a non-empty string")

    parent = table.get("parent")
    if parent is not None and (not isinstance(parent, str) or not ID_FORMAT.match(parent)):
        raise fail("parent must be an obligation id like 'UN1988:3(1)'")
    if parent == ident:
        raise fail("an obligation cannot be its own parent")

    return Obligation(
        id=ident,
        instrument=code,
        article_ref=ref,
        level=level,
        type=kind,
        category=tuple(categories),
        elements=_elements(table.get("elements", {}), fail),
        summary=" ".join(summary.split()),
        parent=parent,
        line=line,
    )


def _elements(raw: object, fail) -> Elements:
    if not isinstance(raw, dict):
        raise fail("elements must be a table")
    unknown = set(raw) - set(ELEMENT_KEYS)
    if unknown:
        raise fail(f"unknown element keys {sorted(unknown)}; expected some of {list(ELEMENT_KEYS)}")
    values: dict = {}
    for key in PHRASE_KEYS:
        if key not in raw:
            continue
        value = raw[key]
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise fail(f"elements.{key} must be a list of strings")
        phrases = []
        for phrase in value:
            phrase = " ".join(phrase.split())
            if not phrase:
                raise fail(f"elements.{key} has an empty phrase")
            if phrase != phrase.lower():
                raise fail(f"elements.{key} phrase {phrase!r} must be lowercase")
            phrases.append(phrase)
        values[key] = tuple(phrases)
    if THRESHOLD_KEY in raw:
        threshold = raw[THRESHOLD_KEY]
        if isinstance(threshold, bool) or not isinstance(threshold, int) or threshold <= 0:
            raise fail(f"elements.{THRESHOLD_KEY} must be a positive integer (months), got {threshold!r}")
        values[THRESHOLD_KEY] = threshold
    return Elements(**values)
