"""Penalties in statute text: imprisonment ranges, life, death, fines, corporal punishment.

`extract_tiers(text)` reads one provision and returns one `PenaltyTier` per clause that
punishes. The phrasings it understands (all seen in the corpus):

The text is repaired first (`normalise`): amendment marks "imprisonment which may extend to
1[ten years and fine ...]" (PAK PTPA s.3), "2[seven years]" (PAK Arms Ordinance s.13) read as
the amended words; "upto"; "a term offive years" (UGA Penal Code s.264); soft hyphens; and
hard-wrapped lines ("... for a term which may" / "extend to twenty-five years", PAK) are joined.

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
    "imprisonment for any term of years not less than 15 or for life" (USA 18 USC 1591(b)(1): the
        unit is said once, before the number)
Life and death
    "imprisonment for life", "life imprisonment", "transportation for life", "more than life"
    "imprisoned for any term of years or life", "... or for life"     (USA 18 USC 1589(d), 1591(c))
    "imprisonment for life, which shall mean imprisonment for the remainder of that person's
        natural life"                                              (IND IPC s.370(6))
    "punishable with death", "sentenced to death", "the death penalty"
    ("if death or serious bodily injury results" is a condition, not a penalty)
Death as the sentence (`PenaltyTier.death`; death only named is `PenaltyTier.death_named`)
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
Terms and life of another offence's class (not this provision's penalty; blanked before its
own terms are read)
    "shall, if the offence is punishable with imprisonment for life, or with imprisonment which
        may extend to ten years, be punished with imprisonment ... three years" (IND IPC s.213),
    the marginal note "if punishable with imprisonment for life, or with imprisonment.—",
    "an offence for which the punishment of death or imprisonment for life may be inflicted"
        (MWI Penal Code s.305), "an indictable offence for which, on conviction, an accused is
        liable to be sentenced to imprisonment for life" (CAN Criminal Code s.463), "one-half of
        the imprisonment for life" (IND IPC s.511); Illustrations are not read (analyze/facts.py)
A term stated only as its minimum ("imprisonment for a term of not less than thirty years"):
    `PenaltyTier.longest_months` is that minimum (rankings and thresholds), `max_months` None
Fines
    "fine which shall not be less than one lakh rupees", "a fine of not more than $1,000,000",
    "fined under this title", "7,500 penalty units", "five times the value of the proceeds"
    "liable to a penalty not exceeding five hundred rupees" (IND IPC s.137), "liable to the United
        States for a civil penalty in an amount not to exceed $10,000" (USA 31 USC): a money penalty
    "a fine not exceeding one hundred twenty currency points" (UGA), "two hundred thousand penalty
        units" (ZMB), "N$10 million" (NAM), "R10 000" (NAM, rand), "K50,000" (MWI, kwacha),
        "a fine not exceeding level ten" (ZWE standard scale); amounts with space thousands
        separators ("N$1 000 000") and compound words ("one hundred twenty")
Corporal punishment
    "caning with not less than 5 strokes", "whipping"
Modes
    "on conviction on indictment" / "indictable offence" and "on summary conviction"

Lists: a head that ends mid-phrase and the items that complete it, one tier per item, each
with its condition
    "(2) ... is liable on conviction to imprisonment for a term—" / "(a) not exceeding 14 years
        where the relevant act ... corresponding to section 6:" / "(b) not exceeding 7 years in
        any other case."                                            (NZL Misuse of Drugs Act s.10)
    "... punishable, on conviction, by imprisonment for a period not exceeding:" / "(c) if ... Part
        2 of Schedule 3--5 years; or" / "(d) in any other case--10 years." (AUS CTN Act s.9: the
        term after the condition)
    "a minimum punishment of imprisonment for a term of" / "(a) in the case of a first offence,
        three years;" / "(b) ... second or subsequent offence, five years." (CAN Criminal Code s.99)
    "(b) The punishment for an offense under subsection (a) is" / "(1) if the offense was effected
        by means of force ... imprisonment for any term of years not less than 15 or for life; or"
        (18 USC 1591: a head with no liability word)
    nested heads ("(a) is guilty of an indictable offence and liable to imprisonment" / "(i) in the
        case of a first offence, for a term not exceeding two years, and" / "(ii) ... five years",
        CAN Firearms Act s.112) and "and"/"or" between items
Tables printed cell by cell
    "the penalty is imprisonment for a period not exceeding such period as is applicable in
        accordance with the following table:" then "Cultivation of opium poppy and coca bush" /
        "Life" / "25 years" / ...                                  (AUS CTN Act s.15(2)): one tier per
        cell, the row heading as condition
Conditions (`PenaltyTier.condition`): the words before the punishment ("(2) If the offence ... is
    committed against a child or a woman", PAK PTPA s.3) and a selector after it ("... for life
    where a Class A controlled drug ...", "in any other case", "if death results"); amendment
    notes ("[Act 12 of 2023 wef 01/06/2024]") are left out.
Own offence, not a class of offences
    "An offence against subsection (1) ... is punishable on conviction by imprisonment for not
        more than 10 years" (AUS Criminal Code s.141.1(5)); "(2) An offence mentioned in sections 117
        to 135 is punishable— (a) if committed by a natural person, by imprisonment for a period not
        exceeding five years" (UGA AML Act s.136: a penalty section naming the offences it punishes); "is guilty of an offence against this
        section and is punishable ..." (AUS CTN Act s.9)
Derived penalties (`derived_penalty`: no tier, the words are kept as the reference)
    "liable, upon conviction, to the same penalties as if the person had been convicted of the
        offence" (ZMB Anti-Human Trafficking Act s.14), "liable to the same punishment as if he
        had forged the document" (MWI Penal Code s.362), "liable to the penalty provided for the
        offence the commission of which he aided" (ZMB Firearms Act s.55), "double the penalty
        provided for the latter offence" (IND Arms Act s.31), "liable to a penalty determined in
        accordance with sections 73.1 and 73.11" (CAN PCMLTFA s.73.13)

A minimum that is only an alternative to a fine ("a fine ... or imprisonment for not less
than ten years, or both") is kept but marked not mandatory.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from harmonize.analyze.numbers import DURATION, NUMBER, parse_number, to_months
from harmonize.model import Fine, PenaltyTier

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
# "imprisonment for any term of years not less than 15 or for life": the unit is said once, before.
YEARS_NOT_LESS = re.compile(r"\bterm\s+of\s+years\s+not\s+less\s+than\s+(?P<num>" + NUMBER + r")(?!\s*(?:years?|months?))", _F)
# "shall ... be sentenced to imprisonment for life" with no alternative: life is the minimum too.
MANDATORY_LIFE = re.compile(r"\bshall\b[^.;]{0,60}?\bsentenced\s+to\s+imprisonment\s+for\s+life\b(?!\s+or\b)", _F)
# A term with no qualifier: "imprisonment for 10 years", "imprisoned for five years", "10 years imprisonment".
BARE_TERM = re.compile(
    r"(?:imprison(?:ment|ed)\s+(?:(?:with(?:out)?\s+hard\s+labou?r|of\s+either\s+description|simple|rigorous)\s+)?"
    r"(?:for\s+)?(?:a\s+(?:term|period)\s+of\s+)?|"
    r"(?:a|any)\s+(?:term|period)\s+of\s+)" + DURATION + r"|" + DURATION.replace("?P<", "?P<b") + r"\s+imprisonment",
    _F,
)
LIFE = re.compile(
    r"\b(?:imprison(?:ment|ed)|transportation|custody|sentenced?|punish(?:ed|able)|liable|term)\s+"
    r"(?:\w+\s+){0,3}?for\s+(?:the\s+(?:rest|remainder)\s+of\s+(?:his|her|their|the\s+person's)\s+)?(?:natural\s+)?life\b"
    r"|\blife\s+imprisonment\b|\bimprisonment\s+for\s+life\b|\bmore\s+than\s+life\b|\bterm\s+of\s+life\b"
    r"|\bfor\s+life\s+or\b|\bto\s+imprisonment\s+for\s+life\b"
    r"|\b(?:imprison\w*|term\s+of\s+years)\b[^.;]{0,60}?\bor\s+(?:for\s+)?life\b",
    _F,
)
DEATH = re.compile(
    r"\b(?:punish(?:ed|able)?|sentenced?|liable|penalty|suffer)\b[^.;]{0,40}?\bdeath\b(?!\s+or\s+serious|\s+results)"
    r"|\bdeath\s+(?:penalty|sentence)\b|\bwith\s+death\b",
    _F,
)
FINE_WORD = re.compile(r"\bfine[sd]?\b|\bpenalty\s+units?\b|\bcurrency\s+points?\b|\bfined\b", _F)
CURRENCY = (
    r"(?P<cur>US\s?\$|N\$|S\$|\$|Rs\.?|₹|N(?=\d)|₦|£|GH₵|KSh|AED|Tk\.?|K(?=\d)|R(?=\d)|level)\s?(?P<amt>"
    + NUMBER.removeprefix(r"\b") + r"(?:\s+(?:million|billion|lakhs?|crores?))?)"
    r"|(?P<amt2>" + NUMBER + r"(?:\s+(?:hundred|thousand|million|billion|lakhs?|crores?))*)\s+"
    r"(?P<cur2>rupees|naira|taka|dollars|penalty\s+units?|currency\s+points?|fine\s+units?|dirhams?|cedis|shillings|"
    r"ringgit|pounds|kwacha|rand)"
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
    "gh₵": "GHS", "shillings": "shillings", "ksh": "KES", "ringgit": "MYR", "pounds": "GBP", "penalty unit": "penalty units",
    "currency points": "currency points", "currency point": "currency points", "fine units": "fine units",
    "fine unit": "fine units", "n$": "NAD", "us $": "USD", "k": "kwacha", "kwacha": "kwacha", "r": "rand", "rand": "rand",
    "level": "level (standard scale)",
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


# "shall be liable to a penalty not exceeding five hundred rupees": a money penalty, read as a fine.
PECUNIARY = re.compile(r"\bpenalty\s+(?:in\s+an\s+amount\s+)?(?:of\s+|not\s+exceeding\s+|not\s+more\s+than\s+|not\s+to\s+exceed\s+|"
                       r"which\s+may\s+extend\s+to\s+)(?=" + CURRENCY + ")", _F)


def read_fine(text: str) -> Fine | None:
    """The fine in one clause, or None when the clause does not fine."""
    word = FINE_WORD.search(text) or PECUNIARY.search(text)
    if not word:
        return None
    fine = Fine(text=word.group(0).strip())
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
    min_values += [to_months(m.group("num"), "years") for m in YEARS_NOT_LESS.finditer(text)]
    min_values = [v for v in min_values if v is not None]
    return (min(min_values) if min_values else None, max(max_values) if max_values else None)


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


# "Abetment of offence punishable with death", "an offence punishable with imprisonment for
# life", "if the offence ... is not punishable with death": the penalty of another offence,
# named as a condition, not this clause's penalty ("an offence under this section shall be
# punished with death" is this clause's penalty and does not match).
OTHER_OFFENCE = re.compile(
    r"\boffen[cs]es?\b(?:[^.;:]{0,80}?\b(?:is|are|was|were)\s+(?:not\s+)?|\s+(?:which|that)\s+(?:is|are)\s+|\s+)"
    r"(?:punishable|punished)\s+(?:[\w,\[\]]+\s+){0,8}$"  # "an offence punishable with death, 1[imprisonment for life]"
    # "an offence for which the punishment of death or imprisonment for life may be inflicted",
    # "an indictable offence for which, on conviction, an accused is liable to be sentenced to
    # imprisonment for life"; not "is guilty of an offence for which ... he shall be liable to"
    r"|(?<!guilty\sof\san\s)(?<!commits\san\s)\boffen[cs]es?\s+(?:is\s+one\s+)?for\s+which\b[^.;:]{0,100}$"
    # a fraction of another offence's punishment: "one-half of the imprisonment for life"
    r"|\b(?:one[-\s])?(?:half|third|fourth|quarter)\s+(?:part\s+)?of\s+(?:the\s+)?(?:[\w,]+\s+){0,3}$"
    # the marginal note of a tier: "if punishable with imprisonment for life, or with imprisonment.—"
    r"|\bif\s+(?:it\s+(?:is|be)\s+)?punishable\s+(?:\w+\s+){0,6}$",
    _F,
)


# The same classes of other offences as whole phrases, blanked before the clause's own terms
# are read: "shall, if the offence is punishable with imprisonment for life, or with imprisonment
# which may extend to ten years, be punished with imprisonment ... which may extend to three
# years" is three years, not ten; "if punishable with imprisonment for life, or with
# imprisonment.—" (a marginal note); "an indictable offence for which, on conviction, an accused
# is liable to be sentenced to imprisonment for life is guilty of an indictable offence and liable
# to imprisonment for a term not exceeding 14 years". Not the provision's own offence: "An
# offence against this section is punishable by imprisonment for 5 years".
# ... up to the clause's own verb or a new subject: "if perjury is committed to procure the
# conviction of a person for any offence for which the maximum punishment is not less than 3
# years' imprisonment, the punishment may be imprisonment for a term not exceeding 14 years"
_PHRASE_END = (r"(?=,\s*(?:shall|be|is)\b|,\s*(?:the|he|she|they|it)\s|\s(?:shall|is\s+(?:guilty|liable))\b"
               r"|[.\u2014]|$)")
OTHER_OFFENCE_PHRASE = re.compile(
    r"\b(?:if\s+|where\s+)?(?:(?:the|such|that|an?|any)\s+)?(?:indictable\s+)?offen[cs]es?\b"
    r"(?!\s+(?:against|under|created\s+by)\s+(?:this|that|sub|section|s\.|paragraph))"
    # the offence's class, never its own sentence: no "and is", "shall be" or "punished" between
    r"(?:(?:(?!\band\b|\bshall\b|\bwill\b)[^.;:]){0,80}?\b(?:is|are|be|was|were)\s+(?:not\s+)?|\s+(?:which|that)\s+(?:is|are)\s+|\s+)"
    r"punishable\s+(?:with|by)\b[^;:]*?" + _PHRASE_END +
    r"|\bif\s+(?:it\s+(?:is|be)\s+)?punishable\s+with\b[^;:]*?" + _PHRASE_END +
    r"|(?<!guilty\sof\san\s)(?<!commits\san\s)\boffen[cs]es?\s+(?:is\s+one\s+)?for\s+which\b[^;:]*?" + _PHRASE_END,
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
# "guilty of an offence against this section and is punishable ...", "An offence against subsection
# (1) ... is punishable on conviction by imprisonment for not more than 10 years": this provision's
# own offence, not a class of offences.
SENTENCING = re.compile(
    r"\bshall\s+(?:\w+\s+){0,3}(?:punished|liable|sentenced)|\bis\s+liable\b|\bPenalty:|\bguilty\s+of\s+an?\s+offen[cs]e\b"
    r"|\boffen[cs]es?\s+(?:against|under)\s+(?:this\s+(?:section|subsection|Division|Subdivision)|sub-?section|paragraph)\b"
    r"|^\W*(?:\(\w+\)\s*)?(?:an?|any)\s+offen[cs]es?\s+(?:under|against|mentioned\s+in|referred\s+to\s+in|specified\s+in|"
    r"contemplated\s+in)\s+(?:sections?|sub-?sections?|ss?\.)\s*\d",
    _F,
)


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
        or ((FINE_WORD.search(text) or PECUNIARY.search(text)) and LIABLE.search(text + " " + context))
        or CORPORAL.search(text)
    )


def read_tier(clause: str, context: str = "") -> PenaltyTier | None:
    """One tier from one clause; `context` is the text of the unit around it (for the mode)."""
    if not is_penalty_clause(clause, context) or describes_other_offence(clause):
        return None
    own_terms = OTHER_OFFENCE_PHRASE.sub(" ", clause)
    # terms only where the clause still punishes once the other offences' classes are blanked
    own = own_terms == clause or is_penalty_clause(own_terms, context)
    min_months, max_months = read_terms(own_terms) if own else (None, None)
    life = _own(LIFE, clause)
    death, death_named = death_reading(_own(DEATH, clause), clause)
    fine = read_fine(clause)
    corporal = CORPORAL.search(clause)
    if not (min_months or max_months or life or death or death_named or fine or corporal):
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
        death_named=death_named,
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
    r"liable|punishable|shall\s+be\s+fined|shall\s+be\s+imprisonment|Penalty:|the\s+penalty\s+(?:for\s+the\s+offence\s+)?is\b)",
    _F,
)
# After the punishment, the words that select the tier: "... for life where a Class A drug was ...".
_SELECTOR = re.compile(
    r"\b(?:where|if|in\s+the\s+case\s+of|in\s+any\s+other\s+case|when|unless|for\s+a\s+(?:second|subsequent)|"
    r"on\s+a\s+(?:second|subsequent))\b.*$",
    _F | re.S,
)


# "[Act 12 of 2023 wef 01/06/2024]", "15/2010]" (a note cut by the sentence split): amendment
# notes say nothing about which tier applies.
NOTE_IN_CONDITION = re.compile(r"\[[^\[\]]{0,120}\]|^[^\[\]]{0,40}\]|\[[^\[\]]{0,60}$")


def _condition(clause: str) -> str:
    """The words that select the tier: who or what it applies to, before the punishment, and any
    "where ..."/"if ..."/"in the case of ..." after it."""
    clause = NOTE_IN_CONDITION.sub(" ", clause)
    m = _PUNISH_START.search(clause)
    head = clause[: m.start()] if m else ""
    head = re.sub(r"\s+", " ", head).strip(" ,;:-—–")
    if m and (tail := _SELECTOR.search(clause, m.end())):
        selector = re.sub(r"\s+", " ", tail.group(0)).strip(" ,;:.-—–")
        head = f"{head} … {selector}" if head else selector
    return head[:200]


# -- text repair ----------------------------------------------------------------------------

# "imprisonment which may extend to 1[ten years and fine ...]", "2[seven years]": the marks of
# an amendment (footnote number and brackets) around the amended words.
AMENDMENT_MARK = re.compile(r"(?<![\w\]\[])\d{1,2}\s?\[(?![\d\]])")
AMENDMENT_EMPTY = re.compile(r"\b\d{0,2}\[(?:\*|:|;|,|\s)*\]")
# "imprisonment for a term offive years": words run together in the scrape.
GLUED_OF = re.compile(r"\bof(?=(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fourteen|fifteen|"
                      r"twenty|thirty|life)\b)", _F)


def normalise(text: str) -> str:
    """The clause as the patterns read it: amendment marks, soft hyphens and run-together words
    repaired ("1[ten years]" -> "ten years", "upto" -> "up to", "offive" -> "of five")."""
    text = text.replace("\xad", "")
    text = AMENDMENT_EMPTY.sub(" ", text)
    if "[" in text:
        marked = AMENDMENT_MARK.sub("\x00", text)
        if "\x00" in marked:
            out, depth = [], 0
            for ch in marked:
                if ch == "\x00":
                    depth += 1
                    continue
                if ch == "]" and depth:
                    depth -= 1
                    continue
                out.append(ch)
            text = "".join(out)
    text = re.sub(r"\bupto\b", "up to", text, flags=_F)
    return GLUED_OF.sub("of ", text)


_TERMINAL = re.compile(r"[.;:!?]\s*$")
# "and", "or" left alone between two list items ("...five years;" / "and" / "(b) ...").
CONNECTOR = re.compile(r"^(?:and|or|and/or|but|then)\s*[;,.]?$", _F)


def join_wrapped(sentences: list[str], wheres: list[str]) -> tuple[list[str], list[str]]:
    """Join hard-wrapped lines: a line that starts in lower case continues the previous one
    ("... imprisonment for a term which may" / "extend to twenty-five years ...")."""
    out: list[str] = []
    where: list[str] = []
    for sentence, place in zip(sentences, wheres):
        if CONNECTOR.match(sentence.strip()):
            continue
        if out and sentence[:1].islower() and not _TERMINAL.search(out[-1]):
            out[-1] = f"{out[-1]} {sentence}"
            continue
        out.append(sentence)
        where.append(place)
    return out, where


# -- lists: a head that ends mid-phrase and the items that complete it -----------------------

# "is liable on conviction to imprisonment for a term—", "the penalty is imprisonment for a
# period not exceeding:", "shall be punishable,--", "a minimum punishment of imprisonment for a term of"
DANGLING_HEAD = re.compile(
    r"(?:—|–|--|-|:|,\s*_{2,}|_{2,}|\b(?:of|than|exceeding|to|for|by|with|term|period|be|liable|punishable|imprisonment)"
    r"\s*[—–:,-]*)\s*$",
    _F,
)
LIST_LABEL = re.compile(r"^\(?([a-zA-Z]{1,5}|\d{1,3}[A-Z]?)\)")
_ROMAN = re.compile(r"^(?:i|ii|iii|iv|v|vi|vii|viii|ix|x|xi|xii|xiii|xiv|xv)$")
# "(a) in the case of a first offence, three years;", "(a) ... Schedule 3--10 years; or": the
# term comes last, after the words that select it.
TRAILING_TERM = re.compile(
    r"(?:--|—|–|,|:)\s*(?P<pen>" + DURATION.replace("?P<", "?P<t") + r"|imprisonment\s+for\s+life|life)\s*[;.,]?\s*(?:or|and)?\s*$",
    _F,
)


def label_type(label: str) -> str:
    inner = label.strip("()")
    if inner.isdigit() or inner[:1].isdigit():
        return "1"
    if _ROMAN.match(inner):
        return "i"
    if _ROMAN.match(inner.lower()) and inner.isupper():
        return "I"
    return "A" if inner.isupper() else "a"


# "(b) The punishment for an offense under subsection (a) is—" (18 USC 1591): a head with no liability word.
PUNISHMENT_IS = re.compile(r"\b(?:punishment|penalty)\b[^.;]{0,80}?\bis\s*[—–:-]*\s*$", _F)


def _is_head(sentence: str) -> bool:
    if PUNISHMENT_IS.search(sentence):
        return True
    return bool(DANGLING_HEAD.search(sentence) and (LIABLE.search(sentence) or IMPRISONMENT.search(sentence)))


def _compose(heads: list[str], item: str) -> tuple[str, str]:
    """(text to read, condition) of a list item under its heads."""
    label = LIST_LABEL.match(item)
    body = item[label.end():].strip() if label else item
    lead = " ".join(re.sub(r"[\s—–:,_-]+$", "", h) for h in heads)
    selector = body
    if m := TRAILING_TERM.search(body):
        selector = body[: m.start()].strip()
        body = f"{m.group('pen')} {selector}"
    condition = _condition(heads[0])
    item_condition = re.sub(r"\s+", " ", ((label.group(0) + " ") if label else "") + selector).strip(" ,;:.")
    if TRAILING_TERM.search(item) is None:
        item_condition = _condition(item) or item_condition if _PUNISH_START.search(item) else item_condition
    # The item's own words select the tier; the head's ("Whoever, in contravention of ...") follow.
    condition = f"{item_condition} — {condition}" if condition else item_condition
    return f"{lead} {body}", condition[:240]


# -- tables -----------------------------------------------------------------------------------

TABLE_HEAD = re.compile(r"\b(?:in\s+accordance\s+with|set\s+out\s+in|specified\s+in)\s+the\s+(?:following\s+)?table\b", _F)
TABLE_CELL = re.compile(r"^(?:Life|Imprisonment\s+for\s+life|" + DURATION.replace("?P<", "?P<c") + r")\.?$", _F)


def _table_tiers(head: str, rows: list[str], where: str) -> list[PenaltyTier]:
    """One tier per cell of a penalty table printed cell by cell after its head."""
    tiers = []
    row_heading = ""
    for line in rows:
        cell = TABLE_CELL.match(line.strip())
        if not cell:
            row_heading = line.strip()
            continue
        life = line.strip().lower().endswith("life")
        months = None if life else to_months(cell.group("cnum"), cell.group("cunit"))
        tiers.append(PenaltyTier(
            condition=f"{_condition(head) or 'table'}: {row_heading}"[:200], max_months=months, life=life,
            evidence=f"{head.strip()} … {row_heading} {line.strip()}", where=where,
        ))
    return tiers


# -- derived penalties ------------------------------------------------------------------------

# "liable to the same punishment as if he had forged the thing", "to the penalty provided for the
# offence aided", "punishable with double the penalty provided for the latter offence": the
# penalty is that of another offence, which the words do not fix.
DERIVED = re.compile(
    r"\b(?:liable|punish(?:ed|able))\b[^.;]{0,60}?\b(?:(?:the\s+)?(?:same|like)\s+(?:punishment|penalt(?:y|ies)|manner)|"
    r"(?:the\s+)?(?:punishment|penalt(?:y|ies))\s+(?:as\s+)?(?:provided|prescribed|specified|applicable|to\s+which|authori[sz]ed|"
    r"determined|not\s+exceeding\s+the\s+penalty)|double\s+the\s+penalty|an?\s+(?:civil|administrative|pecuniary)\s+penalty|"
    r"(?:a\s+)?maximum\s+penalty\s+which\s+is|punishment\s+for\s+(?:each|both)\s+of|"
    r"for\s+the\s+offen[cs]e\s+for\s+which\s+the\s+lowest)"
    r"[^.;]{0,160}",
    _F,
)


def derived_penalty(sentences: Iterable[str]) -> str | None:
    """The words that set a penalty by that of another offence, when a provision has no tier."""
    sentences = list(sentences)
    for sentence in join_wrapped(sentences, [""] * len(sentences))[0]:
        if m := DERIVED.search(normalise(sentence)):
            return re.sub(r"\s+", " ", m.group(0)).strip()[:240]
    return None


def extract_tiers(sentences: Iterable[str], wheres: Iterable[str] | None = None) -> list[PenaltyTier]:
    """Tiers from the clauses of one provision, in order; repeated identical tiers are merged.

    `wheres` gives, for each clause, the label path of the subdivision it sits in ("(a)(1)"):
    a tier keeps it, so that a reference to "924(a)" can take the tiers of (a) only.
    """
    sentences = list(sentences)
    wheres = list(wheres) if wheres is not None else [""] * len(sentences)
    sentences, wheres = join_wrapped(sentences, wheres)
    readable = [normalise(s) for s in sentences]
    tiers: list[PenaltyTier] = []
    seen: set[tuple] = set()
    stack: list[list] = []  # [item type of its list or None, head text]
    skip_until = -1
    for i, (sentence, text) in enumerate(zip(sentences, readable)):
        if i <= skip_until:
            continue
        label = LIST_LABEL.match(text)
        kind = label_type(label.group(1)) if label else None
        while stack:
            if kind is not None and stack[-1][0] is None:
                stack[-1][0] = kind
                break
            if kind is not None and stack[-1][0] == kind:
                break
            stack.pop()
        is_item = bool(stack)
        followed_by_item = i + 1 < len(readable) and LIST_LABEL.match(readable[i + 1]) is not None
        if is_item:
            to_read, condition = _compose([h for _, h in stack], text)
        else:
            to_read, condition = text, None
        if TABLE_HEAD.search(to_read) and not read_terms(to_read)[1]:
            end = next((j for j in range(i + 1, len(readable)) if LIST_LABEL.match(readable[j])), len(readable))
            for tier in _table_tiers(to_read, readable[i + 1: end], wheres[i]):
                tiers.append(tier)
            skip_until = end - 1
            continue
        if _is_head(text) and followed_by_item:
            stack.append([None, text])
            continue
        context = " ".join(readable[max(0, i - 2): i])
        tier = read_tier(to_read, context)
        if tier is None:
            continue
        if condition is not None:
            tier.condition = condition
        tier.evidence = (" … ".join(h for _, h in stack) + " … " + sentence).strip() if is_item else sentence.strip()
        tier.death, tier.death_named = death_reading(tier.death or tier.death_named, tier.evidence)
        tier.where = wheres[i]
        key = (tier.min_months, tier.max_months, tier.life, tier.death, tier.death_named, tier.fine is not None, tier.mode,
               tier.condition)
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


def death_reading(names_death: bool, evidence: str) -> tuple[bool, bool]:
    """(sentences to death, names death only) for a clause in which the reader saw death
    (`names_death`): death is a sentence only where the words pass one, not where they name
    death as a condition or as the class of another offence (the module docstring lists both)."""
    sentenced = names_death and bool(DEATH_SENTENCE.search(DEATH_CONDITION.sub(" ", evidence)))
    return sentenced, names_death and not sentenced
