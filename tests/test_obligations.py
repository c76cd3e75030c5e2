"""Obligations catalogue: the real catalogue loads and links to the parsed conventions;
malformed catalogues are refused with the obligation id, line and what was expected."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from conftest import CORPUS, manifest_entry, parse_corpus_file

from harmonize.analyze.categories import CATEGORIES
from harmonize.config import PROJECT_ROOT
from harmonize.corpus import instrument_id as corpus_instrument_id
from harmonize.errors import CatalogueError
from harmonize.obligations import (
    INSTRUMENT_SOURCES,
    LEVELS,
    TYPES,
    Obligation,
    article_text,
    by_id,
    children,
    convention_number,
    instrument_id,
    load_catalogue,
    parse_catalogue,
)
from harmonize.store import Store

EVAL_FILE = PROJECT_ROOT.parent / "shared" / "eval" / "alignment.jsonl"

# The ids the evaluation file uses (kept here too, so the test runs without the file).
EVAL_IDS = {
    "UN1988:3(1)(a)(i)", "UN1988:3(1)(a)(ii)", "UN1988:3(1)(a)(iii)", "UN1988:3(1)(a)(iv)",
    "UN1988:3(1)(a)(v)", "UN1988:3(1)(b)", "UN1988:3(1)(c)(iv)", "UN1988:3(2)", "UN1988:5",
    "UN1988:6", "UNTOC:5", "UNTOC:6", "UNTOC:10", "UNTOC:16", "UNTOC:23", "TIP:5", "SOM:6",
    "FP:5", "ICSFT:2", "UNCAC:15",
}


@pytest.fixture(scope="module")
def catalogue() -> list[Obligation]:
    return load_catalogue()


# -- the real catalogue ------------------------------------------------------------------


def test_catalogue_loads(catalogue):
    assert len(catalogue) >= 100
    assert len({ob.id for ob in catalogue}) == len(catalogue)
    for ob in catalogue:
        assert ob.level in LEVELS
        assert ob.type in TYPES
        assert set(ob.category) <= set(CATEGORIES)
        assert ob.id == f"{ob.instrument}:{ob.article_ref}"
        assert ob.summary and ob.line


def test_every_instrument_is_covered(catalogue):
    counts = Counter(ob.instrument for ob in catalogue)
    assert set(counts) == set(INSTRUMENT_SOURCES)


def test_eval_ids_exist(catalogue):
    ids = {ob.id for ob in catalogue}
    assert EVAL_IDS <= ids
    if EVAL_FILE.is_file():
        used = {json.loads(line)["obligation"] for line in EVAL_FILE.read_text().splitlines() if line.strip()}
        assert used <= ids, sorted(used - ids)


def test_required_coverage(catalogue):
    ids = {ob.id for ob in catalogue}
    for ident in (
        "UN1961:36(1)(a)", "UN1971:22(1)(a)", "UN1988:3(4)(a)", "UN1988:4(1)(a)", "UN1988:5(1)",
        "UNTOC:8(1)(a)", "UNTOC:11(1)", "UNTOC:12(1)", "UNTOC:15(1)", "TIP:5(1)", "TIP:5(2)(c)",
        "SOM:6(1)(a)", "FP:5(1)(c)", "FP:8(1)", "ICSFT:4(b)", "ICSFT:5(1)", "ICSFT:8(2)",
        "ICSFT:11(1)", "UNCAC:17", "UNCAC:20", "UNCAC:26(1)", "UNCAC:31(1)", "UNCAC:42(1)",
        "UNCAC:44(4)", "ATT:14",
    ):
        assert ident in ids, ident


def test_levels_read_off_the_text(catalogue):
    obs = by_id(catalogue)
    assert obs["UN1988:3(1)(a)(i)"].level == "mandatory"
    assert obs["UN1988:3(1)(c)(iv)"].level == "subject to constitutional principles"
    assert obs["UN1988:3(2)"].level == "subject to constitutional principles"
    assert obs["UNTOC:6(1)(b)(i)"].level == "subject to constitutional principles"
    assert obs["TIP:5(2)(a)"].level == "subject to constitutional principles"
    assert obs["TIP:5(2)(b)"].level == "mandatory"
    assert obs["UNCAC:16(1)"].level == "mandatory"
    assert obs["UNCAC:16(2)"].level == "optional"
    assert obs["UNCAC:18"].level == "optional"
    assert obs["UNCAC:27(2)"].level == "optional"
    assert obs["UN1961:36(1)(a)"].level == "subject to constitutional principles"


def test_elements(catalogue):
    obs = by_id(catalogue)
    assert "cultivate" in obs["UN1988:3(1)(a)(ii)"].elements.conduct
    assert "opium poppy" in obs["UN1988:3(1)(a)(ii)"].elements.object
    assert obs["UNTOC:5(1)(a)(i)"].elements.threshold_months == 48
    assert obs["UN1988:3(4)(a)"].elements.threshold_months is None
    means = obs["TIP:5(1)"].elements.means
    for word in ("threat", "force", "coercion", "abduction", "fraud", "deception"):
        assert word in means
    assert "for the purpose of exploitation" in obs["TIP:5(1)"].elements.purpose
    for ob in catalogue:
        for phrase in ob.elements.phrases():
            assert phrase == phrase.lower() and phrase.strip() == phrase
        if ob.type == "criminalization" and ob.level == "mandatory" and ob.elements.conduct:
            assert ob.elements.object, ob.id


def test_parents_refine(catalogue):
    obs = by_id(catalogue)
    assert obs["TIP:5(1)"].parent == "TIP:5"
    assert obs["UN1988:3(1)(b)(i)"].parent == "UN1988:3(1)(b)"
    assert {c.id for c in children(catalogue, "TIP:5(2)")} == {"TIP:5(2)(a)", "TIP:5(2)(b)", "TIP:5(2)(c)"}
    for ob in catalogue:
        if ob.parent:
            parent = obs[ob.parent]
            assert ob.article_ref.startswith(parent.article_ref + "(")


def test_to_dict(catalogue):
    data = by_id(catalogue)["UNTOC:5(1)(a)(i)"].to_dict()
    assert data["id"] == "UNTOC:5(1)(a)(i)"
    assert data["source"] == "conventions/untoc-2000.md"
    assert data["elements"]["threshold_months"] == 48
    assert "line" not in data
    json.dumps(data)


# -- linking to the parsed conventions ---------------------------------------------------


def test_convention_number_and_instrument_id(catalogue):
    ob = by_id(catalogue)["UN1988:3(1)(a)(i)"]
    assert convention_number(ob) == "3(1)(a)(i)"
    assert instrument_id(ob) == "UN/vienna-illicit-traffic-1988"
    for code, source in INSTRUMENT_SOURCES.items():
        assert instrument_id(code) == corpus_instrument_id(manifest_entry(source))


def test_every_article_ref_resolves(catalogue):
    """Each obligation's article reference is a provision number the convention parser writes."""
    missing = []
    for code, source in INSTRUMENT_SOURCES.items():
        numbers = {p.number for p in parse_corpus_file(source).provisions}
        missing += [ob.id for ob in catalogue if ob.instrument == code and convention_number(ob) not in numbers]
    assert not missing, missing


def test_article_text_from_store(catalogue, tmp_path):
    source = INSTRUMENT_SOURCES["TIP"]
    doc = parse_corpus_file(source)
    with Store(tmp_path / "store.sqlite", create=True) as store:
        with store.transaction():
            store.replace_instrument(doc.instrument, "test", doc.provisions, doc.warnings)
        obs = by_id(catalogue)
        prov = article_text(store, obs["TIP:5(2)(c)"])
        assert prov is not None
        assert prov.number == "5(2)(c)"
        assert "Organizing or directing" in prov.text
        assert article_text(store, obs["UN1988:3(2)"]) is None  # not ingested


# -- validation --------------------------------------------------------------------------

GOOD = """
[[obligation]]
id = "TIP:5"
level = "mandatory"
type = "criminalization"
category = ["trafficking in persons"]
summary = "Trafficking must be a crime."
[obligation.elements]
conduct = ["recruit"]
object = ["person"]

[[obligation]]
id = "TIP:5(1)"
parent = "TIP:5"
level = "mandatory"
type = "criminalization"
category = ["trafficking in persons"]
summary = "The conduct of article 3."
[obligation.elements]
threshold_months = 48
"""


def test_good_snippet():
    obs = parse_catalogue(GOOD, "snippet.toml")
    assert [ob.id for ob in obs] == ["TIP:5", "TIP:5(1)"]
    assert obs[1].line == 12
    assert obs[1].elements.threshold_months == 48


def bad(old: str, new: str, count: int = 1) -> str:
    assert old in GOOD
    return GOOD.replace(old, new, count)


@pytest.mark.parametrize(
    "text, ident, expected",
    [
        (bad('category = ["trafficking in persons"]\nsummary = "The', 'category = ["human sale"]\nsummary = "The'),
         "TIP:5(1)", "category 'human sale'"),
        (GOOD + "[[obligation]]" + GOOD.split("[[obligation]]")[1], "TIP:5", "duplicate id (first defined at line 2)"),
        (bad('level = "mandatory"', 'level = "must"'), "TIP:5", "level 'must'"),
        (bad('type = "criminalization"', 'type = "crime"'), "TIP:5", "type 'crime'"),
        (bad('id = "TIP:5(1)"', 'id = "XYZ:5(1)"'), "XYZ:5(1)", "unknown instrument code"),
        (bad('id = "TIP:5(1)"', 'id = "TIP 5(1)"'), "TIP 5(1)", "<INSTRUMENT>:<article reference>"),
        (bad('id = "TIP:5(1)"', 'id = "TIP:5.1"'), "TIP:5.1", "article reference"),
        (bad("threshold_months = 48", 'threshold_months = "four years"'), "TIP:5(1)", "threshold_months"),
        (bad("threshold_months = 48", "penalties = [\"fine\"]"), "TIP:5(1)", "unknown element keys"),
        (bad('conduct = ["recruit"]', 'conduct = ["Recruit"]'), "TIP:5", "lowercase"),
        (bad('parent = "TIP:5"', 'parent = "TIP:6"'), "TIP:5(1)", "parent 'TIP:6'"),
        (bad('parent = "TIP:5"', 'parent = "SOM:6"'), "TIP:5(1)", "parent 'SOM:6'"),
        (bad('summary = "The conduct of article 3."', ""), "TIP:5(1)", "missing key 'summary'"),
        (bad('summary = "The conduct of article 3."', 'summary = "x"\ntitle = "y"'), "TIP:5(1)", "unknown keys"),
    ],
)
def test_bad_snippets(text, ident, expected):
    with pytest.raises(CatalogueError) as err:
        parse_catalogue(text, "snippet.toml")
    message = str(err.value)
    assert repr(ident) in message
    assert expected in message
    assert message.startswith("snippet.toml:")
    assert err.value.obligation == ident
    assert err.value.line in (2, 12, 21)


def test_bad_toml(tmp_path):
    path = tmp_path / "broken.toml"
    path.write_text("[[obligation]\nid = 1\n")
    with pytest.raises(CatalogueError, match="not valid TOML"):
        load_catalogue(path)
    with pytest.raises(CatalogueError, match="cannot read"):
        load_catalogue(tmp_path / "absent.toml")


def test_load_from_path(tmp_path):
    path = tmp_path / "cat.toml"
    path.write_text(GOOD)
    assert len(load_catalogue(path)) == 2
    with pytest.raises(CatalogueError) as err:
        path.write_text(bad('level = "mandatory"', 'level = "shall"'))
        load_catalogue(path)
    assert str(path) in str(err.value) and "'TIP:5'" in str(err.value)


def test_corpus_present():
    assert (CORPUS / INSTRUMENT_SOURCES["UN1988"]).is_file()
