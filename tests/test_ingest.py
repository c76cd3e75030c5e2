"""Ingest and store: the whole real corpus, incrementality, atomicity and bad input."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from harmonize.cli import main
from harmonize.corpus import detect_language, read_manifest
from harmonize.ingest import ingest_corpus
from harmonize.errors import StoreError
from harmonize.store import Store

MANIFEST_HEADER = "path\tkind\tcountry\ttitle\tyear\ttopic\tformat\tsource_repo\tsource_path\tsource_commit\tnotes\n"


def write_corpus(root: Path, files: dict[str, bytes], listed: list[str] | None = None) -> Path:
    """A small made-up corpus: files plus a manifest listing them (or `listed`)."""
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    rows = []  # NRU (Nauru): a real ISO 3166 code with no statute in the corpus
    for rel in listed if listed is not None else list(files):
        country = rel.split("/")[1] if rel.startswith("national/") else "UN"
        kind = "national" if rel.startswith("national/") else "convention"
        rows.append(f"{rel}\t{kind}\t{country}\tTest {rel}\t2020\tdrugs\tother\trepo\tpath\tabc\t\n")
    (root / "MANIFEST.tsv").write_text(MANIFEST_HEADER + "".join(rows), encoding="utf-8")
    return root


GOOD_JSON = json.dumps(
    {
        "id": "test-act",
        "title": "Test Drugs Act",
        "provisions": [
            {"provision_ref": "s1", "chapter": "", "section": "1", "title": "1. Short title",
             "content": "This Act may be cited as the Test Drugs Act."},
            {"provision_ref": "s2", "chapter": "", "section": "2", "title": "2. Trafficking",
             "content": "(1) No person shall traffic in a controlled drug.\n(2) A person who contravenes subsection (1) shall be liable to imprisonment for a term not exceeding 20 years."},
        ],
        "definitions": [],
    }
).encode()


@pytest.fixture()
def small_corpus(tmp_path: Path) -> Path:
    return write_corpus(tmp_path / "corpus", {"national/NRU/test-act.json": GOOD_JSON})


def test_ingest_is_incremental_by_content_hash(small_corpus: Path, tmp_path: Path) -> None:
    with Store(tmp_path / "s.sqlite", create=True) as store:
        first = ingest_corpus(small_corpus, store, show_progress=False)
        assert (first.parsed, first.unchanged, first.ok) == (1, 0, True)
        assert first.per_country["NRU"] >= 2
        second = ingest_corpus(small_corpus, store, show_progress=False)
        assert (second.parsed, second.unchanged) == (0, 1)
        assert second.provisions == first.provisions
        changed = GOOD_JSON.replace(b"20 years", b"25 years")
        (small_corpus / "national/NRU/test-act.json").write_bytes(changed)
        third = ingest_corpus(small_corpus, store, show_progress=False)
        assert (third.parsed, third.unchanged) == (1, 0)
        assert "25 years" in store.find_by_number("NRU/test-act", "2")[0].text


def test_a_changed_manifest_topic_reanalyses_that_file(small_corpus: Path, tmp_path: Path) -> None:
    """The topic is what the analysis reads an Act's subject from: changing it in the manifest
    re-analyses the file (and nothing else), even though the file's bytes did not change."""
    other = small_corpus / "national/NRU/other-act.json"
    other.write_bytes(GOOD_JSON.replace(b"Test Drugs Act", b"Other Drugs Act"))
    manifest = small_corpus / "MANIFEST.tsv"
    manifest.write_text(manifest.read_text(encoding="utf-8")
                        + "national/NRU/other-act.json\tnational\tNRU\tOther\t2020\tdrugs\tother\trepo\tpath\tabc\t\n",
                        encoding="utf-8")
    with Store(tmp_path / "s.sqlite", create=True) as store:
        assert ingest_corpus(small_corpus, store, show_progress=False).parsed == 2
        record = store.facts("NRU/test-act/sec-2").offence
        assert record.subject == "drugs" and "drug trafficking" in record.categories
        rows = manifest.read_text(encoding="utf-8").splitlines(keepends=True)
        rows[1] = rows[1].replace("\tdrugs\t", "\tfirearms\t")  # the test Act is now filed under firearms
        manifest.write_text("".join(rows), encoding="utf-8")
        report = ingest_corpus(small_corpus, store, show_progress=False)
        assert (report.parsed, report.unchanged) == (1, 1)
        assert store.instrument("NRU/test-act").topic == "firearms"
        record = store.facts("NRU/test-act/sec-2").offence
        assert record.subject == "firearms" and "drug trafficking" not in record.categories
        assert "drug trafficking" in store.facts("NRU/other-act/sec-2").offence.categories


BAD_FILES = {
    "national/NRU/broken.xml": (b'<?xml version="1.0"?>\n<Statute>\n<Body><Section>\n</Statute>\n', "malformed XML"),
    "national/NRU/broken.json": (b'{"provisions": [\n  {"section": "1",,}\n]}', "line 2"),
    "national/NRU/latin1.json": (GOOD_JSON.replace(b"Short title", b"Short \xe9title"), "UTF-8"),
    "national/NRU/unknown.txt": (b"Section 1. Something.", "unknown format"),
    "national/NRU/evil.xml": (
        b'<?xml version="1.0"?>\n<!DOCTYPE Statute [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
        b"<Statute><Body><Section><Label>1</Label><Text>&xxe;</Text></Section></Body></Statute>",
        None,
    ),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_input_is_reported_with_file_and_place_and_the_rest_ingests(name: str, tmp_path: Path) -> None:
    data, expected = BAD_FILES[name]
    corpus = write_corpus(tmp_path / "corpus", {"national/NRU/test-act.json": GOOD_JSON, name: data})
    with Store(tmp_path / "s.sqlite", create=True) as store:
        report = ingest_corpus(corpus, store, show_progress=False)
        assert store.find_by_number("NRU/test-act", "2"), "the good file still ingests"
        if expected is None:
            # External entities are never expanded: no file content leaks into the store.
            for prov in store.provisions():
                assert "root:" not in prov.text
            return
    assert not report.ok
    assert len(report.errors) == 1
    assert name in report.errors[0] and expected in report.errors[0]


def test_file_in_manifest_missing_on_disk(tmp_path: Path) -> None:
    corpus = write_corpus(
        tmp_path / "corpus", {"national/NRU/test-act.json": GOOD_JSON}, ["national/NRU/test-act.json", "national/NRU/gone.json"]
    )
    with Store(tmp_path / "s.sqlite", create=True) as store:
        report = ingest_corpus(corpus, store, show_progress=False)
    assert len(report.errors) == 1
    assert "national/NRU/gone.json" in report.errors[0] and "not on disk" in report.errors[0]
    assert "MANIFEST.tsv line 3" in report.errors[0]


def test_failed_file_keeps_its_previous_provisions(small_corpus: Path, tmp_path: Path) -> None:
    with Store(tmp_path / "s.sqlite", create=True) as store:
        ingest_corpus(small_corpus, store, show_progress=False)
        (small_corpus / "national/NRU/test-act.json").write_bytes(b"{ not json")
        report = ingest_corpus(small_corpus, store, show_progress=False)
        assert not report.ok
        assert "not exceeding 20 years" in store.find_by_number("NRU/test-act", "2")[0].text


def test_failed_write_leaves_previous_store_intact(small_corpus: Path, tmp_path: Path, monkeypatch) -> None:
    with Store(tmp_path / "s.sqlite", create=True) as store:
        ingest_corpus(small_corpus, store, show_progress=False)
        before = [p.text for p in store.provisions()]
        (small_corpus / "national/NRU/test-act.json").write_bytes(GOOD_JSON.replace(b"20 years", b"30 years"))

        def crash(*args, **kwargs):
            raise sqlite3.OperationalError("disk I/O error (simulated)")

        monkeypatch.setattr(Store, "delete_instruments", crash)
        with pytest.raises(StoreError, match=r"s\.sqlite: disk I/O error \(simulated\)"):
            ingest_corpus(small_corpus, store, show_progress=False)
        assert [p.text for p in store.provisions()] == before


def test_missing_store_gives_clear_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="harmonize ingest"):
        Store(tmp_path / "none.sqlite")


def test_language_detection_by_script() -> None:
    assert detect_language('{"title": "মাদকদ্রব্য নিয়ন্ত্রণ আইন, ২০১৮", "content": "ধারা ১"}') == "bn"
    assert detect_language('{"content": "المادة الأولى من هذا القانون"}') == "ar"
    assert detect_language("No person shall traffic in a controlled drug.") == "en"


# -- the whole real corpus ------------------------------------------------------------------


@pytest.fixture(scope="session")
def real_store(tmp_path_factory, corpus) -> Path:
    data = tmp_path_factory.mktemp("data")
    assert main(["--data", str(data), "ingest", "--quiet"]) == 0
    return data


def test_every_manifest_file_ingests_with_provisions(real_store: Path, corpus: Path) -> None:
    entries = read_manifest(corpus)
    with Store(real_store / "harmonize.sqlite") as store:
        by_source = {i.source: i for i in store.instruments()}
        assert set(by_source) == {e.path for e in entries}
        for inst in by_source.values():
            assert store.provision_count(inst.id) > 0, inst.source
        countries = {i.country for i in by_source.values()}
        assert {"CAN", "USA", "IND", "SGP", "PAK", "BGD", "NGA", "AUS", "NZL", "ZWE", "GHA", "ARE", "KEN", "UN"} <= countries
        langs = {i.source: i.language for i in by_source.values()}
        assert langs["national/BGD/narcotics-control-act-2018.bn.json"] == "bn"
        assert langs["national/ARE/narcotic-drugs-psychotropic-substances-fdl-30-2021.ar.json"] == "ar"
        assert langs["national/BGD/arms-act-1878.json"] == "en"


def test_second_ingest_reparses_nothing(real_store: Path, capsys) -> None:
    assert main(["--data", str(real_store), "ingest", "--quiet", "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["parsed"] == 0 and report["unchanged"] == report["files"]


def test_show_prints_heading_path_and_text(real_store: Path, capsys) -> None:
    assert main(["--data", str(real_store), "show", "IND/ndps-act-1985/sec-21", "--format", "json"]) == 0
    prov = json.loads(capsys.readouterr().out)
    assert set(prov) == {"id", "instrument", "country", "source", "number", "path", "heading", "text", "kind"}
    assert prov["country"] == "IND" and prov["source"] == "national/IND/ndps-act-1985.xml"
    assert prov["number"] == "21" and prov["path"][-1] == "21"
    assert "twenty years" in prov["text"]
    assert main(["--data", str(real_store), "show", "IND/ndps-act-1985/sec-21"]) == 0
    text = capsys.readouterr().out
    assert "21" in text and "twenty years" in text


def test_show_unknown_id_fails_clearly(real_store: Path, caplog) -> None:
    assert main(["--data", str(real_store), "show", "XXX/nothing/sec-1"]) == 2
    assert "no provision with id" in caplog.text


def test_instruments_lists_by_country(real_store: Path, capsys) -> None:
    assert main(["--data", str(real_store), "instruments", "--country", "can", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 7 and all(r["country"] == "CAN" for r in rows)
    assert all(r["provisions"] > 0 for r in rows)


def test_obligations_command_lists_catalogue_with_article_text(real_store: Path, capsys) -> None:
    assert main(["--data", str(real_store), "obligations", "--instrument", "UN1988", "--format", "json"]) == 0
    rows = {r["id"]: r for r in json.loads(capsys.readouterr().out)}
    ob = rows["UN1988:3(1)(a)(i)"]
    assert ob["provision"] == "UN/vienna-illicit-traffic-1988/art-3/para-1/subpara-a/cl-i"
    assert "production, manufacture, extraction" in ob["text"]
    assert ob["level"] == "mandatory" and "drug trafficking" in ob["category"]


def test_penalties_command_summarises_the_most_severe_tier(real_store: Path, capsys) -> None:
    assert main(["--data", str(real_store), "penalties", "--country", "IND", "--format", "json"]) == 0
    records = {r["provision"]["id"]: r for r in json.loads(capsys.readouterr().out)}
    s21 = records["IND/ndps-act-1985/sec-21"]
    assert "text" not in s21["provision"] and s21["provision"]["number"] == "21"
    assert (s21["max_months"], s21["min_months"], s21["life"], s21["death"], s21["fine"]) == (240, 120, False, False, True)
    assert "drug trafficking" in s21["category"]
    assert {"condition", "min_months", "max_months", "life", "death", "fine", "corporal", "mode"} <= set(s21["tiers"][0])
    assert records["IND/ndps-act-1985/sec-31A"]["death"]
    # Where each tier sits in the section ("(b)": the small-quantity item of s.21), and whether the
    # place the penalty is set in is missing from the corpus.
    assert [t["where"] for t in s21["tiers"]][:3] == ["(a)", "(b)", "(c)"]
    assert s21["reference_missing"] is False


def test_penalties_command_says_when_the_penalty_schedule_is_not_in_the_corpus(real_store: Path, capsys) -> None:
    assert main(["--data", str(real_store), "penalties", "--country", "SGP", "--format", "json"]) == 0
    records = {r["provision"]["id"]: r for r in json.loads(capsys.readouterr().out)}
    s5 = records["SGP/misuse-of-drugs-act-1973/sec-5"]  # Misuse of Drugs Act: Second Schedule not in the corpus
    assert "Second Schedule" in s5["reference"] and s5["reference_missing"] is True
