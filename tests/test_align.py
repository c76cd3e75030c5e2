"""Alignment, penalty comparison and the align/report commands on real statutes (tests/webdata.py)."""

from __future__ import annotations

import json

from harmonize.cli import main
from harmonize.service import Harmonize



def by_obligation(results: list[dict]) -> dict[str, dict]:
    return {r["obligation"]: r for r in results}


def test_cdsa_section_5_covers_drug_trafficking(web_data) -> None:
    results = by_obligation(Harmonize(web_data).align("CAN", "UN1988", saved=False))
    ob = results["UN1988:3(1)(a)(i)"]
    assert ob["status"] in ("covered", "partial")
    top5 = [p["id"] for p in ob["provisions"][:5]]
    assert "CAN/controlled-drugs-and-substances-act/sec-5" in top5
    assert all(p["evidence"] for p in ob["provisions"])


def test_every_obligation_appears_with_the_json_keys(web_data, capsys) -> None:
    assert main(["--data", str(web_data), "align", "--country", "IND", "--instrument", "TIP", "--format", "json"]) == 0
    results = json.loads(capsys.readouterr().out)
    assert [r["obligation"] for r in results][:2] == ["TIP:5", "TIP:5(1)"]
    for r in results:
        assert {"obligation", "level", "category", "status", "score", "missing_elements", "provisions"} <= set(r)
        assert r["status"] in ("covered", "partial", "missing", "not analysed", "no statute") and len(r["provisions"]) <= 10
        assert r["reason"].startswith(r["status"].replace("no statute", "no statute in the corpus"))
        for p in r["provisions"]:
            assert {"id", "source", "number", "heading", "score", "evidence"} <= set(p)


def test_country_without_smuggling_law_shows_som6_no_statute(web_data) -> None:
    results = by_obligation(Harmonize(web_data).align("NGA", "SOM", saved=False))
    assert results["SOM:6"]["status"] == "no statute"
    assert results["SOM:6"]["reason"] == "no statute in the corpus: NGA's corpus holds no statute on smuggling"
    # ... while Nigeria's laundering offence grounds the laundering obligation.
    untoc = by_obligation(Harmonize(web_data).align("NGA", "UN1988", saved=False))
    assert untoc["UN1988:3(1)(b)"]["status"] != "missing"
    assert untoc["UN1988:3(1)(b)"]["provisions"][0]["id"].startswith("NGA/money-laundering-prohibition-act/")


def test_saved_alignment_is_what_align_returns(web_data) -> None:
    app = Harmonize(web_data)
    with app.store() as store:
        assert store.alignments("CAN"), "harmonize index saved no alignment"
    assert app.align("CAN", "UN1988") == app.align("CAN", "UN1988", saved=False)
    summary = app.alignment_summary(app.align("CAN", "UN1988"))
    row = summary["UN1988"]
    assert sum(row[s] for s in ("covered", "partial", "missing", "not analysed", "no statute")) == len(app.catalogue("UN1988"))
    assert 0.0 <= row["coverage"] <= 1.0
    # Obligations the corpus cannot judge are counted apart, never as 0%.
    som = app.alignment_summary(app.align("NGA", "SOM"))["SOM"]
    assert som["no statute"] > 0 and som["judged"] == len(app.catalogue("SOM")) - som["no statute"]
    assert (som["coverage"] is None) == (som["judged"] == 0)


def test_csv_and_markdown_exports(web_data, capsys) -> None:
    assert main(["--data", str(web_data), "align", "--country", "CAN", "--instrument", "TIP", "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("obligation,level,category,status,score")
    assert len(lines) == 1 + len(Harmonize(web_data).catalogue("TIP"))
    assert main(["--data", str(web_data), "align", "--country", "CAN", "--instrument", "TIP", "--format", "md"]) == 0
    assert capsys.readouterr().out.startswith("| obligation | level |")


def test_committee_report_writes_pdf_word_html_markdown(web_data, tmp_path) -> None:
    paths = Harmonize(web_data).report("NGA", tmp_path, instrument="SOM")
    assert sorted(p.suffix for p in paths) == [".docx", ".html", ".md", ".pdf"]
    html = (tmp_path / "committee-report-NGA.html").read_text()
    assert "SOM:6" in html and "Convention text" in html and "National text" in html
    # Nigeria's corpus has no smuggling or immigration statute: said so, not "missing"
    assert "no statute in the corpus" in html
    assert (tmp_path / "committee-report-NGA.pdf").read_bytes().startswith(b"%PDF")


def test_penalty_comparison_ranks_death_above_life(web_data, tmp_path) -> None:
    comparison = Harmonize(web_data).compare_penalties("drug trafficking", ["CAN", "IND"])
    rows = {r["country"]: r for r in comparison["countries"]}
    assert rows["IND"]["death"] and rows["CAN"]["life"] and not rows["CAN"]["death"]
    assert comparison["spread"]["harshest"] == ["IND"]
    assert any(p["id"] == "CAN/controlled-drugs-and-substances-act/sec-5" for p in rows["CAN"]["provisions"])
    from harmonize.align.compare import plot_penalties

    assert plot_penalties(comparison, tmp_path / "chart.png").read_bytes().startswith(b"\x89PNG")


def test_reindex_with_nothing_changed_re_embeds_and_realigns_nothing(web_data) -> None:
    app = Harmonize(web_data)
    app.build_index(show_progress=False)  # settles the saved state whatever built the dir
    again = app.build_index(show_progress=False)
    assert again["index"]["unchanged"] and again["index"]["re_embedded"] == 0
    assert again["alignments"] == {}


def test_index_command_ingests_embeds_aligns_and_search_finds(tmp_path, capsys) -> None:
    """The main job's path (`harmonize index`, then `search`) on a two-file corpus."""
    from conftest import CORPUS

    corpus = tmp_path / "corpus"
    wanted = ("national/NGA/extradition-act.json", "national/NGA/robbery-and-firearms-special-provisions-act.json")
    lines = (CORPUS / "MANIFEST.tsv").read_text(encoding="utf-8").splitlines()
    rows = [lines[0]] + [line for line in lines[1:] if line.split("\t")[0] in wanted]
    for source in wanted:
        (corpus / source).parent.mkdir(parents=True, exist_ok=True)
        (corpus / source).write_bytes((CORPUS / source).read_bytes())
    (corpus / "MANIFEST.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    data = tmp_path / "data"
    assert main(["--data", str(data), "index", "--corpus", str(corpus), "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "files: 2 (2 parsed" in out and "re-embedded" in out and "alignments saved for 1 countries" in out
    assert main(["--data", str(data), "index", "--corpus", str(corpus), "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "nothing re-embedded" in out and "alignments: up to date" in out
    assert main(["--data", str(data), "search", "armed robbery punished with death", "--k", "3", "--format", "json"]) == 0
    hits = json.loads(capsys.readouterr().out)
    assert hits and hits[0]["country"] == "NGA" and "score" in hits[0] and "matched_terms" in hits[0]


def test_index_saves_what_the_web_reads(web_data) -> None:
    """Comparisons, charts and extradition pairs are saved by `index` and equal a fresh computation."""
    from harmonize.align.compare import compare_penalties
    from harmonize.align.extradition import extradition_analysis, extradition_rules
    from harmonize.store import EXTRADITION_RULE

    app = Harmonize(web_data)
    with app.store() as store:
        assert store.derived("comparison", "drug trafficking") is not None
        live_comparison = compare_penalties(store, "drug trafficking")
        live_pair = extradition_analysis(store, "CAN", "IND")
        saved_rules = {r.country: r for r in store.rules(EXTRADITION_RULE).values()}
        live_rule = extradition_rules(store, "NGA")
        assert store.derived("extradition-pair", "CAN>IND") is not None
    assert app.compare_penalties("drug trafficking") == live_comparison
    assert app.extradition("CAN", "IND") == live_pair
    assert app.penalty_chart("drug trafficking").startswith(b"\x89PNG\r\n\x1a\n")
    assert saved_rules["NGA"] == live_rule  # the rule read at ingest, stored once
