"""Provision and instrument ids: the one place that makes them and takes them apart.

Grammar: ``<COUNTRY>/<stem>[/<unit>...]``

- ``COUNTRY`` is the ISO3 code of a national statute, or one of NON_COUNTRIES for the
  conventions (``UN/vienna-illicit-traffic-1988``, ``CoE/...``);
- ``stem`` is the corpus file name without its language and format suffixes
  (``national/IND/ndps-act-1985.xml`` -> ``IND/ndps-act-1985``): country and stem together
  are the instrument id;
- the units follow: a section or article hangs directly under the instrument
  (``IND/ndps-act-1985/sec-21``), so a renumbered chapter does not change it; sub-units nest
  under their parent (``.../sec-21/sub-1/para-a``); a repeated number gets a ``~2`` suffix.

``ProvisionId.parse(text)`` reads one (ValueError on anything else), ``str()`` writes it back;
the functions below are the shortcuts every module uses instead of slicing on ``/``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SEP = "/"
# Codes that stand in the country place of an id but are not countries: the conventions.
NON_COUNTRIES = ("UN", "CoE")
UN = NON_COUNTRIES[0]  # the country place of the UN conventions' ids
_NON_COUNTRIES_UPPER = frozenset(c.upper() for c in NON_COUNTRIES)
# The units that are analysed, indexed and aligned: a statute's sections, a convention's articles.
SECTION_KINDS = ("section", "article")

# Letters (any script), digits and . _ ~ - ( ) , in each segment.
_SEGMENT = r"[\w.~()\-,]+"
PATTERN = re.compile(rf"^[A-Za-z]{{2,3}}{SEP}{_SEGMENT}(?:{SEP}{_SEGMENT})*$")
MAX_LENGTH = 300


@dataclass(frozen=True)
class ProvisionId:
    """One instrument or provision id, taken apart."""

    country: str
    stem: str
    units: tuple[str, ...] = ()

    @classmethod
    def parse(cls, text: str) -> ProvisionId:
        if not is_valid(text):
            raise ValueError(f"not a provision id: {text[:80]!r} (expected COUNTRY/stem/unit/...)")
        country, stem, *units = text.split(SEP)
        return cls(country, stem, tuple(units))

    def __str__(self) -> str:
        return SEP.join((self.country, self.stem, *self.units))

    @property
    def instrument(self) -> str:
        return f"{self.country}{SEP}{self.stem}"

    @property
    def section(self) -> str | None:
        """The top unit under the instrument (the section or article that holds a sub-unit)."""
        return f"{self.instrument}{SEP}{self.units[0]}" if self.units else None

    @property
    def leaf(self) -> str:
        """The last segment: ``sec-21`` of ``IND/ndps-act-1985/sec-21``."""
        return self.units[-1] if self.units else self.stem

    @property
    def is_national(self) -> bool:
        return is_national(self.country)


def is_valid(text: str) -> bool:
    """Shaped like an id (the web layer checks request paths with it before any lookup)."""
    return 0 < len(text) <= MAX_LENGTH and bool(PATTERN.match(text))


def instrument_id(country: str, stem: str) -> str:
    return str(ProvisionId(country, stem))


def child_id(parent: str, unit: str) -> str:
    """The id of a unit directly under `parent` (an instrument or a provision)."""
    return f"{parent}{SEP}{unit}"


def _parts(pid: str) -> list[str]:
    return pid.split(SEP)


def instrument_of(pid: str) -> str:
    """``IND/ndps-act-1985/sec-21/sub-1`` -> ``IND/ndps-act-1985``."""
    return SEP.join(_parts(pid)[:2])


def section_of(pid: str) -> str:
    """The top unit that holds `pid` (itself for a section): ``.../sec-21/sub-1`` -> ``.../sec-21``;
    an instrument id is returned as it is."""
    return SEP.join(_parts(pid)[:3])


def country_of(pid: str) -> str:
    return _parts(pid)[0]


def leaf(pid: str) -> str:
    """The last segment, as pages show a target: ``sec-21``."""
    return _parts(pid)[-1]


def is_national(country: str) -> bool:
    """A country's code (``IND``), not a convention's (``UN``, ``CoE``; any letter case)."""
    return country.upper() not in _NON_COUNTRIES_UPPER


def national(countries) -> list[str]:
    """The national codes among `countries`, sorted and unique."""
    return sorted({c for c in countries if is_national(c)})
