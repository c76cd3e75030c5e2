"""Numbers as statutes write them: digits, words ("fourteen", "twenty-five"), Indian lakh/crore.

Durations normalise to months: "ten years" -> 120, "six months" -> 6, "5 years less a day" -> 60
(the day is dropped, as the evaluation labels do).
"""

from __future__ import annotations

import re

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "a": 1, "an": 1,
}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
_SCALES = {"hundred": 100, "thousand": 1_000, "lakh": 100_000, "lakhs": 100_000, "million": 1_000_000,
           "crore": 10_000_000, "crores": 10_000_000, "billion": 1_000_000_000}

_ONES = "one|two|three|four|five|six|seven|eight|nine"
_SMALL = "|".join(sorted(_UNITS, key=len, reverse=True))
_TEN = "|".join(_TENS)
# A number in digits (with thousands separators) or in words ("twenty-five", "one hundred").
_WORDS = rf"(?:(?:{_TEN})(?:[- ](?:{_ONES}))?|{_SMALL})"
# Digits with comma or space thousands ("1,000,000", "N$1 000 000") or words, compound
# ones included ("one hundred twenty", "two hundred and fifty thousand").
NUMBER = (
    rf"\b(?:\d{{1,3}}(?:(?:,|\s)\d{{3}})+(?!\d)(?:\.\d+)?|\d[\d,]*(?:\.\d+)?|"
    rf"{_WORDS}(?:\s+(?:hundred|thousand|lakhs?|crores?)(?:\s+(?:and\s+)?(?!a\b|an\b){_WORDS}(?=\s+(?:hundred|thousand|million|lakhs?|crores?|[a-z]))"
    rf"(?:\s+(?:hundred|thousand|lakhs?|crores?))?)*)?)\b"
)
UNIT = r"(?:years?|months?|weeks?|days?)"
# "ten years", "6 months", "five years less a day", "2 years' imprisonment"
DURATION = rf"(?P<num>{NUMBER})\s*(?:\(\d+\)\s*)?(?P<unit>{UNIT})(?:'|’)?(?P<lessday>\s+less\s+(?:a|one)\s+day)?"


def parse_number(text: str) -> float | None:
    """'14' -> 14, '1,000,000' -> 1000000, 'twenty-five' -> 25, 'one lakh' -> 100000."""
    text = text.strip().lower().replace("-", " ")
    digits = re.sub(r"(?<=\d)[,\s](?=\d{3}\b)", "", text)
    if re.fullmatch(r"\d+(\.\d+)?", digits):
        return float(digits)
    total, current = 0.0, 0.0
    seen = False
    for word in text.split():
        if re.fullmatch(r"\d[\d,]*(\.\d+)?", word):
            current += float(word.replace(",", ""))
        elif word in _UNITS:
            current += _UNITS[word]
        elif word in _TENS:
            current += _TENS[word]
        elif word in _SCALES:
            current = (current or 1) * _SCALES[word]
            if _SCALES[word] >= 1000:
                total, current = total + current, 0.0
        elif word == "and":
            continue
        else:
            return None
        seen = True
    return total + current if seen else None


def to_months(number: str, unit: str) -> int | None:
    value = parse_number(number)
    if value is None:
        return None
    unit = unit.lower().rstrip("s")
    factor = {"year": 12.0, "month": 1.0, "week": 12 / 52, "day": 12 / 365}[unit]
    return max(0, round(value * factor)) if unit in ("year", "month") else round(value * factor, 2)
