"""Reading an extradition Act into its rule (done once, at ingest; stored as the Act's rule).

`read_rule(country, instrument_ids, sections)` returns an `ExtraditionRule`. Every value
comes from a pattern over the provision texts; where nothing decides a value it is null with
a reason. The phrasings understood:

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
Death-penalty terms, as the Act states them (`death_penalty_terms`):
    "surrender only if an undertaking is given that the death penalty will not be imposed or
    carried out" (AUS s.22(3)(c)), "may refuse" (CAN s.44(2), NZL s.30(3)(a)).
Treaty-based regimes: with no threshold and extraditable offences defined by "such treaty"
    (USA 18 U.S.C. 3181, 3184) the rule says so (`treaty_based`).
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import dataclass

from harmonize.analyze.numbers import DURATION, to_months
from harmonize.ids import SECTION_KINDS, leaf
from harmonize.model import ExtraditionRule, Provision, Source  # noqa: F401  (Source re-exported)

log = logging.getLogger(__name__)

NO_ACT = "no extradition act in the corpus"
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
    r"(?:extradition|returnable|extraditable)\s+(?:offence|crime)s?\s*[”\"']?\s*(?:means|shall\s+mean|is\s+an\s+offence)",
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



_RULE_FIELDS = ("threshold_months", "list_based", "nationals_bar", "death_penalty_bar", "political_offence_bar")
UNDERTAKING = re.compile(r"\bundertakings?\b|\bassurances?\b|\bguarantees?\b", _F)


def no_act_rule(country: str, reason: str = NO_ACT) -> ExtraditionRule:
    rule = ExtraditionRule(country.upper())
    rule.reasons = {name: reason for name in _RULE_FIELDS}
    return rule


def read_rule(country: str, instrument_ids: list[str], sections: list[Provision]) -> ExtraditionRule:
    """The rule of one country read from the sections of its extradition Act(s)."""
    rule = ExtraditionRule(country.upper(), instruments=list(instrument_ids))
    clauses = [c for p in sections for c in clauses_of(p)]
    gap = missing_leading_sections(sections)

    rule.threshold_months, sources = read_threshold(clauses)
    rule.sources += sources
    rule.list_based, sources, reason = read_list_based(sections, clauses, rule.threshold_months)
    rule.sources += sources
    if reason:
        rule.reasons["list_based"] = reason
        rule.treaty_based = "treaty" in reason
    rule.death_penalty_bar, rule.death_penalty_bar_kind, sources = read_bar(clauses, DEATH, "death_penalty_bar")
    rule.sources += sources
    rule.death_penalty_terms = death_penalty_terms(rule)
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


def death_penalty_terms(rule: ExtraditionRule) -> str | None:
    """The death-penalty ground as the Act words it, with the sections it comes from."""
    if not rule.death_penalty_bar:
        return None
    sources = rule.sources_for("death_penalty_bar")
    where = ", ".join("s." + leaf(s.provision).removeprefix("sec-") for s in sources)
    if rule.death_penalty_bar_kind == "discretionary":
        return f"may refuse where the offence is punishable by death (discretionary; {where})"
    if any(UNDERTAKING.search(s.evidence) for s in sources):
        return f"refused unless an undertaking is given that the death penalty will not be imposed or carried out ({where})"
    return f"refused where the offence is punishable by death ({where})"


EXTRADITION_TOPIC = "extradition"


def instrument_rule(instrument, provisions: list[Provision]) -> ExtraditionRule | None:
    """The rule an extradition Act states, read at ingest; None for other Acts and non-English text."""
    if instrument.topic != EXTRADITION_TOPIC or instrument.language != "en":
        return None
    sections = [p for p in provisions if p.kind in SECTION_KINDS]
    return read_rule(instrument.country, [instrument.id], sections)
