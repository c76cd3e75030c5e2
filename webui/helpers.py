"""Small pure helpers: request parameter validation, snippets with highlighted terms, formatting.

Everything that builds HTML here escapes its input first (markupsafe.escape) and only then
adds its own tags, so statute text and queries never reach a page unescaped.
"""

from __future__ import annotations

import re

from flask import request
from markupsafe import Markup, escape
from werkzeug.exceptions import BadRequest

from harmonize import ids

MAX_QUERY = 500
MAX_PARAM = 200
MAX_PAGE = 1000
MAX_K = 100
ID_MAX = ids.MAX_LENGTH

COUNTRY = re.compile(r"^[A-Za-z]{2,3}$")
OBLIGATION_ID = re.compile(r"^[A-Z0-9]{2,8}:[0-9A-Za-z()]{1,40}$")


def bad(message: str) -> BadRequest:
    return BadRequest(description=message)


def arg_str(name: str, max_len: int = MAX_PARAM, choices=None, default: str | None = None) -> str | None:
    """A query-string value, stripped; None (or default) when absent or empty; 400 when too long or not a choice."""
    values = request.args.getlist(name)
    if len(values) > 1:
        raise bad(f"parameter {name!r} given {len(values)} times")
    value = values[0].strip() if values else ""
    if not value:
        return default
    if len(value) > max_len:
        raise bad(f"parameter {name!r} is too long ({len(value)} characters, at most {max_len})")
    if "\x00" in value:
        raise bad(f"parameter {name!r} contains a NUL character")
    if choices is not None and value not in choices:
        shown = ", ".join(list(choices)[:30])
        raise bad(f"parameter {name!r} must be one of: {shown}")
    return value


def arg_int(name: str, default: int, low: int, high: int) -> int:
    raw = arg_str(name, max_len=12)
    if raw is None:
        return default
    if not re.fullmatch(r"[+-]?\d+", raw):
        raise bad(f"parameter {name!r} must be an integer, not {raw!r}")
    value = int(raw)
    if not low <= value <= high:
        raise bad(f"parameter {name!r} must be between {low} and {high}, got {value}")
    return value


def arg_country(name: str, known: list[str], required: bool = False) -> str | None:
    value = arg_str(name, max_len=3)
    if value is None:
        if required:
            raise bad(f"parameter {name!r} is required (one of: {', '.join(known)})")
        return None
    if not COUNTRY.match(value) or value.upper() not in known:
        raise bad(f"parameter {name!r}: unknown country {value!r}; one of: {', '.join(known)}")
    return value.upper()


def arg_countries(name: str, known: list[str]) -> list[str] | None:
    """Comma-separated countries (?countries=IND,CAN) or a repeated parameter (?country=IND&country=CAN)."""
    raw = request.args.getlist(name)
    if not raw:
        return None
    if sum(len(r) for r in raw) > 400:
        raise bad(f"parameter {name!r} is too long")
    codes = [c.strip().upper() for r in raw for c in r.split(",") if c.strip()]
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise bad(f"parameter {name!r}: unknown countries {', '.join(unknown[:5])}; known: {', '.join(known)}")
    return list(dict.fromkeys(codes)) or None


def valid_provision_id(pid: str) -> bool:
    return ids.is_valid(pid)


# -- text ------------------------------------------------------------------------------------

def terms_pattern(terms: list[str]) -> re.Pattern | None:
    words = sorted({t.strip() for t in terms if t and t.strip() and len(t.strip()) <= 60}, key=len, reverse=True)
    if not words:
        return None
    return re.compile(r"(?<!\w)(" + "|".join(re.escape(w) for w in words[:40]) + r")(?!\w)", re.I)


def highlight(text: str, terms: list[str]) -> Markup:
    """`text` escaped, each matched term wrapped in <mark>."""
    pattern = terms_pattern(terms)
    if pattern is None:
        return Markup(escape(text))
    out = []
    last = 0
    for m in pattern.finditer(text):
        out.append(str(escape(text[last:m.start()])))
        out.append("<mark>" + str(escape(m.group(0))) + "</mark>")
        last = m.end()
    out.append(str(escape(text[last:])))
    return Markup("".join(out))


def snippet(text: str, terms: list[str], width: int = 320) -> Markup:
    """A window of `text` around the densest cluster of matched terms, highlighted and escaped."""
    flat = " ".join((text or "").split())
    if len(flat) <= width:
        return highlight(flat, terms)
    pattern = terms_pattern(terms)
    start = 0
    if pattern is not None:
        positions = [m.start() for m in pattern.finditer(flat)]
        if positions:
            # the window that holds the most matches
            best, best_count, j = positions[0], 0, 0
            for i, pos in enumerate(positions):
                while positions[j] < pos - width + 60:
                    j += 1
                if i - j + 1 > best_count:
                    best_count, best = i - j + 1, positions[j]
            start = max(0, best - 60)
    end = min(len(flat), start + width)
    start = max(0, end - width)
    if start > 0:  # begin on a word
        space = flat.find(" ", start)
        start = space + 1 if 0 <= space < start + 20 else start
    piece = flat[start:end]
    if end < len(flat):
        cut = piece.rfind(" ")
        piece = piece[:cut] if cut > width // 2 else piece
    body = highlight(piece, terms)
    return Markup(("… " if start > 0 else "") + str(body) + (" …" if end < len(flat) else ""))


def months(value) -> str:
    """12 -> '1 year', 18 -> '18 months', None -> '–'."""
    if value is None:
        return "–"
    value = float(value)
    if value >= 12 and value % 12 == 0:
        years = int(value // 12)
        return f"{years} year{'s' if years != 1 else ''}"
    return f"{value:g} month{'s' if value != 1 else ''}"


def source_name(source: str) -> str:
    """A corpus path as a short name: "national/IND/ndps-act-1985.xml" -> "ndps-act-1985"."""
    return source.rsplit("/", 1)[-1].rsplit(".", 1)[0]


def percent(value) -> str:
    return "–" if value is None else f"{value * 100:.0f}%"


def tri(value) -> str:
    """true / false / null as a committee reads them."""
    return "yes" if value is True else "no" if value is False else "unknown"


def fine_text(fine: dict | None) -> str:
    if not fine:
        return ""
    parts = []
    cur = f" {fine['currency']}" if fine.get("currency") else ""
    if fine.get("min_amount") is not None:
        parts.append(f"at least {fine['min_amount']:,.0f}{cur}")
    if fine.get("max_amount") is not None:
        parts.append(f"up to {fine['max_amount']:,.0f}{cur}")
    if fine.get("multiple") is not None:
        parts.append(f"{fine['multiple']:g} × value")
    return "fine " + ", ".join(parts) if parts else "fine"
