"""Category precision and general penalties on the real statutes (#11): each provision below was
read in the corpus; the rules that decide them name no country, file or section."""

from __future__ import annotations

import functools

import pytest

from harmonize.analyze.facts import analyze_instrument
from harmonize.model import ProvisionFacts

from conftest import manifest_entry, parse_corpus_file


@functools.lru_cache(maxsize=None)
def _facts(source: str) -> dict[str, ProvisionFacts]:
    """Facts of every section of one real instrument, by section number (the first of a number)."""
    doc = parse_corpus_file(source)
    analysed = analyze_instrument(doc.provisions, doc.instrument.language, manifest_entry(source).topic)
    out: dict[str, ProvisionFacts] = {}
    for prov in doc.provisions:
        if prov.id in analysed:
            out.setdefault(prov.number, analysed[prov.id])
    return out


def facts(source: str, number: str) -> ProvisionFacts:
    return _facts(source)[number]


def categories(source: str, number: str) -> list[str]:
    offence = facts(source, number).offence
    return list(offence.categories) if offence else []


MWI_DDA = "national/MWI/dangerous-drugs-act-1955.json"
ZWE_DDA = "national/ZWE/dangerous-drugs-act-1955.json"


# -- the general penalty "Any person— (a) who acts in contravention of ... any provision of this Act" --


def test_contravention_of_any_provision_is_the_acts_general_penalty() -> None:
    # MWI Dangerous Drugs Act s.19(1): "Any person— (a) who acts in contravention of or fails to comply
    # with any provision of this Act; ... shall subject to subsection (2), be liable to a fine of
    # K500,000 and to imprisonment for life." The plain prohibitions of the Act borrow it.
    for number in ("4", "8", "11", "13"):  # "No person shall import into or export from Malawi ...", "trade in"
        pen = facts(MWI_DDA, number).penalties
        assert pen is not None and pen.life, number
        assert all(t.source and t.source.endswith("/sec-19") for t in pen.tiers), number
        assert pen.reference.startswith("general penalty for any contravention")
    # s.19 itself is the penalty, not an offence of any category
    assert facts(MWI_DDA, "19").offence is None
    assert "drug trafficking" in categories(MWI_DDA, "8")  # "No person shall import ... any prepared opium"


def test_a_penalty_for_a_named_offence_stated_elsewhere_gives_no_conduct() -> None:
    # ZWE Dangerous Drugs Act s.19 ((1)(a) elided in the scrape): "(5) Any person who is convicted of any
    # offence in terms of subsection (1) which involves a contravention of any provision of this Act
    # relating to the keeping of books or the issuing or dispensing of prescriptions ..." punishes a
    # record-keeping offence; "(c) ... produces or makes use of any such declaration" produces a paper.
    assert "drug trafficking" not in categories(ZWE_DDA, "19")


# -- category precision: offences that are not of the category their words mention --------------


@pytest.mark.parametrize(
    "source, number, category",
    [
        # permitting premises to be used for dealing: the act is permitting ("being the occupier of any
        # premises, permits those premises to be used for purpose of the unlawful cultivation, ... sale")
        ("national/ZWE/criminal-law-codification-reform-act-2004.json", "159", "drug trafficking"),
        # use, utensils, premises "to be used for— (i) ...; (ii) the manufacture, production, sale ..."
        ("national/UGA/narcotic-drugs-psychotropic-substances-control-act-2024.json", "6", "drug trafficking"),
        # imports a precursor "knowing that it will be used to commit an offence under section 6(1)(b)
        # (which is the offence of producing or manufacturing any controlled drug)"
        ("national/NZL/misuse-of-drugs-act-1975.md", "12AB", "drug trafficking"),
        # parties: "supplies ... any person with firearms for use to commit an offence under section 1 or
        # 2 ... shall be deemed to be guilty of the offence as a principal offender"
        ("national/NGA/robbery-and-firearms-special-provisions-act.json", "6", "firearms trafficking"),
        # the Act's residual offences: "(h) contravenes or fails to comply with any provision of this Act"
        ("national/NAM/arms-ammunition-act-1996.json", "38", "firearms trafficking"),
        # "deal in or use any property ... for the purpose of committing an offence under this Act"
        ("national/ZMB/narcotic-drugs-psychotropic-substances-act-2021.json", "29", "money laundering"),
        # obstruction of the Commission: "destroy, alter, conceal or remove any book, document ..."
        ("national/ZMB/narcotic-drugs-psychotropic-substances-act-2021.json", "64", "money laundering"),
        # repair, test or proof of a firearm without a permit
        ("national/ZMB/firearms-act-1969.json", "35", "firearms trafficking"),
        # "cultivates, produces or manufactures a dangerous drug for his or her own consumption"
        ("national/ZWE/criminal-law-codification-reform-act-2004.json", "157", "drug trafficking"),
        ("national/ZWE/criminal-law-codification-reform-act-2004.json", "157", "possession for trafficking"),
        # the carrier's offence "of absolute liability": "(1A) ... (b) the person brings a noncitizen into
        # Australia by air on the aircraft; and (c) the noncitizen is the holder of a maritime crew visa"
        ("national/AUS/migration-act-1958-vol1.md", "229", "smuggling of migrants"),
    ],
)
def test_offence_is_not_of_the_category_its_words_mention(source, number, category) -> None:
    assert category not in categories(source, number)


@pytest.mark.parametrize(
    "source, number, category",
    [
        ("national/ZWE/criminal-law-codification-reform-act-2004.json", "156", "drug trafficking"),
        ("national/NZL/misuse-of-drugs-act-1975.md", "12AB", "precursors and equipment"),
        ("national/NZL/misuse-of-drugs-act-1975.md", "6", "drug trafficking"),
        ("national/UGA/narcotic-drugs-psychotropic-substances-control-act-2024.json", "5", "drug trafficking"),
        ("national/UGA/narcotic-drugs-psychotropic-substances-control-act-2024.json", "6", "precursors and equipment"),
        ("national/AUS/migration-act-1958-vol1.md", "233A", "smuggling of migrants"),
        ("national/NGA/robbery-and-firearms-special-provisions-act.json", "6", "incitement and conspiracy"),
        ("national/ZWE/criminal-law-codification-reform-act-2004.json", "157", "personal-use possession"),
    ],
)
def test_the_offences_of_the_category_stay(source, number, category) -> None:
    assert category in categories(source, number)


# -- death sentenced and death merely named ---------------------------------------------------------


def test_death_named_as_a_condition_is_kept_apart_from_a_sentence_of_death() -> None:
    # IND IPC s.225: "... any person ... lawfully committed to custody ... if such person is under sentence
    # of death, shall be punished with imprisonment for life ...": death is the condition, life the sentence.
    pen = facts("national/IND/indian-penal-code-1860.xml", "225").penalties
    named = [t for t in pen.tiers if t.death_named]
    assert named and not pen.death and not any(t.death for t in pen.tiers)
    assert pen.most_severe.severity()[0] < 2  # never ranked as death
    # IPC s.132 (abetment of mutiny, if mutiny be committed): "be punished with death"
    assert facts("national/IND/indian-penal-code-1860.xml", "132").penalties.death


# -- penalties that cannot be read say why; those that can are followed ------------------------------


def test_a_penalty_set_by_another_offence_says_why_no_figure_is_read() -> None:
    # IND IPC s.109: "shall, if no express provision is made by this Code for the punishment of such
    # abetment, be punished with the punishment provided for the offence": no figure, and the record says so.
    f = facts("national/IND/indian-penal-code-1860.xml", "109")
    assert not f.penalties.tiers
    assert "another offence" in f.penalties.unread and "no term or fine" in f.penalties.unread
    assert f.offence is not None and f.offence.penalty_note == f.penalties.unread
    # CAN PCMLTFA s.73.13: "liable to a penalty determined in accordance with sections 73.1 and 73.11"
    pen = facts("national/CAN/proceeds-of-crime-money-laundering-terrorist-financing-act.xml", "73.13").penalties
    assert not pen.tiers and pen.unread.startswith("an administrative or civil penalty")


def test_the_same_punishment_as_named_sections_follows_the_penalty_they_take() -> None:
    # SGP TSOF Act s.6B: "liable on conviction to the same punishment as for the offence under section 3,
    # 4, 5 or 6"; ss.3-6 take their penalty from s.6A ("10 years").
    pen = facts("national/SGP/terrorism-suppression-of-financing-act-2002.json", "6B").penalties
    assert pen.max_months == 120 and pen.tiers[0].source.endswith("/sec-6A") and not pen.unread


# -- the whole-corpus self-check: what is not a penalty provision -------------------------------------


def _selfcheck():
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "bench" / "penalty_selfcheck.py"
    spec = importlib.util.spec_from_file_location("penalty_selfcheck", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _section_text(source: str, number: str) -> str:
    return next(p for p in parse_corpus_file(source).provisions if p.number == number and p.kind == "section").text


@pytest.mark.parametrize(
    "source, number",
    [
        ("national/MWI/penal-code-1929.json", "204"),  # "no person shall under any circumstances be liable to punishment"
        ("national/ZWE/extradition-act-1982.json", "4"),  # "the maximum punishment for which the person concerned would ... be liable"
        ("national/ZWE/extradition-act-1982.json", "14"),  # "is required to be sentenced or to undergo punishment"
        ("national/CAN/criminal-code.md", "802.1"),  # "if he or she is liable, on summary conviction, to imprisonment ..."
        ("national/TZA/penal-code-1930.json", "28"),  # "where in this Code it is provided that any person shall be liable"
        ("national/NZL/aml-cft-act-2009.md", "74"),  # "If a person is or may be liable to more than 1 civil penalty"
        ("national/BGD/arms-act-1878.json", "31"),  # "Nothing in this Act shall ... prevent any person ... from being liable"
        ("national/USA/usc-t21-ch13-drug-abuse-prevention-control.md", "881"),  # "a violation ... punishable by more than one year's"
        ("national/SGP/penal-code-1871.json", "41"),  # "described ... as being punishable with imprisonment for a specified term"
    ],
)
def test_selfcheck_does_not_count_descriptions_of_other_offences_as_penalty_provisions(source, number) -> None:
    clauses, reason = _selfcheck().sentencing_clauses(_section_text(source, number))
    assert clauses == [] and reason in ("describes other offences or persons", "negation or exemption", "definition")


@pytest.mark.parametrize(
    "source, number",
    [
        ("national/SGP/penal-code-1871.json", "364"),  # "... and if he is not sentenced to death, shall also be punished with caning"
        ("national/IND/indian-penal-code-1860.xml", "166"),  # "knowing it to be likely that he will ... shall be punished"
        ("national/ZMB/narcotic-drugs-psychotropic-substances-act-2021.json", "34"),  # "for which no penalty is provided is liable"
    ],
)
def test_selfcheck_still_counts_penalty_provisions(source, number) -> None:
    clauses, _ = _selfcheck().sentencing_clauses(_section_text(source, number))
    assert clauses


@pytest.mark.parametrize(
    "source, number, category",
    [
        # "Concealing or transferring proceeds of trafficking": laundering, the source named in the heading
        ("national/UGA/narcotic-drugs-psychotropic-substances-control-act-2024.json", "46", "drug trafficking"),
        # "uses any firearm ... against any constable, or any traffic officer"
        ("national/NZL/crimes-act-1961.md", "198A", "firearms trafficking"),
        # "Failure to deliver up revoked licence, etc.": an omission named in the heading
        ("national/CAN/firearms-act.xml", "114", "firearms trafficking"),
    ],
)
def test_words_of_the_heading_that_are_not_the_offenders_act(source, number, category) -> None:
    assert category not in categories(source, number)


def test_proceeds_of_trafficking_are_laundered() -> None:
    assert "drug money laundering" in categories("national/UGA/narcotic-drugs-psychotropic-substances-control-act-2024.json", "46")


def test_selfcheck_joins_hard_wrapped_lines_as_the_reader_does() -> None:
    # PAK PPC s.71: "... the offender shall not be" / "punished with the punishment of more than one of such
    # his offences": a limit on punishment, not a penalty, once the wrapped line is read whole.
    from harmonize.analyze.facts import without_illustrations

    text = without_illustrations(_section_text("national/PAK/pakistan-penal-code-1860.json", "71"))  # as the bench reads it
    clauses, reason = _selfcheck().sentencing_clauses(text)
    assert clauses == [] and reason == "negation or exemption"


def test_the_penalties_json_says_death_only_where_the_clause_sentences_to_death() -> None:
    from harmonize.service import penalty_record

    f = facts("national/IND/indian-penal-code-1860.xml", "225")
    record = penalty_record({"id": f.provision}, f)
    assert record["death"] is False
    assert any(t["death_named"] and not t["death"] for t in record["tiers"])
    assert f.to_dict()["penalties"]["tiers"][0].keys() >= {"death", "death_named"}
