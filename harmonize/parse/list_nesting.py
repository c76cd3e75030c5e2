"""Re-nesting of lettered and numbered clauses that a source flattened into one list.

Indian statutes number their units in a fixed ladder of styles:

    (1), (1A), (2)          sub-sections             style "arabic"
    (a), (aa), (ha), (za)   clauses                  style "alpha"
    (i), (iva), (viiib)     sub-clauses              style "roman"
    (A), (B), ( C)          items                    style "upper"
    (First), (Exception)    IPC-style word labels    style "word"

Both Indian sources lose the nesting of these ladders in places: the Akoma Ntoso files put
the (a)-(c) of a definition "(iii) "cannabis (hemp)" means—" in the same <blockList> as
(i)-(vi), and the nyaaya Markdown writes every label on its own line. `LabelNester` rebuilds
the tree from the labels alone. For each new label, in this order:

- it continues the deepest open level whose last label it directly follows ("(iv)" after
  "(iii)(c)" closes the (a)-(c) level and becomes a sibling of "(iii)"; "(ha)" follows "(h)");
- unless it starts a list ("(1)", "(a)", "(i)", "(A)") right after text that introduces one
  ("means—", "namely:--", "shall be punishable,--", "includes—"): then it opens a level under
  the previous unit ("(viiib) ... means- (i) ...");
- a later label of an open style continues that level despite a gap ("(da)" -> "(dc)");
- a new style after an introducing text opens a level under the previous unit;
- otherwise the new style replaces the style of the current level (the list simply started
  mid-way, as in a definitions list split over several <blockList>s).

"(i)", "(v)", "(x)" are letters when they continue an open alphabetic level ("(h)" -> "(i)")
and Roman numerals otherwise.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from harmonize.model import Provision
from harmonize.parse.base import bare_label

# Roman numerals up to xxxix, with an inserted-clause suffix ("iva", "viiib"). "(l)" and
# "(c)" stay letters: no Indian list runs to fifty sub-clauses.
ROMAN_LABEL = re.compile(r"^(?=[ivx])(x{0,3})(ix|iv|v?i{0,3})([a-z]{0,2})$")
ROMAN_VALUES = {"i": 1, "v": 5, "x": 10}
# Text that ends by introducing a list: "means—", "namely:--", "punishable,--", "following:".
INTRODUCES_LIST = re.compile(r"(—|–|-|:|namely,?)\s*$")

# The kind a unit gets under a parent of each kind (the first level under a section is the
# paragraph; (1)-style units directly under a section are sub-sections).
CHILD_KIND = {
    "section": "paragraph",
    "subsection": "paragraph",
    "paragraph": "subparagraph",
    "subparagraph": "clause",
    "clause": "clause",
    "schedule": "paragraph",
}


def clean_label(label: str) -> str:
    """"( A)" -> "A", "(1)" -> "1": the label with brackets and stray spaces removed."""
    return bare_label(label).replace(" ", "")


def roman_value(bare: str) -> int | None:
    """Value of the Roman part of "viiib" (8), or None when the label is not Roman."""
    match = ROMAN_LABEL.match(bare)
    if not match or not bare:
        return None
    numeral = "".join(match.groups()[:2])
    if not numeral:
        return None
    total = 0
    for i, ch in enumerate(numeral):
        value = ROMAN_VALUES[ch]
        nxt = ROMAN_VALUES[numeral[i + 1]] if i + 1 < len(numeral) else 0
        total += -value if value < nxt else value
    return total


def follows_alpha(last: str, new: str) -> bool:
    """True when `new` can come right after `last` in an alphabetic list.

    "a"->"b", "h"->"ha" (inserted clause), "ha"->"hb", "ha"->"i" (back to the main run),
    "z"->"za".
    """
    if not (last.isalpha() and new.isalpha() and last.islower() and new.islower()):
        return False
    if len(new) == len(last) and new[:-1] == last[:-1] and ord(new[-1]) == ord(last[-1]) + 1:
        return True
    if new.startswith(last) and len(new) == len(last) + 1:
        return True
    return len(new) == 1 and ord(new) == ord(last[0]) + 1


def follows_roman(last: str, new: str) -> bool:
    """True when `new` can come after `last` in a Roman list ("iii"->"iiia"->"iv"->"iva")."""
    last_value, new_value = roman_value(last), roman_value(new)
    if last_value is None or new_value is None:
        return False
    if new_value == last_value + 1:
        return True
    return new_value == last_value and new > last and new.startswith(last.rstrip("abcdefgh")) and new != last


def follows_arabic(last: str, new: str) -> bool:
    """"1"->"2", "1"->"1A", "1A"->"1B", "1A"->"2"."""
    a, b = re.fullmatch(r"(\d+)([A-Z]*)", last), re.fullmatch(r"(\d+)([A-Z]*)", new)
    if not a or not b:
        return False
    (n1, s1), (n2, s2) = (int(a[1]), a[2]), (int(b[1]), b[2])
    if n2 == n1 + 1 and not s2:
        return True
    return n2 == n1 and s2 > s1 and len(s2) <= len(s1) + 1


def follows_upper(last: str, new: str) -> bool:
    return len(last) == len(new) == 1 and last.isupper() and new.isupper() and ord(new) == ord(last) + 1


def follows(style: str, last: str, new: str) -> bool:
    """True when label `new` directly continues a level of `style` whose last label is `last`."""
    check = {"alpha": follows_alpha, "roman": follows_roman, "arabic": follows_arabic, "upper": follows_upper}
    return style in check and check[style](last, new)


def comes_later(style: str, last: str, new: str) -> bool:
    """True when `new` sorts after `last` in a list of `style` (gaps allowed)."""
    if not last:
        return False
    if style == "roman":
        return (roman_value(new) or 0) > (roman_value(last) or 0)
    if style == "arabic":
        a, b = re.match(r"\d+", last), re.match(r"\d+", new)
        return bool(a and b) and int(b.group()) > int(a.group())
    if style in ("alpha", "upper"):
        return new[0] > last[0] or (new[0] == last[0] and new > last)
    return False


def continues_list(label: str, next_label: str) -> bool:
    """True when `next_label` is a later member of `label`'s own list ("(da)" then "(dc)"),
    so a source that nested it under `label` got the nesting wrong."""
    a, b = clean_label(label), clean_label(next_label)
    style = label_style(a)
    return label_style(b) == style and not starts_list(b) and comes_later(style, a, b)


def starts_list(bare: str) -> bool:
    return bare in ("1", "a", "i", "A")


def label_style(bare: str) -> str:
    """The style of a label on its own, without context."""
    if re.fullmatch(r"\d+[A-Z]{0,4}", bare):
        return "arabic"
    if roman_value(bare) is not None:
        return "roman"
    if re.fullmatch(r"[a-z]{1,3}", bare):
        return "alpha"
    if re.fullmatch(r"[A-Z]{1,3}", bare):
        return "upper"
    return "word"


@dataclass
class _Level:
    style: str
    parent: Provision  # the unit the members of this level hang under
    last_label: str = ""
    last_unit: Provision | None = None


class LabelNester:
    """Decides the parent of each labelled unit of one section (or item) from the label style."""

    def __init__(self, owner: Provision, own_text: Callable[[Provision], str]):
        self.owner = owner
        self.own_text = own_text
        self.levels: list[_Level] = []
        self._current: _Level | None = None
        self._bare = ""

    def parent_for(self, label: str, opens_list: bool = False) -> Provision:
        """The parent the unit labelled `label` goes under; call `added` with the new unit next.

        `opens_list` says the source itself nests this label under the previous unit (a
        Markdown bullet), whatever the previous text says.
        """
        bare = clean_label(label)
        self._bare = bare
        style = label_style(bare)
        intro = opens_list or self._previous_introduces_list()
        continued = self._level_continued_by(bare)
        if continued is not None and not (intro and starts_list(bare)):
            return self._close_to(continued)
        same_style = [d for d, level in enumerate(self.levels) if level.style == style]
        later = [d for d in same_style if comes_later(style, self.levels[d].last_label, bare)]
        if later and not starts_list(bare):
            return self._close_to(later[-1])  # a gap in the numbering ("(da)" -> "(dc)")
        if not self.levels:
            self._current = _Level(style, self.owner)
            self.levels.append(self._current)
        elif intro:
            # "(viiib) ... means- (i) ..." or "(iii) ... means— (a) ...": a list inside the unit.
            self._current = _Level(style, self.levels[-1].last_unit or self.owner)
            self.levels.append(self._current)
        elif same_style:
            return self._close_to(same_style[-1])  # a gap in the numbering: same level
        else:
            # The list started mid-way: same level, new style.
            self._current = self.levels[-1]
            self._current.style = style
        return self._current.parent

    def _level_continued_by(self, bare: str) -> int | None:
        """The deepest open level whose last label `bare` directly follows."""
        for depth in range(len(self.levels) - 1, -1, -1):
            level = self.levels[depth]
            if level.last_label and follows(level.style, level.last_label, bare):
                return depth
        return None

    def _close_to(self, depth: int) -> Provision:
        del self.levels[depth + 1 :]
        self._current = self.levels[depth]
        return self._current.parent

    def added(self, unit: Provision) -> None:
        assert self._current is not None, "parent_for must be called before added"
        self._current.last_unit = unit
        self._current.last_label = self._bare

    def return_to(self, unit: Provision) -> None:
        """Close the levels opened under `unit`: the text went back to it ("and includes—")."""
        for depth, level in enumerate(self.levels):
            if level.last_unit is unit:
                del self.levels[depth + 1 :]
                return

    def kind_for(self, label: str, parent: Provision) -> str:
        """Sub-section for (1)-style labels right under a section, else by the parent's kind."""
        if parent.kind == "section" and label_style(clean_label(label)) == "arabic":
            return "subsection"
        return CHILD_KIND.get(parent.kind, "clause")

    def _previous_introduces_list(self) -> bool:
        last = self.levels[-1].last_unit if self.levels else None
        if last is None:
            return False
        text = self.own_text(last)
        return not text or bool(INTRODUCES_LIST.search(text))
