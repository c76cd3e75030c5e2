"""Treaty participation: whether a country is party to a convention, from `parties.tsv`.

The one reader of `../shared/corpus/parties.tsv` (see PARTIES.md beside it): one row per
(country, convention) with columns `country, convention, status, date, reservations,
source_url, confidence`. `status` is one of `party`, `signatory`, `not party`, `unknown`;
`confidence` one of `high`, `medium`, `low`. Convention ids are the catalogue's instrument
codes (UN1961, UN1971, UN1988, UNTOC, TIP, SOM, FP, UNCAC, ICSFT, ATT). A cell the file
does not hold (a Council of Europe convention, a country not in the table, no file at all)
is `unknown`, never guessed.

A malformed file raises `ParseError` naming the file, the line and what was expected.
"""

from __future__ import annotations

import functools
from dataclasses import asdict, dataclass
from pathlib import Path

from harmonize import config
from harmonize.errors import ParseError

FILENAME = "parties.tsv"
COLUMNS = ("country", "convention", "status", "date", "reservations", "source_url", "confidence")
STATUSES = ("party", "signatory", "not party", "unknown")
CONFIDENCES = ("high", "medium", "low")
UNKNOWN = "unknown"


@dataclass(frozen=True)
class PartyStatus:
    """One country's participation in one convention, as the source states it."""

    country: str
    convention: str
    status: str  # party | signatory | not party | unknown
    date: str = ""  # YYYY-MM-DD, YYYY-MM or YYYY; "" when no source gave one
    reservations: str = ""  # reservations, declarations and provenance notes
    source_url: str = ""
    confidence: str = "low"  # high | medium | low

    @property
    def label(self) -> str:
        """ "party (2002-05-13, high confidence)", "unknown" """
        if self.status == UNKNOWN:
            return UNKNOWN
        detail = ", ".join(x for x in (self.date, f"{self.confidence} confidence") if x)
        return f"{self.status} ({detail})"

    def to_dict(self) -> dict:
        return asdict(self) | {"label": self.label}


def unknown(country: str, convention: str) -> PartyStatus:
    return PartyStatus(country.upper(), convention, UNKNOWN, reservations="not in the parties table")


@functools.lru_cache(maxsize=4)
def _load(path: str) -> dict[tuple[str, str], PartyStatus]:
    file = Path(path)
    if not file.exists():
        return {}
    try:
        lines = file.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError as exc:
        raise ParseError(str(file), f"byte {exc.start}", "expected UTF-8 text") from exc
    if not lines or tuple(lines[0].split("\t")) != COLUMNS:
        raise ParseError(str(file), "line 1", f"expected the header {' / '.join(COLUMNS)} (tab-separated)")
    table: dict[tuple[str, str], PartyStatus] = {}
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        cells = line.split("\t")
        if len(cells) != len(COLUMNS):
            raise ParseError(str(file), f"line {number}", f"expected {len(COLUMNS)} tab-separated cells, found {len(cells)}")
        row = dict(zip(COLUMNS, (c.strip() for c in cells)))
        if row["status"] not in STATUSES:
            raise ParseError(str(file), f"line {number}", f"status {row['status']!r}: expected one of {', '.join(STATUSES)}")
        if row["confidence"] not in CONFIDENCES:
            raise ParseError(str(file), f"line {number}",
                             f"confidence {row['confidence']!r}: expected one of {', '.join(CONFIDENCES)}")
        key = (row["country"].upper(), row["convention"])
        if key in table:
            raise ParseError(str(file), f"line {number}", f"a second row for {key[0]} {key[1]}")
        table[key] = PartyStatus(**(row | {"country": key[0]}))
    return table


def parties_path(corpus: str | Path | None = None) -> Path:
    return config.corpus_dir(corpus) / FILENAME


def load_parties(corpus: str | Path | None = None) -> dict[tuple[str, str], PartyStatus]:
    """(COUNTRY, convention code) -> status, for every row of the table (empty without a file)."""
    return _load(str(parties_path(corpus)))


def party_status(country: str, convention: str, corpus: str | Path | None = None) -> PartyStatus:
    """The country's status for one convention; `unknown` where the table does not say."""
    return load_parties(corpus).get((country.upper(), convention)) or unknown(country, convention)


def country_parties(country: str, conventions: list[str], corpus: str | Path | None = None) -> dict[str, PartyStatus]:
    """convention code -> status, for each of `conventions`."""
    return {c: party_status(country, c, corpus) for c in conventions}
