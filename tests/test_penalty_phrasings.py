"""Penalty phrasings added for the whole corpus (issue 11), then the real statutes they come from.

Each unit test is a short sentence in the phrasing catalogued in analyze/penalties.py or
analyze/penalty_links.py; the real-statute tests check the conclusions a committee would quote.
"""

from __future__ import annotations

import functools

from harmonize import ids
from harmonize.analyze.facts import analyze_instrument
from harmonize.analyze.penalties import derived_penalty, extract_tiers, normalise, read_fine, read_tier
from harmonize.analyze.references import find_references, reference_parts

from conftest import by_number, parse_corpus_file

# -- phrasings, one short sentence each ------------------------------------------------------


def test_amendment_brackets_do_not_hide_the_term() -> None:
    assert normalise("imprisonment which may extend to 1[ten years and fine]") == "imprisonment which may extend to ten years and fine"
    tier = read_tier(normalise("shall be punished with imprisonment which may extend to 1[ten years and fine which may "
                               "extend to one million rupees]."))
    assert tier.max_months == 120 and tier.fine.max_amount == 1_000_000
    assert read_tier(normalise("shall be punished with imprisonment for a term which may extend to 2[seven years]")).max_months == 84


def test_us_code_any_term_of_years_or_life() -> None:
    assert read_tier("shall be fined under this title, imprisoned for any term of years or life, or both").life
    assert read_tier("shall be fined under this title, imprisoned for any term of years or for life, or both").life
    tier = read_tier("by a fine under this title and imprisonment for any term of years not less than 15 or for life; or")
    assert tier.life and tier.min_months == 180


def test_list_head_completed_by_its_items_keeps_each_condition() -> None:
    tiers = extract_tiers([
        "(2) Every person who commits an offence against this section is liable on conviction to imprisonment for a term—",
        "(a) not exceeding 14 years where the relevant act is an offence against section 6:",
        "(b) not exceeding 7 years in any other case.",
    ])
    assert [t.max_months for t in tiers] == [168, 84]
    assert "where the relevant act is an offence against section 6" in tiers[0].condition
    assert "in any other case" in tiers[1].condition


def test_term_after_the_condition_in_a_list_item() -> None:
    tiers = extract_tiers([
        "is guilty of an offence against this section and is punishable, on conviction, by imprisonment for a period not exceeding:",
        "(c) if the substance is a psychotropic substance referred to in Part 2 of Schedule 3--5 years; or",
        "and",
        "(d) in any other case--10 years.",
    ])
    assert [t.max_months for t in tiers] == [60, 120]
    assert tiers[0].condition.startswith("(c) if the substance is a psychotropic substance referred to in Part 2 of Schedule 3")


def test_penalty_table_printed_cell_by_cell() -> None:
    tiers = extract_tiers([
        "(2) Where the person cultivated the plant, the penalty is imprisonment for a period not exceeding such period as is "
        "applicable in accordance with the following table:",
        "Cultivation of opium poppy", "Life", "25 years",
        "(3) Where the person separated opium, the penalty is imprisonment for a period not exceeding 10 years.",
    ])
    assert [(t.life, t.max_months) for t in tiers] == [(True, None), (False, 300), (False, 120)]
    assert "Cultivation of opium poppy" in tiers[0].condition


def test_hard_wrapped_lines_are_read_as_one_clause() -> None:
    tiers = extract_tiers(["(a) under duress shall be punished with imprisonment for a term which may",
                           "extend to twenty-five years but shall not be less than ten years"])
    assert (tiers[0].max_months, tiers[0].min_months) == (300, 120)


def test_words_run_together_in_the_scrape() -> None:
    assert read_tier(normalise("commits a felony and is liable, on conviction, to imprisonment for a term offive years.")).max_months == 60


def test_fine_units_and_currencies_of_the_new_countries() -> None:
    cases = {
        "liable to a fine not exceeding one hundred twenty currency points or to imprisonment": (120, "currency points"),
        "liable to a fine not exceeding two hundred thousand penalty units": (200_000, "penalty units"),
        "liable to a fine not exceeding N$10 million or to imprisonment": (10_000_000, "NAD"),
        "liable to a fine not exceeding R10 000 or to imprisonment": (10_000, "rand"),
        "liable to a fine of K50,000 and to imprisonment": (50_000, "kwacha"),
        "liable to a fine not exceeding level ten or to imprisonment": (10, "level (standard scale)"),
    }
    for text, (amount, unit) in cases.items():
        fine = read_fine(text)
        assert (fine.max_amount, fine.currency) == (amount, unit), text


def test_penalty_of_another_offence_is_recorded_as_a_reference() -> None:
    said = derived_penalty(["commits an offence and is liable, upon conviction, to the same penalties as if the person "
                            "had been convicted of the offence."])
    assert said and said.startswith("liable, upon conviction, to the same penalties")
    assert derived_penalty(["is liable to imprisonment for 3 years."]) is None


def test_own_offence_named_by_its_subsection_is_this_provisions_penalty() -> None:
    tier = read_tier("(5) An offence against subsection (1) committed by an individual is punishable on conviction by "
                     "imprisonment for not more than 10 years, a fine not more than 10,000 penalty units, or both.")
    assert tier.max_months == 120 and tier.fine.currency == "penalty units"


def test_references_skip_amending_acts_and_keep_subsections_and_schedules() -> None:
    assert find_references("[Repealed, 2012, c. 1, s. 39]") == []
    assert find_references("[Act 12 of 2009, s.3]") == []
    assert find_references("[section 24 substituted by section 14 of Act 16 of 2022 ]") == []
    refs = find_references("as provided in section 924(a)(2), subsection (1) and the Second Schedule")
    assert [(r.text, r.scope) for r in refs] == [("section 924(a)(2)", "instrument"), ("subsection (1)", "section"),
                                                  ("Second Schedule", "schedule")]
    assert reference_parts(refs[0]) == [("924", "(a)(2)")]
    assert find_references("section 14 of Act 16 of 2022")[0].external == "of Act 16 of 2022"


# -- real statutes ---------------------------------------------------------------------------


@functools.lru_cache(maxsize=None)
def analysed(source: str):
    doc = parse_corpus_file(source)
    return doc, analyze_instrument(doc.provisions, doc.instrument.language)


def penalties_of(source: str, number: str):
    doc, facts = analysed(source)
    return facts[by_number(doc, number, "section").id].penalties


USC18_77 = "national/USA/usc-t18-ch77-peonage-slavery-trafficking.md"


def test_usc_1589_to_1591_run_to_life() -> None:
    for number in ("1589", "1590", "1591"):
        assert penalties_of(USC18_77, number).life, number
    top = penalties_of(USC18_77, "1589").most_severe
    assert top.life and top.condition.startswith("If death results from a violation of this section")
    s1591 = penalties_of(USC18_77, "1591")
    assert s1591.min_months == 120  # (b)(2), age 14 to 18: "not less than 10 years or for life"
    first = [t for t in s1591.tiers if t.life and t.min_months == 180 and t.where == "(b)(1)"]
    assert first and first[0].condition.startswith("(1) if the offense was effected by means of force")


def test_usc_922_takes_its_penalty_from_924a_not_the_death_of_924j() -> None:
    pen = penalties_of("national/USA/usc-t18-ch44-firearms.md", "922")
    assert not pen.death and not pen.life
    assert {ids.leaf(t.source) for t in pen.tiers} == {"sec-924"}
    assert {t.where for t in pen.tiers} >= {"(a)(2)", "(a)(8)"}
    assert not any(t.where.startswith(("(c)", "(j)")) for t in pen.tiers)
    assert pen.max_months == 180  # 924(a)(8): "subsection (d) or (g) of section 922 ... not more than 15 years"


def test_pak_ptpa_section_3_bracketed_terms() -> None:
    pen = penalties_of("national/PAK/prevention-of-trafficking-in-persons-act-2018.json", "3")
    basic, aggravated = pen.tiers[:2]
    assert basic.max_months == 120 and basic.fine.max_amount == 1_000_000  # "1[ten years and fine ... one million rupees]"
    assert aggravated.max_months == 168 and "against a child or" in aggravated.condition
    assert pen.max_months == 168


def test_ipc_370_most_severe_tier_is_imprisonment_for_the_remainder_of_natural_life() -> None:
    pen = penalties_of("national/IND/indian-penal-code-1860.xml", "370")
    life = [t for t in pen.tiers if t.life and t.min_months is None]
    assert "remainder of that person" in life[0].evidence and "natural life" in life[0].evidence
    conditions = " | ".join(t.condition for t in life)
    assert "more than one occasion" in conditions and "public servant" in conditions
    basic = pen.tiers[0]
    assert (basic.min_months, basic.max_months) == (84, 120)


def test_irpa_123_gives_each_paragraph_of_122_its_own_term() -> None:
    pen = penalties_of("national/CAN/immigration-and-refugee-protection-act.xml", "122")
    assert sorted(t.max_months for t in pen.tiers) == [60, 168]
    assert pen.reference.startswith("section 123")


def test_aus_narcotics_section_12_reads_the_section_15_tables() -> None:
    pen = penalties_of("national/AUS/crimes-traffic-narcotic-drugs-psychotropic-substances-act-1990.md", "12")
    assert pen.life and {ids.leaf(t.source) for t in pen.tiers} == {"sec-15"}
    table = [t for t in pen.tiers if "Cultivation of opium poppy and coca bush" in t.condition]
    assert [(t.life, t.max_months) for t in table] == [(True, None), (False, 300), (False, 120), (False, 60)]


def test_nzl_misuse_of_drugs_section_10_is_14_years_not_the_life_of_section_6() -> None:
    pen = penalties_of("national/NZL/misuse-of-drugs-act-1975.md", "10")
    assert not pen.life and pen.max_months == 168 and pen.tiers[0].source is None


def test_sgp_misuse_of_drugs_section_5_penalty_in_a_schedule_missing_from_the_corpus() -> None:
    pen = penalties_of("national/SGP/misuse-of-drugs-act-1973.json", "5")
    assert "Second Schedule" in pen.reference and pen.reference_missing


def test_cdsa_section_5_cross_references_skip_the_amending_act() -> None:
    doc, facts = analysed("national/CAN/controlled-drugs-and-substances-act.xml")
    section = by_number(doc, "5", "section")
    assert "[Repealed, 2012, c. 1, s. 39]" in section.text
    refs = facts[section.id].references
    assert not any("39" in r.numbers for r in refs)
    inside = [r for r in refs if r.scope == "section" and r.text == "subsection (1)"]
    assert inside and [ids.leaf(t) for t in inside[0].targets] == ["sub-1"]
    assert ids.section_of(inside[0].targets[0]) == section.id
    assert any(r.scope == "schedule" and r.text == "Schedule I" for r in refs)


def test_pak_arms_ordinance_section_13_bracketed_seven_years() -> None:
    pen = penalties_of("national/PAK/pakistan-arms-ordinance-1965.json", "13")
    assert pen.max_months == 84 and "2[seven years]" in pen.tiers[0].evidence
    proviso = [t for t in pen.tiers if t.min_months == 36]
    assert proviso and "automatic weapon" in proviso[0].condition  # "shall be imprisonment ... not less than three years"


def test_general_penalty_goes_to_offences_that_state_none_and_not_to_words_that_name_one() -> None:
    pen = penalties_of("national/ZMB/firearms-act-1969.json", "12")  # "(9) ... shall be guilty of an offence."
    assert pen.reference.startswith("general penalty for any offence: section 54")
    assert {ids.leaf(t.source) for t in pen.tiers} == {"sec-54"}
    doc, facts = analysed("national/CAN/criminal-code.md")
    s810 = facts[by_number(doc, "810", "section").id].penalties  # "will commit an offence under section 162.1"
    assert s810 is None or not (s810.reference or "").startswith("general penalty")
