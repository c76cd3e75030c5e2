"""The alignment rules file (obligations/alignment.toml): loaded, and rejected with its line."""

import pytest

from harmonize.errors import RulesError
from harmonize.obligations.rules import RULES_PATH, load_rules, parse_rules

TEXT = RULES_PATH.read_text(encoding="utf-8")


def test_shipped_rules_load_and_are_what_coverage_uses():
    from harmonize.align import coverage

    rules = load_rules()
    assert coverage.WEIGHTS == rules.weights and coverage.COVERED == rules.cutoffs["covered"]
    assert rules.types["extradition"] == ("extradition",)


def line_of(needle: str) -> int:
    return next(i for i, line in enumerate(TEXT.splitlines(), start=1) if line.startswith(needle))


def test_out_of_range_weight_names_its_line():
    bad = TEXT.replace("category = 0.35", "category = 1.35")
    with pytest.raises(RulesError, match=rf"alignment.toml:{line_of('category = 0.35')}: \[weights\] category = 1.35: expected a number from 0 to 1"):
        parse_rules(bad, str(RULES_PATH))


def test_unknown_key_and_disordered_cutoffs_are_errors():
    with pytest.raises(RulesError, match=r"\[cutoffs\] 'coverd' is not a rule"):
        parse_rules(TEXT.replace("floor = 0.2", "floor = 0.2\ncoverd = 0.5"), "alignment.toml")
    with pytest.raises(RulesError, match=r"expected covered > partial > floor"):
        parse_rules(TEXT.replace("partial = 0.35", "partial = 0.65"), "alignment.toml")


def test_missing_table_and_bad_toml():
    with pytest.raises(RulesError, match=r"expected a \[topics\] table"):
        parse_rules(TEXT[: TEXT.index("[topics]")], "alignment.toml")
    with pytest.raises(RulesError, match=r"alignment.toml:7: not valid TOML"):
        parse_rules("\n".join(TEXT.splitlines()[:6] + ["retrieval = = 0.2"]), "alignment.toml")
