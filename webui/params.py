"""Request parameters, read and validated once for the pages and the JSON API alike.

Every value is bounded (length, range, known choices) and a bad one is a 400 naming the
parameter and what it must be; an unknown id in the path is a 404 (NotFound).
"""

from __future__ import annotations

import re

from flask import current_app, request
from werkzeug.exceptions import BadRequest

from harmonize import ids
from harmonize.errors import NotFound
from harmonize.index.hybrid import MODES

# A pasted provision: UNTOC art. 6(1) alone is ~450 characters, a whole section a few thousand;
# the index embeds at most 8 pieces of 1,000 characters (harmonize.index.hybrid.MAX_PIECES).
MAX_QUERY = 8000
MAX_PARAM = 200
MAX_PAGE = 1000
MAX_K = 100
ID_MAX = ids.MAX_LENGTH

COUNTRY = re.compile(r"^[A-Za-z]{2,3}$")
OBLIGATION_ID = re.compile(r"^[A-Z0-9]{2,8}:[0-9A-Za-z()]{1,40}$")


def data():
    """The app's cached data layer (webui.data.WebData)."""
    return current_app.extensions["harmonize"]


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


# -- what several routes ask for -----------------------------------------------------------

def query(required: bool = False) -> str | None:
    value = arg_str("q", max_len=MAX_QUERY)
    if value is None and required:
        raise bad("parameter 'q' is required")
    return value


def mode() -> str:
    return arg_str("mode", max_len=10, choices=MODES, default="hybrid")


def search_filters() -> dict:
    d = data()
    return {
        "country": arg_country("country", d.all_countries()),
        "instrument": arg_str("instrument", max_len=ID_MAX, choices=d.instrument_ids()),
        "topic": arg_str("topic", max_len=40, choices=d.topics()),
        "kind": arg_str("kind", max_len=20, choices=d.kinds),
    }


def convention(name: str = "convention") -> str | None:
    return arg_str(name, max_len=10, choices=data().convention_codes())


def alignment_filters(convention_name: str = "convention") -> dict:
    """convention (the pages' `convention`, the API's `instrument`), status and level."""
    d = data()
    return {
        "convention": convention(convention_name),
        "status": arg_str("status", max_len=10, choices=d.statuses),
        "level": arg_str("level", max_len=40, choices=d.levels),
    }


def category(name: str = "category", choices=None, default: str | None = None, required: bool = False) -> str | None:
    choices = choices or data().categories
    value = arg_str(name, max_len=60, choices=choices, default=default)
    if value is None and required:
        raise bad(f"parameter {name!r} is required (one of: {', '.join(choices)})")
    return value


def countries(name: str = "countries") -> list[str] | None:
    return arg_countries(name, data().countries())


def country_pair(required: bool = False) -> tuple[str | None, str | None]:
    """?requesting=&requested=: two different national countries, or (unless required) neither."""
    known = data().countries()
    requesting = arg_country("requesting", known, required=required)
    requested = arg_country("requested", known, required=required)
    if requesting and requested and requesting == requested:
        raise bad("the requesting and the requested country must differ")
    if bool(requesting) != bool(requested):
        raise bad("choose both a requesting and a requested country")
    return requesting, requested


# -- ids in the path -----------------------------------------------------------------------

def valid_provision_id(pid: str) -> bool:
    return ids.is_valid(pid)


def country_code(country: str) -> str:
    """A national country of the corpus from the path; NotFound otherwise."""
    code = country.upper()
    if not COUNTRY.match(country) or code not in data().countries():
        raise NotFound(f"no country {country!r} in the corpus")
    return code


def obligation(ob_id: str) -> dict:
    if len(ob_id) > 60 or not OBLIGATION_ID.match(ob_id):
        raise NotFound(f"no obligation with id {ob_id!r}")
    return data().obligation(ob_id)
