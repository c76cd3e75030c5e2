"""Offence records on short made-up provisions and on the real statutes; the issue's examples."""

from __future__ import annotations

import pytest

from harmonize.align.compare import compare_penalties
from harmonize.align.extradition import extradition_analysis
from harmonize.align.offences import NO_STATUTE, category_holding, country_offences, tier_label
from harmonize.analyze.facts import analyze_instrument
from harmonize.ingest import analyse_document, write_document
from harmonize.model import Provision
from harmonize.store import Store

from conftest import parse_corpus_file

SOURCES = (
    "national/AUS/criminal-code-act-1995-vol2.md",
    "national/AUS/extradition-act-1988.md",
    "national/AUS/mutual-assistance-criminal-matters-act-1987.md",
    "national/IND/indian-penal-code-1860.xml",
    "national/IND/ndps-act-1985.xml",
    "national/IND/extradition-act-1962.xml",
    "national/CAN/controlled-drugs-and-substances-act.xml",
    "national/CAN/criminal-code.md",
    "national/CAN/extradition-act.xml",
    "national/NGA/money-laundering-prohibition-act.json",
    "national/NGA/extradition-act.json",
    "national/NGA/robbery-and-firearms-special-provisions-act.json",
    "national/NZL/misuse-of-drugs-act-1975.md",
    "national/NZL/crimes-act-1961.md",
    "national/SGP/cdsa-confiscation-of-benefits-act-1992.json",
    "national/SGP/extradition-act-1968.json",
    "national/SGP/misuse-of-drugs-act-1973.json",
    "national/TZA/drug-control-enforcement-act-2015.json",
    "national/BGD/prevention-suppression-human-trafficking-act-2012.bn.json",
    "national/USA/usc-t18-ch95-racketeering-money-laundering.md",
    "national/USA/usc-t21-ch13-drug-abuse-prevention-control.md",
    "national/UGA/anti-money-laundering-act-2013.json",
    "national/UGA/uganda-citizenship-immigration-control-act-1999.json",
    "national/ZMB/firearms-act-1969.json",
    "national/MWI/immigration-act-1963.json",
    "national/NAM/prevention-of-organised-crime-act-2004.json",
    "national/NAM/abuse-of-dependence-producing-substances-rehabilitation-centres-act-1971.json",
)


@pytest.fixture(scope="module")
def store(tmp_path_factory, corpus):
    store = Store(tmp_path_factory.mktemp("offences") / "s.sqlite", create=True)
    with store.transaction():
        for source in SOURCES:
            doc = parse_corpus_file(source)
            write_document(store, doc, "x", *analyse_document(doc))
    yield store
    store.close()


def record(text: str, heading: str = "", topic: str = "general-criminal", definitions: str = ""):
    """The offence record of one made-up section (optionally with a definitions section)."""
    provisions = [Provision("X/act/sec-2", "X/act", "2", ["2"], "Interpretation", definitions, "section", 0)] if definitions else []
    provisions.append(Provision("X/act/sec-5", "X/act", "5", ["5"], heading, text, "section", 1))
    return analyze_instrument(provisions, "en", topic)["X/act/sec-5"].offence


# -- records of made-up provisions ----------------------------------------------------------


def test_word_forms_normalise_to_one_verb() -> None:
    r = record("Any person who is in possession of, cultivates, imports or trafficks in any narcotic drug "
               "commits an offence and is liable on conviction to imprisonment for ten years.")
    assert {"possess", "cultivate", "import", "traffic"} <= set(r.conduct)
    assert r.objects[0] == "drug"
    assert {"drug trafficking", "cultivation", "possession for trafficking"} <= set(r.categories)


def test_definitions_widen_conduct_and_object() -> None:
    r = record("(1) Except as authorized under the regulations, no person shall produce a prohibited plant.\n"
               "(2) Every person who contravenes subsection (1) is guilty of an indictable offence and liable to "
               "imprisonment for life.", topic="drugs",
               definitions='"produce" means to obtain the substance by any method, including cultivating it;\n'
                           '"prohibited plant" means the cannabis plant or the coca bush;')
    assert "cultivate" in r.conduct and "produce" in r.via_definitions
    assert "drug" in r.objects and "cultivation" in r.categories


def test_means_purpose_and_circumstances() -> None:
    r = record("A person who recruits, transports or harbours another person by force, threat or deception for "
               "the purpose of exploitation commits an offence; where the victim is a child the person is liable "
               "to imprisonment for life.", heading="Trafficking in persons")
    assert {"force", "threat", "deception"} <= set(r.means)
    assert "exploitation" in r.purpose and "child victim" in r.circumstances
    assert r.subject == "trafficking" and r.categories == ["trafficking in persons"]


def test_trafficking_in_a_drugs_law_is_drug_trafficking() -> None:
    r = record("Any person who traffics in a controlled drug commits an offence and is liable to imprisonment for "
               "life.", topic="drugs")
    assert "drug trafficking" in r.categories and "trafficking in persons" not in r.categories


def test_not_offences() -> None:
    assert record("In this Act, \"drug\" means a controlled drug.", heading="Interpretation") is None
    assert record("No person shall be compelled to give evidence that he would not be compelled to give in "
                  "criminal proceedings.", heading="Privilege") is None
    assert record("Assistance must be refused if the offence is one punishable by death.",
                  heading="Requests to be refused in death penalty cases") is None


def test_war_crimes_and_abortion_are_not_the_categories_they_mention() -> None:
    war = record("A person commits an offence if the person sells or transfers one or more persons into sexual "
                 "slavery and the conduct takes place in the context of an armed conflict. Penalty: "
                 "imprisonment for 25 years.", heading="War crime--sexual slavery")
    assert war.subject == "war-crimes" and war.categories == []
    abortion = record("Every one who supplies any drug, knowing that it is intended to be used to procure the "
                      "miscarriage of any woman, is liable to imprisonment for 2 years.",
                      heading="Supplying means of procuring abortion")
    assert abortion.categories == []


def test_purpose_duty_power_and_omission_are_not_the_offences_conduct() -> None:
    travel = record("Whoever travels in interstate commerce or uses the mail, with intent to\n"
                    "(1) distribute the proceeds of any unlawful activity; or\n"
                    "(2) commit any crime of violence,\nshall be fined or imprisoned not more than 5 years.")
    assert "money laundering" not in travel.categories
    register = record("(1) Every registered firearms dealer shall keep a register of the sale and transfer of firearms.\n"
                      "(2) Any person who contravenes this section shall be guilty of an offence.", topic="firearms")
    assert register is None or "firearms trafficking" not in register.categories
    found = record("(1) Every person commits an offence who, on finding a firearm, does not deliver it to a peace "
                   "officer.", topic="firearms")
    assert found is None or "firearms trafficking" not in found.categories
    sale = record("(1) No person shall sell or transfer a firearm to another person without a licence.\n"
                  "(2) A person who contravenes subsection (1) commits an offence.", topic="firearms")
    assert "firearms trafficking" in sale.categories and sale.statements[0].where == "(1)"


# -- the real statutes -----------------------------------------------------------------------


def figures(comparison: dict, country: str) -> dict:
    return next(r for r in comparison["countries"] if r["country"] == country)


def test_aus_trafficking_in_persons_from_division_271_not_war_crimes(store) -> None:
    comparison = compare_penalties(store, "trafficking in persons", ["AUS"])
    row = figures(comparison, "AUS")
    ids = {o["id"] for o in row["offences"]}
    assert {"AUS/criminal-code-act-1995-vol2/sec-271.2", "AUS/criminal-code-act-1995-vol2/sec-271.3",
            "AUS/criminal-code-act-1995-vol2/sec-271.4"} <= ids
    assert not any("/sec-268." in i for i in ids)
    assert row["most_severe"]["provision"] == "AUS/criminal-code-act-1995-vol2/sec-271.4"
    assert row["most_severe"]["tier"]["max_months"] == 300  # 25 years: one tier
    offences = {o.id: o for o in country_offences(store, "AUS").offences}
    assert "smuggling of migrants" not in offences["AUS/criminal-code-act-1995-vol2/sec-271.4"].record.categories
    war_crime = offences.get("AUS/criminal-code-act-1995-vol2/sec-268.60")
    assert war_crime is None or war_crime.record.categories == []


def test_ind_trafficking_in_persons_includes_ipc_370(store) -> None:
    row = figures(compare_penalties(store, "trafficking in persons", ["IND"]), "IND")
    assert "IND/indian-penal-code-1860/sec-370" in {o["id"] for o in row["offences"]}
    assert row["life"] and row["severity"] != "10 years"


def test_nga_has_no_drug_trafficking_statute(store) -> None:
    comparison = compare_penalties(store, "drug trafficking", ["NGA", "IND", "BGD"])
    nga = figures(comparison, "NGA")
    assert nga["state"] == NO_STATUTE and nga["max_months"] is None
    assert "no statute on this subject in the corpus" in nga["note"]
    assert "NGA" not in comparison["spread"]["most_lenient"] + comparison["spread"]["below_threshold"]
    assert category_holding(store, "NGA", "drug trafficking").state == NO_STATUTE


def test_a_term_stated_only_as_its_minimum_ranks_at_least_that_long(store) -> None:
    # DCEA s.11: "shall be liable to imprisonment for a term of not less than thirty years": no
    # maximum is stated, so the term is at least thirty years, never "no term stated" or lenient
    offences = {o.id: o for o in country_offences(store, "TZA").offences}
    cultivation = offences["TZA/drug-control-enforcement-act-2015/sec-11"]
    assert cultivation.top.max_months is None and tier_label(cultivation.top) == "at least 30 years"
    comparison = compare_penalties(store, "cultivation", ["TZA", "CAN"])
    assert "TZA" not in comparison["spread"]["below_threshold"]
    assert "TZA (at least 30 years" in comparison["summary"] and "no term stated" not in comparison["summary"]


def test_nga_money_laundering_is_not_below_the_serious_crime_threshold(store) -> None:
    # MLPA s.14 runs to three years, but s.16 (retaining or acquiring proceeds) to "imprisonment
    # from a term of not less than five years or to a fine ... or to both"
    comparison = compare_penalties(store, "money laundering", ["NGA"])
    assert figures(comparison, "NGA")["state"] == "figures"
    assert "NGA" not in comparison["spread"]["below_threshold"]
    assert "below the 4-year threshold" not in comparison["summary"]


def test_countries_tied_at_the_top_are_all_named(store) -> None:
    # IND (NDPS s.31A) and SGP (Misuse of Drugs Act s.5 with the Second Schedule's death) both carry death
    comparison = compare_penalties(store, "drug trafficking", ["CAN", "IND", "SGP"])
    assert sorted(comparison["spread"]["harshest"]) == ["IND", "SGP"]
    top = comparison["summary"].split(";")[0]
    assert top.startswith("drug trafficking: most severe (death): ") and "IND (" in top and "SGP (" in top


def test_bengali_statute_is_not_analysed_not_lenient(store) -> None:
    comparison = compare_penalties(store, "trafficking in persons", ["BGD", "IND", "AUS"])
    bgd = figures(comparison, "BGD")
    assert bgd["state"] == "not analysed" and "Bengali" in bgd["note"] and bgd["max_months"] is None
    assert comparison["spread"]["not_analysed"] == ["BGD"] and "BGD" not in comparison["spread"]["most_lenient"]


def test_nzl_drug_list_excludes_procuring_abortion(store) -> None:
    row = figures(compare_penalties(store, "drug trafficking", ["NZL"]), "NZL")
    ids = {o["id"] for o in row["offences"]}
    assert "NZL/crimes-act-1961/sec-186" not in ids
    assert "NZL/misuse-of-drugs-act-1975/sec-6" in ids


def test_nzl_drug_basic_form_is_not_a_regulatory_offence_under_the_general_penalty(store) -> None:
    """Misuse of Drugs Act s.24 (a practitioner treating a dependent person) takes its penalty from
    s.27 ("an offence against this Act for which no penalty is provided elsewhere"): not the basic form."""
    row = figures(compare_penalties(store, "drug trafficking", ["NZL"]), "NZL")
    offences = {o["id"]: o for o in row["offences"]}
    treatment = offences.get("NZL/misuse-of-drugs-act-1975/sec-24")
    assert treatment is None or "no penalty is provided" in (treatment["basic"]["condition"] or "")
    basic = row["basic"]
    assert basic["provision"] != "NZL/misuse-of-drugs-act-1975/sec-24"
    assert basic["provision"].startswith("NZL/misuse-of-drugs-act-1975/")
    assert "no penalty is provided" not in (basic["tier"]["condition"] or "")
    assert basic["tier"]["max_months"]


def test_sgp_to_aus_money_laundering_is_not_barred_by_the_mutual_assistance_act(store) -> None:
    result = extradition_analysis(store, "SGP", "AUS", ["money laundering"])["offences"][0]
    assert not any("death" in r for r in result["reasons"])
    assert not any("mutual-assistance" in p["id"] for p in result["requested_provisions"])
    assert result["requested_provisions"][0]["id"].startswith("AUS/criminal-code-act-1995-vol2/sec-400.")
    assert result["extraditable"] is True


def test_ind_to_can_possession_cultivation_financing_pass_dual_criminality(store) -> None:
    analysis = extradition_analysis(store, "IND", "CAN", ["possession for trafficking", "cultivation",
                                                          "organizing or financing"])
    by = {o["category"]: o for o in analysis["offences"]}
    for category in by:
        assert by[category]["extraditable"] is not False, by[category]["reasons"]
        assert by[category]["reasons"][0].startswith("dual criminality:"), by[category]["reasons"]
    assert by["cultivation"]["requested_provisions"][0]["id"] == "CAN/controlled-drugs-and-substances-act/sec-7"
    assert by["possession for trafficking"]["requested_provisions"][0]["id"] == "CAN/controlled-drugs-and-substances-act/sec-5"
    assert "s.21" in by["organizing or financing"]["reasons"][0]  # Criminal Code: parties to an offence
    asked = {p["id"] for c in by.values() for p in c["requesting_provisions"]}
    assert {"IND/ndps-act-1985/sec-20", "IND/ndps-act-1985/sec-27A"} <= asked


def test_no_data_when_the_requested_corpus_has_no_statute(store) -> None:
    result = extradition_analysis(store, "IND", "NGA", ["drug trafficking"])["offences"][0]
    assert result["extraditable"] is None
    assert result["reasons"] == ["no data: NGA no statute on this subject (drugs) in NGA's corpus"]


def test_usa_money_laundering_figure_comes_from_1956_not_the_travel_act(store) -> None:
    """18 USC 1952 punishes travel with intent to distribute the proceeds of unlawful activity (its
    "if death results ... for life" is not a laundering penalty); laundering is s.1956 (20 years)."""
    row = figures(compare_penalties(store, "money laundering", ["USA"]), "USA")
    ids = {o["id"] for o in row["offences"]}
    assert "USA/usc-t18-ch95-racketeering-money-laundering/sec-1952" not in ids
    assert row["most_severe"]["provision"] == "USA/usc-t18-ch95-racketeering-money-laundering/sec-1956"
    assert row["most_severe"]["tier"]["max_months"] == 240 and not row["most_severe"]["tier"]["life"]


def test_uga_money_laundering_takes_its_penalty_from_section_136(store) -> None:
    """AML Act s.116 creates the offence; s.136(1) "A person who commits any offence prohibited under
    section 3 and section 116 of this Act is liable ... imprisonment for a period not exceeding fifteen
    years"; s.136(2) (5 years) is for ss.117-135."""
    offences = {o.id: o for o in country_offences(store, "UGA").offences}
    s116 = offences["UGA/anti-money-laundering-act-2013/sec-116"]
    assert s116.top.max_months == 180 and s116.top.source == "UGA/anti-money-laundering-act-2013/sec-136"
    assert offences["UGA/anti-money-laundering-act-2013/sec-117"].top.max_months == 60  # tipping-off: s.136(2)
    row = figures(compare_penalties(store, "money laundering", ["UGA"]), "UGA")
    assert row["most_severe"]["tier"]["max_months"] == 180


def test_nam_money_laundering_penalty_contemplated_in_section_11(store) -> None:
    """POCA s.11: "Any person convicted of an offence contemplated in section 4, 5 or 6 is liable to a
    fine not exceeding N$100 million, or to imprisonment for a period not exceeding 30 years"."""
    row = figures(compare_penalties(store, "money laundering", ["NAM"]), "NAM")
    assert row["state"] == "figures" and row["most_severe"]["tier"]["max_months"] == 360


def test_regulatory_sections_are_not_offences_of_the_category(store) -> None:
    """A register a dealer must keep, an inspection power, a deportation order, a list of prohibited
    immigrants: none is an offence of the category its words mention."""
    def categories(country: str, pid: str) -> list[str]:
        offence = next((o for o in country_offences(store, country).offences if o.id == pid), None)
        return offence.record.categories if offence else []
    assert "firearms trafficking" not in categories("ZMB", "ZMB/firearms-act-1969/sec-32")  # Register of transactions
    assert "firearms trafficking" not in categories("ZMB", "ZMB/firearms-act-1969/sec-33")
    assert "firearms trafficking" in categories("ZMB", "ZMB/firearms-act-1969/sec-25")  # Restrictions on sale or transfer
    assert "drug trafficking" not in categories(
        "NAM", "NAM/abuse-of-dependence-producing-substances-rehabilitation-centres-act-1971/sec-25")  # Inspection
    assert "drug trafficking" in categories(
        "NAM", "NAM/abuse-of-dependence-producing-substances-rehabilitation-centres-act-1971/sec-2")  # Dealing in
    assert "smuggling of migrants" not in categories("UGA", "UGA/uganda-citizenship-immigration-control-act-1999/sec-60")
    assert "smuggling of migrants" not in categories("MWI", "MWI/immigration-act-1963/sec-4")  # Prohibited immigrants
    assert "smuggling of migrants" in categories("MWI", "MWI/immigration-act-1963/sec-36")  # Aiding unlawful entry
    assert "money laundering" not in categories("UGA", "UGA/anti-money-laundering-act-2013/sec-6")  # client identification
    assert "money laundering" in categories("UGA", "UGA/anti-money-laundering-act-2013/sec-116")



def test_a_basic_form_is_never_a_term_with_an_open_top(store) -> None:
    # 21 U.S.C. 859 "a term of imprisonment under this subsection shall be not less than one year" (no
    # maximum) is not the least severe form beside offences "up to 5 years"
    usa = figures(compare_penalties(store, "drug trafficking", ["USA"]), "USA")
    assert usa["basic"]["tier"]["max_months"] and not usa["basic"]["provision"].endswith("/sec-859")
    for category in ("drug trafficking", "cultivation", "possession for trafficking", "money laundering"):
        for row in compare_penalties(store, category)["countries"]:
            basic = row["basic"]
            if basic:
                tier = basic["tier"]
                if not (tier["max_months"] or tier["life"] or tier["death"] or tier["label"] == "fine only"):
                    # open-topped only where every offence of the category is (TZA cultivation: s.11 alone)
                    assert not any(o["basic"] and o["basic"]["max_months"] for o in row["offences"]), (category, row["country"])
