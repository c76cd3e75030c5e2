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


# Structured official formats (Akoma Ntoso, Justice Canada XML): when the corpus holds one
# law twice (India's NDPS Act as Akoma Ntoso and as Nyaaya Markdown), the copy in one of these
# formats is the one shown and cited.
MARKUP_FORMATS = ("akn", "lims")


def copy_key(country: str, year: int | None, topic: str, number: str, heading: str) -> tuple:
    """What makes two sections the same section of one law held twice in the corpus: country,
    year and topic of the Act, printed number and heading (case and spacing ignored)."""
    return (country, year, topic, number, " ".join((heading or "").lower().split()))


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


@dataclass
class Fine:
    """A fine as the statute states it; amounts in the statute's own currency or unit."""

    min_amount: float | None = None
    max_amount: float | None = None
    currency: str | None = None  # "INR", "CAD", "USD", "penalty units", ...
    multiple: float | None = None  # "three times the value of the property"
    text: str = ""


def severity(death: bool, life: bool, max_months: float | None) -> tuple[int, float]:
    """The one ordering of punishments, larger is more severe: death above life above any term
    of years, longer terms above shorter; a term does not rank a life or death sentence.

    `death` is a sentence of death (`PenaltyTier.death`), never death named only as a condition
    ("where death results") or as another offence's class.
    """
    if death:
        return (2, 0.0)
    if life:
        return (1, 0.0)
    return (0, float(max_months or 0))


def severity_detail(death: bool, life: bool, max_months: float | None, min_months: float | None = None) -> tuple:
    """`severity`, then between equal sentences the one that says more: life beside death,
    the longer stated maximum, the longer minimum (to choose the tier a summary quotes)."""
    return severity(death, life, max_months) + (life, max_months or 0, min_months or 0)


@dataclass
class PenaltyTier:
    """One punishment with the condition it applies under."""

    condition: str  # the words that select this tier, e.g. "(a) Schedule I or II"
    min_months: float | None = None
    max_months: float | None = None
    life: bool = False
    # The reader keeps two facts about death (analyze/penalties.py): `death`, the clause passes a
    # sentence of death ("shall be punished with death"); `death_named`, the clause names death
    # only as a condition or as another offence's class ("if death results", "is under sentence
    # of death"). Severity, comparison, extradition and every page count `death` only.
    death: bool = False
    death_named: bool = False
    fine: Fine | None = None
    corporal: str | None = None  # "caning", "whipping"
    mode: str | None = None  # "indictment" or "summary"
    mandatory_min: bool = True  # False when the minimum is only an alternative to a fine
    mandatory_life: bool = False  # "shall be sentenced to imprisonment for life": a fixed term
    evidence: str = ""  # the sentence the tier was read from
    source: str | None = None  # provision id the penalty came from when set by reference
    where: str = ""  # label path of the subdivision the tier was read from, e.g. "(a)(1)"

    @property
    def longest_months(self) -> float | None:
        """The longest term the text lets the court impose, as far as the text says: the stated
        maximum, or, where only a minimum is stated ("imprisonment for a term of not less than
        thirty years", "a fine ... or imprisonment for not less than thirty years or both"), that
        minimum, since the term may be at least that long. What rankings and threshold tests use;
        `max_months` stays the maximum the statute states."""
        return self.max_months if self.max_months is not None else self.min_months

    def severity(self) -> tuple:
        return severity_detail(self.death, self.life, self.longest_months, self.min_months)


@dataclass
class PenaltyFacts:
    """All penalties of one provision and their summary (the most severe tier)."""

    provision: str
    tiers: list[PenaltyTier]
    reference: str | None = None  # "section 120", "Second Schedule": where the penalty is set
    # True when the penalty is set in a schedule or another text the corpus does not hold
    # (e.g. a punishment schedule missing from the file): no tier can be read.
    reference_missing: bool = False
    # Why no tier can be read, where none is ("set in the Second Schedule, which is not in the
    # corpus", "the punishment of the offence abetted, which these words do not name"): said, never
    # turned into a figure (analyze/penalty_links.py `unread_reason`).
    unread: str = ""

    @property
    def life(self) -> bool:
        return any(t.life for t in self.tiers)

    @property
    def death(self) -> bool:
        return any(t.death for t in self.tiers)

    @property
    def fine(self) -> bool:
        return any(t.fine is not None for t in self.tiers)

    @property
    def max_months(self) -> float | None:
        values = [t.max_months for t in self.tiers if t.max_months is not None]
        return max(values) if values else None

    @property
    def longest_months(self) -> float | None:
        """The longest term any tier allows (`PenaltyTier.longest_months`)."""
        values = [t.longest_months for t in self.tiers if t.longest_months is not None]
        return max(values) if values else None

    @property
    def most_severe(self) -> PenaltyTier | None:
        return max(self.tiers, key=PenaltyTier.severity) if self.tiers else None

    @property
    def min_months(self) -> float | None:
        """The mandatory minimum of the most severe tier, as a committee would quote it.

        Where the most severe punishment comes in several tiers that differ only in their
        minimum ("(a) in the case of a first offence, three years; (b) ... subsequent offence,
        five years" under one 14-year maximum), the lowest of those minimums: the one that
        applies to every offender of that tier."""
        top = self.most_severe
        if top is None:
            return None
        rank = severity(top.death, top.life, top.longest_months)
        same = [t for t in self.tiers if severity(t.death, t.life, t.longest_months) == rank]
        mins = [t.min_months for t in same if t.min_months is not None and t.mandatory_min]
        if not mins or len(mins) < len(same) and not top.min_months:
            return top.min_months if top.mandatory_min else None
        return min(mins)


@dataclass
class OffenceStatement:
    """One subsection that states the offence: the offender's acts and what they are done to, as
    read together (the categories are decided per statement)."""

    where: str  # the subsection label ("(1)"), "" for the section itself
    conduct: list[str]
    objects: list[str]
    # "An offence against subsection (1) or (1A) is an offence of absolute liability": no mental
    # element, a regulatory offence; it is of no offence category (analyze/offences.py).
    strict_liability: bool = False


@dataclass
class OffenceRecord:
    """What one offence-creating provision makes punishable, read once at ingest.

    Built by `analyze.offences`; its penalty tiers are the provision's `PenaltyFacts`
    (own text or the section that sets them), kept beside it in the same facts row.
    """

    provision: str
    conduct: list[str]  # normalised verbs: "possess", "traffic", "cultivate", "import", ...
    objects: list[str]  # object kinds: "drug", "person", "child", "firearm", "property", ...
    object_words: list[str] = field(default_factory=list)  # the words (or defined terms) that gave them
    mental: list[str] = field(default_factory=list)  # "knowingly", "intentionally", "recklessly", ...
    purpose: list[str] = field(default_factory=list)  # "trafficking", "exploitation", "sale", ...
    means: list[str] = field(default_factory=list)  # "force", "threat", "deception", ...
    circumstances: list[str] = field(default_factory=list)  # "commercial quantity", "child victim", ...
    subject: str = ""  # the law's subject: "drugs", "trafficking", ..., from headings or the Act
    subject_from: str = ""  # the heading (or "Act topic") the subject was read from
    categories: list[str] = field(default_factory=list)  # offence categories decided from the record
    trigger: str = ""  # the words that make it an offence: "commits an offence", "No person shall"
    via_definitions: list[str] = field(default_factory=list)  # defined terms that widened conduct/object
    penalty_note: str = ""  # e.g. "penalty set in the Second Schedule, which is not in the corpus"
    statements: list[OffenceStatement] = field(default_factory=list)  # the subsections that state it

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> OffenceRecord:
        data = dict(data)
        statements = [OffenceStatement(**s) for s in data.pop("statements", [])]
        return cls(**data, statements=statements)


@dataclass
class CategoryMatch:
    """An offence category of the controlled vocabulary found in a section (analyze/categories.py)."""

    category: str
    evidence: list[str]  # the matched words, in order of appearance
    in_heading: bool  # a match in the heading is a stronger signal than one in the text

    def to_dict(self) -> dict:
        return {"category": self.category, "evidence": self.evidence, "in_heading": self.in_heading}


@dataclass
class Definition:
    term: str
    text: str

    def to_dict(self) -> dict:
        return {"term": self.term, "text": self.text}


@dataclass
class Reference:
    text: str  # as written: "sections 117, 118 or 119"
    numbers: list[str]  # section numbers referred to: ["117", "118", "119"]
    external: str | None  # "of the Criminal Code": points outside this instrument
    targets: list[str]  # provision ids in the same instrument, filled by facts.analyze_instrument
    scope: str = "instrument"  # "instrument": a section of this instrument; "section": a subdivision
    # of the same section ("subsection (1)"); "schedule": a schedule ("Second Schedule")

    def to_dict(self) -> dict:
        return {"text": self.text, "numbers": self.numbers, "external": self.external, "targets": self.targets,
                "scope": self.scope}


@dataclass
class ProvisionFacts:
    provision: str
    categories: list[CategoryMatch] = field(default_factory=list)
    penalties: PenaltyFacts | None = None
    definitions: list[Definition] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
    offence: OffenceRecord | None = None  # what the provision makes punishable, when it creates an offence

    def to_dict(self) -> dict:
        return {
            "provision": self.provision,
            "categories": [c.to_dict() for c in self.categories],
            "penalties": asdict(self.penalties) if self.penalties else None,
            "definitions": [d.to_dict() for d in self.definitions],
            "references": [r.to_dict() for r in self.references],
            "offence": self.offence.to_dict() if self.offence else None,
        }

    @classmethod
    def from_dict(cls, data: dict) -> ProvisionFacts:
        penalties = None
        if data["penalties"]:
            tiers = []
            for t in data["penalties"]["tiers"]:
                t = dict(t)
                t["fine"] = Fine(**t["fine"]) if t["fine"] else None
                tiers.append(PenaltyTier(**t))
            penalties = PenaltyFacts(data["penalties"]["provision"], tiers, data["penalties"]["reference"],
                                     data["penalties"].get("reference_missing", False), data["penalties"].get("unread", ""))
        return cls(
            provision=data["provision"],
            categories=[CategoryMatch(**c) for c in data["categories"]],
            penalties=penalties,
            definitions=[Definition(**d) for d in data["definitions"]],
            references=[Reference(**r) for r in data["references"]],
            offence=OffenceRecord.from_dict(data["offence"]) if data.get("offence") else None,
        )


@dataclass
class AlignedProvision:
    """One candidate section of an alignment, as saved and shown (align/coverage.py scores it)."""

    id: str
    source: str
    number: str
    heading: str
    score: float
    signals: dict[str, float]
    evidence: str = ""

    def to_dict(self) -> dict:
        return {"id": self.id, "source": self.source, "number": self.number, "heading": self.heading,
                "score": self.score, "signals": dict(self.signals), "evidence": self.evidence}


@dataclass
class AlignmentResult:
    """How well one country implements one obligation: status, score and the sections listed."""

    obligation: str
    level: str
    type: str
    category: list[str]
    status: str  # one of align.coverage.STATUSES
    score: float  # the support for the status: the deciding provision's score (0 without one)
    reason: str  # one plain sentence: why this status
    missing_elements: list[str]
    carried_by: list[str]  # provision ids that together carry the duty
    provisions: list[AlignedProvision]  # the deciding provision first
    evidence: str = ""  # the deciding provision's sentence that satisfies (or fails) the duty

    def to_dict(self) -> dict:
        # by hand: dataclasses.asdict deep-copies field by field, and a worker's warm-up turns
        # every saved alignment (18 countries x 239 obligations) into JSON rows (4 s -> 0.3 s)
        return {"obligation": self.obligation, "level": self.level, "type": self.type, "category": list(self.category),
                "status": self.status, "score": self.score, "reason": self.reason,
                "missing_elements": list(self.missing_elements), "carried_by": list(self.carried_by),
                "evidence": self.evidence, "provisions": [p.to_dict() for p in self.provisions]}

    @classmethod
    def from_dict(cls, data: dict) -> AlignmentResult:
        return cls(**{"reason": "", "carried_by": [], "evidence": "", **data,
                      "provisions": [AlignedProvision(**p) for p in data["provisions"]]})


@dataclass
class Source:
    field: str
    provision: str
    evidence: str


@dataclass
class ExtraditionRule:
    """What a country's extradition law says about which offences are extraditable."""

    country: str
    instruments: list[str] = field(default_factory=list)
    threshold_months: int | None = None
    list_based: bool | None = None
    nationals_bar: bool | None = None
    death_penalty_bar: bool | None = None
    death_penalty_bar_kind: str | None = None  # "mandatory" / "discretionary"
    death_penalty_terms: str | None = None  # the bar as the Act states it: "refused unless an undertaking is given ..."
    treaty_based: bool = False  # extraditable offences are those a treaty provides for (no threshold of its own)
    political_offence_bar: bool | None = None
    sources: list[Source] = field(default_factory=list)
    reasons: dict[str, str] = field(default_factory=dict)  # field -> why null (or a caveat)

    @property
    def has_act(self) -> bool:
        return bool(self.instruments)

    def sources_for(self, name: str) -> list[Source]:
        return [s for s in self.sources if s.field == name]

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> ExtraditionRule:
        return cls(**{**data, "sources": [Source(**s) for s in data.get("sources", [])]})
