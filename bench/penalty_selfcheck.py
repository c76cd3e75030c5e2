"""Whole-corpus penalty self-check that needs no labels: do penalty provisions yield a tier?

Usage: python bench/penalty_selfcheck.py [--data DIR] [--out FILE] [--country ISO3]

Reads every section/article of the English national statutes in the store (after
`harmonize ingest`) and sorts them in three steps:

1. Candidates: the text has a punishment word: imprison*, fine(d), liable, punishable,
   punished, punishment, sentence(d), penalty unit(s), death.
2. Penalty provisions: candidates with at least one *sentencing clause*. A sentencing clause
   is a clause (text between ';', '.', ':' or a line break) in which a liability phrase
   ("liable", "punishable", "punished", "sentenced", "shall be fined", "Penalty:", "the penalty
   is/for") is followed within twelve words by a punishment noun (imprisonment, imprisoned,
   fine, death, penalty, punishment, penalty units, caning, whipping, custody, life, a term,
   a number of years or months). Not sentencing clauses, and so not counted:
     - a definition: the clause defines a term ('"fine" includes ...'), or the provision is
       a definitions/interpretation section;
     - a description of other offences or persons by their punishment: "an offence
       punishable with imprisonment for 12 months or more", "a person who has been sentenced
       to imprisonment", "serving a sentence" (extradition thresholds, "serious offence"
       definitions, procedure after sentence): "an offence listed in section 469 that is punishable
       by 14 years or more", "a crime punishable by imprisonment for a term exceeding one year", "is
       convicted ... and sentenced to imprisonment", "a statement of the maximum punishment for
       which the person would be liable", "where in this Code it is provided that any person shall
       be liable to undergo corporal punishment", "provides for a penalty for the offence that
       differs from ...";
     - a negation or exemption: "is not liable to punishment", "shall not be punished twice",
       "nothing ... shall render any such person liable to any punishment if he proves ...",
       "might tend to incriminate the person or make the person liable to a penalty", "liable to
       punishment under this Code and not otherwise" (the Code's reach, no punishment named);
     - a liability that is not to punishment: "liable to be detained", "liable for deportation",
       "liable to serve the sentence", "liable to pay a penalty" (collection), "liable to vest";
     - a provision that amends another enactment ("Amendment of Cap 9:24");
     - a procedural power with no liability phrase: "the court may impose a fine", "liable
       to forfeiture / arrest / be surrendered" (no punishment noun follows).
   Candidates without a sentencing clause are *excluded*; each is listed with its reason.
3. Of the penalty provisions, how many have at least one penalty tier in their stored
   facts ("tier"), how many only a recorded reference to where the penalty is set that
   the corpus cannot resolve (a missing schedule, "the same penalty as the principal
   offence": "reference"), and the rest ("miss"), which are listed in --out for reading.

Prints one line per country and the total. The rule above is independent of the extractor:
it looks for a liability phrase near a punishment noun, not for terms or amounts.

What remains (whole corpus, 2026-12-01, after the pen3 work): 4105 penalty provisions, 4038 with a
tier (98.4%), 67 with a reference only (100.0% together), 0 misses. Before: 4068, 3975 (97.7%), 73
references, 20 misses. Hard-wrapped lines are joined before the clauses are cut, as the reader joins
them ("... shall be punished with imprisonment of either description for a term which may" / "extend to
three years", PAK): 70 Pakistani provisions that the rule could not see are now counted (all but a few
with a tier). The 20 misses, each read, were not penalty provisions and are now told by the
rule above (each phrasing is in DESCRIBED, NEGATED, SUPPOSED or DEFINITIONS_HEADING): privilege clauses
("no person shall under any circumstances be liable to punishment", MWI/UGA/ZMB Penal Codes), extradition
requests and lists ("the maximum punishment for which the person concerned would on conviction be
liable", "is required to be sentenced or to undergo punishment", ZWE Extradition Act ss.4, 14, 16), rules
about sentences or classes of offences ("In every case in which an offender is punishable", "described ...
as being punishable with imprisonment for a specified term", "where in this Code it is provided that any
person shall be liable to undergo corporal punishment", "the word "offence" has the same meaning when"),
persons described by a liability ("if he or she is liable, on summary conviction, to imprisonment",
"If a person is or may be liable to more than 1 civil penalty", "having committed a compliance order
violation ... and being liable to a penalty for it", "it is likely that the person shall be sentenced",
"is not sentenced"), savings ("Nothing in this Act shall ... prevent any person ... from being liable
under such other law"), "punishable under an Act of Parliament by a maximum term", "a violation ...
punishable by more than one year's imprisonment", "dealt with in the same manner as if sentenced to simple
imprisonment until the diyat is paid", and a "Dictionary". Two provisions that had a tier
are no longer counted, rightly: IND IPC s.53A (a rule of construction) and SGP Penal Code s.40 (a
definition). Gained: SGP TSOF Act s.6B ("the same punishment as for the offence under section 3, 4, 5
or 6", those sections taking theirs from s.6A). The 67 references left are penalties no reading can turn
into a figure, and each record says why (`PenaltyFacts.unread`): the abetment, attempt and
principal-offender rules of the penal codes ("punished with the punishment provided for the offence",
"liable to the same punishment as if he had himself done the act", IND/PAK/SGP Penal Code ss.108-113,
MWI/TZA/UGA/ZMB Penal Codes "Principal offenders"), accessory sections of the special Acts ("liable, upon
conviction, to the same penalties as if the person had been convicted of the offence", ZMB Anti-Human
Trafficking Act ss.11-18), administrative and civil penalties (CAN PCMLTFA ss.73.13, 73.18; GHA AML Act
s.51; AUS Migration Act s.245AL). (SGP Misuse of Drugs Act ss.5-7 have tiers from s.33 and also name the
Second Schedule, which the corpus lacks: `reference_missing`.)
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

from harmonize import config, ids
from harmonize.analyze.facts import without_illustrations
from harmonize.store import Store

_F = re.I
PUNISHMENT_WORD = re.compile(
    r"\bimprison\w*|\bfine[sd]?\b|\bliable\b|\bpunish(?:able|ed|ment)\b|\bsentenced?\b|\bpenalty\s+units?\b|\bdeath\b", _F
)
# ("liable to be detained / for deportation / to serve the sentence / to pay / to vest" is a liability,
# but not to punishment.)
LIABILITY = re.compile(
    r"\b(?:liable(?!\s+(?:to\s+be\s+(?:detained|arrested|removed|deported|surrendered|apprehended|held)|"
    r"for\s+(?:deportation|turnaround|removal)|to\s+(?:serve|refund|pay|make|vest|deterioration|extradition)))|"
    r"punishable|punished|sentenced|shall\s+be\s+fined|penalty\s+(?:is|for|of)\b|penalty\s*:)", _F
)
NOUN = (
    r"(?:imprison\w*|fines?|fined|death|penalt(?:y|ies)|punishments?|caning|whipping|custody|life|"
    r"(?:a|any)\s+term|\d+\s+(?:years?|months?)|(?:one|two|three|four|five|six|seven|eight|nine|ten|twelve|"
    r"fourteen|fifteen|twenty)\s+(?:years?|months?))\b"
)
SENTENCING = re.compile(LIABILITY.pattern + r"(?:\W+\w+){0,12}?\W+" + NOUN, _F)
DEFINITION = re.compile(r"[\"“'‘][^\"”'’]{1,60}[\"”'’]\s+(?:means|includes|shall\s+mean|has\s+the\s+same\s+meaning)\b", _F)
DEFINITIONS_HEADING = re.compile(r"\b(?:definitions?|interpretation|meaning\s+of|dictionary)\b", _F)
# A liability the clause only supposes, of a person it describes: "a statement of the maximum punishment
# for which the person concerned would on conviction be liable", "a defendant may not appear ... by agent
# if he or she is liable, on summary conviction, to imprisonment for a term of more than six months", "If
# a person is or may be liable to more than 1 civil penalty", "where in this Code it is provided that any
# person shall be liable to undergo corporal punishment", "it is likely that the person shall be sentenced
# to imprisonment for a minimum term of one year".
SUPPOSED = re.compile(
    r"\bfor\s+which\s+(?:[\w-]+\s+){0,4}?(?:would\s+(?:on\s+conviction\s+)?be|(?:he|she)\s+is)\s+liable\b"
    r"|\bif\s+(?:he|she|he\s+or\s+she|a\s+person|the\s+person)\s+is\s+(?:or\s+may\s+be\s+)?liable\b"
    r"|\bit\s+is\s+provided\s+that\s+(?:any|a|the)\s+person\s+shall\s+be\s+liable\b"
    r"|\blikely\s+that\s+(?:the|a|such)\s+person\s+(?:shall|will|would)\s+be\s+sentenced\b",
    _F,
)
DESCRIBED = re.compile(
    r"\b(?:offen[cs]es?|crimes?|felony|violations?|conduct)\s+(?:(?:which|that|for\s+which)\s+(?:is|are|was|a\s+person\s+may\s+be|"
    r"one\s+may\s+be|may\s+be)\s+|(?:is|are)\s+)?(?:\w+\s+){0,2}?(?:punishable|punished|sentenced)\b"
    r"|\b(?:offen[cs]es?|crimes?)\b[^.;]{0,100}?\b(?:that|which)\s+(?:is|are)\s+punishable\b"
    r"|\boffen[cs]e\s+for\s+which\s+(?:the\s+)?(?:penalty|he\s+would\s+be\s+liable)|\bpunishable\s+by\s+a\s+maximum\b"
    r"|\bpunishable\s+by\s+\d+\s+(?:or\s+more\s+)?years|\bmaximum\s+punishment\s+for\s+which|\bprovides?\s+for\s+a\s+penalty\b"
    r"|\b(?:has|have|had)\s+been\s+sentenced|\b(?:is|was|were|being)\s+sentenced\b|\bserving\s+(?:a|the|his|her)\s+sentence"
    r"|\bconvicted\b[^.;]{0,80}?\band\s+sentenced\b|\b(?:person|prisoner|offender|national)\s+sentenced\b"
    r"|\bpunishable\s+(?:by|under|in)\s+(?:the\s+)?law\b|\bit\s+is\s+provided\s+that\b|\blikely\s+that\b"
    # "is punishable under an Act of Parliament by a maximum term of imprisonment of at least 10 years", "a
    # violation of this subchapter punishable by more than one year's imprisonment", "An offence described
    # in this Code ... as being punishable with imprisonment for a specified term", "In every case in which
    # an offender is punishable with imprisonment", "has still not paid the penalty ... having committed a
    # compliance order violation ... and being liable to a penalty for it", "is required to be sentenced"
    r"|\bpunishable\s+under\s+[^.;]{0,40}?\bby\s+a\s+maximum\b|\bpunishable\s+by\s+more\s+than\b|\bas\s+being\s+punishable\b"
    r"|\bin\s+every\s+case\s+in\s+which\b|\bhaving\s+committed\b[^.;]{0,120}?\bbeing\s+liable\b|\brequired\s+to\s+be\s+sentenced\b"
    # "the convict may be kept in jail and dealt with in the same manner as if sentenced to simple imprisonment
    # until the diyat is paid" (detention for an unpaid sum, not a sentence)
    r"|\bas\s+if\s+sentenced\b"
    r"|" + SUPPOSED.pattern,
    _F,
)
# "no person shall ... be liable to punishment", "nothing ... shall render any such person liable to any
# punishment if he proves ...", "might tend to incriminate the person or make the person liable to a
# penalty", "liable to punishment under this Code and not otherwise" (the Code's reach, no punishment).
NEGATED = re.compile(
    r"\b(?:not|nor)\s+(?:\w+\s+){0,3}?(?:liable|punished|punishable)\b|\bno\s+person\b[^.;]{0,80}?\bshall\s+be\s+"
    r"(?:\w+\s+){0,3}?(?:liable|punished|sentenced)\b|\brender\b[^.;]{0,40}?\bliable\b|\bincriminate\b"
    r"|\bliable\s+to\s+punishment\s+under\s+this\s+\w+\s+and\s+not\s+otherwise|\bfor\s+every\s+act\s+or\s+omission\s+contrary"
    # "no person shall under any circumstances be liable to punishment" (privilege), "Nothing in this Act
    # shall be deemed to prevent any person ... from being liable under such other law", "is not sentenced"
    r"|\bno\s+person\s+shall\s*,?\s+(?:in|under)\s+any\s+circumstances\s*,?\s+be\s+liable\b|\bfrom\s+being\s+liable\b"
    r"|\bbut\s+is\s+not\s+sentenced\b",
    _F,
)
# A provision that amends another enactment: its penalties are the other enactment's.
AMENDING_HEADING = re.compile(r"^\s*(?:amendment|amendments)\s+(?:of|to)\b", _F)
CLAUSE_SPLIT = re.compile(r"[;.:]\s|\n")


def sentencing_clauses(text: str) -> tuple[list[str], str | None]:
    """(sentencing clauses, reason none counts) for one provision's text."""
    reasons = Counter()
    found = []
    text = re.sub(r"\bpenalt(?:y|ies)\s*:", "penalty is", text, flags=_F)
    # a hard-wrapped line ("the offender shall not be" / "punished with the punishment of more than one of
    # such his offences", PAK) continues the clause before it, as the reader joins it
    text = re.sub(r"(?<![.;:])\n(?=[a-z])", " ", text)
    for clause in CLAUSE_SPLIT.split(text):
        if not SENTENCING.search(clause):
            continue
        if DEFINITION.search(clause):
            reasons["definition"] += 1
        elif DESCRIBED.search(clause) and not re.search(r"\bshall\s+be\s+(?:liable|punished|sentenced)|\bis\s+liable\b"
                                                         r"(?!\s+to\s+be\s+(?:detained|arrested|removed|deported|held))",
                                                         SUPPOSED.sub(" ", clause), _F):
            reasons["describes other offences or persons"] += 1
        elif NEGATED.search(clause):
            reasons["negation or exemption"] += 1
        else:
            found.append(clause)
    reason = None if found else (reasons.most_common(1)[0][0] if reasons else "no liability phrase before a punishment")
    return found, reason


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", help="data directory with the store (default: indexes/)")
    ap.add_argument("--out", default="penalty_selfcheck_misses.txt", help="where the misses are listed")
    ap.add_argument("--country", help="one country only")
    args = ap.parse_args()
    stats: dict[str, Counter] = defaultdict(Counter)
    misses: list[str] = []
    excluded: list[str] = []
    with Store(config.store_path(config.data_dir(args.data))) as store:
        for inst in store.instruments(args.country):
            if inst.language != "en" or not ids.is_national(inst.country):
                continue
            for prov in store.provisions(inst.id, kinds=("section", "article")):
                if not PUNISHMENT_WORD.search(prov.text):
                    continue
                s = stats[inst.country]
                s["candidates"] += 1
                clauses, reason = sentencing_clauses(without_illustrations(prov.text))  # as the reader reads it
                if DEFINITIONS_HEADING.search(prov.heading) and reason is None:
                    clauses, reason = [], "definitions section"
                if AMENDING_HEADING.search(prov.heading) and reason is None:
                    clauses, reason = [], "amends another enactment"
                if not clauses:
                    s["excluded"] += 1
                    s["excluded: " + reason] += 1
                    excluded.append(f"{prov.id} | {prov.heading} | {reason}")
                    continue
                s["penalty"] += 1
                facts = store.facts(prov.id)
                pen = facts.penalties if facts else None
                if pen and pen.tiers:
                    s["tier"] += 1
                elif pen and pen.reference:
                    s["reference"] += 1
                else:
                    s["miss"] += 1
                    misses.append(f"=== {prov.id} | {prov.heading}\n" + "\n".join(f"  > {c.strip()[:400]}" for c in clauses))
    total = Counter()
    print(f"{'':5} {'cand':>5} {'excl':>5} {'pen':>5} {'tier':>5} {'ref':>4} {'miss':>4}  tier%   tier+ref%")
    for country in sorted(stats):
        s = stats[country]
        total.update(s)
        _line(country, s)
    _line("ALL", total)
    print("excluded by reason:", ", ".join(f"{k[10:]} {v}" for k, v in sorted(total.items()) if k.startswith("excluded: ")))
    out = Path(args.out)
    out.write_text("\n".join(misses) + "\n\n# EXCLUDED (no sentencing clause)\n" + "\n".join(excluded) + "\n")
    print(f"{len(misses)} misses and {len(excluded)} exclusions listed in {out}")
    return 0


def _line(name: str, s: Counter) -> None:
    pen = max(1, s["penalty"])
    print(f"{name:5} {s['candidates']:>5} {s['excluded']:>5} {s['penalty']:>5} {s['tier']:>5} {s['reference']:>4} "
          f"{s['miss']:>4}  {s['tier'] / pen:6.1%}  {(s['tier'] + s['reference']) / pen:6.1%}")


if __name__ == "__main__":
    sys.exit(main())
