"""The whole-corpus self-check (bench/alignment_selfcheck.py) on the shared test data: no saved
decision shows "missing" beside a high score, "partial" without a reason a reviewer could check,
a status its score contradicts, or a parent its paragraphs contradict."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from harmonize.service import Harmonize

BENCH = Path(__file__).resolve().parents[1] / "bench" / "alignment_selfcheck.py"


def _selfcheck():
    spec = importlib.util.spec_from_file_location("alignment_selfcheck", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_no_saved_decision_violates_the_self_check(web_data) -> None:
    check = _selfcheck()
    app = Harmonize(web_data)
    with app.store() as store:
        countries = store.national_countries()
        saved = {c: store.alignments(c) for c in countries}
    assert countries and all(saved.values())
    found = {c: check.violations(rows) for c, rows in saved.items()}
    bad = [(c, *v) for c, rows in found.items() for v in rows]
    assert not bad, bad[:10]


def test_the_self_check_finds_what_it_looks_for() -> None:
    check = _selfcheck()
    rows = {
        "UN1988:6": {"status": "missing", "score": 0.0, "reason": "missing: none ...",
                     "provisions": [{"number": "45", "score": 0.92}]},
        "UN1988:5": {"status": "partial", "score": 0.5, "reason": "", "provisions": [], "evidence": "x"},
        "UN1988:3(1)": {"status": "covered", "score": 0.2, "reason": "covered: s.5 carries the duty",
                        "provisions": [], "evidence": "x"},
        "UN1988:3(1)(a)(i)": {"status": "missing", "score": 0.0, "reason": "missing: none", "provisions": []},
    }
    kinds = {(k, ob) for k, ob, _ in check.violations(rows)}
    assert ("missing with a score", "UN1988:6") in kinds
    assert ("partial without a reason", "UN1988:5") in kinds
    assert ("status and score disagree", "UN1988:3(1)") in kinds
    assert ("parent and child disagree", "UN1988:3(1)") in kinds
