"""`harmonize index` after one changed file: only that country is aligned again, only the derived
data it takes part in is computed again, only its committee documents are made again, and no
stale derived item is ever served (on a copy of the small web data dir: CAN, IND, SGP, NGA)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from harmonize.align import extradition as extradition_module
from harmonize.align.compare import compare_penalties
from harmonize.align.extradition import extradition_analysis, extradition_matrix
from harmonize.analyze.categories import OFFENCE_CATEGORIES
from harmonize.service import Harmonize

CHANGED = "SGP"
TIP_ACT = "national/SGP/prevention-of-human-trafficking-act-2014.json"
CATEGORY = "trafficking in persons"


@pytest.fixture()
def data(web_data: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "data"
    shutil.copytree(web_data, copy, ignore=shutil.ignore_patterns("reviews.sqlite*", "web-secret.key"))
    return copy


def remove_file(app: Harmonize, source: str) -> None:
    """What ingest does when a file leaves the corpus: its instrument goes, with its provisions."""
    with app.store() as store, store.transaction():
        store.delete_instruments([i.id for i in store.instruments() if i.source == source])


def saved(app: Harmonize) -> dict[tuple[str, str], bytes]:
    with app.store() as store:
        return {(kind, key): data for kind in ("comparison", "chart", "extradition-pair", "extradition-matrix")
                for key, data in store.derived_items(kind)}


def documents(app: Harmonize) -> dict[str, tuple[Path, float]]:
    with app.store() as store:
        countries = store.national_countries()
    out = {}
    for country in countries:
        pdf = app.reports_dir(country) / f"committee-report-{country}.pdf"
        out[country] = (pdf, pdf.stat().st_mtime_ns if pdf.is_file() else None)
    return out


def test_a_changed_file_recomputes_only_its_country_and_serves_nothing_stale(data: Path, monkeypatch) -> None:
    app = Harmonize(data)
    assert app.build_index(show_progress=False)["derived"] == {}  # the copy is up to date
    before, docs_before = saved(app), documents(app)
    with app.store() as store:
        countries = store.national_countries()
        old_pair = json.loads(store.derived("extradition-pair", f"{CHANGED}>CAN"))
    assert CHANGED in countries and len(countries) == 4

    remove_file(app, TIP_ACT)
    # Before `index` runs again, what was saved for SGP is stale: every read computes it anew.
    with app.store() as store:
        live_comparison = compare_penalties(store, CATEGORY)
        live_pair = extradition_analysis(store, CHANGED, "CAN")
        live_matrix = extradition_matrix(store, CATEGORY)
        assert not app.derived_fresh(store) and not app.derived_fresh(store, [CHANGED, "CAN"])
        assert app.derived_fresh(store, ["CAN", "IND"])  # a pair without SGP still holds
    assert live_pair != old_pair  # the change moves SGP's extradition analysis
    assert app.compare_penalties(CATEGORY) == live_comparison
    assert app.extradition(CHANGED, "CAN") == live_pair
    assert app.extradition_matrix(CATEGORY) == live_matrix
    sgp_row = next(r for r in live_comparison["countries"] if r["country"] == CHANGED)
    assert sgp_row["state"] == "no statute"  # SGP's corpus now holds no trafficking-in-persons law

    analysed = []
    real_pair = extradition_module._pair
    monkeypatch.setattr(extradition_module, "_pair",
                        lambda a, b, cats: analysed.append((a.country, b.country)) or real_pair(a, b, cats))
    result = app.build_index(show_progress=False)

    assert sorted(result["alignments"]) == [CHANGED]
    assert result["index"]["re_embedded"] == 0
    assert result["derived"]["changed"] == 1
    # the pairs SGP takes part in, each way, and no other
    assert sorted(analysed) == sorted([(CHANGED, c) for c in countries if c != CHANGED]
                                      + [(c, CHANGED) for c in countries if c != CHANGED])
    assert result["derived"]["pairs"] == 2 * (len(countries) - 1)
    # the comparisons whose SGP row moved (trafficking in persons among them), not every one
    assert 1 <= result["derived"]["comparisons"] < len(OFFENCE_CATEGORIES)
    # only SGP's committee documents were made again; the others' files stand as they were
    assert sorted(result["reports"]) == [CHANGED]
    docs_after = documents(app)
    for country, (path, mtime) in docs_before.items():
        if country != CHANGED:
            assert docs_after[country] == (path, mtime)
    assert docs_after[CHANGED][0] != docs_before[CHANGED][0] and docs_after[CHANGED][1] is not None
    assert not docs_before[CHANGED][0].exists()  # the old directory is removed

    # What is saved now equals a computation from scratch on the changed store, item for item;
    # the items without SGP are the very bytes saved before.
    after = saved(app)
    assert set(after) == set(before)
    with app.store() as store:
        assert app.derived_fresh(store)
        for category in OFFENCE_CATEGORIES:
            assert json.loads(after[("comparison", category)]) == compare_penalties(store, category)
        for kind, key in after:
            if kind == "extradition-pair":
                requesting, requested = key.split(">")
                assert json.loads(after[(kind, key)]) == extradition_analysis(store, requesting, requested)
                if CHANGED not in (requesting, requested):
                    assert after[(kind, key)] == before[(kind, key)]
        for category in (None, *OFFENCE_CATEGORIES):
            assert json.loads(after[("extradition-matrix", category or "*")]) == extradition_matrix(store, category)
    assert app.compare_penalties(CATEGORY) == live_comparison
    assert app.extradition(CHANGED, "CAN") == live_pair

    # and a second run has nothing left to do
    again = app.build_index(show_progress=False)
    assert again["alignments"] == {} and again["derived"] == {} and again["reports"] == {}


def test_a_country_leaving_the_corpus_drops_its_pairs_and_stamps(data: Path) -> None:
    app = Harmonize(data)
    app.build_index(show_progress=False)
    with app.store() as store, store.transaction():
        store.delete_instruments([i.id for i in store.instruments("NGA")])
    result = app.build_index(show_progress=False)
    assert result["alignments"] == {}  # nobody else's files changed
    with app.store() as store:
        countries = store.national_countries()
        assert "NGA" not in countries
        pairs = {key for key, _ in store.derived_items("extradition-pair")}
        assert pairs == {f"{a}>{b}" for a in countries for b in countries if a != b}
        assert "derived_key:NGA" not in store.meta_like("derived_key:")
        comparison = json.loads(store.derived("comparison", "drug trafficking"))
        assert [r["country"] for r in comparison["countries"]] == countries
        assert app.derived_fresh(store)
    assert "NGA" not in app.extradition_matrix()["countries"]
    assert not any(p.name.startswith("NGA-") for p in (data / "reports").iterdir())
