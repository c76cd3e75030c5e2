"""Penalties in statute text: imprisonment ranges, life, death, fines, corporal punishment.

`extract_tiers(text)` reads one provision and returns one `PenaltyTier` per clause that
punishes. The phrasings it understands (all seen in the corpus):

Maximum terms
    "imprisonment for a term not exceeding 14 years"            (CAN, NZL, SGP)
    "for a term which may extend to twenty years"               (IND, PAK, BGD)
    "imprisoned not more than 20 years"; "not to exceed"          (USA)
    "Penalty: Imprisonment for 10 years"                         (AUS: a bare term is the maximum)
    "for a term of not more than two years less a day"           (CAN; the day is dropped)
Minimum terms
    "not less than ten years"; "shall not be less then seven years" (sic, BGD)
    "a minimum punishment of imprisonment for a term of five years" (CAN)
    "may not be less than 10 years or more than life"            (USA: minimum plus life)
Life and death
    "imprisonment for life", "life imprisonment", "transportation for life", "more than life"
    "punishable with death", "sentenced to death", "the death penalty"
    ("if death or serious bodily injury results" is a condition, not a penalty)
Death as the sentence (`sentences_to_death`: what the comparison and extradition count)
    "shall be punished with death", "be punished by death or sentenced to ...", "may be
    sentenced to death", "be punishable, on conviction, with death", "shall on conviction be
    punished with — (a) death", "punished either with death", "is liable, on conviction, to
    suffer death", "liable to be sentenced to death", "liable to death", "or with death",
    "Penalty: death"
  but not death as a condition or as another offence's class:
    "is under sentence of death", "has been sentenced to death", "is convicted ... and
    sentenced to death", "sentenced to death by the appropriate authority", "a sentence of
    death", "offences against the State punishable with death", "if the offence be punishable
    with death", "the conduct ... is punishable by death under the laws", "not liable to
    suffer death", "the maximum penalty for which is death", "a felony of such a kind that a
    person convicted of it is liable to the punishment of death", "he would have been punished
    with death" (an illustration)
Fines
    "fine which shall not be less than one lakh rupees", "a fine of not more than $1,000,000",
    "fined under this title", "7,500 penalty units", "five times the value of the proceeds"
Corporal punishment
    "caning with not less than 5 strokes", "whipping"
Modes
    "on conviction on indictment" / "indictable offence" and "on summary conviction"

A minimum that is only an alternative to a fine ("a fine ... or imprisonment for not less
than ten years, or both") is kept but marked not mandatory.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from harmonize.analyze.numbers import DURATION, NUMBER, parse_number, to_months
from harmonize.model import Fine, PenaltyFacts, PenaltyTier

_F = re.I

IMPRISONMENT = re.compile(
    r"\b(?:im-?\s?prison(?:ment|ed)?|jail|custody|penal servitude|transportation|rigorous|sentenced to a term)\b", _F
)
MAX_TERM = re.compile(
    r"(?:not\s+exceeding|not\s+more\s+than|no\s+more\s+than|(?:which\s+)?may\s+extend\s+to|up\s+to|"
    r"not\s+to\s+exceed|maximum\s+(?:term\s+|penalty\s+|punishment\s+)?(?:of\s+)?|or\s+more\s+than|"
    r"but\s+not\s+more\s+than|to\s+not\s+more\s+than|extending\s+to)"
    r"\s+(?:(?:a|any)\s+term\s+of\s+|imprisonment\s+for\s+)?" + DURATION,
    _F,
)
MIN_TERM = re.compile(
    r"(?:not\s+less\s+th[ae]n|no\s+less\s+than|at\s+least|minimum\s+(?:term\s+|sentence\s+)?(?:of\s+)?|"
    r"minimum\s+punishment\s+of\s+imprisonment\s+for\s+a\s+term\s+of(?:\s+\([a-z]\)[^;]{0,80}?,)?|shall\s+not\s+be\s+less\s+th[ae]n|"
    r"may\s+not\s+be\s+less\s+than)"
    r"\s+(?:(?:a|any)\s+term\s+of\s+|imprisonment\s+for\s+)?" + DURATION,
    _F,
)
# "shall ... be sentenced to imprisonment for life" with no alternative: life is the minimum too.
MANDATORY_LIFE = re.compile(r"\bshall\b[^.;]{0,60}?\bsentenced\s+to\s+imprisonment\s+for\s+life\b(?!\s+or\b)", _F)
# A list introduced by a dangling phrase continues the clause: "a minimum punishment of
# imprisonment for a term of (a) in the case of a first offence, three years; (b) ...".
# ("punishable,--" followed by (a), (b), (c) is different: each item is its own tier.)
DANGLING = re.compile(r"\b(?:of|than)\s*$")
LIST_ITEM = re.compile(r"^\(?[a-z0-9]{1,4}\)")
# A term with no qualifier: "imprisonment for 10 years", "imprisoned for five years", "10 years imprisonment".
BARE_TERM = re.compile(
    r"(?:imprison(?:ment|ed)\s+(?:for\s+)?(?:a\s+(?:term|period)\s+of\s+)?|"
    r"(?:a|any)\s+(?:term|period)\s+of\s+)" + DURATION + r"|" + DURATION.replace("?P<", "?P<b") + r"\s+imprisonment",
    _F,
)
LIFE = re.compile(
    r"\b(?:imprison(?:ment|ed)|transportation|custody|sentenced?|punish(?:ed|able)|liable|term)\s+"
    r"(?:\w+\s+){0,3}?for\s+(?:the\s+(?:rest|remainder)\s+of\s+(?:his|her|their|the\s+person's)\s+)?(?:natural\s+)?life\b"
    r"|\blife\s+imprisonment\b|\bimprisonment\s+for\s+life\b|\bmore\s+than\s+life\b|\bterm\s+of\s+life\b"
    r"|\bfor\s+life\s+or\b|\bto\s+imprisonment\s+for\s+life\b",
    _F,
)
DEATH = re.compile(
    r"\b(?:punish(?:ed|able)?|sentenced?|liable|penalty|suffer)\b[^.;]{0,40}?\bdeath\b(?!\s+or\s+serious|\s+results)"
    r"|\bdeath\s+(?:penalty|sentence)\b|\bwith\s+death\b",
    _F,
)
FINE_WORD = re.compile(r"\bfine[sd]?\b|\bpenalty\s+units?\b|\bfined\b", _F)
CURRENCY = (
    r"(?P<cur>\$|US\$|S\$|Rs\.?|₹|N(?=\d)|₦|£|GH₵|KSh|AED|Tk\.?)\s?(?P<amt>" + NUMBER + r"(?:\s+(?:million|billion|lakhs?|crores?))?)"
    r"|(?P<amt2>" + NUMBER + r"(?:\s+(?:hundred|thousand|million|billion|lakhs?|crores?))*)\s+"
    r"(?P<cur2>rupees|naira|taka|dollars|penalty\s+units|dirhams?|cedis|shillings|ringgit|pounds)"
)
FINE_MAX = re.compile(
    r"(?:not\s+exceeding|not\s+more\s+than|(?:which\s+)?may\s+extend\s+to|up\s+to|not\s+to\s+exceed|maximum\s+of)\s+(?:"
    + CURRENCY + ")",
    _F,
)
FINE_MIN = re.compile(r"(?:not\s+(?:be\s+)?less\s+th[ae]n|at\s+least|minimum\s+of)\s+(?:" + CURRENCY + ")", _F)
FINE_ANY = re.compile(CURRENCY, _F)
MULTIPLE = re.compile(r"\b(" + NUMBER + r")\s+times\s+the\s+(?:value|amount|sum)", _F)
LIABLE = re.compile(r"\bliable\b|\bpunish|\bpenalty\b|\bfined\b|\bsentenced?\b", _F)
CORPORAL = re.compile(r"\b(caning|caned|whipping|whipped|strokes|flogging|lashes)\b", _F)
SUMMARY = re.compile(r"summary\s+conviction|summarily", _F)
INDICTMENT = re.compile(r"\bindict(?:ment|able)\b", _F)
# "or imprisonment ... or both", "fine ... or to imprisonment": the prison term is one choice among others.
FINE_ALTERNATIVE = re.compile(r"\bfine\b[^;]{0,200}?\bor\s+(?:to\s+|with\s+)?(?:imprison|a\s+term)|\bor\s+(?:to\s+|with\s+)?both\b", _F)

CURRENCY_CODES = {
    "$": "$", "us$": "USD", "s$": "SGD", "rs": "INR", "rs.": "INR", "₹": "INR", "rupees": "rupees", "n": "NGN",
    "₦": "NGN", "naira": "NGN", "taka": "BDT", "tk": "BDT", "tk.": "BDT", "£": "GBP", "dollars": "dollars",
    "penalty units": "penalty units", "dirham": "AED", "dirhams": "AED", "aed": "AED", "cedis": "GHS",
    "gh₵": "GHS", "shillings": "KES", "ksh": "KES", "ringgit": "MYR", "pounds": "GBP",
}


def _months(match: re.Match, prefix: str = "") -> float | None:
    num, unit = match.group(prefix + "num"), match.group(prefix + "unit")
    if num is None:
        return None
    return to_months(num, unit)


def _inside(span: tuple[int, int], spans: Iterable[tuple[int, int]]) -> bool:
    return any(a <= span[0] and span[1] <= b for a, b in spans)


def _amount(match: re.Match) -> tuple[float | None, str | None]:
    amount = match.group("amt") or match.group("amt2")
    currency = (match.group("cur") or match.group("cur2") or "").lower()
    currency = re.sub(r"\s+", " ", currency)
    return parse_number(amount) if amount else None, CURRENCY_CODES.get(currency, currency or None)


def read_fine(text: str) -> Fine | None:
    """The fine in one clause, or None when the clause does not fine."""
    if not FINE_WORD.search(text):
        return None
    fine = Fine(text=FINE_WORD.search(text).group(0))
    if m := FINE_MAX.search(text):
        fine.max_amount, fine.currency = _amount(m)
    if m := FINE_MIN.search(text):
        fine.min_amount, fine.currency = _amount(m)
    if fine.max_amount is None and fine.min_amount is None and (m := FINE_ANY.search(text)):
        # "a fine of N250,000" or "7,500 penalty units": a fixed amount, read as the maximum.
        fine.max_amount, fine.currency = _amount(m)
    if m := MULTIPLE.search(text):
        fine.multiple = parse_number(m.group(1))
    return fine


# "in default of payment, imprisonment for an additional period of not less than five years":
# the term for not paying the fine, not a penalty for the offence.
DEFAULT_TERM = re.compile(r"\bin\s+default\s+of\s+(?:payment|the\s+fine|such\s+fine)[^;]*", _F)


def read_terms(text: str) -> tuple[float | None, float | None]:
    """(minimum, maximum) imprisonment in months stated in one clause."""
    text = DEFAULT_TERM.sub(" ", text)
    maxima = [(m.span(), _months(m)) for m in MAX_TERM.finditer(text)]
    minima = [(m.span(), _months(m)) for m in MIN_TERM.finditer(text)]
    qualified = [s for s, _ in maxima + minima]
    bare = []
    for m in BARE_TERM.finditer(text):
        if not _inside(m.span(), qualified) and not any(_overlaps(m.span(), q) for q in qualified):
            bare.append(_months(m) if m.group("num") else _months(m, "b"))
    max_values = [v for _, v in maxima if v is not None] + [v for v in bare if v is not None]
    min_values = [v for _, v in minima if v is not None]
    return (min(min_values) if min_values else None, max(max_values) if max_values else None)


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


# "Abetment of offence punishable with death", "an offence punishable with imprisonment for
# life", "if the offence ... is not punishable with death": the penalty of another offence,
# named as a condition, not this clause's penalty ("an offence under this section shall be
# punished with death" is this clause's penalty and does not match).
OTHER_OFFENCE = re.compile(
    r"\boffen[cs]es?\b(?:[^.;:]{0,80}?\b(?:is|are|was|were)\s+(?:not\s+)?|\s+(?:which|that)\s+(?:is|are)\s+|\s+)"
    r"(?:punishable|punished)\s+(?:\w+\s+){0,6}$",
    _F,
)


def _own(pattern: re.Pattern, text: str) -> bool:
    """A match of `pattern` that is not the penalty of some other offence named in the clause."""
    for m in pattern.finditer(text):
        if not OTHER_OFFENCE.search(text[max(0, m.start() - 160): m.start() + _lead(m.group(0))]):
            return True
    return False


def _lead(matched: str) -> int:
    """Length of the words before 'death'/'life' inside a match ("punishable with death" -> up to 'with ')."""
    found = re.search(r"(death|life)\b", matched, _F)
    return found.start() if found else 0


DESCRIBED_OFFENCE = re.compile(r"\boffen[cs]es?\b[^.;:]{0,80}?\b(?:is|are)\s+(?:not\s+)?punishable\b", _F)
SENTENCING = re.compile(r"\bshall\s+(?:\w+\s+){0,3}(?:punished|liable|sentenced)|\bis\s+liable\b|\bPenalty:", _F)


def describes_other_offence(clause: str) -> bool:
    """'if the offence ... is not punishable with ... not less than twelve months': a test
    applied to some offence (extradition Acts), with no sentence passed in the clause."""
    return bool(DESCRIBED_OFFENCE.search(clause)) and not SENTENCING.search(clause)


def is_penalty_clause(text: str, context: str = "") -> bool:
    """A clause punishes when it speaks of imprisonment, life, death, a fine or caning.

    A fine counts only when the clause or the clauses before it make someone liable to it:
    "(b) in the case of a body corporate, to a fine of one million naira" follows "is liable-".
    """
    return bool(
        (IMPRISONMENT.search(text) and (MAX_TERM.search(text) or MIN_TERM.search(text) or BARE_TERM.search(text)))
        or _own(LIFE, text)
        or _own(DEATH, text)
        or (FINE_WORD.search(text) and LIABLE.search(text + " " + context))
        or CORPORAL.search(text)
    )


def read_tier(clause: str, context: str = "") -> PenaltyTier | None:
    """One tier from one clause; `context` is the text of the unit around it (for the mode)."""
    if not is_penalty_clause(clause, context) or describes_other_offence(clause):
        return None
    min_months, max_months = read_terms(clause)
    life = _own(LIFE, clause)
    death = _own(DEATH, clause)
    fine = read_fine(clause)
    corporal = CORPORAL.search(clause)
    if not (min_months or max_months or life or death or fine or corporal):
        return None
    mode_text = clause + " " + context
    mode = "summary" if SUMMARY.search(clause) else "indictment" if INDICTMENT.search(mode_text) else None
    if mode is None and SUMMARY.search(context):
        mode = "summary"
    return PenaltyTier(
        condition=_condition(clause),
        min_months=min_months,
        max_months=max_months,
        life=life,
        death=death,
        fine=fine,
        corporal={"caned": "caning", "whipped": "whipping", "strokes": "caning"}.get(
            corporal.group(1).lower(), corporal.group(1).lower()) if corporal else None,
        mode=mode,
        mandatory_min=not (min_months and fine and FINE_ALTERNATIVE.search(clause)),
        mandatory_life=bool(life and MANDATORY_LIFE.search(clause) and not re.search(r"\bliable\b", clause, _F)),
        evidence=clause.strip(),
    )


_PUNISH_START = re.compile(
    r"\b(?:shall\s+be\s+(?:punish|liable|sentenced|guilty)|is\s+(?:liable|guilty|punishable)|are\s+liable|"
    r"liable|punishable|shall\s+be\s+fined|Penalty:)",
    _F,
)


def _condition(clause: str) -> str:
    """The words before the punishment: who or what the tier applies to."""
    m = _PUNISH_START.search(clause)
    head = clause[: m.start()] if m else ""
    head = re.sub(r"\s+", " ", head).strip(" ,;:-")
    return head[:200]


def join_dangling_lists(sentences: Iterable[str]) -> list[str]:
    """Join a clause that ends mid-phrase with the list items that complete it."""
    joined: list[str] = []
    open_clause = False
    for sentence in sentences:
        if open_clause and LIST_ITEM.match(sentence):
            joined[-1] = f"{joined[-1]} {sentence}"
            continue
        joined.append(sentence)
        open_clause = bool(DANGLING.search(sentence))
    return joined


def extract_tiers(sentences: Iterable[str]) -> list[PenaltyTier]:
    """Tiers from the clauses of one provision, in order; repeated identical tiers are merged."""
    sentences = join_dangling_lists(sentences)
    tiers: list[PenaltyTier] = []
    seen: set[tuple] = set()
    for i, sentence in enumerate(sentences):
        context = " ".join(sentences[max(0, i - 2): i])
        tier = read_tier(sentence, context)
        if tier is None:
            continue
        key = (tier.min_months, tier.max_months, tier.life, tier.death, tier.fine is not None, tier.mode, tier.condition)
        if key not in seen:
            seen.add(key)
            tiers.append(tier)
    return tiers



# Death as this clause's sentence, as opposed to death named as a condition or as the class
# of some other offence (see the module docstring for the phrasings).
DEATH_CONDITION = re.compile(
    r"\bunder\s+(?:a\s+)?sentence\s+of\s+death\b"
    r"|\b(?:has|have|had)\s+been\s+sentenced\s+to\s+death\b|\b(?:was|is)\s+sentenced\s+to\s+death\b"
    r"|\bconvicted\b[^.;]{0,120}?\band\s+sentenced\s+to\s+death\b|\bsentenced\s+to\s+death\s+by\s+the\b"
    r"|\bsentence\s+(?:is\s+a\s+sentence\s+)?of\s+death\b|\bwould\s+have\s+been\s+punished\s+with\s+death\b"
    r"|\b(?:offen[cs]es?|offenders?|felony|crime|conduct)\b[^.;:]{0,80}?\bpunishable\s+(?:[\w,]+\s+){0,8}?(?:with|by)\s+death\b"
    r"|\bnot\s+(?:be\s+)?(?:liable\s+to\s+suffer|punishable\s+with|punished\s+with)\s+death\b"
    r"|\b(?:maximum|minimum)\s+penalty\b[^.;]{0,40}?\bis\s+death\b"
    r"|\bof\s+such\s+a\s+kind\s+that\b[^.;]{0,120}",
    _F,
)
DEATH_SENTENCE = re.compile(
    r"\b(?:punished|sentenced|be\s+punishable)\s*(?:,\s*on\s+conviction,?\s*)?(?:either\s+)?(?:with|by|to)\s*"
    r"(?:[\u2014:-]+\s*)?(?:\(\s*[a-z]\s*\)\s*)?death\b"
    r"|\bliable\b[^.;]{0,60}?\bto\s*(?:[\u2014:-]+\s*)?(?:\(\s*[a-z]\s*\)\s*)?(?:suffer\s+death|death|be\s+sentenced\s+to\s+death|"
    r"be\s+punished\s+with\s+death|the\s+punishment\s+of\s+death)\b"
    r"|\bor\s+with\s+death\b|\bdeath\s+penalty\b|\bPenalty:\s*death\b",
    _F,
)


def sentences_to_death(tier: PenaltyTier) -> bool:
    """Whether the tier's clause passes a sentence of death, not only names death as a
    condition or as the class of another offence (the reader above sets `death` for both)."""
    return tier.death and bool(DEATH_SENTENCE.search(DEATH_CONDITION.sub(" ", tier.evidence)))


def punishable_by_death(penalties: PenaltyFacts | None) -> bool:
    """A provision punishes with death when one of its tiers sentences to death: the reading
    the penalty comparison and the extradition analysis both use."""
    return penalties is not None and any(sentences_to_death(t) for t in penalties.tiers)
