"""Citation lookup: a query that cites a provision is answered with that provision, exactly.

Drafters look provisions up by citation. The forms read (found in the corpus' own cross
references and in how the sources cite themselves):

- a section or article number alone: ``302.4``, ``279.01``, ``27A``, ``s. 279.01``,
  ``section 21``, ``sec. 21``, ``§ 1591``, ``art. 6``, ``article 3(1)(a)``, ``s 6``, ``ss. 5``;
- with the Act first or last, named by its title words (``Misuse of Drugs Act 1975 s 6``,
  ``section 8 of the Controlled Drugs and Substances Act``, ``Penal Code s 377``), by an
  abbreviation (``NDPS s.21``, ``CDSA s. 5``, ``IRPA 117``, ``UNTOC art. 5``, ``IPC 370``),
  or by a word of the file name (``pmla s 3``);
- United States Code: ``21 USC 841``, ``21 U.S.C. § 841(a)(1)``, ``18 U.S.C. 1591``: the
  title number picks the chapters of that title;
- subsections as printed: ``s.21(1)``, ``6(1)(a)``: the section is the unit found, the
  service then opens the subsection when the store has it (``refine``);
- a provision id: ``IND/ndps-act-1985/sec-21`` (or one of its sub-units).

Abbreviations are built from the titles themselves, never listed by hand: the initials of
the main title (the title up to its Act/Code/Convention word, with bracketed words kept:
"Unlawful Activities (Prevention) Act" → UAPA), with and without the function words
("against": UNCAC) and with and without the closing Act/Convention word (NDPS and NDPSA);
upper-case words the title carries ("(TVPA)"); the words of the file name (``pmla``,
``uapa``); and aliases the caller passes (the catalogue's convention codes: UN1988, TIP).

An Act named in the query must be recognised (an abbreviation, or at least half of its
distinctive words); a year in the query must be the Act's year. Among equally good
matches the order is: the named Act, official markup over a rendering of the same law (see
``harmonize.model.MARKUP_FORMATS``), then corpus order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from harmonize import ids
from harmonize.model import MARKUP_FORMATS

NUMBER = r"\d+[A-Za-z]{0,3}(?:\.\d+[A-Za-z]{0,2})*(?:-[A-Z]{1,2})?"
SUB = r"(?:\s?\([0-9A-Za-z]{1,6}\))*"
MARKER = (r"(?:ss?\.|sections?\b|secs?\.?|§§?|arts?\.|articles?\b|regs?\.|regulations?\b|rules?\b|r\.|cl\.|"
          r"clauses?\b|s(?=\s*\d)|art(?=\s*\d))")
USC = re.compile(
    rf"^(?P<pre>.*?)\b(?P<title>\d{{1,2}})\s*U\.?\s?S\.?\s?C\.?(?:\s?A\.?)?\s*(?:§§?|ss?\.|sec(?:tion)?\.?)?\s*"
    rf"(?P<num>\d+[a-z]?(?:-\d+)?)(?P<sub>{SUB})(?P<post>.*)$", re.I)
MARKED = re.compile(rf"^(?P<pre>.*?)(?:^|\s|,|\b)(?P<marker>{MARKER})\s*(?P<num>{NUMBER})(?P<sub>{SUB})(?P<post>.*)$", re.I)
BARE = re.compile(rf"^\s*(?P<num>{NUMBER})(?P<sub>{SUB})\s*$")
# "IRPA 117", "Penal Code 377": an Act then a number and nothing after
TRAILING = re.compile(rf"^(?P<pre>.*[A-Za-z].*?)\s+(?P<num>{NUMBER})(?P<sub>{SUB})\s*$")
YEAR = re.compile(r"^(1[6-9]|20)\d\d$")

FUNCTION_WORDS = frozenset("a an and against at by for from in into of on or the to with within".split())
CLOSING_WORDS = ("act", "convention", "protocol", "ordinance", "code", "treaty", "law", "decree-law")
# Words too common in titles to identify an Act on their own.
GENERIC = frozenset("act acts code law laws ordinance convention protocol treaty no chapter cap the of and".split())
ARTICLE_MARKERS = ("art", "arts", "article", "articles")


@dataclass
class Citation:
    """What a citing query names."""

    number: str  # the section or article number as printed: "21", "279.01", "841"
    sub: str = ""  # "(1)(a)" when the query names a subsection
    act: str = ""  # the words naming the Act, "" when none
    usc_title: str = ""  # "21" in "21 USC 841"
    article: bool | None = None  # True for art./article, False for s./section, None when unsaid
    provision_id: str = ""  # a provision id typed as such

    @property
    def printed(self) -> str:
        return f"{self.number}{self.sub}"


def parse(query: str) -> Citation | None:
    """The citation a query makes, None when it makes none (see the module docstring)."""
    q = " ".join(query.split())
    if not q or len(q) > 200:
        return None
    if ids.is_valid(q) and "/" in q and q.count("/") >= 2:
        return Citation(number="", provision_id=q)
    m = USC.match(q)
    if m and not m.group("post").strip(" .,;"):
        return Citation(number=m.group("num"), sub=_sub(m.group("sub")), act=_act(m.group("pre")),
                        usc_title=m.group("title"), article=False)
    m = MARKED.match(q)
    if m:
        pre, post = m.group("pre"), m.group("post")
        post = re.sub(r"^\s*(?:,|of)?\s*(?:the\s+)?", "", post, flags=re.I)
        act = _act(" ".join(x for x in (pre, post) if x.strip()))
        marker = m.group("marker").lower().rstrip(".")
        return Citation(number=m.group("num"), sub=_sub(m.group("sub")), act=act,
                        article=marker in ARTICLE_MARKERS if marker not in ("§", "§§") else None)
    m = BARE.match(q)
    if m and not YEAR.match(m.group("num")):
        return Citation(number=m.group("num"), sub=_sub(m.group("sub")))
    m = TRAILING.match(q)
    if m and not YEAR.match(m.group("num")) and _act(m.group("pre")):
        return Citation(number=m.group("num"), sub=_sub(m.group("sub")), act=_act(m.group("pre")))
    return None


def _sub(text: str) -> str:
    return text.replace(" ", "")


def _act(text: str) -> str:
    return " ".join(text.strip(" ,;:.").split())


def main_title(title: str) -> str:
    """The title up to its closing Act/Code/Convention word (bracketed words inside kept: "Unlawful
    Activities (Prevention) Act"), unless that word goes on ("Convention against ..."); else up
    to the first comma, bracket, dash or year."""
    for m in re.finditer(r"[\w-]+", title):
        if m.group(0).lower() in CLOSING_WORDS and not re.match(r"\s+(?:against|on|of|for|in|to)\b", title[m.end():]):
            return title[: m.end()]
    cut = re.search(r",|\s\(|\s\[|\s-\s|\s(?:1[6-9]|20)\d\d\b", title)
    return title[: cut.start()] if cut else title


def acronyms(title: str) -> set[str]:
    """Initialisms of an instrument's title and the upper-case words it carries."""
    return initialisms(title) | carried(title)


def carried(title: str) -> set[str]:
    """Upper-case words of a title ("(TVPA)"), not Roman numerals nor codes with digits."""
    return {w for w in re.findall(r"\b[A-Z][A-Z]{1,7}\b", title) if not re.fullmatch(r"[IVXLCDM]+", w)}


def initialisms(title: str) -> set[str]:
    """The initials of the main title, with and without function words and the closing word."""
    words = re.findall(r"[A-Za-z]+", main_title(title).replace("-", " "))
    out: set[str] = set()
    if not words:
        return out
    closing = words[-1].lower() in CLOSING_WORDS

    def initials(ws):
        return "".join(w if (w.isupper() and len(w) <= 3) else w[0] for w in ws).upper()

    content = [w for w in words if w.lower() not in FUNCTION_WORDS]
    for ws in (words, content):
        for variant in (ws, ws[:-1] if closing else ws):
            if len(variant) >= 2:
                out.add(initials(variant))
    return {a for a in out if len(a) >= 2}


def words_of(text: str) -> list[str]:
    return [w.lower() for w in re.findall(r"[A-Za-z]+|\d+", text)]


@dataclass
class _Inst:
    id: str
    country: str
    title: str
    year: int | None
    format: str
    acronyms: frozenset[str]  # its own: initialisms of the title, file-name words, aliases
    carried: frozenset[str]  # upper-case words of the title ("(UNTOC Protocol)" names another)
    words: frozenset[str]


class CitationIndex:
    """Number → units, and what names each instrument; built from the index's units."""

    def __init__(self, instruments: list[dict], rows: list, aliases: dict[str, list[str]] | None = None):
        aliases = aliases or {}
        self.instruments: list[_Inst] = []
        for inst in instruments:
            title = inst.get("title") or inst["id"]
            stem = ids.ProvisionId.parse(inst["id"]).stem
            names = initialisms(title) | {a.upper() for a in aliases.get(inst["id"], [])}
            stem_words = {w for w in words_of(stem.replace("-", " ")) if not w.isdigit()}
            names |= {w.upper() for w in stem_words if 2 <= len(w) <= 6 and w not in GENERIC and not _is_word(w, title)}
            self.instruments.append(_Inst(
                id=inst["id"], country=inst.get("country", ""), title=title, year=inst.get("year"),
                format=inst.get("format", ""), acronyms=frozenset(names), carried=frozenset(carried(title) - names),
                words=frozenset(words_of(title)) | frozenset(stem_words)))
        self.by_number: dict[str, list[int]] = {}
        self.rows = rows
        for i, row in enumerate(rows):
            self.by_number.setdefault(str(row[3]).lower(), []).append(i)
        self.row_of = {row[0]: i for i, row in enumerate(rows)}

    def act_score(self, inst: _Inst, act: str) -> float:
        """How well the query's Act words name ``inst``: the share of its distinctive words (not
        "Act", "Code", years) that are an abbreviation of the instrument (1; 0.8 for an
        abbreviation its title only carries), a word of its title or file name (1); a year that is
        not the Act's halves it."""
        if not act:
            return 0.0
        words = words_of(act.replace("/", " "))
        distinct = [w for w in words if w not in GENERIC and not YEAR.match(w)]
        stems = {_stem(x) for x in inst.words}
        score = 0.0
        if distinct:
            got = 0.0
            for w in distinct:
                up = w.upper()
                if up in inst.acronyms or w in inst.words or _stem(w) in stems:
                    got += 1.0
                elif up in inst.carried:
                    got += 0.8
            whole = re.sub(r"[^A-Za-z]", "", act).upper()  # "AML/CFT" -> AMLCFT
            if len(distinct) > 1 and whole in inst.acronyms:
                got = len(distinct)
            score = got / len(distinct)
        years = [int(w) for w in words if YEAR.match(w)]
        if not distinct and years and any(w in inst.words for w in words if w in CLOSING_WORDS):
            score = 0.6  # "the 1988 Convention": a year and the kind of instrument
        if years and inst.year not in years and not any(str(y) in inst.title for y in years):
            score *= 0.5
        return score

    def resolve(self, citation: Citation, allowed=None, limit: int = 20) -> list[str]:
        """Unit ids the citation names, best first; ``allowed(row) -> bool`` applies the filters."""
        if citation.provision_id:
            pid = citation.provision_id
            for candidate in (pid, ids.section_of(pid)):  # the unit itself, else the section that holds it
                row = self.row_of.get(candidate) if candidate else None
                if row is not None and (allowed is None or allowed(row)):
                    return [self.rows[row][0]]
            return []
        rows = self.by_number.get(citation.number.lower(), [])
        if allowed is not None:
            rows = [r for r in rows if allowed(r)]
        if citation.article is not None:
            wanted = "article" if citation.article else "section"
            kind_rows = [r for r in rows if self.rows[r][2] == wanted]
            rows = kind_rows or rows
        if citation.usc_title:
            prefix = f"{citation.usc_title} u.s.c."
            rows = [r for r in rows if self.instruments[self.rows[r][1]].title.lower().startswith(prefix)]
        scored = []
        for r in rows:
            inst = self.instruments[self.rows[r][1]]
            score = self.act_score(inst, citation.act) if citation.act else 0.0
            scored.append((r, score, inst))
        if citation.act and not citation.usc_title:
            best = max((s for _, s, _ in scored), default=0.0)
            if best < 0.5:
                return []
            scored = [x for x in scored if x[1] >= best - 1e-9]
        scored.sort(key=lambda x: (-x[1], x[2].format not in MARKUP_FORMATS, x[0]))
        return [self.rows[r][0] for r, _, _ in scored[:limit]]


def _is_word(word: str, title: str) -> bool:
    return word in words_of(title)


def _stem(word: str) -> str:
    return re.sub(r"(?:ies|es|s|ing|ed)$", "", word) if len(word) > 4 else word
