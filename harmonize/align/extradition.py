"""Extradition rules per country, read from its extradition Act, and dual-criminality analysis.

`extradition_rules(store, country)` reads the country's instrument(s) with topic "extradition"
and returns an `ExtraditionRule`. Every value comes from a pattern over the provision texts;
where nothing decides a value it is null with a reason. The phrasings understood:

Threshold (minimum punishment level), in months
    "punishable ... for a maximum term of two years or more, or by a more severe punishment" (CAN)
    "carries a maximum punishment of imprisonment for not less than 2 years"                  (SGP)
    "punishable by imprisonment for two years or a greater penalty"                           (NGA)
    "maximum penalty is ... imprisonment ... for a period of not less than 12 months"         (AUS, NZL)
    "punishable ... by imprisonment for a period of twelve months or by any more severe ..."  (ZWE)
    "punishable with imprisonment for a term which shall not be less than one year"           (IND)
    "No fugitive offender shall be surrendered ... if the offence ... is not punishable with
     death or with imprisonment for life or a term which is not less than twelve months"      (BGD, PAK)
    Only sentences about extradition, surrender or returnable offences count; the most
    frequent value wins (CAN s.3 also has 5 years for "specific agreements"), ties go to the
    first in the Act.
List-based
    the definition of "extradition offence" / "returnable offence" requires the conduct to fall
    "within any of the descriptions set out in the Schedule" or be an offence "specified in the
    Schedule" (BGD, PAK). A list of *excluded* offences (SGP First Schedule) is not a list.
    With no threshold and only "crimes provided for by such treaty" (USA): null.
Bars (a refusal cue is needed in the clause or in the lead-in of its list:
"shall/must not", "shall refuse", "No fugitive ... shall be surrendered", "not liable to be
surrendered", "is only to be surrendered ... if", "may only ... if", "extradition objection",
"may refuse", "may determine that the person is not to be surrendered")
    death penalty   "punishable by death", "penalty of death", "death penalty", "sentenced to death";
                    "may ..." cues make it discretionary (CAN s.44(2), NZL s.30(3)), the others
                    mandatory (AUS s.15B, s.22(3)). "death or imprisonment ..." is a threshold,
                    not a bar (BGD s.5(2)(b), AUS s.5).
    political       "offence of a political character", "political offence", "not of a political nature"
    nationals       "citizen(s)", "nationals of", "own nationals"; a clause that defers to a
                    treaty, Order in Council or arrangement (NZL s.30(2)(c)) is not a bar of the Act.
An Act whose first sections are missing from the corpus (NGA: ss.1-9) gives null, not false,
for a bar it does not show.

`extradition_analysis(store, requesting, requested)` then checks, per offence category of the
controlled vocabulary, dual criminality by conduct (a penalised provision of the category in
both countries), the requested country's threshold against both maxima, and the bars.
`extradition_matrix(store)` does the same for every ordered pair of countries.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import asdict, dataclass

from harmonize.analyze.categories import OFFENCE_CATEGORIES
from harmonize.analyze.numbers import DURATION, to_months
from harmonize.analyze.penalties import punishable_by_death
from harmonize.ids import SECTION_KINDS, leaf
from harmonize.model import ExtraditionRule, Instrument, Provision, Source, severity_detail
from harmonize.store import Store

log = logging.getLogger(__name__)

EXTRADITION_TOPIC = "extradition"
NO_ACT = "no extradition act in the corpus"
MAX_PROVISIONS = 5
EVIDENCE_CHARS = 400

_F = re.I
_DUR_B = DURATION.replace("?P<", "?P<b")
# A penal word, then (within one clause) the level: "not less than N" or "N ... or more/greater".
THRESHOLD = re.compile(
    r"\b(?:punishable|punishment|penalty|imprison(?:ment|ing)|liberty)\b[^.;]{0,160}?"
    r"(?:(?:(?:shall\s+)?not\s+(?:be\s+)?less\s+than|no\s+less\s+than)\s+(?:a\s+(?:term|period)\s+of\s+)?" + DURATION
    + r"|" + _DUR_B + r"\s+or\s+(?:by\s+)?(?:more\b|(?:a|any)\s+(?:greater|more\s+severe|heavier)\b))",
    _F,
)
ABOUT_EXTRADITION = re.compile(
    r"\bextradit|\breturnable\s+offence|\bsurrender|\bfugitive|\bthis\s+Part\s+shall\s+apply", _F
)
# "“extradition offence” means", "extradition offence means:", "a returnable offence is an offence".
DEFINITION = re.compile(
    r"(?:extradition|returnable|extraditable)\s+(?:offence|crime)s?[”\"']?\s*(?:means|shall\s+mean|is\s+an\s+offence)",
    _F,
)
NEXT_DEFINITION = re.compile(r"[“\"][^”\"]{1,60}[”\"]\s+(?:means|includes)\b|\n(?!\s*\(|\s*\*)")
LIST_BASED = re.compile(
    r"\bwithin\s+(?:any\s+of\s+)?the\s+descriptions?\s+(?:set\s+out|specified|contained|listed)\s+in\s+the\s+(?:\w+\s+)?Schedule"
    r"|\b(?:offences?|crimes?)\s+(?:specified|listed|described|set\s+out|mentioned)\s+in\s+the\s+(?:\w+\s+)?Schedule",
    _F,
)
TREATY_DEFINED = re.compile(
    r"\b(?:crimes?|offences?)\s+provided\s+for\s+(?:by|in)\s+(?:such|the|any)\s+(?:extradition\s+)?(?:treaty|convention)", _F
)
DEATH = re.compile(
    r"\b(?:punishable\s+(?:by|with)\s+(?:a\s+penalty\s+of\s+)?death|penalty\s+of\s+death|death\s+penalty|"
    r"sentenced\s+to\s+death|sentence\s+of\s+death)\b(?!\s+or\s+(?:with\s+)?(?:imprisonment|life))",
    _F,
)
POLITICAL = re.compile(r"\bpolitical\s+(?:character|offence|nature)\b", _F)
NATIONALS = re.compile(r"\bcitizens?\b|\bnationals?\s+of\b|\bown\s+nationals\b", _F)
# Refusal cues. Discretionary ones are tested first: "may refuse" is not a mandatory bar.
DISCRETIONARY = re.compile(
    r"\bmay\s+(?:refuse|decline)\b|\bdiscretionary\s+restriction|\bmay\s+determine\s+that\s+the\s+person\s+is\s+not\s+to\s+be\s+surrendered", _F
)
MANDATORY = re.compile(
    r"\b(?:shall|must)\s+(?:refuse|not)\b|\bno\s+(?:fugitive|person|extradition)\b[^.]{0,80}?\b(?:shall|may)\b"
    r"|\bnot\s+(?:be\s+)?liable\s+to\s+be\s+surrendered|\bonly\s+(?:to\s+)?be\s+surrendered\b|\bmay\s+only\b"
    r"|\bextradition\s+objection\b|\bmandatory\s+restriction|\bshall\s+not\s+be\s+(?:surrendered|returned|extradited)",
    _F,
)
# "surrender ... if ... the offences charged are not of a political nature" (USA s.3181(b)).
NEGATED_CONDITION = re.compile(r"\bnot\s+(?:of\s+)?a\s+political\s+(?:character|nature)\b", _F)
DEFERS_TO_TREATY = re.compile(r"\btreaty\b|\bOrder\s+in\s+Council\b|\barrangement\b|\bundertakings?\b", _F)
LEAD_IN_END = re.compile(r"(?:[—:]|--|-|\bif|\bthat|\bwhere|\bunless)[\s\"”']*$", _F)
# "shall not be regarded as offences of a political character": an exception, not a bar.
EXCEPTION = re.compile(
    r"\bnot\s+be\s+regarded\s+as|\bdoes\s+not\s+include|\bare\s+not\s+offences\s+of|\bnot\s+(?:be\s+)?(?:treated|considered)\s+as",
    _F,
)
SURRENDER_CONTEXT = re.compile(r"\bsurrender|\bextradit|\breturn(?:ed)?\b", _F)
TERMINAL = re.compile(r"[.;:—–-]\s*[\"”']?\s*$")
SUBSECTION_LABEL = re.compile(r"^\s*\(\d+[A-Z]?\)")
LETTER_LABEL = re.compile(r"^\s*\([a-z]{1,4}\)")
ROMAN_ITEM = re.compile(r"^\s*\((?:i|ii|iii|iv|v|vi|vii|viii|ix|x)\)", _F)
SENTENCE_END = re.compile(r"(?<=\.)\s+(?=[A-Z(\d])")
LONG_LINE = 600


@dataclass
class Clause:
    """One line or sentence of a provision, with the lead-in of the list it belongs to."""

    provision: str
    text: str  # the line itself (and the sub-items that complete it)
    lead_in: str  # the enclosing "... if—" lines, "" when none

    @property
    def context(self) -> str:
        return f"{self.lead_in} {self.text}".strip()


# -- reading the Act ----------------------------------------------------------------------


def clauses_of(prov: Provision) -> list[Clause]:
    """The clauses of one section. Long one-line texts (JSON scrapes) are cut into sentences."""
    lines = logical_lines(prov.text)
    out = []
    for i, line in enumerate(lines):
        lead_in = _lead_in(lines, i)
        body = line + _completing_items(lines, i)
        pieces = SENTENCE_END.split(body) if len(body) > LONG_LINE else [body]
        out.extend(Clause(prov.id, piece, lead_in) for piece in pieces)
    return out


def logical_lines(text: str) -> list[str]:
    """Lines, with hard-wrapped ones (PAK: "... not punishable with / death or ...") joined."""
    lines: list[str] = []
    for line in (raw.strip() for raw in text.splitlines()):
        if not line:
            continue
        if lines and line[0].islower() and not TERMINAL.search(lines[-1]):
            lines[-1] = f"{lines[-1]} {line}"
        else:
            lines.append(line)
    return lines


def _lead_in(lines: list[str], i: int) -> str:
    """The lines that introduce line i: "(3) The Minister may ... if—" above "(a) ... sentenced to death".

    Siblings (same kind of label) are skipped, so "(2)" is not read under "(1)"'s lead-in;
    the enclosing numbered subsection ends the walk.
    """
    found: list[str] = []
    kind = _label_kind(lines[i])
    for j in range(i - 1, -1, -1):
        if len(found) == 2:
            break
        other = _label_kind(lines[j])
        if other and other == kind:
            continue
        if LEAD_IN_END.search(lines[j]) or other == "number":
            found.insert(0, lines[j])
            if other == "number":
                break
    return " ".join(found)


def _label_kind(line: str) -> str | None:
    if SUBSECTION_LABEL.match(line):
        return "number"
    return "letter" if LETTER_LABEL.match(line) else None


def _completing_items(lines: list[str], i: int) -> str:
    """A line that opens its own list ("(c) if the person is a citizen, and—") with its items."""
    if not LEAD_IN_END.search(lines[i]):
        return ""
    tail = []
    for line in lines[i + 1:]:
        if ROMAN_ITEM.match(line) or not line.startswith("("):
            tail.append(line)
            if not line.startswith("("):
                break  # the unlabelled line closes the list: "provide that no citizen may be surrendered."
        else:
            break
    return " " + " ".join(tail) if tail else ""


def _evidence(text: str, match: re.Match | None = None) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    if len(text) <= EVIDENCE_CHARS or match is None:
        return text[:EVIDENCE_CHARS]
    start = max(0, match.start() - EVIDENCE_CHARS // 2)
    return ("…" if start else "") + text[start:start + EVIDENCE_CHARS] + "…"


def read_threshold(clauses: list[Clause]) -> tuple[int | None, list[Source]]:
    """The most frequent minimum punishment level in clauses about extradition."""
    found: list[tuple[int, Source]] = []
    for clause in clauses:
        for m in THRESHOLD.finditer(clause.text):
            if not ABOUT_EXTRADITION.search(clause.context):
                continue
            num, unit = (m.group("num"), m.group("unit")) if m.group("num") else (m.group("bnum"), m.group("bunit"))
            months = to_months(num, unit)
            if months:
                found.append((int(months), Source("threshold_months", clause.provision, _evidence(clause.text, m))))
    if not found:
        return None, []
    counts = Counter(months for months, _ in found)
    best = max(counts, key=lambda v: (counts[v], -[m for m, _ in found].index(v)))
    return best, _unique_sources(s for months, s in found if months == best)


def read_list_based(
    sections: list[Provision], clauses: list[Clause], threshold: int | None
) -> tuple[bool | None, list[Source], str]:
    """True when the definition of extradition offence points to a Schedule of descriptions."""
    definitions = []
    for prov in sections:
        text = "\n".join(logical_lines(prov.text))  # a definition runs over its (a), (b) lines
        for m in DEFINITION.finditer(text):
            definitions.append((prov.id, _definition_text(text, m.start())))
    for provision, text in definitions:
        if m := LIST_BASED.search(text):
            return True, [Source("list_based", provision, _evidence(text, m))], ""
    if definitions:
        provision, text = definitions[0]
        return False, [Source("list_based", provision, _evidence(text))], ""
    if threshold is not None:
        return False, [], ""
    treaty = next(((c, m) for c in clauses if (m := TREATY_DEFINED.search(c.text))), None)
    if treaty:
        clause, m = treaty
        source = Source("list_based", clause.provision, _evidence(clause.text, m))
        return None, [source], "extraditable offences are those the applicable treaty provides for"
    return None, [], "no definition of extradition offence found"


def _definition_text(text: str, start: int) -> str:
    """From "extradition offence means" to the next defined term or unlabelled line."""
    rest = text[start:start + 3000]
    term = rest.split()[0].lower()
    for nxt in NEXT_DEFINITION.finditer(rest, 30):
        if term not in nxt.group(0).lower():  # IND repeats "“extradition offence” means—" (amendment note)
            return rest[: nxt.start()]
    return rest


def read_bar(clauses: list[Clause], cue: re.Pattern, name: str) -> tuple[bool, str | None, list[Source]]:
    """(bar found, "mandatory"/"discretionary", sources) for one ground of refusal."""
    kinds, sources = [], []
    for clause in clauses:
        m = cue.search(clause.text)
        if not m or EXCEPTION.search(clause.text) or not SURRENDER_CONTEXT.search(clause.context):
            continue
        kind = refusal_kind(clause.context)
        if kind is None and name == "political_offence_bar" and NEGATED_CONDITION.search(clause.text):
            kind = "mandatory" if ABOUT_EXTRADITION.search(clause.context) else None
        if kind is None:
            continue
        kinds.append(kind)
        sources.append(Source(name, clause.provision, _evidence(clause.context, cue.search(clause.context))))
    if not kinds:
        return False, None, []
    kind = "mandatory" if "mandatory" in kinds else "discretionary"
    return True, kind, _unique_sources(sources)


def refusal_kind(context: str) -> str | None:
    if DISCRETIONARY.search(context):
        return "discretionary"
    if MANDATORY.search(context):
        return "mandatory"
    return None


def read_nationals_bar(clauses: list[Clause]) -> tuple[bool, list[Source], str]:
    """A bar of the Act itself; one that only applies where a treaty says so is recorded as a caveat."""
    found, kind, sources = read_bar(clauses, NATIONALS, "nationals_bar")
    if not found:
        return False, [], ""
    own = [s for s in sources if not DEFERS_TO_TREATY.search(s.evidence) and not DISCRETIONARY.search(s.evidence)]
    if own and kind == "mandatory":
        return True, own, ""
    where = ", ".join(leaf(s.provision) for s in sources)
    return False, sources, f"no bar in the Act itself: nationals are refused only where a treaty provides or by discretion ({where})"


def _unique_sources(sources) -> list[Source]:
    seen, out = set(), []
    for s in sources:
        if s.provision not in seen:
            seen.add(s.provision)
            out.append(s)
    return out[:3]


def missing_leading_sections(sections: list[Provision]) -> list[int]:
    """Sections 1..k absent at the start of an Act (a partial scrape, e.g. NGA ss.1-9).

    A code chapter (18 U.S.C. 3181-3196) starts high by design, so only small gaps count.
    """
    numbers = [int(m.group()) for p in sections if (m := re.match(r"\d+", p.number))]
    if not numbers:
        return []
    first = min(numbers)
    return list(range(1, first)) if 1 < first <= 50 else []


def extradition_instruments(store: Store, country: str) -> list[Instrument]:
    return [i for i in store.instruments(country) if i.topic == EXTRADITION_TOPIC and i.country == country.upper()]


def extradition_rules(store: Store, country: str) -> ExtraditionRule:
    """The rule of one country, read from its extradition instrument(s)."""
    country = country.upper()
    rule = ExtraditionRule(country)
    instruments = extradition_instruments(store, country)
    english = [i for i in instruments if i.language == "en"]
    if not english:
        reason = NO_ACT if not instruments else f"extradition act not in English ({instruments[0].language})"
        rule.reasons = {name: reason for name in _RULE_FIELDS}
        return rule
    rule.instruments = [i.id for i in english]
    sections = [p for i in english for p in store.provisions(i.id, kinds=SECTION_KINDS)]
    clauses = [c for p in sections for c in clauses_of(p)]
    gap = missing_leading_sections(sections)

    rule.threshold_months, sources = read_threshold(clauses)
    rule.sources += sources
    rule.list_based, sources, reason = read_list_based(sections, clauses, rule.threshold_months)
    rule.sources += sources
    if reason:
        rule.reasons["list_based"] = reason
    rule.death_penalty_bar, rule.death_penalty_bar_kind, sources = read_bar(clauses, DEATH, "death_penalty_bar")
    rule.sources += sources
    rule.political_offence_bar, _, sources = read_bar(clauses, POLITICAL, "political_offence_bar")
    rule.sources += sources
    rule.nationals_bar, sources, caveat = read_nationals_bar(clauses)
    rule.sources += sources
    if caveat:
        rule.reasons["nationals_bar"] = caveat
    if rule.threshold_months is None:
        rule.reasons["threshold_months"] = "no minimum punishment level stated in the Act"
    _unknown_when_partial(rule, gap)
    log.debug("extradition rule %s: threshold %s, list %s, death bar %s (%s)", country, rule.threshold_months,
              rule.list_based, rule.death_penalty_bar, rule.death_penalty_bar_kind)
    return rule


_RULE_FIELDS = ("threshold_months", "list_based", "nationals_bar", "death_penalty_bar", "political_offence_bar")


def _unknown_when_partial(rule: ExtraditionRule, gap: list[int]) -> None:
    """A bar not found in an Act whose first sections are missing is unknown, not absent."""
    if not gap:
        return
    reason = f"not found, and sections {gap[0]}-{gap[-1]} of the Act are not in the corpus"
    for name in ("nationals_bar", "death_penalty_bar", "political_offence_bar"):
        if getattr(rule, name) is False and not rule.sources_for(name):
            setattr(rule, name, None)
            rule.reasons[name] = reason
    if rule.threshold_months is None:
        rule.reasons["threshold_months"] = reason
    if rule.list_based is None:
        rule.reasons["list_based"] = reason


# -- offences by category -----------------------------------------------------------------


@dataclass
class OffenceProvision:
    id: str
    number: str
    heading: str
    max_months: float | None
    life: bool
    death: bool
    in_heading: bool

    def severity(self) -> tuple:
        return severity_detail(self.death, self.life, self.max_months)

    def to_dict(self) -> dict:
        return {"id": self.id, "number": self.number, "heading": self.heading,
                "max_months": self.max_months, "life": self.life, "death": self.death}


@dataclass
class CountryOffences:
    """One country's penalised provisions per category, loaded once."""

    country: str
    by_category: dict[str, list[OffenceProvision]]
    unanalysed_languages: list[str]  # languages of instruments the analysis does not read

    def provisions(self, category: str) -> list[OffenceProvision]:
        """Best first: category named in the heading, then the most severe penalty."""
        found = self.by_category.get(category, [])
        return sorted(found, key=lambda p: (p.in_heading, p.severity()), reverse=True)


def load_offences(store: Store, country: str) -> CountryOffences:
    country = country.upper()
    by_category: dict[str, list[OffenceProvision]] = {}
    for facts in store.all_facts(country):
        pen = facts.penalties
        if pen is None or not pen.tiers or not facts.categories:
            continue  # only provisions that carry a penalty we can read
        prov = store.provision(facts.provision)
        death = punishable_by_death(pen)
        for match in facts.categories:
            if match.category in OFFENCE_CATEGORIES:
                by_category.setdefault(match.category, []).append(OffenceProvision(
                    prov.id, prov.number, prov.heading, pen.max_months, pen.life, death, match.in_heading))
    languages = sorted({i.language for i in store.instruments(country) if i.language != "en"})
    return CountryOffences(country, by_category, languages)


@dataclass
class Severity:
    """The most severe penalty among a category's provisions in one country."""

    max_months: float | None
    life: bool
    death: bool
    provision: str

    def meets(self, threshold: int) -> bool | None:
        if self.death or self.life:
            return True
        return None if self.max_months is None else self.max_months >= threshold

    def describe(self) -> str:
        level = "death" if self.death else "life" if self.life else (
            f"{self.max_months:g} months" if self.max_months is not None else "no stated maximum")
        return f"{level} ({self.provision})"


def most_severe(provisions: list[OffenceProvision]) -> Severity:
    top = max(provisions, key=OffenceProvision.severity)
    months = [p.max_months for p in provisions if p.max_months is not None]
    return Severity(max(months) if months else None, top.life, top.death, top.id)


# -- one pair --------------------------------------------------------------------------------


def analyse_category(
    category: str, requesting: CountryOffences, requested: CountryOffences,
    rules: dict[str, ExtraditionRule],
) -> dict:
    req_rule, asked_rule = rules[requesting.country], rules[requested.country]
    ours, theirs = requesting.provisions(category), requested.provisions(category)
    result = {
        "category": category,
        "extraditable": None,
        "reasons": [],
        "requesting_provisions": [p.to_dict() for p in ours[:MAX_PROVISIONS]],
        "requested_provisions": [p.to_dict() for p in theirs[:MAX_PROVISIONS]],
    }
    reasons = result["reasons"]
    if not asked_rule.has_act:
        reasons.append(f"{requested.country}: {asked_rule.reasons.get('threshold_months', NO_ACT)}")
        return result
    missing = _dual_criminality_gap(category, (requesting, ours), (requested, theirs))
    if missing:
        status, reason = missing
        reasons.append(reason)
        result["extraditable"] = status
        return result
    status = _threshold_status(category, req_rule, asked_rule, most_severe(ours), most_severe(theirs), reasons)
    if asked_rule.list_based:
        reasons.append(f"{requested.country} is list-based: the offence must also fall within its Schedule, "
                       "which is not checked")
        status = None if status else status
    status = _apply_bars(category, asked_rule, requesting.country, most_severe(ours), status, reasons)
    result["extraditable"] = status
    return result


def _dual_criminality_gap(category: str, *sides: tuple[CountryOffences, list]) -> tuple[bool | None, str] | None:
    """False when one side has no penalised provision of the category; null if it may be in untranslated text."""
    for offences, provisions in sides:
        if provisions:
            continue
        if offences.unanalysed_languages:
            return None, (f"no penalised '{category}' provision in {offences.country}'s English texts; "
                          f"its {'/'.join(offences.unanalysed_languages)} texts are not analysed")
        return False, f"dual criminality: no penalised '{category}' provision in {offences.country}'s corpus"
    return None


def _threshold_status(
    category: str, req_rule: ExtraditionRule, asked_rule: ExtraditionRule,
    ours: Severity, theirs: Severity, reasons: list[str],
) -> bool | None:
    """The requested country's threshold applies to both sides (its law decides); the
    requesting country's own threshold, when known, also bounds what it may ask for."""
    threshold = asked_rule.threshold_months
    if threshold is None:
        reasons.append(f"{asked_rule.country}: threshold unknown ({asked_rule.reasons.get('threshold_months', '')})")
        return None
    requesting_threshold = max(threshold, req_rule.threshold_months or 0)
    checks = [
        (asked_rule.country, theirs, threshold),
        (req_rule.country, ours, requesting_threshold),
    ]
    status: bool | None = True
    for country, severity, level in checks:
        ok = severity.meets(level)
        verdict = "meets" if ok else "below" if ok is False else "cannot be compared with"
        reasons.append(f"{country}: maximum {severity.describe()} {verdict} the threshold of {level} months")
        if ok is False:
            status = False
        elif ok is None and status:
            status = None
    return status


def _apply_bars(
    category: str, asked_rule: ExtraditionRule, requesting: str, ours: Severity,
    status: bool | None, reasons: list[str],
) -> bool | None:
    if ours.death and asked_rule.death_penalty_bar:
        where = ", ".join(s.provision for s in asked_rule.sources_for("death_penalty_bar"))
        reasons.append(f"death penalty bar: {requesting} punishes '{category}' with death ({ours.provision}); "
                       f"{asked_rule.country} has a {asked_rule.death_penalty_bar_kind} ground to refuse ({where})")
        # Mandatory: refused (unless assurances the Act may accept); discretionary: conditional -> null.
        if status is not False:
            status = False if asked_rule.death_penalty_bar_kind == "mandatory" else None
    elif ours.death and asked_rule.death_penalty_bar is None:
        reasons.append(f"{requesting} punishes '{category}' with death; whether {asked_rule.country} may refuse "
                       f"on that ground is unknown ({asked_rule.reasons.get('death_penalty_bar', '')})")
    if asked_rule.nationals_bar:
        reasons.append(f"nationals bar: {asked_rule.country} does not surrender its own nationals")
    return status


def _rule_summary(rule: ExtraditionRule) -> dict:
    return {
        "threshold_months": rule.threshold_months,
        "list_based": rule.list_based,
        "nationals_bar": rule.nationals_bar,
        "death_penalty_bar": rule.death_penalty_bar,
        "death_penalty_bar_kind": rule.death_penalty_bar_kind,
        "political_offence_bar": rule.political_offence_bar,
        "sources": [asdict(s) for s in rule.sources],
        "reasons": dict(rule.reasons),
    }


def _categories(categories) -> tuple[str, ...]:
    if categories is None:
        return OFFENCE_CATEGORIES
    unknown = [c for c in categories if c not in OFFENCE_CATEGORIES]
    if unknown:
        raise ValueError(f"not an offence category: {', '.join(unknown)}")
    return tuple(categories)


def _pair(requesting: str, requested: str, rules: dict[str, ExtraditionRule],
          offences: dict[str, CountryOffences], categories: tuple[str, ...]) -> dict:
    return {
        "requesting": requesting,
        "requested": requested,
        "rules": {c: _rule_summary(rules[c]) for c in (requesting, requested)},
        "offences": [analyse_category(cat, offences[requesting], offences[requested], rules) for cat in categories],
    }


def extradition_analysis(store: Store, requesting: str, requested: str, categories=None) -> dict:
    """Per offence category: is conduct punished in `requesting` extraditable from `requested`?"""
    requesting, requested = requesting.upper(), requested.upper()
    rules = {c: extradition_rules(store, c) for c in (requesting, requested)}
    offences = {c: load_offences(store, c) for c in (requesting, requested)}
    return _pair(requesting, requested, rules, offences, _categories(categories))


def _matrix(countries: list[str], results: dict[tuple[str, str], list[dict]], category: str | None) -> dict:
    """The matrix from each ordered pair's category results (one category, or all)."""
    pairs = []
    for (requesting, requested), rows in results.items():
        counts = Counter(json_key(r["extraditable"]) for r in rows)
        pair = {
            "requesting": requesting,
            "requested": requested,
            "extraditable": (rows[0]["extraditable"] if category
                             else [r["category"] for r in rows if r["extraditable"] is True]),
            "counts": {k: counts.get(k, 0) for k in ("true", "false", "null")},
        }
        if category:
            pair["reasons"] = rows[0]["reasons"]
        pairs.append(pair)
    return {"countries": countries, "category": category, "pairs": pairs}


def _ordered_pairs(countries: list[str]) -> list[tuple[str, str]]:
    return [(a, b) for a in countries for b in countries if a != b]


def extradition_matrix(store: Store, category: str | None = None) -> dict:
    """Every ordered pair of countries. Without a category, `extraditable` lists the
    extraditable categories; with one, it is that category's status (true/false/null)."""
    countries = store.national_countries()
    rules = {c: extradition_rules(store, c) for c in countries}
    offences = {c: load_offences(store, c) for c in countries}
    cats = _categories([category] if category else None)
    results = {(a, b): [analyse_category(cat, offences[a], offences[b], rules) for cat in cats]
               for a, b in _ordered_pairs(countries)}
    return _matrix(countries, results, category)


@dataclass
class ExtraditionTables:
    """Everything the extradition pages show, for every country: computed once by `index`."""

    rules: dict[str, ExtraditionRule]
    pairs: dict[tuple[str, str], dict]  # (requesting, requested) -> extradition_analysis
    matrices: dict[str | None, dict]  # offence category (None: all) -> extradition_matrix


def extradition_tables(store: Store) -> ExtraditionTables:
    """Each country's rule and offences read once; every pair analysed once; the matrices
    (all categories, then each) taken from those analyses."""
    countries = store.national_countries()
    rules = {c: extradition_rules(store, c) for c in countries}
    offences = {c: load_offences(store, c) for c in countries}
    pairs = {(a, b): _pair(a, b, rules, offences, OFFENCE_CATEGORIES) for a, b in _ordered_pairs(countries)}
    matrices: dict[str | None, dict] = {None: _matrix(countries, {k: v["offences"] for k, v in pairs.items()}, None)}
    for i, category in enumerate(OFFENCE_CATEGORIES):
        matrices[category] = _matrix(countries, {k: [v["offences"][i]] for k, v in pairs.items()}, category)
    return ExtraditionTables(rules, pairs, matrices)


def json_key(value: bool | None) -> str:
    return "null" if value is None else "true" if value else "false"
