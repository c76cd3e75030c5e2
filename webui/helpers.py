"""Small pure helpers for the templates: snippets with highlighted terms, formatting.

Everything that builds HTML here escapes its input first (markupsafe.escape) and only then
adds its own tags, so statute text and queries never reach a page unescaped.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

from harmonize.model import Fine

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


RTL_LANGUAGES = ("ar", "fa", "ur", "he")


def lang_attrs(language: str | None) -> Markup:
    """` lang="bn"` / ` lang="ar" dir="rtl"` for text in another language than the page's English."""
    if not language or language == "en":
        return Markup("")
    code = escape(language)
    return Markup(f' lang="{code}" dir="rtl"' if language in RTL_LANGUAGES else f' lang="{code}" dir="ltr"')


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


def percent(value) -> str:
    return "–" if value is None else f"{value * 100:.0f}%"


def tri(value) -> str:
    """true / false / null as a committee reads them."""
    return "yes" if value is True else "no" if value is False else "unknown"


def fine_text(fine: Fine | None) -> str:
    if not fine:
        return ""
    parts = []
    cur = f" {fine.currency}" if fine.currency else ""
    if fine.min_amount is not None:
        parts.append(f"at least {fine.min_amount:,.0f}{cur}")
    if fine.max_amount is not None:
        parts.append(f"up to {fine.max_amount:,.0f}{cur}")
    if fine.multiple is not None:
        parts.append(f"{fine.multiple:g} × value")
    return "fine " + ", ".join(parts) if parts else "fine"
