"""The alignment rules as data: `alignment.toml` beside the catalogue, loaded and validated.

Sections and keys (all required, nothing else allowed):
- `[weights]` retrieval, category, elements, penalty, rule, topic: numbers in [0, 1];
- `[category]` in_heading >= in_specialised_text >= in_text >= generic_credit >= in_specialised_act, in [0, 1];
- `[cutoffs]` covered > partial > floor, not_an_offence, min_elements and covered_within, in [0, 1];
- `[topics]` neighbours (subject -> [subjects]) and types (obligation type -> [subjects]);
- `[reach]` party_liability (duty category -> [generic categories of the general criminal law
  whose party-liability provisions reach it]).
The first problem raises `RulesError` naming the file, the line of the key and what was expected.
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path

from harmonize.errors import RulesError

RULES_PATH = Path(__file__).with_name("alignment.toml")
SIGNALS = ("retrieval", "category", "elements", "penalty", "rule", "topic")
CATEGORY_LEVELS = ("in_heading", "in_specialised_text", "in_text", "generic_credit", "in_specialised_act")
CUTOFFS = ("covered", "partial", "floor", "not_an_offence", "min_elements", "covered_within")
SECTIONS = {"weights": SIGNALS, "category": CATEGORY_LEVELS, "cutoffs": CUTOFFS, "topics": ("neighbours", "types"),
            "reach": ("party_liability",)}


@dataclass(frozen=True)
class Rules:
    weights: dict[str, float]
    category: dict[str, float]
    cutoffs: dict[str, float]
    neighbours: dict[str, tuple[str, ...]]
    types: dict[str, tuple[str, ...]]
    party_liability: dict[str, tuple[str, ...]]

    def with_values(self, weights: dict[str, float] | None = None, cutoffs: dict[str, float] | None = None) -> Rules:
        """A copy with some weights / cut-offs changed (calibration grids)."""
        return replace(self, weights={**self.weights, **(weights or {})}, cutoffs={**self.cutoffs, **(cutoffs or {})})


def line_of(text: str, section: str, key: str | None = None) -> int | None:
    """The line of `key` inside `[section]` (or of the section header; `section` may be a dotted
    name with quoted parts, `category."drug trafficking"`). Shared by the data-file loaders."""
    lines = text.splitlines()
    header = re.compile(r"^\s*\[\s*" + re.escape(section).replace(r"\"", "\"?") + r"\s*\]\s*(?:#.*)?$")
    start = next((i for i, line in enumerate(lines) if header.match(line)), None)
    if start is None:
        return None
    if key is None:
        return start + 1
    for i in range(start + 1, len(lines)):
        if lines[i].lstrip().startswith("["):
            break
        if re.match(rf'\s*"?{re.escape(key)}"?\s*=', lines[i]):
            return i + 1
    return start + 1


def _number(value, source: str, text: str, section: str, key: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
        raise RulesError(source, line_of(text, section, key), f"[{section}] {key} = {value!r}: expected a number from 0 to 1")
    return float(value)


def _lists(value, source: str, text: str, key: str, section: str = "topics") -> dict[str, tuple[str, ...]]:
    if not isinstance(value, dict) or not all(isinstance(v, list) and all(isinstance(x, str) for x in v) for v in value.values()):
        raise RulesError(source, line_of(text, section, key), f"[{section}] {key}: expected a table of lists of names")
    return {k: tuple(v) for k, v in value.items()}


def parse_rules(text: str, source: str = str(RULES_PATH)) -> Rules:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = re.search(r"line (\d+)", str(exc))
        raise RulesError(source, int(line.group(1)) if line else None, f"not valid TOML: {exc}") from exc
    for section, keys in SECTIONS.items():
        table = data.get(section)
        if not isinstance(table, dict):
            raise RulesError(source, None, f"expected a [{section}] table with {', '.join(keys)}")
        for key in keys:
            if key not in table:
                raise RulesError(source, line_of(text, section, None), f"[{section}] lacks {key!r}")
        for key in table:
            if key not in keys:
                raise RulesError(source, line_of(text, section, key), f"[{section}] {key!r} is not a rule; expected one of {', '.join(keys)}")
    for section in data:
        if section not in SECTIONS:
            raise RulesError(source, line_of(text, section, None), f"unknown table [{section}]; expected {', '.join(SECTIONS)}")
    values = {s: {k: _number(data[s][k], source, text, s, k) for k in SECTIONS[s]} for s in ("weights", "category", "cutoffs")}
    levels = [values["category"][k] for k in CATEGORY_LEVELS]
    if levels != sorted(levels, reverse=True):
        raise RulesError(source, line_of(text, "category", None), f"[category] levels must not increase in the order {', '.join(CATEGORY_LEVELS)}")
    cut = values["cutoffs"]
    if not cut["covered"] > cut["partial"] > cut["floor"]:
        raise RulesError(source, line_of(text, "cutoffs", "covered"), "[cutoffs] expected covered > partial > floor")
    return Rules(values["weights"], values["category"], cut, _lists(data["topics"]["neighbours"], source, text, "neighbours"),
                 _lists(data["topics"]["types"], source, text, "types"),
                 _lists(data["reach"]["party_liability"], source, text, "party_liability", "reach"))


@functools.lru_cache(maxsize=4)
def load_rules(path: str | Path = RULES_PATH) -> Rules:
    path = Path(path)
    return parse_rules(path.read_text(encoding="utf-8"), str(path))
