"""Offence records: what an offence-creating provision makes punishable, and of what kind.

`offence_record(...)` reads one section (already split into spaCy sentences by `facts.py`)
and returns an `OffenceRecord`, or None when the section creates no offence. Categories
are then decided from the record (conduct + object + the law's subject), not from words
that merely meet in a sentence.

How an offence-creating provision is told (a liability phrase AND a conduct verb):
    "Any person who ... shall be guilty of an offence and liable on conviction to ..."  (ZMB, MWI, ZWE)
    "A person commits an offence if — (a) the person stores or otherwise possesses a gun" (SGP, AUS, NZL)
    "Every person who ... commits an offence and is liable on conviction"                (NZL, TZA, UGA)
    "Whoever ... shall be punished with rigorous imprisonment ..."                     (IND, PAK, BGD, SGP)
    "Every one who ... is guilty of an indictable offence and liable to imprisonment"   (CAN)
    "No person shall knowingly organize ... the coming into Canada of one or more persons" (CAN, MWI, ZWE)
    "it shall be unlawful for any person knowingly or intentionally to manufacture"    (USA)
    "Whoever ... shall be fined under this title or imprisoned not more than 20 years"  (USA)
    "... Penalty: Imprisonment for 10 years."                                          (AUS)
Offence statements (`offence_statements`): the categories are decided per subsection that
states the offence, its conduct and object read together, not from words anywhere in the section:
    "(1) Every registered firearms dealer shall keep a register of transactions ... including the
    sale, transfer ... of firearms ... (5) Any person who— (a) contravenes any provision of this
    section ... shall be guilty of an offence" (ZMB Firearms Act s.32: (5) is the offence, a
    register offence, not firearms trafficking). Within a statement, no conduct from:
    - purposes: "travels in interstate commerce ... with intent to— (1) distribute the proceeds of
      any unlawful activity" (18 USC 1952: not laundering); "for the purpose of trafficking,
      possess" (possession, with the purpose trafficking);
    - powers of an authority: "The Minister may ... order any prohibited immigrant ... to be
      deported", "The Director may at any time inspect ... any rehabilitation centre";
    - positive duties: "Every firearms dealer ... who deals in firearms shall keep a register";
    - omissions, persons and passives: "does not deliver it to a peace officer", "a registered
      firearms dealer", "an unlawful non-citizen is brought into Australia" (but "No drug shall be
      imported" is an act);
    - class lists: "the following persons shall be prohibited immigrants— (a) any person who ...";
    - nouns of conduct that are not the offender's act: "a money laundering offence", "money
      laundering and terrorist financing risks", "the proceeds of trafficking", "a trafficked
      person" (but "engages in money laundering", "any act of money laundering" are acts);
    - "shall not permit the premises to be used for ... the sale of": the act is permitting.
Not offences: exemptions ("no individual is guilty of an offence under this Act ... by reason
only that the individual possesses, transfers ... a firearm", CAN Criminal Code s.117.08),
definitions, powers, procedure, evidence, presumptions, defences, jurisdiction,
refusal grounds of mutual-assistance and extradition Acts ("Assistance must be refused if ...
punishable by death"), passive prohibitions ("No person shall be compelled to give evidence").
general penalties ("A person who is convicted of an offence under this Part for which no
penalty is provided is liable", ZMB NDPS Act s.34), orders ("Mandatory prohibition order",
"Production order"), registration, inspection, licensing, deportation, amending provisions.
Sections told by their heading (INTERPRETATION, NON_OFFENCE_HEADING, POWER_HEADING) or by having no
conduct verb; sentences that are defences or exceptions ("It is a defence", "does not apply")
give no conduct.

Conduct, normalised across word forms (spaCy lemma, then the word forms of
obligations/categories.toml [conduct], loaded as CONDUCT; what each category needs, as TERMS):
    possession/possess/possesses/"in his possession" -> possess; trafficking/traffics/trafficks ->
    traffic; cultivation/cultivates/grows -> cultivate; importation/imports -> import;
    exportation -> export; manufacture/manufacturing; production/produces -> produce; sale/sells ->
    sell; supply; distribution -> distribute; delivery -> deliver; dealing/deals -> deal;
    transportation -> transport; recruitment/recruits -> recruit; harbours/harbors -> harbour;
    laundering -> launder; concealment -> conceal; conversion -> convert; disguise; transfer;
    smuggling -> smuggle; financing/finances -> finance; organise/organize; abetment -> abet;
    conspiracy -> conspire; embezzlement/misappropriation -> embezzle; obliterates/defaces ->
    obliterate; "criminal breach of trust" -> embezzle.
Object kinds (OBJECTS), within the section or through the Act's own definitions:
    drug: "controlled drug", "dangerous drug", "narcotic drug", "psychotropic substance",
          "controlled substance", "prohibited plant", "drug of dependence", cannabis, cocaine,
          heroin, opium, "coca", "poppy straw"; a bare "drug" counts only in a drugs law
          ("supplies any drug ... to procure miscarriage" in a penal code is not a controlled drug)
    precursor, person (a victim: "another person", "a child", "any woman or girl", "victim"),
    child ("child", "minor", "under the age of 18 years"), migrant ("non-citizen", "alien",
    "unlawful entry", "illegal immigrant", "the coming into Canada of ... persons"), firearm
    (firearm, gun, pistol, rifle, ammunition, "arms"), weapon, explosive, proceeds ("proceeds of
    crime", "criminal property", "tainted property", "benefits of drug dealing"), property
    (property, funds, money), terrorist (terrorist act/group/organisation), gratification (bribe,
    gratification, "undue advantage", "secret commission"), official ("public servant",
    "public official"), justice (witness, "judicial proceeding", "course of justice"),
    marking ("serial number", "identification mark"), group ("organised criminal group",
    "criminal organization", gang), offence (for accessories: "abets an offence").
    Definitions widen both: "produce ... includes ... cultivating" gives production the conduct
    cultivate (CDSA s.2); "traffic means to sell, give, administer, transport, send, deliver
    or distribute"; "prohibited plant means cannabis plant, coca bush ..." gives the object drug.
Mental element: knowingly, intentionally, wilfully, recklessly, dishonestly, fraudulently,
    corruptly, "with intent", "knowing or having reason to believe", negligently.
Purpose: "for the purpose of trafficking", "for sale", "for the purpose of exploitation",
    "with intent to sell / supply / distribute", "for gain", "for terrorist purposes",
    production of drugs ("for use in the production of", "intends to use any of the substance to
    manufacture a controlled drug": a precursor offence, not drug trafficking).
Means: force, threat, coercion, deception, fraud, abduction, "abuse of power", "abuse of a
    position of vulnerability", "giving or receiving of payments", violence.
Circumstances that narrow or aggravate: commercial / marketable / trafficable / small /
    large quantity, Schedule or Class of drug, child victim (age), repeat offence ("second or
    subsequent", "previous conviction"), death results ("results in death", "causes the
    death"), crossing a border ("into Australia", "imports into", "transnational", "enter ...
    country"), for gain ("financial or other material benefit"), serious harm, organised group.
Subject: the nearest heading that names a subject (section heading, then Subdivision,
    Division, Part, Chapter: "Division 271—Trafficking in persons and debt bondage",
    "Part 9.1—Serious drug offences", "War crime--sexual slavery"), else the Act's topic from
    the manifest. Subjects that are never one of the offence categories they mention:
    war crimes / genocide / crimes against humanity, treason, abortion, extortion and blackmail.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable

from harmonize.analyze.categories import OFFENCE_CATEGORIES
from harmonize.analyze.penalties import CONNECTOR, label_type
from harmonize.analyze.penalty_links import GENERAL as GENERAL_PENALTY
from harmonize.model import OffenceRecord, OffenceStatement, PenaltyFacts, Provision
from harmonize.obligations.vocabulary import load_vocabulary

_F = re.I

# -- when a section creates an offence ---------------------------------------------------

TRIGGER = re.compile(
    r"\bguilty\s+of\s+(?:an?\s+)?(?:(?:indictable|summary|criminal|further|separate)\s+)?(?:offence|offense|felony|misdemeanou?r|crime)"
    r"|\bcommits?\s+(?:an?\s+|the\s+)?(?:offence|offense|crime)"
    r"|\bshall\s+(?:on\s+conviction\s+)?be\s+(?:punished|punishable|liable|fined|imprisoned|sentenced)"
    r"|\b(?:is|are|be)\s+(?:punishable|liable)\s+(?:to|on|upon|for|with|by)\b"
    r"|\bliable,?\s+(?:on|upon)\s+(?:summary\s+)?conviction"
    r"|\bPenalty:"
    r"|\b(?:shall|is|it\s+is)\s+(?:be\s+)?unlawful\b"
    r"|\bno\s+(?:person|one)\s+(?:shall|may|must)\b(?!\s+(?:be|have\s+been)\b)"
    r"|\b(?:person|one)\s+(?:shall|must)\s+not\s+(?!be\b)"
    r"|\bshall\s+be\s+(?:fined|imprisoned)\b|\bimprisoned\s+not\s+more\s+than",
    _F,
)
INTERPRETATION = re.compile(r"\b(?:interpretation|definitions?|meaning\s+of|defined)\b", _F)
NON_OFFENCE_HEADING = re.compile(
    r"\b(?:powers?|procedure|evidence|presumptions?|defences?|defenses?|jurisdiction\w*|refus\w*|grounds?\s+for|"
    r"search|seizure|warrants?|arrest|bail|sentencing|applications?|savings?|repeal|short\s+title|forfeit\w*|"
    r"registration|confiscat\w*|operations?|undercover|controlled\s+delivery|protection|confidentiality|certification|"
    r"commencement|regulations|delegation|appeals?|compensation|burden|proof|requests?|assistance|"
    r"extradit\w*|surrender|forfeiture\s+order|restraining\s+order|restraint\s+order|confiscation\s+order|"
    r"alternative\s+verdicts?|double\s+jeopardy|limitation|immunity|exemptions?|licen[cs]e|certificate|"
    r"purposes?|findings|standards?|report\w*|publication|custody|protective|closure|orders?\s+(?:restricting|regarding|for|to)|civil|removal|detention|repatriation|directives?|cancell?ation|"
    r"sentences?|discretion\s+of\s+court|(?<!mail\s)orders?|amendments?\s+(?:of|to)|deport\w*|inspect\w*|regist\w*|licensing|"
    r"exceptions?|(?:\w+'s|written)\s+permits?|^\s*permits?|disclosure\s+(?:to|of\s+information)|risk\s+assessments?)\b",
    _F,
)
# ... unless the heading also names an offence: "Cultivation without licence", "Obstruction of search".
OFFENCE_HEADING = re.compile(r"\bprohibit\w*|\bunlawful\w*|\billegal\w*|\bpenalt\w*|\bpunish\w*|\bwithout\b"
                             r"|\bobstruct\w*|\bfalse\b|\bcontravention\b|\bbreach\w*|\bfail\w*|\bdisobe\w*", _F)
# ... but a power is a power whatever it is to do: "Power to restrict or prohibit transport of arms".
POWER_HEADING = re.compile(r"^\s*(?:powers?|amendments?\s+(?:of|to))\b|\b(?:prohibition|restraining|production|monitoring|"
                           r"forfeiture|confiscation|removal|deportation)\s+orders?\s*$", _F)
# Headings of duties and administration, whose conduct words are not an offence's acts: "Money
# laundering and terrorism financing risk assessments", "Register of transactions in firearms".
ADMIN_HEADING = re.compile(r"\b(?:risks?|assessments?|reports?|reporting|programm?es?|compliance|measures|polic(?:y|ies)|"
                           r"records?|registers?|disclosure|identification|due\s+diligence|supervision|guidelines|training|"
                           r"officers?|informants?|intelligence|monitoring)\b", _F)
# "the following persons shall be prohibited immigrants— (a) any person who ...": a list of
# classes of persons, whose items say who they are, not what an offender does.
CLASS_LIST = re.compile(r"\bthe\s+following\s+(?:persons?|classes|categories)\b[^.;]{0,60}?\b(?:are|shall\s+be)\b", _F)
# Sentences that give no conduct: defences, exceptions, deeming and definitions.
EXCLUDED_SENTENCE = re.compile(
    r"\bit\s+is\s+a\s+defen[cs]e\b|\bdoes\s+not\s+apply\b|\bshall\s+not\s+apply\b|\bnothing\s+in\s+this\b"
    r"|\bis\s+not\s+guilty\b|\bno\s+(?:person|individual|one)\s+is\s+guilty\b|\bshall\s+be\s+presumed\b|\bburden\s+of\s+proof\b|\bevidential\s+burden\b"
    r"|[\"“”]\s*(?:means|includes)\b|\bin\s+this\s+(?:section|Act|Part),?\s+[\"“]"
    r"|\bthe\s+following\s+(?:persons?|classes|categories)\b[^.;]{0,60}?\b(?:are|shall\s+be)\b",
    _F,
)

# -- conduct -----------------------------------------------------------------------------

# The canonical verbs and their word forms (nominalisations, irregular spellings) are data:
# obligations/categories.toml [conduct], loaded below with the category vocabulary as `CONDUCT`.

NOT_CONDUCT = frozenset({"provided", "made", "given", "directed"})
# What "produce", "give", "make" and "deal" act on when they are not dealing in things.
# Papers an Act requires (the same words in PAPERWORK and PAPER_NOUN below).
PAPERS = (r"documents?|books?|records?|licen[cs]es?|certificates?|evidence|permits?|registers?|information|accounts?|"
          r"statements?|returns?|papers?|answers?|entry|entries|particulars|declarations?")
PAPERWORK = re.compile(r"\b(?:" + PAPERS + r"|identification|notice|report|false|application|"
                       r"himself|herself|itself|him|her|them|it|with)\b", _F)


# "traffic officer", "road traffic offences": traffic on roads, not trafficking.
NOT_TRAFFICKING = re.compile(r"^\s+(?:officers?|wardens?|offen[cs]es?|signs?|lights?|accidents?|control|regulations?|laws?)\b", _F)


# The thing a verb acts on, past the verbs joined to it: "utters, produces, or makes use of any such
# declaration" (produces a declaration), "destroy, alter, conceal or remove any book, document".
FIRST_OBJECT = re.compile(r"^[^;:()]{0,60}?\b(?:any|the|a|an|such|all|his|her|its|their|those|that)\s+"
                          r"(?:(?:such|false|other|relevant)\s+)?([a-z]+)", _F)
PAPER_NOUN = re.compile(r"^(?:" + PAPERS + r"|notices?|reports?|applications?|testimony|representations?)$", _F)
# "being the owner, occupier or concerned in the management of any premises", "uses any premises":
# a place the offender runs or lends, not a drug operation managed or a thing used.
PLACE_NOUN = re.compile(r"^(?:premises|house|room|place|building|land|vessel|vehicle|aircraft|ship|dwelling)$", _F)
# Verbs whose acts on paperwork (or on a place) are not the category's acts: concealing or removing a
# book is obstruction, not laundering; producing a declaration is not producing a drug.
PAPER_VERBS = frozenset({"produce", "give", "make", "deal", "conceal", "remove", "transfer", "convert", "use", "supply",
                         "deliver", "send", "obtain", "receive", "hold", "retain", "manage"})
PLACE_VERBS = frozenset({"use", "manage", "organise", "direct"})
# "has in his or her possession or manufactures, any pipe, tool or other utensil for use in smoking ... a
# narcotic drug": the thing made or held is equipment, not the drug (precursors and equipment).
EQUIPMENT_NOUN = re.compile(r"^(?:pipes?|tools?|utensils?|apparatus|equipment|machines?|machinery|devices?|instruments?|"
                            r"articles?|materials?|paraphernalia|implements?)$", _F)
EQUIPMENT_VERBS = frozenset({"manufacture", "make", "produce", "supply", "sell", "possess", "import", "export", "deliver",
                             "distribute", "transport", "send", "offer"})


def _not_conduct(token, verb: str) -> bool:
    if verb not in PAPER_VERBS | EQUIPMENT_VERBS:
        return False
    after = token.doc[token.i + 1: token.i + 5].text
    if token.lemma_ in ("produce", "give", "make") and PAPERWORK.search(after):
        return True
    if token.lemma_ == "deal" and PAPERWORK.match(after.split(" ", 1)[0]):
        return True
    if verb == "use" and token.lower_ == "used" and token.i > 0 and PLACE_NOUN.match(token.doc[token.i - 1].text):
        return True  # "any premises used for any purpose referred to in paragraph (a)"
    m = FIRST_OBJECT.match(token.doc[token.i + 1: token.i + 14].text)
    if m is None and verb in EQUIPMENT_VERBS:
        m = re.match(r"^\W*(?:any\s+)?([a-z]+)", token.doc[token.i + 1: token.i + 4].text, _F)
    return bool(m and (PAPER_NOUN.match(m.group(1)) or (verb in PLACE_VERBS and PLACE_NOUN.match(m.group(1)))
                       or (verb in EQUIPMENT_VERBS and EQUIPMENT_NOUN.match(m.group(1)))))
# Multi-word conduct the token table cannot see.
PHRASE_CONDUCT = (
    (re.compile(r"\bin\s+(?:his|her|their|its|the\s+person's)\s+possession\b|\bhas\s+possession\b"
                r"|\b(?:is|be|are|was|found)\s+in\s+possession\s+of\b", _F), "possess"),
    (re.compile(r"\bcriminal\s+breach\s+of\s+trust\b", _F), "embezzle"),
    (re.compile(r"\bmakes?\s+available\b", _F), "provide"),
    (re.compile(r"\bdeals?\s+in\b", _F), "deal"),
    (re.compile(r"\bbrings?\s+(?:in|into)\b|\bcoming\s+into\b(?!\s+force)", _F), "bring"),
)
# -- objects -----------------------------------------------------------------------------

CONTROLLED_DRUG = (
    r"controlled\s+drugs?|dangerous\s+drugs?|narcotic(?:\s+drugs?)?|psychotropic|controlled\s+substances?|"
    r"prohibited\s+(?:plants?|drugs?)|drugs?\s+of\s+dependence|border\s+controlled\s+(?:drugs?|plants?)|"
    r"controlled\s+plants?|dependence-producing|cannabis|marihuana|marijuana|cocaine|heroin|opium|morphine|"
    r"methamphetamine|amphetamine|ecstasy|coca\s+(?:leaf|leaves|plant|bush)|poppy\s+straw|opium\s+poppy|"
    r"substances?\s+(?:listed|specified|included|mentioned)\s+in\s+(?:any\s+of\s+)?(?:the\s+)?schedules?|"
    r"manufactured\s+drugs?"
)
OBJECTS: tuple[tuple[str, re.Pattern], ...] = (
    ("drug", re.compile(r"\b(?:" + CONTROLLED_DRUG + r")\b", _F)),
    ("precursor", re.compile(r"(?<!explosive\s)\bprecursors?\b|\b(?:controlled|listed|essential|scheduled)\s+(?:chemicals?|substances?)\b"
                             r"|\btable\s+(?:i|ii|1|2)\b", _F)),
    ("child", re.compile(r"\bchild(?:ren)?\b|\bminors?\b|\bunder\s+the\s+age\s+of\s+(?:18|eighteen)\b|\bgirls?\b|\bboys?\b", _F)),
    ("person", re.compile(r"\banother\s+person\b|\bother\s+persons?\b|\bvictims?\b|\bhuman\s+beings?\b|\bwom[ae]n\b"
                          r"|\bslaves?\b|\bpersons?\s+for\s+(?:the\s+purpose|exploitation)|\btraffick\w*\s+(?:in\s+)?(?:a\s+)?persons?\b"
                          r"|\b(?:recruits?|transports?|transfers?|harbou?rs?|receives?|sells?|buys?|obtains?|hires?)\b[^.;]{0,40}?\b(?:a|any|one\s+or\s+more)\s+persons?\b"
                          r"|\bpeople\b|\bforced\s+labou?r\b|\bservitude\b|\bdebt\s+bondage\b", _F)),
    ("migrant", re.compile(r"\bnon-?\s?citizens?\b|\baliens?\b|\bmigrants?\b|\b(?:illegal|unlawful|irregular)\s+(?:entry|immigrants?|migration)\b"
                           r"|\bprohibited\s+immigrants?\b|\bcoming\s+into\b(?!\s+force)|\benter(?:s|ing)?\s+(?:into\s+)?(?!into\s+an?\s+agreement)[A-Z]?\w+\s+(?:without|in\s+contravention|illegally|unlawfully)"
                           r"|\billegal\s+residents?\b", _F)),
    ("firearm", re.compile(r"\bfire-?\s?arms?\b|\bguns?\b|\bpistols?\b|\brifles?\b|\brevolvers?\b|\bammunition\b|\bshot-?\s?guns?\b"
                           r"|\barms\b(?!\s+length)|\bmachine-?\s?guns?\b", _F)),
    ("weapon", re.compile(r"\bweapons?\b", _F)),
    ("explosive", re.compile(r"\bexplosives?\b|\bexplosive\s+substances?\b", _F)),
    ("proceeds", re.compile(r"\bproceeds\s+of\s+(?:crime|(?:an?\s+|any\s+)?(?:unlawful|criminal|drug|illegal|serious)|offen[cs]es?|trafficking)\b|\bcriminal\s+property\b|\btainted\s+property\b"
                            r"|\bbenefits?\s+(?:of|from)\s+(?:drug|criminal)\b|\bspecified\s+unlawful\s+activity\b"
                            , _F)),
    ("property", re.compile(r"\bproperty\b|\bfunds?\b|\bmoney\b|\bassets?\b|\bcash\b", _F)),
    ("terrorist", re.compile(r"\bterroris[tm]\w*\b", _F)),
    ("gratification", re.compile(r"\bgratification\b|\bbribes?\b|\bundue\s+advantage\b|\bsecret\s+commission\b|\bvaluable\s+thing\b"
                                 r"|\billegal\s+gratification\b|\bkickback\b|\binducement\b|\breward\b", _F)),
    ("official", re.compile(r"\bpublic\s+(?:servant|official|officer)s?\b|\bforeign\s+public\s+official\b|\bjudges?\b|\bofficials?\b", _F)),
    ("justice", re.compile(r"\bwitness(?:es)?\b|\bjudicial\s+proceedings?\b|\bcourse\s+of\s+justice\b|\bjurors?\b|\bfalse\s+(?:testimony|evidence)\b", _F)),
    ("marking", re.compile(r"\bserial\s+numbers?\b|\bidentification\s+marks?\b|\bmarkings?\b|\bmarks?\s+of\s+identification\b", _F)),
    ("group", re.compile(r"\borgani[sz]ed\s+(?:criminal\s+group|crime)\b|\bcriminal\s+(?:organi[sz]ation|group|gang)\b|\bgangs?\b|\benterprise\b", _F)),
    ("influence", re.compile(r"\b(?:personal|improper)\s+influence\b|\btrading\s+in\s+influence\b|\bexercise\s+of\s+(?:personal\s+)?influence\b", _F)),
    ("enrichment", re.compile(r"\billicit\s+enrichment\b|\bdisproportionate\s+to\s+(?:his|her|their)\s+known\s+sources\b|\bunexplained\s+wealth\b", _F)),
    # "the commission of an offence"; not "abets the commission of such suicide" (abetment of
    # suicide is an offence of its own, not accessory liability for offences)
    ("offence", re.compile(r"\b(?:an?|the|any)\s+offen[cs]e\b|\bcommission\s+of\b(?!\s+(?:(?:such|the|that)\s+)?suicide\b)", _F)),
)
# A person as what the conduct acts on: "recruits, transports ... a person", "traffics in persons".
PERSON_MOVED = re.compile(
    r"\b(?:recruit|transport|transfer|harbou?r|receiv|sell|sold|buy|bought|obtain|hire|procur|tak|induc|traffic|deal|solicit|entic|"
    r"import|export|carr|convey|detain|confin)\w*\b(?:\s+in)?[^.;]{0,60}?\b(?:an?|any|another|the|other|one\s+or\s+more)?\s*"
    r"(?:persons?|child(?:ren)?|wom[ae]n|girls?|minors?|victims?|people|slaves?|human\s+beings?)\b",
    _F,
)
TRAFFIC_IN_PERSONS = re.compile(
    r"\b(?:traffick(?:ing|ed|s)?|traffics|traffic\s+in)\s+(?:in\s+|of\s+)?(?:an?\s+|another\s+|any\s+|the\s+)?(?:persons?|people|human\s+beings?|child(?:ren)?|wom[ae]n|girls?|victims?)\b"
    r"|\btrafficking\s+in\s+persons\b|\bhuman\s+trafficking\b",
    _F,
)
# ("precursor substance", "chemical substance" are not the drug a drugs law controls)
BARE_DRUG = re.compile(r"\bdrugs?\b|\b(?<!precursor\s)(?<!chemical\s)substances?\b", _F)

# -- mental element, purpose, means, circumstances -----------------------------------------

MENTAL = (
    ("knowingly", re.compile(r"\bknowingly\b|\bknowing\b|\bknows\b|\bhaving\s+reason\s+to\s+believe\b|\bbelieving\b", _F)),
    ("intentionally", re.compile(r"\bintentionally\b|\bintends?\b|\bwith\s+(?:the\s+)?intent(?:ion)?\b|\bwilfully\b|\bwillfully\b|\bdeliberately\b", _F)),
    ("recklessly", re.compile(r"\brecklessly?\b|\breckless\s+as\s+to\b", _F)),
    ("dishonestly", re.compile(r"\bdishonestly\b|\bfraudulently\b", _F)),
    ("corruptly", re.compile(r"\bcorruptly\b", _F)),
    ("negligently", re.compile(r"\bnegligen\w+\b", _F)),
)
# "for financial gain", "financial or other material benefit", "for reward": one reader for the
# purpose (PURPOSE) and the circumstance that aggravates (CIRCUMSTANCES).
FOR_GAIN = re.compile(r"\bfor\s+(?:financial\s+)?gain\b|\bfinancial\s+or\s+other\s+material\s+benefit\b|\bfor\s+(?:a\s+)?(?:reward|profit)\b", _F)
PURPOSE = (
    ("trafficking", re.compile(r"\b(?:for\s+the\s+)?purposes?\s+of\s+(?:drug\s+)?trafficking\b|\bintent\s+to\s+(?:distribute|traffic)\b", _F)),
    ("sale", re.compile(r"\bfor\s+(?:the\s+purpose\s+of\s+)?(?:sale|selling)\b|\bintent\s+to\s+sell\b|\bpurpose\s+of\s+sale\b", _F)),
    ("supply", re.compile(r"\bfor\s+(?:the\s+purpose\s+of\s+)?(?:supply|supplying|distribution)\b|\bintent\s+to\s+supply\b", _F)),
    ("exploitation", re.compile(r"\b(?:for\s+the\s+)?purposes?\s+of\s+(?:(?:his|her|their|its|the)\s+)?(?:sexual\s+)?(?:exploitation|prostitution|slavery|servitude|forced\s+labou?r)\b"
                                r"|\bfor\s+(?:the\s+sake\s+of\s+)?(?:prostitution|exploitation)\b|\b(?:intent(?:ion)?|intending)\s+(?:\w+\s+){0,4}?(?:exploit|(?:be|being)\s+exploited)\b"
                                r"|\bremoval\s+of\s+(?:\w+\s+)?organs\b|\bfor\s+labou?r\s+or\s+services\b|\bcommercial\s+sex\s+act\b", _F)),
    ("gain", FOR_GAIN),
    ("terrorist purpose", re.compile(r"\b(?:terrorist|terrorism)\s+(?:act|purpose|activit)\w*\b|\bcommit\s+(?:a\s+)?terrorist\b", _F)),
    ("personal use", re.compile(r"\bpersonal\s+(?:use|consumption)\b|\bown\s+(?:use|consumption)\b", _F)),
    # "for use in the production of", "used in the manufacture", and the precursor's own intent: "the
    # person intends to use any of the substance to manufacture a controlled drug" (a border
    # controlled precursor imported is a precursor offence, not drug trafficking).
    ("production of drugs", re.compile(r"\b(?:for\s+use\s+in|used\s+in|intended\s+for)\s+(?:the\s+)?(?:production|manufacture)\b"
                                       r"|\bto\s+use\s+(?:any\s+of\s+)?(?:the|a|that)\s+(?:substance|precursor|chemical)\s+to\s+"
                                       r"(?:manufacture|produce)\b", _F)),
)
MEANS = (
    ("force", re.compile(r"\bforce\b|\bviolence\b", _F)),
    ("threat", re.compile(r"\bthreat\w*\b", _F)),
    ("coercion", re.compile(r"\bcoerc\w+\b|\bduress\b", _F)),
    ("deception", re.compile(r"\bdecept\w+\b|\bdeceiv\w+\b|\bfraud\b|\bfalse\s+pretences\b", _F)),
    ("abduction", re.compile(r"\babduct\w*\b|\bkidnap\w*\b", _F)),
    ("abuse of power", re.compile(r"\babuse\s+of\s+(?:power|authority|a\s+position)\b|\bposition\s+of\s+vulnerability\b", _F)),
    ("payments", re.compile(r"\bgiving\s+or\s+receiving\s+(?:of\s+)?payments\b|\bpayments\s+or\s+benefits\b", _F)),
)
CIRCUMSTANCES = (
    ("commercial quantity", re.compile(r"\bcommercial\s+quantit\w+\b", _F)),
    ("marketable quantity", re.compile(r"\bmarketable\s+quantit\w+\b", _F)),
    ("trafficable quantity", re.compile(r"\btraffickable\s+quantit\w+|\btrafficable\s+quantit\w+", _F)),
    ("small quantity", re.compile(r"\bsmall\s+quantit\w+\b", _F)),
    ("large quantity", re.compile(r"\blarge\s+quantit\w+\b|\bin\s+excess\s+of\s+\d", _F)),
    ("quantity threshold", re.compile(r"\b\d[\d,.]*\s*(?:grams?|kilograms?|kg|g)\b|\bmixture\s+or\s+substance\s+containing\b", _F)),
    ("schedule or class", re.compile(r"\bschedule\s+(?:[IVX]+|\d+)\b|\bclass\s+[ABC]\b|\bpart\s+[IVX]+\s+of\s+the\s+schedule\b", _F)),
    ("child victim", re.compile(r"\bchild(?:ren)?\b|\bminors?\b|\bunder\s+(?:the\s+age\s+of\s+)?(?:18|eighteen|16|sixteen)\s+years\b", _F)),
    ("repeat offence", re.compile(r"\bsecond\s+or\s+subsequent\b|\bsubsequent\s+(?:offence|conviction)\b|\bprevious(?:ly)?\s+(?:been\s+)?convict\w*\b|\bprior\s+conviction\b|\brepeat\w*\s+offen\w+\b", _F)),
    ("death results", re.compile(r"\bdeath\s+(?:or\s+serious\s+bodily\s+injury\s+)?results\b|\bresults?\s+in\s+(?:the\s+)?death\b|\bcaus\w+\s+(?:the\s+)?death\b", _F)),
    ("serious harm", re.compile(r"\bserious\s+(?:bodily\s+)?(?:harm|injury)\b|\bgrievous\s+(?:bodily\s+)?(?:harm|hurt)\b", _F)),
    ("crossing a border", re.compile(r"\bacross\s+(?:a|the|an\s+international)\s+(?:border|frontier)\b|\btransnational\b|\b(?:into|out\s+of)\s+(?:the\s+)?(?:country|State|territory)\b|\bcross\w*\s+(?:the\s+|a\s+)?(?:border|frontier)"
                                    r"|\bimport\w*\b|\bexport\w*\b|\bentry\s+into\b|\bleave\s+(?:the\s+)?country\b", _F)),
    ("for gain", FOR_GAIN),  # the same words: a purpose of the act and a circumstance of the offence
    ("organised group", re.compile(r"\borgani[sz]ed\s+criminal\s+group\b|\bcriminal\s+organi[sz]ation\b", _F)),
    ("public servant offender", re.compile(r"\bpublic\s+servant\b|\bpolice\s+officer\b", _F)),
)

# -- subjects ------------------------------------------------------------------------------

# Heading words -> the law's subject (same names as the manifest's topics). The excluded
# subjects come first: "War crime--sexual slavery" is a war crime, not trafficking.
# Extortion ("Attempts at extortion by threats": "threatens to accuse any person of ... offering
# or making any solicitation ... as an inducement") names bribery and attempts as what the
# threatened accusation is of, not as the offender's conduct.
EXCLUDED_SUBJECTS = ("war-crimes", "treason", "abortion", "extortion")  # never an offence category they mention
SUBJECT_HEADINGS: tuple[tuple[str, re.Pattern], ...] = (
    ("war-crimes", re.compile(r"\bwar\s+crimes?\b|\bgenocide\b|\bcrimes?\s+against\s+humanity\b|\bInternational\s+Criminal\s+Court\b", _F)),
    ("treason", re.compile(r"\btreason\w*\b|\bsedition\w*\b|\bmutiny\b|\bespionage\b", _F)),
    ("abortion", re.compile(r"\babortion\b|\bmiscarriage\b", _F)),
    # not "Extortion by public officers" ("takes or accepts ... any reward beyond his proper pay"):
    # a public officer's taking is bribery
    ("extortion", re.compile(r"\bextort\w*\b(?!\s+by\s+(?:a\s+)?(?:public|officials?|officers?|servants?)\b)|\bblackmail\w*\b", _F)),
    ("trafficking", re.compile(r"\btraffick?\w*\s+(?:in|of)\s+(?:a\s+)?(?:persons?|people|human|children|women)\b|\bhuman\s+trafficking\b"
                               r"|\btrafficking\s+with\s+respect\s+to\b"
                               r"|\bsex\s+trafficking\b|\bdebt\s+bondage\b|\btrafficked\s+persons?\b", _F)),
    ("slavery", re.compile(r"\bslave\w*\b|\bservitude\b|\bforced\s+labou?r\b|\bpeonage\b", _F)),
    ("smuggling", re.compile(r"\bsmuggling\s+of\s+(?:migrants|persons|people)\b|\bpeople\s+smuggling\b|\bmigrant\s+smuggling\b"
                             r"|\bhuman\s+smuggling\b|\bsmuggl\w+\s+(?:of\s+)?(?:migrants?|persons?|people)\b|\bbringing\s+in\b.*\baliens\b|\bharbou?ring\b.*\baliens\b", _F)),
    ("drugs", re.compile(r"\b(?:" + CONTROLLED_DRUG + r"|narcotics|coca|(?<!explosive\s)precursors?|drug\s+(?:offences?|trafficking|dealing|abuse|control))\b", _F)),
    ("firearms", re.compile(r"\bfire-?\s?arms?\b|\bammunition\b|\bweapons?\b|\bguns?\b|\barms\b", _F)),
    ("aml", re.compile(r"\bmoney[-\s]laundering\b|\blaundering\b|\bproceeds\s+of\s+crime\b|\bcriminal\s+property\b", _F)),
    ("terrorism-financing", re.compile(r"\bterroris\w+\b", _F)),
    ("corruption", re.compile(r"\bcorrupt\w*\b|\bbriber\w*\b|\bbribes?\b|\bgratification\b|\bpublic\s+servants?\b|\bembezzl\w+\b", _F)),
)
GENERAL = "general-criminal"


def subject_of(headings: Iterable[str], topic: str) -> tuple[str, str]:
    """(subject, the heading it came from) from the nearest heading naming one, else the Act's topic."""
    for heading in headings:
        if not heading:
            continue
        for subject, pattern in SUBJECT_HEADINGS:
            if pattern.search(heading):
                return subject, heading
    return (topic or GENERAL), "Act topic"


# -- categories from the record -------------------------------------------------------------

# The vocabulary of each category (conduct, objects, the laws' subjects) is data:
# obligations/categories.toml, validated against the object kinds and subjects above.
OBJECT_KINDS = tuple(kind for kind, _ in OBJECTS) + ("trafficked person", "person moved")
KNOWN_SUBJECTS = tuple(dict.fromkeys([name for name, _ in SUBJECT_HEADINGS] + [GENERAL, "extradition", "mla"]))
VOCABULARY = load_vocabulary(OFFENCE_CATEGORIES, OBJECT_KINDS, KNOWN_SUBJECTS)
CONDUCT: dict[str, str] = VOCABULARY.forms
TERMS = VOCABULARY.categories


def conduct_of(category: str) -> frozenset[str]:
    return TERMS[category].conduct


TRAFFIC_CONDUCT = conduct_of("drug trafficking") | conduct_of("cultivation")
LAUNDER_CONDUCT = conduct_of("money laundering")
ACCESSORY = conduct_of("incitement and conspiracy")
CATEGORY_SUBJECTS: dict[str, tuple[str, ...]] = {c: t.subjects for c, t in TERMS.items() if t.subjects}
# The subject a category belongs to (what "no statute on this subject" means for it); the
# categories with no subject of their own (incitement, obstruction, organised crime, liability of
# legal persons) are general criminal law.
CATEGORY_SUBJECT: dict[str, str] = {c: (TERMS[c].subjects[0] if c in TERMS and TERMS[c].subjects else GENERAL)
                                    for c in OFFENCE_CATEGORIES}


EQUIPMENT_HEADING = re.compile(r"\b(?:equipment|machine\w*|materials?|apparatus|utensils?|laborator\w+|paraphernalia)\b", _F)
DRUG_HEADING = re.compile(r"\bdrugs?\b|\b(?:" + CONTROLLED_DRUG + r")\b", _F)


def meets(category: str, conduct: set[str], objects: set[str]) -> bool:
    """The category's vocabulary (categories.toml) holds for one statement's conduct and objects."""
    terms = TERMS[category]
    return ((not terms.conduct or bool(conduct & terms.conduct)) and (not terms.objects or bool(objects & terms.objects))
            and not objects & terms.without)


def categorise(record: OffenceRecord) -> list[str]:
    """Offence categories of a record: those of its offence statements (conduct + object in the
    same statement, see `offence_statements`), within the law's subject."""
    if record.subject in EXCLUDED_SUBJECTS:
        return []
    statements = record.statements or [OffenceStatement("", list(record.conduct), list(record.objects))]
    found: list[str] = []
    for statement in statements:
        if statement.strict_liability:
            continue  # the carrier's "offence of absolute liability": no convention offence is one
        for category in _statement_categories(record, set(statement.conduct), set(statement.objects)):
            if category not in found:
                found.append(category)
    return found


def _statement_categories(record: OffenceRecord, c: set[str], o: set[str]) -> list[str]:
    subject = record.subject
    p = set(record.purpose)
    drug = "drug" in o
    trafficking_purpose = bool(p & {"trafficking", "sale", "supply"})
    found: list[str] = []

    def add(category: str, condition: bool) -> None:
        allowed = CATEGORY_SUBJECTS.get(category)
        if condition and (allowed is None or subject in allowed) and category not in found:
            found.append(category)

    precursor_only = ("precursor" in o and "production of drugs" in p and not DRUG_HEADING.search(record.subject_from)) or bool(
        EQUIPMENT_HEADING.search(record.subject_from))
    launders = "launder" in c or meets("money laundering", c, o)
    # ("cultivates, produces or manufactures a dangerous drug for his or her own consumption": personal use)
    add("drug trafficking", meets("drug trafficking", c, o) and not precursor_only and not launders and "personal use" not in p)
    add("cultivation", meets("cultivation", c, o))
    add("possession for trafficking", meets("possession for trafficking", c, o) and (trafficking_purpose or bool(c & TRAFFIC_CONDUCT))
        and "personal use" not in p)
    add("personal-use possession", drug and (
        "personal use" in p
        or (meets("personal-use possession", c, o) and not trafficking_purpose and not c & TRAFFIC_CONDUCT)))
    add("precursors and equipment", "precursor" in o or (drug and "production of drugs" in p)
        or (drug and bool(EQUIPMENT_HEADING.search(record.subject_from))))
    add("organizing or financing", meets("organizing or financing", c, o))
    add("drug money laundering", launders and (drug or subject == "drugs"))
    add("money laundering", launders)
    add("trafficking in persons", meets("trafficking in persons", c, o) and (
        "trafficked person" in o
        or (subject == "trafficking" and record.subject_from != "Act topic")
        or ("exploitation" in p and bool(c & TERMS["trafficking in persons"].strong))))
    add("smuggling of migrants", meets("smuggling of migrants", c, o) and (subject != "trafficking" or "smuggle" in c))
    add("firearms manufacturing", meets("firearms manufacturing", c, o))
    add("firearms trafficking", meets("firearms trafficking", c, o))
    add("firearms markings", "firearm" in o and ("obliterate" in c or ("marking" in o and "remove" in c)))
    add("terrorist financing", meets("terrorist financing", c, o)
        and bool(o & {"property", "proceeds"} or "finance" in c or "fund" in c))
    add("bribery", meets("bribery", c, o) or "bribe" in c)
    add("embezzlement", meets("embezzlement", c, o))
    add("trading in influence", "influence" in o and "gratification" in o)
    add("illicit enrichment", meets("illicit enrichment", c, o))
    add("participation in an organized criminal group", meets("participation in an organized criminal group", c, o))
    add("obstruction of justice", "pervert" in c or meets("obstruction of justice", c, o))
    add("incitement and conspiracy", meets("incitement and conspiracy", c, o))
    return found


# -- reading one section -------------------------------------------------------------------

ActDefinitions = dict[str, str]  # defined term (lower case) -> its definition text


def offence_record(
    prov: Provision, doc, headings: list[str], topic: str,
    definitions: ActDefinitions, penalties: PenaltyFacts | None,
    units: list[tuple[int, int, str]] | None = None,
) -> OffenceRecord | None:
    """The record of one section, or None when it creates no offence.

    `doc` is the spaCy doc of the lower-cased text (patterns here ignore case), `headings`
    the section's heading then its ancestors' (nearest first), `units` the (start, end, label
    path) of its subdivisions (`penalty_links.unit_spans`): the offence statements are read
    per subsection.
    """
    heading = prov.heading.replace("\u00ad", "")  # soft hyphens in the LII scrapes: "Confiden\u00adtiality"
    if INTERPRETATION.search(heading) or POWER_HEADING.search(heading) or (
            NON_OFFENCE_HEADING.search(heading) and not OFFENCE_HEADING.search(heading)):
        return None
    text = prov.text
    if re.search(r"\bgeneral\s+penalt", heading, _F) or ((m := GENERAL_PENALTY.search(text)) and m.start() < 200):
        return None  # "an offence under this Part for which no penalty is provided is liable": a penalty, not an offence
    trigger = TRIGGER.search(text)
    if trigger is None and penalties is None:
        return None
    head_conduct: list[str] = []
    # ("Failure to deliver up revoked licence": an omission; "Concealing or transferring proceeds of
    # trafficking": the source of the proceeds; "traffic officer": not an act.)
    head_words = re.sub(r"\b(?:failure|failing|neglect|refusal|omission)\s+to\s+\w+|\b(?:proceeds|benefits?)\s+(?:of|from)\s+\w+"
                        r"|\btraffic\s+(?:officers?|wardens?|offen[cs]es?|signs?|lights?)", " ", heading.lower())
    for word in ([] if ADMIN_HEADING.search(heading) else re.findall(r"[a-z]+", head_words)):  # "Laundering proceeds of crime"
        if head_conduct[:1] == ["permit"]:
            break  # "Permitting premises to be used for the unlawful dealing in ... drugs"
        verb = CONDUCT.get(word) or CONDUCT.get(re.sub(r"(?:s|ing)$", "", word))
        if verb and verb not in head_conduct and word not in NOT_CONDUCT | VICTIM_WORDS | AGENT_NOUNS:
            head_conduct.append(verb)
    if re.search(r"\bin\s+(?:the\s+)?possession\s+of\b", heading, _F) and "possess" in head_conduct:
        head_conduct.remove("possess")  # "Safeguarding stocks of firearms in possession of dealers"
    subject, subject_from = subject_of(headings, topic)
    statements = offence_statements(doc, units or [], penalties)
    strict = strict_liability(text)
    conduct: list[str] = []
    objects: list[str] = []
    words: list[str] = []
    widened: list[str] = []
    kept: list[str] = []
    read: list[OffenceStatement] = []
    for where, clauses, offence_text in statements:
        s_conduct = list(head_conduct)
        for verb in (v for clause in clauses for v in clause.conduct):
            if verb not in s_conduct:
                s_conduct.append(verb)
        body = "\n".join([prov.heading, *(c.text for c in clauses)])
        for pattern, verb in PHRASE_CONDUCT:
            if pattern.search(body) and verb not in s_conduct:
                s_conduct.append(verb)
        object_body = "\n".join([prov.heading, *(c.object_text for c in clauses)])
        s_objects, s_words = _objects(object_body, subject)
        _through_definitions(body, definitions, s_conduct, s_objects, s_words, widened, subject, object_body)
        kept += [c.text for c in clauses]
        if s_conduct:
            read.append(OffenceStatement(where, s_conduct, s_objects, strict_liability=_strict(where, strict)))
        for verb in s_conduct:
            if verb not in conduct:
                conduct.append(verb)
        for kind, word in zip(s_objects, s_words):
            if kind not in objects:
                objects.append(kind)
                words.append(word)
    if not conduct:
        return None
    body = "\n".join([prov.heading, *kept])
    # Aggravating circumstances sit as often in the penalty clauses ("where the victim is a child").
    whole = "\n".join([prov.heading, *(s.text for s in doc.sents if not EXCLUDED_SENTENCE.search(s.text))])
    record = OffenceRecord(
        provision=prov.id,
        conduct=conduct,
        objects=objects,
        object_words=words[:12],
        mental=[name for name, p in MENTAL if p.search(body)],
        purpose=[name for name, p in PURPOSE if p.search(body)],
        means=[name for name, p in MEANS if p.search(body)],
        circumstances=[name for name, p in CIRCUMSTANCES if p.search(whole)],
        subject=subject,
        subject_from=subject_from,
        trigger=trigger.group(0).strip() if trigger else (penalties.reference or "penalty") if penalties else "",
        via_definitions=widened,
        statements=read,
    )
    if penalties is not None and not penalties.tiers and penalties.reference:
        record.penalty_note = penalties.unread or f"penalty set in the {penalties.reference}, which is not in the corpus"
    record.categories = categorise(record)
    if (m := GENERAL_PENALTY.search(text)) and m.group("contravention"):
        record.categories = []  # the Act's residual offence list: "(h) contravenes ... any provision of this Act"
    elif PRINCIPAL_RULE.search(text) or PARTIES_HEADING.search(heading):
        record.categories = [c for c in record.categories if c in ACCESSORY_CATEGORIES]
    return record


# An offence list that holds the contravention of any provision of the Act ("(h) contravenes or fails
# to comply with any provision of this Act ; (i) wilfully points any arm ... (m) ... supplies an arm to
# a person whom he or she knows ... to be under the influence of liquor", NAM Arms and Ammunition Act
# s.38) is the Act's residual offences; the prohibitions it punishes are read where they are made.
# Parties to offences ("Any person who (a) aids, counsels, abets or procures ...; (c) supplies ... any
# person with firearms for use to commit an offence under section 1 or 2 ... shall be deemed to be
# guilty of the offence as a principal offender", NGA Robbery and Firearms Act s.6) are accessories of
# the offence they name, not offences of the category their words mention.
PRINCIPAL_RULE = re.compile(r"\bdeemed\s+to\s+(?:be\s+guilty\s+of|have\s+committed)\s+(?:the|that|such)\s+offen[cs]e\b"
                            r"[^.;]{0,40}?\bas\s+(?:a\s+)?principal", _F)
PARTIES_HEADING = re.compile(r"\bparties\s+to\s+(?:the\s+)?(?:offen[cs]es?|crimes?)\b|\bprincipal\s+offenders?\b", _F)
ACCESSORY_CATEGORIES = frozenset({"incitement and conspiracy"})


# "(3) An offence against subsection (1) or (1A) is an offence of absolute liability", "An offence
# against any of subsections (1) to (4) is an offence of strict liability" (AUS Migration Act ss.229,
# 230, 247): the whole offence, not one element of it ("Absolute liability applies to paragraph
# (1)(c)"), needs no fault. The conventions' offences are all committed intentionally, so such an
# offence (the carrier's, the master's) is of none of their categories.
STRICT_LIABILITY = re.compile(
    r"\ban\s+offen[cs]e\s+(?:against|under)\s+(?P<what>this\s+section|(?:any\s+of\s+)?sub-?sections?\s*[^.;]{0,60}?)\s+is\s+an\s+"
    r"offen[cs]e\s+of\s+(?:strict|absolute)\s+liability\b",
    _F,
)


def strict_liability(text: str) -> set[str]:
    """The subsection labels ("(1)", "(1A)") whose offence is one of strict or absolute liability;
    "" for the whole section."""
    found: set[str] = set()
    for m in STRICT_LIABILITY.finditer(text):
        what = m.group("what")
        labels = re.findall(r"\(\s*(\d+[A-Za-z]{0,2})\s*\)", what)
        if what.lower().startswith("this") or not labels:
            found.add("")
            continue
        found.update(f"({label})" for label in labels)
        if r := re.search(r"\((\d+)\)\s+to\s+\((\d+)\)", what):
            found.update(f"({n})" for n in range(int(r.group(1)), int(r.group(2)) + 1))
    return found


def _strict(where: str, strict: set[str]) -> bool:
    return "" in strict or where in strict or (not where and bool(strict))


# Sentences that say who does what: "Any person who", "No person shall", "It shall be unlawful".
FRAME = re.compile(
    r"\bwho(?:ever)?\b|\bno\s+(?:person|one)\b|\b(?:shall|must|may)\s+not\b|\bunlawful\b|\bcommits?\s+an?\s+offen[cs]e\b"
    r"|\bguilty\s+of\b|\bif\s+(?:the|a|any|that)\s+person\b|\bevery\s*(?:one|person)\b|\b(?:any|a)\s+person\b|\bif\s+(?:he|she)\b",
    _F,
)
LIST_ITEM_START = re.compile(r"^\s*(?:(?:or|and)\s+)?(?:\(\s*[a-z0-9]{1,5}\s*\)|[a-z0-9]{1,4}\))", _F)
# The exception a clause carves out ("unless ... prescription", "except under a licence") is no conduct.
# ("... any product obtained from ... opium ...: Provided that if the Minister is satisfied ..., he may ...
# direct that this section shall cease to apply": a proviso is an exception too.)
EXCEPTION_TAIL = re.compile(r"\b(?:unless|except|other\s+than|save\s+(?:as|under|in)|without\s+prejudice|otherwise\s+than|"
                            r"provided\s+(?:always\s+)?that)\b.*", _F | re.S)
# A subsection label opening a sentence, where the parser left no subdivisions: "(2) A person who ...".
SUBSECTION_START = re.compile(r"^\s*\((\d+[A-Za-z]{0,2})\)")


def offence_clauses(sents):
    """The sentences that state the conduct: those with a frame ("Any person who"), and the
    list items that complete one ("who— (a) imports ...; (b) exports ..."), each cut before
    its exception; defences and definitions are skipped. `sents` is a doc (its sentences
    are read) or a list of sentence spans."""
    in_list = skipping = False
    for sent in getattr(sents, "sents", sents):
        text = sent.text.strip()
        if skipping and not SUBSECTION_START.match(text):
            continue  # the rest of the subsection "the following persons are prohibited immigrants— (a) ..."
        skipping = False
        if EXCLUDED_SENTENCE.search(text):
            in_list = False
            skipping = bool(re.search(r"[—–:-]\s*$", text) or CLASS_LIST.search(text))
            continue
        frame = FRAME.search(sent.text)
        if frame or (in_list and LIST_ITEM_START.match(text)):
            in_list = in_list or bool(frame)
            # "Except as authorized ..., no person shall produce": only an exception after the frame cuts.
            cut = EXCEPTION_TAIL.search(sent.text, frame.end() if frame else 0)
            piece = sent.doc.char_span(sent.start_char, sent.start_char + cut.start(), alignment_mode="contract") if cut else None
            yield piece if piece is not None and len(piece) else sent
        elif not LIST_ITEM_START.match(text) and not CONNECTOR.match(text):
            in_list = False  # ("or" / "and" alone between two items keeps the list open)


# Who someone is, what they fail to do, what is done to them are not acts of the offence:
# "no person other than a registered firearms dealer shall repair", "(b) on finding a firearm ...
# does not deliver it to a peace officer", "a noncitizen is brought into Australia" (the
# master's strict liability); a passive prohibition ("No drug shall be imported") is an act.
AGENT_NOUNS = frozenset({"dealer", "dealers", "trafficker", "traffickers", "abettor", "abettors", "smugglers"})
OMISSION_BEFORE = re.compile(r"\b(?:not|fails?\s+to|failing\s+to|neglects?\s+to|refuses?\s+to|omits?\s+to)\s+(?:\w+\s+){0,1}$", _F)
PASSIVE_BEFORE = re.compile(r"(?<!shall\s)(?<!must\s)(?<!shall\snot\s)(?<!may\snot\s)\b(?:is|are|was|were|been|being|be)\s+(?:\w+ly\s+)?$", _F)
# "a trafficked person", "smuggled migrants": the victim, not the offender's act.
VICTIM_WORDS = frozenset({"trafficked", "smuggled"})

# -- offence statements: which clauses state the offence's own conduct ------------------------

# What the offender does "for the purpose of", "with intent to", "with a view to" is the
# purpose, not the conduct ("travels ... with intent to distribute the proceeds of any unlawful
# activity" does not launder; "possesses ... for the purpose of trafficking" possesses); so is what
# the offender knows a thing will be used for ("imports into New Zealand any precursor substance
# knowing that it will be used to commit an offence under section 6(1)(b) (which is the offence of
# producing or manufacturing any controlled drug)": the import of a precursor, not of a drug).
PURPOSE_SPAN = re.compile(
    r"\b(?:for\s+the\s+purposes?\s+of|with\s+(?:the\s+)?intent(?:ion)?\s+(?:to|of|that)|intending\s+(?:to|that)|"
    r"with\s+a\s+view\s+to|in\s+order\s+to|so\s+as\s+to|for\s+use\s+in|to\s+be\s+used\s+(?:for|in)|"
    r"for\s+(?:the\s+)?(?:illicit|unlawful|illegal)\b(?=\s+\w+)|"
    r"knowing\s+(?:or\s+(?:believing|having\s+reason\s+to\s+believe)\s+)?that\s+(?:it|they|the\s+\w+(?:\s+\w+)?)\s+"
    r"(?:will|is\s+to|are\s+to|is\s+intended\s+to|may)\s+be\s+used)\b[^,;:\n]*",
    _F,
)
# A power or function of an authority is no offence: "The Minister may ... order any prohibited
# immigrant ... to be deported", "The Director may at any time inspect ...", "an authorised officer may",
# "(3) If an immigration officer is of the opinion that any person who has entered Malawi ...".
POWER = re.compile(
    r"^\W*(?:\(\w+\)\s*)*(?:where\b[^,]{0,120},\s*|(?:if|where|when)\s+)?(?:the|an?|any)\s+(?:[\w-]+\s+){0,3}?(?:minister|director|commissioner|court|judge|"
    r"magistrate|officer|inspector|registrar|authority|board|centre|center|agency|controller|comptroller|secretary|"
    r"president|attorney[- ]general|tribunal|police|constable|unit|council|commission)\b[^.;]{0,80}?"
    r"\b(?:may|shall|is\s+of\s+(?:the\s+)?opinion|is\s+satisfied)\b"
    r"(?!\s+not\b)(?!\s+(?:\w+\s+){0,2}?be\s+(?:guilty|liable|punish|fined|imprison|convicted|sentenced))",
    _F,
)
# A positive duty ("Every registered firearms dealer shall keep a register ...", "Any person who
# deals in firearms shall provide ...") states an obligation whose breach is the offence: the
# acts named while saying who bears it are not the offence's conduct. "No person shall", "shall
# not", "shall be guilty / liable / punished" are prohibitions and liabilities, not duties.
DUTY = re.compile(
    r"\b(?:shall|must)\s+(?!not\b|be\s+(?:guilty|liable|punish|fined|imprison|convicted|sentenced|deemed|an?\s+offen)|"
    r"on\s+conviction|upon\s+conviction|(?:\w+\s+){0,2}?(?:be\s+)?(?:guilty|liable|punish))",
    _F,
)
# "(5) Any person who is convicted of any offence in terms of subsection (1) which involves a
# contravention of any provision of this Act relating to ... the dispensing of prescriptions containing
# any drug ... shall be liable": the punishment of an offence stated elsewhere, whose words only name it.
PUNISHES_ANOTHER = re.compile(
    r"(?:^|\]|\(\w{1,4}\))\W*(?:subject\s+to\b[^,]{0,80},\s*)?(?:any|a|every|the)\s+person\s+(?:who\s+(?:is|has\s+been)\s+|being\s+)?"
    r"convicted\s+of\s+(?:an?|any|the)\s+(?:such\s+)?offen[cs]e",
    _F,
)
PROHIBITION = re.compile(r"\bno\s+(?:person|one)\b|\b(?:shall|must|may)\s+not\b|\bunlawful\b|\bprohibited\s+for\b", _F)
# Nouns of conduct ("the trafficking of", "money laundering", "a trafficked person", "the sale of
# firearms") name an act, not necessarily the offender's: they count only after the words that
# make it the offender's ("engages in the trafficking of", "commits money laundering", "is
# concerned in the importation of", "any act of money laundering"); the headings are read apart.
NOMINAL = re.compile(r"(?:ion|ment|ery|acy|al|ance|ancy)$|^(?:laundering|trafficking|trafficked|smuggling|smuggled|"
                     r"financing|dealing|sale|possession)$")
OWN_ACT_BEFORE = re.compile(
    r"\b(?:engag\w*|concerned|involved|participat\w*|commit\w*|guilty|offen[cs]es?|crimes?|acts?|tak\w+\s+part|indulg\w*|"
    r"carr\w+\s+on|found|attempt\w*)\s+(?:in|of|on|to)?\s*(?:the\s+|any\s+|an?\s+)?(?:\w+\s+){0,1}$",
    _F,
)


# "shall not permit", "knowingly permits", "who suffers ... to be used": the act is permitting.
PERMITS = re.compile(r"\b(?:not|knowingly|wilfully|who|or|and)\s+(?:\w+\s+){0,1}$", _F)


# "... a money laundering offence", "money laundering and terrorist financing risks": the noun
# names a kind of offence or a risk, not an act.
NAMES_A_CLASS = re.compile(r"^(?:\s+(?:and|or|\w+)){0,3}?\s+(?:offen[cs]es?|risks?|activit\w+|investigations?|purposes?|"
                           r"cases?|matters?|measures|schemes?|proceedings?|prevention|controls?)\b", _F)


class _Clause:
    """One clause of an offence statement: its text, its conduct, and the text its objects are read from."""

    __slots__ = ("text", "conduct", "object_text")

    def __init__(self, text: str, conduct: list[str], object_text: str):
        self.text, self.conduct, self.object_text = text, conduct, object_text


def _chunk_key(sent, units: list[tuple[int, int, str]], previous: str) -> str:
    """The numbered subsection a sentence sits in ("(2)"); lettered paragraphs at the top ("(a)"
    under "Whoever—", or a US Code "(a)") complete one statement and are not cut apart."""
    if units:
        where = ""
        for start, end, path in units:
            if start <= sent.start_char < end and len(path) >= len(where):
                where = path
        top = re.match(r"\((\d+[A-Za-z]{0,2})\)", where)
        return top.group(0) if top else previous
    label = SUBSECTION_START.match(sent.text)
    return f"({label.group(1)})" if label else previous


def offence_statements(doc, units: list[tuple[int, int, str]], penalties: PenaltyFacts | None
                       ) -> list[tuple[str, list[_Clause], str]]:
    """(subsection, clauses, text) of each statement that states an offence.

    A section is read subsection by subsection: "(1) Every registered firearms dealer shall keep a
    register of ... the sale, transfer ... of firearms" / "(5) Any person who (a) contravenes any
    provision of this section ... shall be guilty of an offence" makes (5) the offence, not the
    sale of firearms. A subsection states an offence when it has the words of one (TRIGGER:
    "commits an offence", "No person shall", "shall be unlawful", "is liable to") or sets a
    penalty tier; when none does (the penalty is set in another section), every subsection counts.
    In each: powers of an authority and positive duties give no conduct; purposes ("with intent
    to ...", and the list items after a dangling "with intent to—") give neither conduct nor
    object; nouns of conduct count only as the offender's act (`NOMINAL`)."""
    keys: list[tuple[int, str]] = []
    texts: dict[str, list[str]] = {}
    key = ""
    first = next(iter(doc.sents), None)
    # Without the parser's subdivisions, "(1)", "(2)" open subsections only in a section that starts
    # with one; "Whoever ..., with intent to— (1) ...; (2) ..." is one statement.
    numbered = bool(units) or (first is not None and bool(SUBSECTION_START.match(first.text)))
    for sent in doc.sents:
        key = _chunk_key(sent, units, key) if numbered else ""
        keys.append((sent.start_char, key))
        if not EXCLUDED_SENTENCE.search(sent.text):
            texts.setdefault(key, []).append(sent.text)
    starts = [k[0] for k in keys]
    clauses: dict[str, list[_Clause]] = {k: [] for k in texts}
    for clause, start in _clauses(doc):
        at = bisect.bisect_right(starts, start) - 1
        clauses.setdefault(keys[max(at, 0)][1], []).append(clause)
    tiers_at = {m.group(0) for t in (penalties.tiers if penalties else [])
                if (m := re.match(r"\((\d+[A-Za-z]{0,2})\)", t.where or ""))}
    found = []
    for where, lines in texts.items():
        text = "\n".join(lines)
        offence = bool(TRIGGER.search(text)) or (bool(where) and where in tiers_at)
        found.append((where, clauses.get(where, []), text, offence))
    stated = [f for f in found if f[3]]
    return [(w, c, t) for w, c, t, _ in (stated or found)]


LIST_ITEM_LABEL = re.compile(r"^\s*(?:(?:or|and)\s+)?\(\s*([a-z0-9]{1,5})\s*\)", _F)
# A list that opens inside a purpose: "to be used for— (i) ...".
PURPOSE_LIST = re.compile(r"(?:—|–|--|:|-)\s*\(\s*([a-z0-9]{1,5})\s*\)", _F)


def _clauses(doc) -> list[tuple[_Clause, int]]:
    """The offence clauses of a section (`offence_clauses`), each with its conduct, and where it starts."""
    out: list[tuple[_Clause, int]] = []
    purpose_items = False
    purpose_kind: str | None = None  # the label type of the items that complete a purpose ("a", "i")
    for span in offence_clauses(doc):
        text = span.text
        label = LIST_ITEM_LABEL.match(text)
        is_item = label is not None
        if not is_item:
            purpose_items = False
        elif purpose_items:
            kind = label_type(label.group(1))
            purpose_kind = purpose_kind or kind
            if kind != purpose_kind:
                purpose_items = False  # "(d) diverts a precursor ..." after the "(i)", "(ii)" of the purpose
        if purpose_items or POWER.search(text):
            continue
        if DUTY.search(text) and not PROHIBITION.search(text):
            continue
        purposes = [m.span() for m in PURPOSE_SPAN.finditer(text)]
        if purposes and len(text[purposes[-1][1]:].split()) < 2 and len(re.findall(r"\w+", text[purposes[-1][0]:purposes[-1][1]])) <= 5:
            purpose_items, purpose_kind = True, None  # "... with intent to—" / "(1) distribute the proceeds ..."
        elif purposes and (inner := PURPOSE_LIST.search(text, purposes[-1][0], purposes[-1][1])):
            # "permits the premises to be used for— (i) the preparation of ...; or (ii) the manufacture ...":
            # the list opens inside the purpose, and its items are uses of the premises, not acts.
            purpose_items, purpose_kind = True, label_type(inner.group(1))
            purposes[-1] = (purposes[-1][0], len(text))
        if punished := PUNISHES_ANOTHER.search(text):
            purposes.append((punished.start(), len(text)))  # the words after it only name that offence
        base = span.start_char
        conduct: list[str] = []
        for token in span:
            at = token.idx - base
            if any(a <= at < b for a, b in purposes):
                continue
            if token.lower_ in NOT_CONDUCT:
                continue  # "as provided in"
            if token.i > 0 and token.doc[token.i - 1].text == "-" and not token.doc[token.i - 1].whitespace_:
                continue  # "dependence-producing"
            verb = CONDUCT.get(token.lemma_) or CONDUCT.get(token.lower_)
            if not verb or _not_conduct(token, verb):
                continue  # "deal with the vessel", "produce any document", "conceal any book"
            if verb == "traffic" and NOT_TRAFFICKING.match(text[at + len(token.text):at + len(token.text) + 20]):
                continue  # "any constable, or any traffic officer"
            if token.lower_ in AGENT_NOUNS or OMISSION_BEFORE.search(text[max(0, at - 30):at]) or (
                    token.lower_ != token.lemma_ and not token.lower_.endswith(("s", "ing"))
                    and PASSIVE_BEFORE.search(text[max(0, at - 20):at])):
                continue  # "a registered firearms dealer", "does not deliver it", "a noncitizen is brought into"
            if NOMINAL.search(token.lower_) and token.lower_ != verb and (
                    not OWN_ACT_BEFORE.search(text[max(0, at - 40):at])
                    or NAMES_A_CLASS.match(text[at + len(token.text):at + len(token.text) + 60])):
                continue
            if verb == "permit" and token.lower_ in ("permit", "allow", "suffer") and not PERMITS.search(text[max(0, at - 30):at]):
                continue  # "without a permit", "a licence permitting him to import"
            if conduct and conduct[0] == "permit":
                break  # "shall not permit the premises to be used for ... sale": the occupier permits
            if verb not in conduct:
                conduct.append(verb)
        object_text = text
        for a, b in reversed(purposes):
            object_text = object_text[:a] + " " * (b - a) + object_text[b:]
        out.append((_Clause(text, conduct, object_text), span.start_char))
    return out


def _objects(text: str, subject: str) -> tuple[list[str], list[str]]:
    objects, words = [], []
    for kind, pattern in OBJECTS:
        m = pattern.search(text)
        if m:
            objects.append(kind)
            words.append(m.group(0).lower())
    if m := TRAFFIC_IN_PERSONS.search(text):
        objects.append("trafficked person")
        words.append(m.group(0).lower())
    if m := PERSON_MOVED.search(text):
        objects.append("person moved")
        words.append(m.group(0).lower()[-60:])
    if "drug" not in objects and subject == "drugs" and (m := BARE_DRUG.search(text)):
        objects.insert(0, "drug")  # a drugs law's "drug" is the drug it controls
        words.insert(0, m.group(0).lower())
    # (not "deal in or use any property ... for the purpose of committing an offence under this Act": the
    # property is what is used, not a drug)
    if subject == "drugs" and "drug" not in objects and not set(objects) - {"offence", "person", "person moved"}:
        objects.insert(0, "drug")  # "finances any of the activities specified in section 2(viiib)"
        words.insert(0, f"(the {subject} law's subject)")
    return objects, words


def _through_definitions(
    text: str, definitions: ActDefinitions, conduct: list[str], objects: list[str], words: list[str],
    widened: list[str], subject: str, object_text: str | None = None,
) -> None:
    """Widen conduct and object with the Act's own definitions of the words the section uses; objects
    only from the words that name what the acts are done to (`object_text`: purposes left out)."""
    if not definitions:
        return
    low = text.lower()
    object_low = low if object_text is None else object_text.lower()
    for term, body in definitions.items():
        if len(term) < 3 or not re.search(r"\b" + re.escape(term) + r"\b", low):
            continue
        body = DEFINITION_EXCLUSION.sub(" ", body)  # "any process ... (other than the cultivation of a plant)"
        verb = CONDUCT.get(term) or CONDUCT.get(term.rstrip("s"))
        if verb and verb in conduct:
            for token in re.findall(r"[a-z]+", body.lower()):
                extra = CONDUCT.get(token) or CONDUCT.get(re.sub(r"(?:ing|s)$", "", token)) or \
                    CONDUCT.get(re.sub(r"ing$", "e", token)) or CONDUCT.get(re.sub(r"es$", "", token))
                if extra and extra not in conduct and extra in TRAFFIC_CONDUCT | {"possess"}:
                    conduct.append(extra)
                    if term not in widened:
                        widened.append(term)
        kinds, _ = _objects(body, "") if re.search(r"\b" + re.escape(term) + r"\b", object_low) else ([], [])
        for kind in kinds:
            if kind in DEFINED_OBJECT and DEFINED_OBJECT[kind].search(term) and kind not in objects:
                objects.append(kind)
                words.append(f"{term} (defined)")
                if term not in widened:
                    widened.append(term)


# A defined term widens the object only when the term itself names that kind of thing
# ("prohibited plant" -> drug); "sentence", defined by listing drug orders, does not.
DEFINED_OBJECT = {
    "drug": re.compile(r"drug|substance|plant|narcotic|psychotropic|preparation", _F),
    "precursor": re.compile(r"precursor|chemical", _F),
    "firearm": re.compile(r"arm|gun|weapon|ammunition|rifle|pistol", _F),
    "child": re.compile(r"child|minor|young|juvenile", _F),
    # (a term that names proceeds: "proceeds of crime", "tainted property", "benefit"; not "property",
    # however its definition reads: "use any property ... for the purpose of committing an offence")
    "proceeds": re.compile(r"proceeds|tainted|criminal\s+property|benefit|instrumentalit", _F),
    "terrorist": re.compile(r"terror", _F),
    "migrant": re.compile(r"entrant|immigrant|citizen|alien|migrant|foreigner", _F),
}


# What a definition leaves out is not in it: "manufacture means any process by which a substance is
# produced (other than the cultivation of a plant)", "... but does not include ...".
DEFINITION_EXCLUSION = re.compile(r"\(\s*(?:other\s+than|except|excluding|not\s+including)\b[^)]*\)"
                                  r"|\b(?:but\s+)?(?:does|do)\s+not\s+include\b[^.;]*", _F)
# A definition that only points to another: "traffics has the meaning given by section 302.1".
POINTER_DEFINITION = re.compile(r"^\s*has\s+the\s+(?:same\s+)?meaning\s+(?:given|assigned)\s+(?:to\s+it\s+)?(?:by|in)\b", _F)


def act_definitions(definition_lists: Iterable[Iterable]) -> ActDefinitions:
    """All definitions of one Act: term (lower case) -> text; the first definition of a term wins,
    except that one pointing to another section gives way to that section's own ("Meaning of traffics")."""
    found: ActDefinitions = {}
    for definitions in definition_lists:
        for d in definitions:
            term = d.term.lower().strip(" “”\"'")
            if term not in found or (POINTER_DEFINITION.match(found[term]) and not POINTER_DEFINITION.match(d.text)):
                found[term] = d.text
    return found
