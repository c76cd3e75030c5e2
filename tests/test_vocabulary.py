"""The offence-category vocabulary file: loaded from obligations/categories.toml, errors name the line."""

from __future__ import annotations

import pytest

from harmonize.analyze.categories import OFFENCE_CATEGORIES
from harmonize.analyze.offences import CONDUCT, KNOWN_SUBJECTS, OBJECT_KINDS, TERMS
from harmonize.errors import VocabularyError
from harmonize.obligations.vocabulary import VOCABULARY_PATH, parse_vocabulary

TEXT = VOCABULARY_PATH.read_text(encoding="utf-8")


def parse(text: str):
    return parse_vocabulary(text, "categories.toml", OFFENCE_CATEGORIES, OBJECT_KINDS, KNOWN_SUBJECTS)


def test_the_shipped_vocabulary_loads_and_drives_the_analyser() -> None:
    vocabulary = parse(TEXT)
    assert set(vocabulary.categories) == set(OFFENCE_CATEGORIES)
    assert CONDUCT["possession"] == "possess" and CONDUCT["trafficks"] == "traffic" and CONDUCT["possess"] == "possess"
    assert "import" in TERMS["drug trafficking"].conduct and TERMS["drug trafficking"].objects == {"drug"}
    assert TERMS["trafficking in persons"].without == {"drug"}


def test_extradition_reads_the_same_vocabulary() -> None:
    """One home: dual criminality's objects, asked conduct and verb equivalents come from the file."""
    from harmonize.align import extradition

    vocabulary = parse(TEXT)
    assert extradition.CATEGORY_OBJECTS["money laundering"] == {"proceeds", "property"}
    assert extradition.CATEGORY_OBJECTS["drug trafficking"] == vocabulary.categories["drug trafficking"].objects
    assert extradition.CATEGORY_CONDUCT["drug trafficking"] == vocabulary.categories["drug trafficking"].conduct
    assert "trafficking in persons" not in extradition.CATEGORY_CONDUCT  # asks all the offence's conduct
    assert {"manufacture", "produce", "make"} in extradition.EQUIVALENT
    assert extradition._equivalents({"produce"}) >= {"manufacture", "make"}
    assert extradition.PARTY_CONDUCT == vocabulary.party_conduct >= {"finance", "abet", "organise"}


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


@pytest.mark.parametrize("old, new, expected, needle", [
    ('objects = ["drug"]\nasks_conduct_only = true\n\n[category."cultivation"]',
     'objects = ["drugz"]\nasks_conduct_only = true\n\n[category."cultivation"]',
     "'drugz' not among the object kinds", 'objects = ["drugz"]'),
    ('conduct = ["cultivate"]', 'conduct = ["cultivat"]', "'cultivat' not among the verbs of [conduct]", '["cultivat"]'),
    ('[category."cultivation"]\nsubjects = ["drugs", "general-criminal"]', '[category."cultivation"]\nsubjects = ["drug"]',
     "'drug' not among the subjects", 'subjects = ["drug"]'),
    ('conduct = ["cultivate"]', 'conduct = ["cultivate"]\nverbs = []', "'verbs' is not a key", "verbs = []"),
    ('possess = ["possession",', 'possess = ["trafficking", "possession",', "'trafficking' already belongs to 'possess'",
     "traffic = ["),
    ('requested = ["firearm", "marking"]', 'requested = ["firearm", "markings"]', "'markings' not among the object kinds",
     'requested = ["firearm", "markings"]'),
    ('[category."cultivation"]\nsubjects = ["drugs", "general-criminal"]\nconduct = ["cultivate"]\nobjects = ["drug"]\n'
     'asks_conduct_only = true',
     '[category."cultivation"]\nsubjects = ["drugs", "general-criminal"]\nconduct = ["cultivate"]\nobjects = ["drug"]\n'
     'asks_conduct_only = "yes"', "asks_conduct_only: expected true or false", 'asks_conduct_only = "yes"'),
    ('manufacture = ["manufacture", "produce", "make"]', 'manufacture = ["manufacture", "produse", "make"]',
     "[equivalents] manufacture: 'produse' not among the verbs of [conduct]", '"produse"'),
    ('import = ["import", "bring"]', 'import = ["import"]', "expected a list of at least two verbs", 'import = ["import"]'),
    ('conduct = ["finance", "fund",', 'conduct = ["financ", "fund",', "[party] conduct: 'financ' not among the verbs",
     'conduct = ["financ", "fund",'),
    ('[party]\nconduct = [', '[party]\nverbs = []\nconduct = [', "[party] 'verbs' is not a key", "verbs = []"),
])
def test_a_wrong_value_names_its_line(old: str, new: str, expected: str, needle: str) -> None:
    assert old in TEXT
    broken = TEXT.replace(old, new, 1)
    with pytest.raises(VocabularyError) as err:
        parse(broken)
    assert expected in err.value.message
    assert err.value.line == line_of(broken, needle), (err.value.line, needle)


def test_unknown_or_missing_categories_and_bad_toml() -> None:
    with pytest.raises(VocabularyError, match="not an offence category") as err:
        parse(TEXT.replace('[category."cultivation"]', '[category."cultivations"]'))
    assert err.value.line == line_of(TEXT, '[category."cultivation"]')
    start = TEXT.index('[category."embezzlement"]')
    end = TEXT.index('[category."trading in influence"]')
    with pytest.raises(VocabularyError, match="no .* table for embezzlement"):
        parse(TEXT[:start] + TEXT[end:])
    with pytest.raises(VocabularyError, match="not valid TOML") as err:
        parse(TEXT + "\n[conduct\n")
    assert err.value.line is not None
