"""Domain model: plain typed dataclasses shared by every stage."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

# Provision kinds, from the widest unit to the narrowest.
KINDS = (
    "part",
    "chapter",
    "division",
    "section",
    "subsection",
    "paragraph",
    "subparagraph",
    "clause",
    "article",
    "schedule",
)


@dataclass(frozen=True)
class Instrument:
    """One statute or convention, as one file of the corpus."""

    id: str  # stable, e.g. "IND/ndps-act-1985"
    country: str  # ISO3, or "UN" / "CoE" for conventions
    title: str
    year: int | None
    topic: str
    language: str  # ISO 639-1: en, bn, ar, ...
    source: str  # corpus-relative path as in MANIFEST.tsv
    format: str  # parser name, e.g. "akn", "lims", "ansvar-json"
    content_hash: str  # sha256 of the raw bytes

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Provision:
    """One addressable unit of a statute: a section, subsection, paragraph, article ..."""

    id: str  # stable, e.g. "IND/ndps-act-1985/sec-21/sub-1"
    instrument: str  # Instrument.id
    number: str  # as printed: "21", "27A", "279.01", for conventions "3(1)(a)(i)"
    path: list[str]  # labels of the ancestors then itself, e.g. ["Chapter IV", "21", "(1)"]
    heading: str  # heading or marginal note, "" when the statute has none
    text: str  # full text including the text of the children
    kind: str  # one of KINDS
    order: int  # document order within the instrument
    parent: str | None = None  # parent provision id, None at top level
    label: str = ""  # the label of this unit alone: "21", "(1)", "(a)"

    def to_json(self, country: str, source: str, with_text: bool = True) -> dict:
        """The provision JSON every command uses (keys fixed by the foundation issue)."""
        data = {
            "id": self.id,
            "instrument": self.instrument,
            "country": country,
            "source": source,
            "number": self.number,
            "path": list(self.path),
            "heading": self.heading,
            "kind": self.kind,
        }
        if with_text:
            data["text"] = self.text
        return data


@dataclass
class ParseWarning:
    """A problem found in a file that did not stop it from being parsed."""

    source: str
    where: str  # line, element or entry
    message: str

    def __str__(self) -> str:
        return f"{self.source}: {self.where}: {self.message}"


@dataclass
class ParsedDocument:
    """What a parser returns for one file."""

    instrument: Instrument
    provisions: list[Provision]
    warnings: list[ParseWarning] = field(default_factory=list)
