"""The alignment signals one by one: what makes a section the place a duty is carried out.

Real statutes come from tests/webdata.py (CAN CDSA + Extradition Act, NGA's four Acts);
the made-up sentences test the phrasings the signals read.
"""

from __future__ import annotations

import pytest

from harmonize.align.coverage import CountryContext, align_obligation, creates_liability
from harmonize.analyze.categories import classify
from harmonize.analyze.nlp import get_nlp
from harmonize.analyze.references import find_definitions
from harmonize.model import Provision
from harmonize.obligations import by_id, load_catalogue
from harmonize.service import Harmonize

CATALOGUE = by_id(load_catalogue())


def categories_of(heading: str, text: str) -> set[str]:
    nlp = get_nlp()
    return {m.category for m in classify(nlp(heading.lower()), nlp(text.lower()))}


def made_up(heading: str, text: str) -> Provision:
    return Provision("XX/act/sec-1", "XX/act", "1", ["1"], heading, text, "section", 0)


@pytest.fixture(scope="module")
def aligned(web_data):
    app = Harmonize(web_data)
    retrieve = app.retriever()
    with app.store() as store:
        contexts = {c: CountryContext(store, c) for c in ("CAN", "NGA")}

        def align(country: str, obligation: str):
            return align_obligation(contexts[country], CATALOGUE[obligation], retrieve)

        yield align, contexts


def test_extradition_duty_is_met_by_the_section_defining_the_extraditable_offence(aligned) -> None:
    align, _ = aligned
    assert align("CAN", "UN1988:6").provisions[0].provision.id == "CAN/extradition-act/sec-3"
    nga = align("NGA", "UN1988:6")
    assert nga.provisions[0].provision.id == "NGA/extradition-act/sec-20"
    assert nga.provisions[0].signals["rule"] == 1.0


def test_body_corporate_section_carries_liability_of_legal_persons(aligned) -> None:
    align, _ = aligned
    result = align("NGA", "UNTOC:10")
    assert result.provisions[0].provision.heading == "Offences by a body corporate"
    assert result.status in ("covered", "partial")
    assert not any("threshold" in m for m in result.missing_elements)  # "serious crime" qualifies the offences


def test_precursor_section_is_not_the_answer_for_drug_trafficking_but_is_for_precursors(aligned) -> None:
    align, _ = aligned
    trafficking = align("CAN", "UN1988:3(1)(a)(i)").provisions[0].provision.number
    assert trafficking in ("5", "6", "7")
    assert align("CAN", "UN1988:3(1)(a)(iv)").provisions[0].provision.number == "7.1"


def test_laundering_act_naming_drug_trafficking_as_a_predicate_does_not_cover_it(aligned) -> None:
    align, _ = aligned
    assert align("NGA", "UN1988:3(1)(a)(i)").status != "covered"


def test_defined_terms_are_read_with_their_definitions(aligned) -> None:
    align, contexts = aligned
    ctx = contexts["CAN"]
    section_7 = ctx.provision("CAN/controlled-drugs-and-substances-act/sec-7")
    assert "cultivating, propagating or harvesting" in ctx.with_definitions(section_7)
    assert "cultivation" in ctx.categories_by_definition(section_7)
    assert align("CAN", "UN1988:3(1)(a)(ii)").status != "missing"


def test_unquoted_definition_entries_of_a_definitions_section() -> None:
    text = ("(1) In this Act,\nproduce means to obtain the substance by any method including\n"
            "(b) cultivating the substance,\nand includes offer to produce;\nsell includes offer for sale;\n"
            "a reference to a substance includes a reference to its salts;")
    found = {d.term: d.text for d in find_definitions(text, definitions_section=True)}
    assert set(found) == {"produce", "sell"}
    assert "cultivating" in found["produce"] and "offer to produce" in found["produce"]
    assert "its salts" in found["sell"]  # a sentence fragment is no term: it continues the entry before
    assert find_definitions(text) == []  # outside a definitions section only quoted terms count


def test_legal_person_category_is_not_fired_by_criminal_organization() -> None:
    assert "liability of legal persons" in categories_of(
        "Other offences — organizations", "An organization is a party to the offence if one of its senior officers ...")
    assert "liability of legal persons" not in categories_of(
        "Participation", "Every person who participates in any activity of a criminal organization is guilty.")
    # "trafficking" inside "trafficking in persons" is not drug trafficking
    assert "drug trafficking" not in categories_of("", "Trafficking in persons includes giving drugs to a victim.")


def test_general_part_and_us_code_phrasings_create_liability() -> None:
    assert creates_liability(made_up("Parties to offence", "Every one is a party to an offence who abets any person."), None)
    assert creates_liability(made_up("Prohibited acts A", "It shall be unlawful for any person to distribute."), None)
    assert not creates_liability(made_up("Definitions", "No person shall means nothing here."), None)
    assert not creates_liability(made_up("Powers of inspector", "An inspector may enter any place."), None)


def test_an_act_on_another_subject_covers_a_drug_duty_at_most_partially() -> None:
    from harmonize.align.coverage import CandidateScore, decide
    from harmonize.align.elements import ElementMatch

    obligation = CATALOGUE["UN1988:3(1)(c)(iii)"]
    section = made_up("Incitement of terrorist acts", "Whoever incites another to commit an offence commits an offence.")

    def candidate(topic: float) -> CandidateScore:
        signals = {"retrieval": 1.0, "category": 1.0, "elements": 1.0, "penalty": 1.0, "topic": topic}
        return CandidateScore(section, "national/XX/act.json", 0.95, signals, ElementMatch(), None)

    assert decide(obligation, [candidate(topic=1.0)]).status == "covered"
    assert decide(obligation, [candidate(topic=0.0)]).status == "partial"
