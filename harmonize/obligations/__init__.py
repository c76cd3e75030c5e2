"""Obligations catalogue: what the UN conventions require of national law.

The catalogue (catalogue.toml) is data, in our own words; the text of the articles always
comes from the parsed corpus. `article_text` links an obligation to its provision in the
store, through the provision number the convention parser writes (`convention_number`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from harmonize import ids

from harmonize.obligations.schema import (
    CATALOGUE_PATH,
    ELEMENT_KEYS,
    INSTRUMENT_SOURCES,
    LEVELS,
    PHRASE_KEYS,
    TYPES,
    Elements,
    Obligation,
    convention_number,
    load_catalogue,
    parse_catalogue,
)

if TYPE_CHECKING:
    from harmonize.model import Provision
    from harmonize.store import Store

__all__ = [
    "CATALOGUE_PATH",
    "ELEMENT_KEYS",
    "INSTRUMENT_SOURCES",
    "LEVELS",
    "PHRASE_KEYS",
    "TYPES",
    "Elements",
    "Obligation",
    "article_text",
    "by_id",
    "children",
    "convention_number",
    "instrument_id",
    "load_catalogue",
    "parse_catalogue",
]


def instrument_id(obligation_or_code: Obligation | str) -> str:
    """Store instrument id of the convention: "UN1988" -> "UN/vienna-illicit-traffic-1988".

    Same rule as harmonize.corpus.instrument_id (the UN code + file stem).
    """
    code = obligation_or_code.instrument if isinstance(obligation_or_code, Obligation) else obligation_or_code
    return ids.instrument_id(ids.UN, Path(INSTRUMENT_SOURCES[code]).stem)


def article_text(store: Store, obligation: Obligation) -> Provision | None:
    """The parsed convention provision the obligation refers to, or None if the store lacks it."""
    found = store.find_by_number(instrument_id(obligation), convention_number(obligation))
    return found[0] if found else None


def by_id(obligations: list[Obligation]) -> dict[str, Obligation]:
    return {ob.id: ob for ob in obligations}


def children(obligations: list[Obligation], parent_id: str) -> list[Obligation]:
    """The obligations that directly refine `parent_id`, in catalogue order."""
    return [ob for ob in obligations if ob.parent == parent_id]
