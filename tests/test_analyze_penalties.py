"""Penalty extraction: the phrasings catalogued in harmonize/analyze/penalties.py, then real sections."""

from __future__ import annotations

import pytest

from harmonize.analyze.facts import analyze_instrument
from harmonize.analyze.penalties import extract_tiers, read_fine, read_tier

from conftest import by_number, parse_corpus_file


@pytest.mark.parametrize(
    "clause, min_months, max_months, life, death",
    [
        ("shall be punishable with rigorous imprisonment for a term which shall not be less than ten years but "
         "which may extend to twenty years and shall also be liable to fine", 120, 240, False, False),
        ("is liable to imprisonment for a term not exceeding 14 years", None, 168, False, False),
        ("liable to imprisonment for a term of not more than two years less a day", None, 24, False, False),
        ("shall be sentenced to a term of imprisonment which may not be less than 10 years or more than life",
         120, None, True, False),
        ("Penalty: Imprisonment for 10 years.", None, 120, False, False),
        ("shall be punished with death, or with transportation for life or any shorter term", None, None, True, True),
        ("shall be punished with imprisonment for life or any other rigorous imprisonment which shall not be less "
         "then seven years", 84, None, True, False),
        ("fined under this title or imprisoned not more than 20 years, or both", None, 240, False, False),
        ("to im-prisonment for a term of not less than two years or more than three years", 24, 36, False, False),
    ],
)
def test_terms_life_and_death(clause, min_months, max_months, life, death) -> None:
    tier = read_tier(clause)
    assert tier is not None
    assert (tier.min_months, tier.max_months, tier.life, tier.death) == (min_months, max_months, life, death)


def test_death_as_a_condition_is_not_a_penalty() -> None:
    tier = read_tier("if death or serious bodily injury results from the use of such substance shall be "
                     "sentenced to a term of imprisonment of not less than 20 years")
    assert tier is not None and not tier.death and tier.min_months == 240


def test_fines_amounts_currencies_and_multiples() -> None:
    fine = read_fine("liable to fine which shall not be less than one lakh rupees but which may extend to two lakh rupees")
    assert (fine.min_amount, fine.max_amount, fine.currency) == (100_000, 200_000, "rupees")
    assert read_fine("Penalty: Imprisonment for life or 7,500 penalty units, or both.").max_amount == 7500
    assert read_fine("a fine equivalent to five times the value of the proceeds").multiple == 5
    assert read_fine("liable to imprisonment for 3 years") is None


def test_minimum_that_is_only_an_alternative_to_a_fine_is_not_mandatory() -> None:
    tier = read_tier("shall be sentenced to a fine of twenty thousand naira or to imprisonment for a period of "
                     "not less than ten years, or to both")
    assert tier.min_months == 120 and not tier.mandatory_min


def test_corporal_punishment_and_modes() -> None:
    tier = read_tier("shall on conviction be punished with imprisonment for a term of not less than 5 years and "
                     "not more than 15 years and shall also be punished with caning with not less than 5 strokes")
    assert tier.corporal == "caning" and (tier.min_months, tier.max_months) == (60, 180)
    summary = read_tier("is guilty of an offence punishable on summary conviction and liable to a fine of not more "
                        "than $1,000 or to imprisonment for a term of not more than six months")
    assert summary.mode == "summary" and summary.max_months == 6 and summary.fine.max_amount == 1000


def test_minimum_given_in_a_following_list() -> None:
    tiers = extract_tiers([
        "(2) Every person who commits an offence is guilty of an indictable offence and liable to imprisonment "
        "for a term not exceeding 14 years and to a minimum punishment of imprisonment for a term of",
        "(a) in the case of a first offence, three years;",
        "(b) in the case of a second or subsequent offence, five years.",
    ])
    assert tiers[0].max_months == 168 and tiers[0].min_months == 36


# -- real sections --------------------------------------------------------------------------


def facts_of(source: str, number: str):
    doc = parse_corpus_file(source)
    facts = analyze_instrument(doc.provisions, doc.instrument.language)
    return facts[by_number(doc, number, "section").id]


def test_india_ndps_section_21_is_ten_to_twenty_years_and_fine() -> None:
    pen = facts_of("national/IND/ndps-act-1985.xml", "21").penalties
    assert pen.max_months == 240 and pen.min_months == 120 and pen.fine and not pen.death
    assert any(t.fine and t.fine.min_amount == 100_000 for t in pen.tiers)


def test_canada_cdsa_section_5_is_life_and_trafficking() -> None:
    facts = facts_of("national/CAN/controlled-drugs-and-substances-act.xml", "5")
    assert facts.penalties.life and facts.penalties.max_months == 120  # Schedule III or V: 10 years
    assert facts.penalties.min_months is None
    assert "drug trafficking" in [c.category for c in facts.categories]


def test_irpa_penalty_set_by_another_section_is_followed() -> None:
    facts = facts_of("national/CAN/immigration-and-refugee-protection-act.xml", "118")
    pen = facts.penalties
    assert pen.life and pen.fine
    assert pen.tiers[0].source == "CAN/immigration-and-refugee-protection-act/sec-120"
    assert "trafficking in persons" in [c.category for c in facts.categories]
    s122 = facts_of("national/CAN/immigration-and-refugee-protection-act.xml", "122").penalties
    assert s122.max_months == 168 and s122.tiers[0].source.endswith("/sec-123")


def test_bangladesh_arms_act_printed_section_20a_carries_death() -> None:
    pen = facts_of("national/BGD/arms-act-1878.json", "20A").penalties
    assert pen.death and pen.life and pen.max_months == 168


def test_non_english_instruments_are_not_analysed() -> None:
    doc = parse_corpus_file("national/BGD/narcotics-control-act-2018.bn.json")
    assert doc.instrument.language == "bn"
    assert analyze_instrument(doc.provisions, doc.instrument.language) == {}


def test_penalty_of_another_offence_named_as_a_condition_is_not_this_penalty() -> None:
    tier = read_tier("Whoever abets an offence punishable with death or imprisonment for life, if that offence be "
                     "not committed in consequence of the abetment, shall be punished with imprisonment of either "
                     "description for a term which may extend to seven years, and shall also be liable to fine")
    assert (tier.death, tier.life, tier.max_months) == (False, False, 84)


def test_extradition_threshold_describing_offences_is_not_a_penalty() -> None:
    tier = read_tier("(b) if the offence in respect of which his surrender is sought is not punishable with death "
                     "or with imprisonment for life or a term which is not less than twelve months;")
    assert tier is None
    assert read_tier("Whoever commits an offence under this section shall be punished with death").death


@pytest.mark.parametrize(
    "source, number, max_months, min_months, life, death, fine",
    [
        # (values read off the corpus text of each section)
        ("national/USA/usc-t21-ch13-drug-abuse-prevention-control.md", "841", 480, None, True, False, True),
        ("national/AUS/criminal-code-act-1995-vol2.md", "302.4", 120, None, False, False, True),
        ("national/NZL/misuse-of-drugs-act-1975.md", "6", 168, None, True, False, True),
        ("national/SGP/prevention-of-human-trafficking-act-2014.json", "4", 180, None, False, False, True),
        ("national/PAK/control-of-narcotic-substances-act-1997.json", "9", 240, 168, True, False, True),  # the life tiers ("may extend to life imprisonment but shall not be less than fourteen years" ... "twenty years"): the lowest minimum of them
        ("national/ZWE/criminal-law-codification-reform-act-2004.json", "156", 240, 180, False, False, True),
        ("national/KEN/proceeds-of-crime-anti-money-laundering-act-2009.json", "16", 168, None, False, False, True),
        ("national/CAN/criminal-code.md", "279.01", 168, 60, True, False, False),
        ("national/IND/ndps-act-1985.xml", "31A", None, None, False, True, False),
        ("national/NGA/robbery-and-firearms-special-provisions-act.json", "2", 240, None, True, False, False),
        ("national/BGD/arms-act-1878.json", "19A", None, 120, True, False, False),
    ],
)
def test_real_sections_from_every_country(source, number, max_months, min_months, life, death, fine) -> None:
    pen = facts_of(source, number).penalties
    assert (pen.max_months, pen.min_months, pen.life, pen.death, pen.fine) == (max_months, min_months, life, death, fine)


def test_default_imprisonment_for_an_unpaid_fine_is_not_the_minimum() -> None:
    tier = read_tier("liable to imprisonment for a period of not less than fifteen years or more than twenty years "
                     "and a fine not below level fourteen or, in default of payment, imprisonment for an additional "
                     "period of not less than five years or more than ten years")
    assert (tier.min_months, tier.max_months) == (180, 240)


# -- death as this clause's sentence (what the comparison and extradition count) ------------------

def _death_reading(source: str, number: str) -> tuple[bool, bool]:
    """(some tier names death, the section sentences to death) for one real section."""
    doc = parse_corpus_file(source)
    section = by_number(doc, number, kind="section")
    facts = analyze_instrument([section])[section.id]
    pen = facts.penalties
    tiers = pen.tiers if pen else []
    return any(t.death or t.death_named for t in tiers), bool(pen and pen.death)


@pytest.mark.parametrize(
    "source, number, sentences",
    [
        ("national/SGP/arms-offences-act-1973.json", "6", True),  # "be punished with — (a) death"
        ("national/UGA/penal-code-act-1950.json", "172", True),  # "is liable to suffer death"
        ("national/IND/indian-penal-code-1860.xml", "132", True),  # "shall, if mutiny be committed ..., be punished with death"
        ("national/IND/indian-penal-code-1860.xml", "119", False),  # "if the offence be punishable with death, ..."
        ("national/IND/indian-penal-code-1860.xml", "225", False),  # "is under sentence of death, shall be punished with imprisonment"
    ],
)
def test_death_counts_only_where_the_clause_sentences_to_death(source, number, sentences) -> None:
    names_death, sentenced = _death_reading(source, number)
    assert names_death  # the reader sees death in each of these sections ...
    assert sentenced is sentences  # ... but only some pass a sentence of death


@pytest.mark.parametrize(
    "source, number, max_months, life",
    [
        # "if the offence is punishable with imprisonment for life, or with imprisonment which may
        # extend to ten years, shall be punished with imprisonment ... three years" (and its marginal
        # note "if punishable with imprisonment for life, or with imprisonment.—"): 7 years at most
        ("national/IND/indian-penal-code-1860.xml", "213", 84, False),
        # the Illustration ("he would have been subject to the punishment of death or imprisonment
        # for life") is not law: 14 years where hurt is caused, never life
        ("national/IND/indian-penal-code-1860.xml", "115", 168, False),
        # "one-half of the imprisonment for life or ... one-half of the longest term": not life
        ("national/IND/indian-penal-code-1860.xml", "511", None, False),
        # "an offence for which the punishment of death or imprisonment for life may be inflicted"
        # is what the threatened accusation is of: 14 years
        ("national/MWI/penal-code-1929.json", "305", 168, False),
        # "If perjury is committed in order to procure the conviction of a person for any offence for
        # which the maximum punishment is not less than 3 years' imprisonment, the punishment may be
        # imprisonment for a term not exceeding 14 years"
        ("national/NZL/crimes-act-1961.md", "109", 168, False),
        # "an indictable offence for which, on conviction, an accused is liable to be sentenced to
        # imprisonment for life is guilty of an indictable offence and liable to ... 14 years"
        ("national/CAN/criminal-code.md", "463", 168, False),
    ],
)
def test_life_or_a_term_named_as_another_offences_class_is_not_this_penalty(source, number, max_months, life) -> None:
    pen = facts_of(source, number).penalties
    assert (pen.max_months, pen.life) == (max_months, life)


def test_an_extortion_section_is_not_bribery_and_an_explosive_precursor_is_not_a_drug_precursor() -> None:
    # "Attempts at extortion by threats": "threatens to accuse any person of ... offering or making
    # any solicitation ... as an inducement" (the accusation's content, not the offender's conduct)
    assert facts_of("national/MWI/penal-code-1929.json", "305").offence.categories == []
    # "unlawful ... explosive precursor" in a guns and explosives Act
    record = facts_of("national/SGP/guns-explosives-weapons-control-act-2021.json", "21").offence
    assert record is None or "precursors and equipment" not in record.categories
    # abetting the suicide of a child is an offence of its own, not accessory liability
    record = facts_of("national/IND/indian-penal-code-1860.xml", "305").offence
    assert record is None or "incitement and conspiracy" not in record.categories


def test_extortion_by_public_officers_stays_bribery() -> None:
    # "Extortion by public officers": "being employed in the public service, takes or accepts ...
    # any reward beyond his proper pay" is a public officer's taking, so it stays bribery
    assert "bribery" in facts_of("national/MWI/penal-code-1929.json", "91").offence.categories
