"""Extradition rules read from the real Acts, and dual-criminality analysis over a small store."""

from __future__ import annotations

import pytest

from harmonize.align.extradition import (
    NO_ACT,
    clauses_of,
    extradition_analysis,
    extradition_matrix,
    extradition_rules,
    extradition_tables,
    read_threshold,
)
from harmonize.ingest import analyse_document, write_document
from harmonize.model import Provision
from harmonize.store import EXTRADITION_RULE, Store

from conftest import parse_corpus_file

SOURCES = (
    "national/CAN/extradition-act.xml",
    "national/CAN/controlled-drugs-and-substances-act.xml",
    "national/IND/extradition-act-1962.xml",
    "national/IND/ndps-act-1985.xml",
    "national/NZL/extradition-act-1999.md",
    "national/AUS/extradition-act-1988.md",
    "national/AUS/crimes-traffic-narcotic-drugs-psychotropic-substances-act-1990.md",
    "national/BGD/extradition-act-1974.json",
    "national/TZA/extradition-act-1965.json",
    "national/NGA/extradition-act.json",
    "national/GHA/anti-money-laundering-act-2020.json",
)


def build_store(path, sources) -> Store:
    """A store of a few real files, parsed and analysed as `harmonize ingest` does."""
    store = Store(path, create=True)
    with store.transaction():
        for source in sources:
            doc = parse_corpus_file(source)
            write_document(store, doc, "x", *analyse_document(doc))
    return store


@pytest.fixture(scope="session")
def store(tmp_path_factory, corpus):
    store = build_store(tmp_path_factory.mktemp("extradition") / "s.sqlite", SOURCES)
    yield store
    store.close()


def section(text: str, pid: str = "X/act/sec-1") -> Provision:
    return Provision(pid, "X/act", "1", ["1"], "", text, "section", 0)


# -- phrasings ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, months",
    [
        ("the offence for which extradition is requested is punishable by imprisonment for a maximum term "
         "of two years or more, or by a more severe punishment", 24),
        ("(2) No fugitive offender shall be surrendered—\n(b) if the offence is not punishable with\n"
         "death or with imprisonment for life or a term which is not less than twelve\nmonths;", 12),
        ("a returnable offence is an offence which is punishable by imprisonment for two years or a greater "
         "penalty", 24),
        ("extradition offence means an offence punishable with imprisonment for a term which shall not be "
         "less than one year", 12),
    ],
)
def test_threshold_phrasings(text, months) -> None:
    assert read_threshold(clauses_of(section(text)))[0] == months


def test_threshold_ignores_terms_outside_extradition_context() -> None:
    assert read_threshold(clauses_of(section("liable to imprisonment for not less than 5 years")))[0] is None


# -- rules from the real Acts -----------------------------------------------------------------


def source_ids(rule, field: str) -> set[str]:
    return {s.provision for s in rule.sources_for(field)}


def test_canada_rule(store) -> None:
    rule = extradition_rules(store, "CAN")
    assert rule.threshold_months == 24 and rule.list_based is False and rule.nationals_bar is False
    assert rule.death_penalty_bar is True and rule.death_penalty_bar_kind == "discretionary"
    assert rule.political_offence_bar is True
    assert "CAN/extradition-act/sec-3" in source_ids(rule, "threshold_months")
    assert "CAN/extradition-act/sec-44" in source_ids(rule, "death_penalty_bar")
    assert "may refuse" in rule.sources_for("death_penalty_bar")[0].evidence


def test_new_zealand_rule(store) -> None:
    # s.4: "not less than 12 months"; s.30(3)(a) "may determine ... not to be surrendered" (death);
    # citizens are refused only where a treaty provides (s.30(2)(c)): no bar of the Act itself.
    rule = extradition_rules(store, "NZL")
    assert rule.threshold_months == 12 and rule.list_based is False
    assert (rule.death_penalty_bar, rule.death_penalty_bar_kind) == (True, "discretionary")
    assert rule.nationals_bar is False and "treaty" in rule.reasons["nationals_bar"]
    assert rule.political_offence_bar is True
    assert "NZL/extradition-act-1999/sec-30" in source_ids(rule, "death_penalty_bar")


def test_australia_rule(store) -> None:
    # s.5 "not less than 12 months"; s.22(3)(c) surrender only with a death-penalty undertaking.
    rule = extradition_rules(store, "AUS")
    assert rule.threshold_months == 12 and rule.list_based is False and rule.nationals_bar is False
    assert (rule.death_penalty_bar, rule.death_penalty_bar_kind) == (True, "mandatory")
    assert "AUS/extradition-act-1988/sec-22" in source_ids(rule, "death_penalty_bar")


def test_india_rule(store) -> None:
    # s.2(c)(ii) "not less than one year"; s.34C (life instead of death for India's own
    # requests) is not a ground to refuse; s.31(1)(a) political offences.
    rule = extradition_rules(store, "IND")
    assert rule.threshold_months == 12 and rule.list_based is False
    assert rule.death_penalty_bar is False and rule.nationals_bar is False
    assert rule.political_offence_bar is True


def test_bangladesh_rule_is_list_based(store) -> None:
    rule = extradition_rules(store, "BGD")
    assert rule.threshold_months == 12 and rule.list_based is True
    assert rule.death_penalty_bar is False and rule.nationals_bar is False


def test_tanzania_rule_is_list_based_with_spaced_quotes(store) -> None:
    # '" extradition crime " means a crime which ... would be one of the crimes described in the
    # Schedule to this Act' (the scrape puts spaces inside the quotes); no punishment level stated
    rule = extradition_rules(store, "TZA")
    assert rule.list_based is True and rule.threshold_months is None
    assert "Schedule" in next(s.evidence for s in rule.sources if s.field == "list_based")


def test_partial_act_leaves_bars_unknown(store) -> None:
    rule = extradition_rules(store, "NGA")  # only ss.10-23 are in the corpus
    assert rule.threshold_months == 24 and rule.list_based is False
    assert rule.nationals_bar is None and rule.death_penalty_bar is None
    assert "sections 1-9" in rule.reasons["death_penalty_bar"]


def test_country_without_an_act(store) -> None:
    rule = extradition_rules(store, "GHA")
    assert rule.threshold_months is None and rule.death_penalty_bar is None
    assert rule.reasons["threshold_months"] == NO_ACT


# -- dual criminality ---------------------------------------------------------------------------


def offence(analysis: dict, category: str) -> dict:
    return next(o for o in analysis["offences"] if o["category"] == category)


def test_drug_trafficking_from_canada_to_india_is_extraditable(store) -> None:
    analysis = extradition_analysis(store, "CAN", "IND")
    assert analysis["rules"]["IND"]["threshold_months"] == 12
    drugs = offence(analysis, "drug trafficking")
    assert drugs["extraditable"] is True
    assert drugs["requesting_provisions"][0]["id"] == "CAN/controlled-drugs-and-substances-act/sec-5"
    assert any(p["id"].startswith("IND/ndps-act-1985/") for p in drugs["requested_provisions"])
    assert len(drugs["requested_provisions"]) <= 5
    assert {"confiscation", "extradition", "mutual legal assistance"}.isdisjoint(
        o["category"] for o in analysis["offences"])


def test_death_penalty_bar_when_india_requests(store) -> None:
    # NDPS s.31A punishes repeat trafficking with death; the basic offences (ss.15-23) do not.
    # The request for the basic offence passes; the reasons say what CAN and AUS do with a
    # request under s.31A, as their Acts state it.
    to_canada = offence(extradition_analysis(store, "IND", "CAN", ["drug trafficking"]), "drug trafficking")
    assert to_canada["extraditable"] is True
    assert any("s.31A" in r and "may refuse" in r and "discretionary" in r for r in to_canada["reasons"])
    to_australia = extradition_analysis(store, "IND", "AUS", ["drug trafficking"])["offences"][0]
    assert any("s.31A" in r and "unless an undertaking is given" in r for r in to_australia["reasons"])


def test_death_bar_applies_only_to_an_offence_carrying_death(store) -> None:
    # The basic offence asked for does not itself carry death: no death-penalty bar is applied to it.
    analysis = extradition_analysis(store, "IND", "AUS", ["drug trafficking"])["offences"][0]
    assert not any(r.startswith("death penalty bar:") for r in analysis["reasons"])


def test_no_extradition_act_gives_null(store) -> None:
    result = extradition_analysis(store, "CAN", "GHA", ["money laundering"])["offences"][0]
    assert result["extraditable"] is None
    assert any(NO_ACT in r for r in result["reasons"])


def test_matrix_covers_every_ordered_pair(store) -> None:
    matrix = extradition_matrix(store, "drug trafficking")
    countries = matrix["countries"]
    assert "CAN" in countries and "UN" not in countries
    assert len(matrix["pairs"]) == len(countries) * (len(countries) - 1)
    pair = next(p for p in matrix["pairs"] if (p["requesting"], p["requested"]) == ("CAN", "IND"))
    assert pair["extraditable"] is True and pair["counts"] == {"true": 1, "false": 0, "null": 0}
    full = extradition_matrix(store)
    can_ind = next(p for p in full["pairs"] if (p["requesting"], p["requested"]) == ("CAN", "IND"))
    assert "drug trafficking" in can_ind["extraditable"] and sum(can_ind["counts"].values()) > 10


def test_tables_saved_by_index_are_what_each_call_computes(store) -> None:
    """`index` computes every pair and matrix in one pass; each must equal the single call."""
    tables = extradition_tables(store)
    countries = store.national_countries()
    assert len(tables.pairs) == len(countries) * (len(countries) - 1)
    assert tables.pairs[("CAN", "IND")] == extradition_analysis(store, "CAN", "IND")
    assert tables.pairs[("IND", "NZL")] == extradition_analysis(store, "IND", "NZL")
    assert tables.matrices[None] == extradition_matrix(store)
    assert tables.matrices["drug trafficking"] == extradition_matrix(store, "drug trafficking")


def test_rules_have_one_home_the_rules_table(store) -> None:
    """The rule an Act states is read at ingest and stored once, typed, in the rules table;
    `extradition_rules` returns it (nothing else saves rules)."""
    saved = store.rules(EXTRADITION_RULE)
    by_country = {rule.country: rule for rule in saved.values()}
    assert by_country["CAN"] == extradition_rules(store, "CAN")
    assert by_country["CAN"].sources_for("death_penalty_bar") and by_country["CAN"].has_act
    assert set(store.rules(EXTRADITION_RULE, "can")) == {i for i, r in saved.items() if r.country == "CAN"}
