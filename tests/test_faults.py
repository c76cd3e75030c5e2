"""Faults and bad input: what a client, a corpus file, a manifest row or a damaged data directory
can do, and what harmonize must do then (keep serving, name the file, row or path and the fix,
change nothing it should not, ingest or serve the rest).

Each case of issue #15 is one test. Corpus cases copy the few real corpus files they need into
`tmp_path` (never into the repository) and write their own MANIFEST.tsv there.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
import spacy

from served import abandon, children, get, served

from harmonize import config
from harmonize.analyze.nlp import pipe, split_pieces
from harmonize.buildlock import build_lock
from harmonize.config import corpus_dir
from harmonize.corpus import load_manifest
from harmonize.errors import ParseError
from harmonize.ingest import parse_entry
from harmonize.report.committee import render_markdown
from harmonize.report.tables import to_markdown
from harmonize.service import Harmonize
from harmonize.store import Store
from webui import check_ready, create_app

# -- 1. the server survives its clients ------------------------------------------------------

ABANDONED = ("/search?q=trafficking+in+narcotic+drugs", "/countries/CAN", "/countries/IND/report.csv",
             "/api/search?q=money+laundering", "/penalties?category=drug+trafficking")


@pytest.mark.parametrize("workers", [1, 2], ids=["waitress", "gunicorn-2-workers"])
def test_abandoned_requests_do_not_kill_the_server(web_data: Path, workers: int) -> None:
    """A client that drops its connection mid-request (curl -m 0.05) once killed the server (SIGPIPE)."""
    with served(web_data, workers=workers) as (proc, port):
        before = children(proc.pid)
        for round_ in range(4):
            for path in ABANDONED:
                abandon(port, f"{path}&round={round_}" if "?" in path else path, after=0.02 * round_,
                        reset=round_ == 3)
        time.sleep(2)  # the answers are written to closed connections now
        for path in ABANDONED:  # the same pages, now read to the end, whichever worker takes them
            status, body = get(f"http://127.0.0.1:{port}{path}")
            assert status == 200 and body
        assert proc.poll() is None, "the server exited"
        assert children(proc.pid) == before, "a worker died and was replaced"


def test_closed_stdout_ends_a_command_quietly(web_data: Path) -> None:
    """`harmonize instruments | head` stops without a traceback, as a SIGPIPE would."""
    proc = subprocess.Popen([sys.executable, "-m", "harmonize.cli", "--data", str(web_data), "instruments"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()  # the reader is gone before the first line is written
    stderr = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 141
    assert "Traceback" not in stderr and "BrokenPipe" not in stderr, stderr


# -- helpers: a small copied corpus, the CLI in its own process ----------------------------------

CORPUS = corpus_dir()
MANIFEST_LINES = (CORPUS / "MANIFEST.tsv").read_text(encoding="utf-8").splitlines()
HEADER = MANIFEST_LINES[0]
ROBBERY = "national/NGA/robbery-and-firearms-special-provisions-act.json"
NGA_EXTRADITION = "national/NGA/extradition-act.json"
LAUNDERING = "national/NGA/money-laundering-prohibition-act.json"
CAN_EXTRADITION = "national/CAN/extradition-act.xml"


def real_row(source: str) -> list[str]:
    return next(line.split("\t") for line in MANIFEST_LINES[1:] if line.split("\t")[0] == source)


def make_corpus(root: Path, sources=(), rows=()) -> Path:
    """`root/corpus` with copies of `sources` under their corpus paths and a MANIFEST.tsv of their
    real rows followed by `rows` (lists of fields, or raw lines)."""
    corpus = root / "corpus"
    lines = [HEADER]
    for source in sources:
        (corpus / source).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(CORPUS / source, corpus / source)
        lines.append("\t".join(real_row(source)))
    lines += ["\t".join(r) if isinstance(r, list) else r for r in rows]
    corpus.mkdir(parents=True, exist_ok=True)
    (corpus / "MANIFEST.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return corpus


def harmonize(*args: str, env: dict | None = None, prefix: tuple = (), timeout: float = 600):
    """`harmonize ARGS` in its own process: (exit status, stdout, stderr)."""
    proc = subprocess.run([*prefix, sys.executable, "-m", "harmonize.cli", *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=timeout)
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc.returncode, proc.stdout, proc.stderr


def stored(data: Path) -> dict[str, int]:
    """source -> provisions in the store of `data` (read without touching the file)."""
    db = sqlite3.connect(f"{(data / 'harmonize.sqlite').as_uri()}?mode=ro", uri=True)
    try:
        return dict(db.execute("SELECT i.source, COUNT(p.id) FROM instruments i LEFT JOIN provisions p "
                               "ON p.instrument = i.id GROUP BY i.source"))
    finally:
        db.close()


@functools.lru_cache(maxsize=1)
def namespaces() -> bool:
    """Whether this machine lets us mount in a private mount namespace (for read-only and full disks)."""
    try:
        return subprocess.run(["unshare", "-rm", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt"],
                              capture_output=True, timeout=30).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


needs_namespaces = pytest.mark.skipif("not namespaces()", reason="no private mount namespaces (unshare -rm)")


# -- 2. ingest stays inside the corpus ------------------------------------------------------------

def test_paths_outside_the_corpus_are_refused_and_named(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    shutil.copyfile(CORPUS / ROBBERY, outside / "x.json")
    corpus = make_corpus(tmp_path, rows=[])
    (corpus / "national" / "NGA").mkdir(parents=True)
    (corpus / "national" / "NGA" / "link.json").symlink_to(outside / "x.json")
    row = real_row(ROBBERY)
    bad = ["../outside/x.json", "national/../../outside/x.json", str(outside / "x.json"), "/etc/passwd",
           "national/NGA/link.json"]
    make_corpus(tmp_path, rows=[[path, *row[1:]] for path in bad])
    data = tmp_path / "data"
    status, out, err = harmonize("--data", str(data), "ingest", "--corpus", str(corpus), "--quiet")
    assert status == 1, "a run of only refused rows must fail"
    for line, path in enumerate(bad, start=2):
        assert f"MANIFEST.tsv: line {line}: path '{path}'" in err
    assert err.count("outside the corpus directory") == 3 and err.count("is absolute") == 2
    assert "goes through a symlink" in err
    assert stored(data) == {}, "nothing from outside the corpus is ingested"


def test_a_symlink_inside_the_corpus_is_read(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path, [ROBBERY])
    (corpus / "national" / "NGA" / "alias.json").symlink_to(corpus / ROBBERY)
    manifest = load_manifest(corpus)
    assert [e.path for e in manifest.entries] == [ROBBERY] and not manifest.errors


# -- 3. size limits, long provisions in pieces ---------------------------------------------------

def test_a_file_over_the_size_limit_is_not_read_and_the_rest_ingests(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path, [ROBBERY, LAUNDERING])
    data = tmp_path / "data"
    status, out, err = harmonize("--data", str(data), "ingest", "--corpus", str(corpus), "--quiet",
                                 env={"HARMONIZE_MAX_FILE_MB": "0.02"})  # 20 KB: the 25 KB Act is over it
    assert status == 1
    size = (CORPUS / LAUNDERING).stat().st_size
    assert f"{LAUNDERING}: file: {size:,} bytes, over the per-file limit of 20,971" in err
    assert "HARMONIZE_MAX_FILE_MB" in err
    assert list(stored(data)) == [ROBBERY]


def long_section_corpus(tmp_path: Path, chars: int) -> Path:
    """The robbery Act with its first section's real text repeated to `chars` characters, beside the extradition Act."""
    corpus = make_corpus(tmp_path, [ROBBERY, NGA_EXTRADITION])
    doc = json.loads((corpus / ROBBERY).read_text(encoding="utf-8"))
    text = doc["provisions"][0]["content"].rstrip() + "\n"
    doc["provisions"][0]["content"] = (text * (chars // len(text) + 1))[:chars]
    (corpus / ROBBERY).write_text(json.dumps(doc), encoding="utf-8")
    return corpus


def test_a_section_over_the_provision_limit_is_named_and_the_rest_ingests(tmp_path: Path) -> None:
    corpus = long_section_corpus(tmp_path, 300_000)
    data = tmp_path / "data"
    status, out, err = harmonize("--data", str(data), "ingest", "--corpus", str(corpus), "--quiet",
                                 env={"HARMONIZE_MAX_PROVISION_CHARS": "200000"})
    assert status == 1
    assert re.search(rf"{ROBBERY}: NGA/robbery-and-firearms-special-provisions-act/sec-\w+: 300,000 characters, "
                     "over the per-provision limit of 200,000", err), err
    assert "E088" not in err
    assert list(stored(data)) == [NGA_EXTRADITION]


def test_a_long_section_is_analysed_in_pieces_and_ingests(tmp_path: Path) -> None:
    """A section once met spaCy's max_length (E088) and stopped the whole ingest; now it is read in
    pieces (limit raised to let it in), and its offence categories are found in linear time."""
    corpus = long_section_corpus(tmp_path, 600_000)
    data = tmp_path / "data"
    status, out, err = harmonize("--data", str(data), "ingest", "--corpus", str(corpus), "--quiet",
                                 "--max-provision-chars", "1000000")
    assert status == 0, err
    assert set(stored(data)) == {ROBBERY, NGA_EXTRADITION}
    db = sqlite3.connect(f"{(data / 'harmonize.sqlite').as_uri()}?mode=ro", uri=True)
    length, facts = db.execute("SELECT length(p.text), f.data FROM provisions p JOIN facts f ON f.provision = p.id "
                               "ORDER BY length(p.text) DESC LIMIT 1").fetchone()
    db.close()
    assert length >= 600_000, "the long section is stored whole"
    assert json.loads(facts)["categories"], "and analysed: its offence categories were found"


def test_a_text_over_spacys_max_length_is_read_in_pieces() -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.max_length = 50_000
    text = (CORPUS / LAUNDERING).read_text(encoding="utf-8") * 5  # 125,000 characters of a real Act
    with pytest.raises(ValueError, match="E088"):
        nlp(text)
    (doc,) = pipe(nlp, [text])
    assert doc.text == text and len(list(doc.sents)) > 100


def test_split_pieces_join_back_exactly() -> None:
    text = (CORPUS / LAUNDERING).read_text(encoding="utf-8") * 8
    pieces = split_pieces(text, size=20_000)
    assert "".join(pieces) == text and max(map(len, pieces)) <= 20_000 and len(pieces) > 8
    assert all(p.endswith("\n") for p in pieces[:-1]) or all(p.endswith((" ", "\n")) for p in pieces[:-1])


# -- 5. MANIFEST rows are validated ----------------------------------------------------------------

def test_manifest_rows_are_validated_and_each_message_names_its_line(tmp_path: Path) -> None:
    robbery, extradition, laundering = real_row(ROBBERY), real_row(NGA_EXTRADITION), real_row(LAUNDERING)
    gha = "national/GHA/anti-terrorism-act-2008.json"
    corpus = make_corpus(tmp_path, [ROBBERY, NGA_EXTRADITION, LAUNDERING], rows=[
        robbery[:5],                                                    # line 5: missing columns
        "\t".join(["national/GHA", "/anti-terrorism-act-2008.json", *real_row(gha)[1:]]),  # 6: extra tab
        [NGA_EXTRADITION, "national", "GHA", *extradition[3:]],       # 7: same path again, another country
        [ROBBERY.replace(".json", "-2.json"), "national", "XYZ", *robbery[3:]],  # 8: unknown country
        [ROBBERY.replace(".json", "-3.json"), "national", "NGA", robbery[3], "199x", *robbery[5:]],  # 9: year
        [ROBBERY.replace(".json", "-4.json"), *robbery[1:6], "pdf", *robbery[7:]],  # 10: format
        [ROBBERY.replace(".json", "-5.json"), "statute", *robbery[2:]],  # 11: kind
    ])
    data = tmp_path / "data"
    status, out, err = harmonize("--data", str(data), "ingest", "--corpus", str(corpus), "--quiet")
    assert status == 1
    assert "MANIFEST.tsv: line 5: 5 tab-separated fields, expected 11" in err and "a tab is missing" in err
    assert "MANIFEST.tsv: line 6: 12 tab-separated fields, expected 11" in err and "a value holds a tab" in err
    assert (f"MANIFEST.tsv: line 7: {NGA_EXTRADITION} is listed again (first on line 3 as {NGA_EXTRADITION}): "
            "keep one row per file") in err
    assert "MANIFEST.tsv: line 8: country 'XYZ' is not an ISO 3166 alpha-3 code" in err
    assert "MANIFEST.tsv: line 9: year '199x': expected the four-digit year" in err
    assert "MANIFEST.tsv: line 10: format 'pdf': expected one of markdown, akn-xml, other" in err
    assert "MANIFEST.tsv: line 11: kind 'statute': expected one of convention, national" in err
    # the valid rows ingest; both rows of a twice-listed file are refused (which one is right?), as is
    # a valid row whose path a malformed row repeats
    assert set(stored(data)) == {LAUNDERING}


def test_a_refused_row_keeps_what_the_store_had_for_its_file(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path, [ROBBERY, LAUNDERING])
    data = tmp_path / "data"
    assert harmonize("--data", str(data), "ingest", "--corpus", str(corpus), "--quiet")[0] == 0
    before = stored(data)
    row = real_row(LAUNDERING)
    make_corpus(tmp_path, [ROBBERY], rows=[[*row[:4], "", *row[5:]]])  # the year deleted by mistake
    status, out, err = harmonize("--data", str(data), "ingest", "--corpus", str(corpus), "--quiet")
    assert status == 1 and "line 3: year '': expected the four-digit year" in err
    assert stored(data) == before


# -- 6. valid XML the sniffer once misread ----------------------------------------------------------

def test_utf16_xml_is_read_as_xml(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path, [CAN_EXTRADITION])
    text = (CORPUS / CAN_EXTRADITION).read_text(encoding="utf-8-sig").replace('encoding="utf-8"', 'encoding="UTF-16"')
    (corpus / CAN_EXTRADITION).write_bytes(text.encode("utf-16"))  # with a byte order mark
    entry = load_manifest(corpus).entries[0]
    doc = parse_entry(corpus, entry)
    reference = parse_entry(CORPUS, entry)
    assert doc.instrument.format == "lims"
    assert [(p.id, p.text) for p in doc.provisions] == [(p.id, p.text) for p in reference.provisions]


def test_a_root_after_a_long_dtd_is_found(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path, [CAN_EXTRADITION])
    text = (CORPUS / CAN_EXTRADITION).read_text(encoding="utf-8-sig")
    declaration, body = text.split("?>", 1)
    subset = "\n".join(f'<!ENTITY note{i} "a note of the Justice Canada consolidation, number {i}">'
                       for i in range(200))
    assert len(subset) > 8192
    (corpus / CAN_EXTRADITION).write_text(f"{declaration}?>\n<!DOCTYPE Statute [\n{subset}\n]>\n{body}",
                                          encoding="utf-8")
    doc = parse_entry(corpus, load_manifest(corpus).entries[0])
    assert doc.instrument.format == "lims" and len(doc.provisions) > 90


def test_a_wrong_root_is_named(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path, [CAN_EXTRADITION])
    (corpus / CAN_EXTRADITION).write_text('<?xml version="1.0"?>\n<!-- x -->\n<html><body/></html>', encoding="utf-8")
    with pytest.raises(ParseError, match=r"the root element is <html>; expected <akomaNtoso>"):
        parse_entry(corpus, load_manifest(corpus).entries[0])


def test_utf16_markdown_gets_a_clear_message(tmp_path: Path) -> None:
    source = "conventions/untoc-trafficking-persons-protocol-2000.md"
    corpus = make_corpus(tmp_path, [source])
    (corpus / source).write_bytes((CORPUS / source).read_text(encoding="utf-8").encode("utf-16"))
    with pytest.raises(ParseError, match="expected UTF-8 text, found UTF-16-LE: save the file as UTF-8"):
        parse_entry(corpus, load_manifest(corpus).entries[0])


# -- 4. damaged or unusual data directories ------------------------------------------------------

def small_data(tmp_path: Path, sources=(ROBBERY,), name: str = "data") -> Path:
    corpus = make_corpus(tmp_path / f"{name}-corpus", sources)
    data = tmp_path / name
    status, out, err = harmonize("--data", str(data), "ingest", "--corpus", str(corpus), "--quiet")
    assert status == 0, err
    return data


@pytest.fixture(scope="module")
def indexed_small(tmp_path_factory) -> Path:
    """A store of one real Act and its search index (no alignments)."""
    data = small_data(tmp_path_factory.mktemp("indexed"))
    status, out, err = harmonize("--data", str(data), "index", "--no-ingest", "--no-align", "--quiet")
    assert status == 0, err
    return data


def test_a_read_command_on_a_missing_store_creates_nothing(tmp_path: Path) -> None:
    data = tmp_path / "nothing-here"
    for command in (["instruments"], ["penalties", "--country", "NGA"], ["show", "NGA/x/sec-1"]):
        status, out, err = harmonize("--data", str(data), *command)
        assert status == 1 and f"no store at {data / 'harmonize.sqlite'}" in err and "harmonize ingest" in err
    status, out, err = harmonize("--data", str(data), "search", "robbery")
    assert status == 1 and f"no search index at {data / 'index'}" in err
    assert not data.exists()


def test_an_empty_store_is_named_not_recreated(tmp_path: Path, indexed_small: Path) -> None:
    """A 0-byte store beside an index once became an empty store on `search` (exit 0, "no results")."""
    data = tmp_path / "data"
    shutil.copytree(indexed_small / "index", data / "index")
    (data / "harmonize.sqlite").write_bytes(b"")
    before = sorted(p.relative_to(data) for p in data.rglob("*"))
    for command in (["instruments"], ["search", "robbery"], ["penalties", "--country", "NGA"]):
        status, out, err = harmonize("--data", str(data), *command)
        assert status == 1 and "is empty (0 bytes)" in err and "harmonize ingest" in err, err
    assert sorted(p.relative_to(data) for p in data.rglob("*")) == before
    assert (data / "harmonize.sqlite").stat().st_size == 0


def test_a_corrupt_store_is_named_with_the_fix_and_never_replaced(tmp_path: Path) -> None:
    data = small_data(tmp_path)
    store = data / "harmonize.sqlite"
    for leftover in data.glob("harmonize.sqlite-*"):
        leftover.unlink()
    damaged = b"this is no SQLite file: " + os.urandom(8192)
    store.write_bytes(damaged)
    status, out, err = harmonize("--data", str(data), "instruments")
    assert status == 1
    assert f"the store {store} is damaged (file is not a database): move it away and run `harmonize ingest`" in err
    corpus = make_corpus(tmp_path / "again", [ROBBERY])
    status, out, err = harmonize("--data", str(data), "ingest", "--corpus", str(corpus), "--quiet")
    assert status == 1 and "is damaged" in err, "an ingest must not silently replace a damaged store either"
    assert store.read_bytes() == damaged


def test_a_locked_store_is_named(tmp_path: Path) -> None:
    data = small_data(tmp_path)
    holder = sqlite3.connect(data / "harmonize.sqlite", isolation_level=None)
    holder.execute("PRAGMA locking_mode = EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    holder.execute("DELETE FROM warnings")
    try:
        status, out, err = harmonize("--data", str(data), "instruments")
        assert status == 1 and "is locked by another process" in err and "try again" in err, err
        corpus = make_corpus(tmp_path / "again", [ROBBERY, LAUNDERING])
        status, out, err = harmonize("--data", str(data), "ingest", "--corpus", str(corpus), "--quiet")
        assert status == 1 and "is locked by another process" in err, err
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert list(stored(data)) == [ROBBERY]


def ro_prefix(*paths: Path) -> tuple:
    """Run a command with `paths` mounted read-only (a private mount namespace; root cannot write either)."""
    mounts = " && ".join(f"mount --bind '{p}' '{p}' && mount -o remount,bind,ro '{p}'" for p in paths)
    return ("unshare", "-rm", "sh", "-c", f'{mounts} && exec "$@"', "sh")


@needs_namespaces
def test_a_read_only_data_dir_serves_reads(tmp_path: Path, web_data: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(web_data, data)
    for leftover in data.glob("harmonize.sqlite-*"):  # no WAL index beside it: it cannot be created either
        leftover.unlink()
    before = sorted(p.relative_to(data) for p in data.rglob("*"))
    prefix = ro_prefix(data)
    status, out, err = harmonize("--data", str(data), "instruments", prefix=prefix)
    assert status == 0 and "IND/ndps-act-1985" in out, err
    status, out, err = harmonize("--data", str(data), "search", "cultivation of cannabis", "--country", "IND",
                                 "--format", "json", prefix=prefix)
    assert status == 0 and json.loads(out)[0]["country"] == "IND", err
    status, out, err = harmonize("--data", str(data), "ingest", "--corpus", str(make_corpus(tmp_path, [ROBBERY])),
                                 "--quiet", prefix=prefix)
    assert status == 1 and "read-only file system" in err.lower() and "reads still work" in err, err
    with served(data, workers=2, prefix=prefix) as (proc, port):
        status, body = get(f"http://127.0.0.1:{port}/api/search?q=cannabis+cultivation&country=IND")
        assert status == 200 and json.loads(body)["results"][0]["country"] == "IND"
        assert get(f"http://127.0.0.1:{port}/countries/IND")[0] == 200
    assert sorted(p.relative_to(data) for p in data.rglob("*")) == before


def run_with_full_disk(tmp_path: Path, data: Path, command: list[str], margin_kb: int) -> dict:
    """Copy `data` onto a tmpfs with `margin_kb` KB to spare, run `harmonize --data TMPFS COMMAND` there,
    then list the tmpfs and read its store: {"rc", "err", "files", "after"}."""
    disk = tmp_path / "disk"
    disk.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    size = sum(p.stat().st_size for p in data.rglob("*") if p.is_file()) // 1024 + 64 + margin_kb
    py = f"{sys.executable} -m harmonize.cli --data '{disk}'"
    script = (f"mount -t tmpfs -o size={size}k tmpfs '{disk}' && cp -a '{data}/.' '{disk}/' && "
              f"{py} {' '.join(command)} > '{out}/out' 2> '{out}/err'; echo $? > '{out}/rc'; "
              f"(cd '{disk}' && find . | sort) > '{out}/files'; {py} instruments --format json > '{out}/after'")
    subprocess.run(["unshare", "-rm", "sh", "-c", script], check=True, timeout=600, env=os.environ)
    return {"rc": int((out / "rc").read_text()), "err": (out / "err").read_text(),
            "files": (out / "files").read_text().split(), "after": json.loads((out / "after").read_text() or "[]")}


@needs_namespaces
def test_a_full_disk_during_ingest_says_so_and_keeps_the_store(tmp_path: Path) -> None:
    data = small_data(tmp_path)
    corpus = make_corpus(tmp_path / "bigger", [ROBBERY, "national/GHA/mutual-legal-assistance-act-2010.json",
                                               "national/GHA/anti-money-laundering-act-2020.json"])
    result = run_with_full_disk(tmp_path, data, ["ingest", "--corpus", str(corpus), "--quiet"], margin_kb=48)
    assert result["rc"] == 1
    assert "disk full while writing the store" in result["err"] and "the previous data is kept" in result["err"]
    assert "cannot rollback" not in result["err"]
    assert [i["source"] for i in result["after"]] == [ROBBERY], "the store as it was"
    assert not [f for f in result["files"] if f.endswith("-journal")]


@needs_namespaces
def test_a_full_disk_during_an_index_build_says_so_and_keeps_the_index(tmp_path: Path, indexed_small: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(indexed_small, data)
    old_manifest = (data / "index" / "manifest.json").read_text()
    corpus = make_corpus(tmp_path / "more", [ROBBERY, LAUNDERING, NGA_EXTRADITION])
    assert harmonize("--data", str(data), "ingest", "--corpus", str(corpus), "--quiet")[0] == 0
    result = run_with_full_disk(tmp_path, data, ["index", "--no-ingest", "--no-align", "--quiet"], margin_kb=32)
    assert result["rc"] == 1, result["err"]
    assert "disk full while writing the search index to" in result["err"], result["err"]
    assert "the previous one in" in result["err"] and "is kept" in result["err"]
    assert not [f for f in result["files"] if "index.new-" in f], "the half-written index was removed"
    assert "./index/manifest.json" in result["files"]
    assert (data / "index" / "manifest.json").read_text() == old_manifest


# -- 7. one build at a time; a stale index is named ----------------------------------------------

def test_a_second_build_says_who_holds_the_lock_or_waits(tmp_path: Path) -> None:
    data = small_data(tmp_path)
    corpus = make_corpus(tmp_path / "more", [ROBBERY, LAUNDERING])
    with build_lock(data):
        status, out, err = harmonize("--data", str(data), "ingest", "--corpus", str(corpus), "--quiet", "--no-wait")
        assert status == 1 and f"is being built by pid {os.getpid()}" in err, err
        status, out, err = harmonize("--data", str(data), "index", "--corpus", str(corpus), "--quiet", "--no-wait")
        assert status == 1 and f"is being built by pid {os.getpid()}" in err, err
        waiting = subprocess.Popen([sys.executable, "-m", "harmonize.cli", "--data", str(data), "ingest", "--corpus",
                                    str(corpus), "--quiet"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = waiting.stderr.readline()
        assert "waiting for the build of" in line and f"pid {os.getpid()}" in line, line
        assert waiting.poll() is None
        assert list(stored(data)) == [ROBBERY]
    assert waiting.wait(timeout=300) == 0, waiting.stderr.read()
    assert set(stored(data)) == {ROBBERY, LAUNDERING}


def test_an_index_older_than_the_store_is_named(tmp_path: Path, web_data: Path, caplog) -> None:
    """A build killed after its ingest leaves the old index serving a newer store: say so."""
    data = tmp_path / "data"
    shutil.copytree(web_data, data)
    svc = Harmonize(data)
    assert svc.index_stale() is None
    with Store(config.store_path(data)) as store, store.transaction():
        store.delete_instruments(["NGA/robbery-and-firearms-special-provisions-act"])  # as an ingest would
    with caplog.at_level(logging.WARNING):
        check_ready(data)
    assert "was built before the last ingest" in caplog.text and "run `harmonize index`" in caplog.text
    assert "built before the last ingest" in Harmonize(data).index_info()["stale"]


# -- 8. exports ---------------------------------------------------------------------------------------

def test_markdown_exports_escape_corpus_html(web_data: Path) -> None:
    report = Harmonize(web_data).committee_report("NGA")
    entry = next(e for e in report.obligations if e.cite)
    entry.national_text += "\n<script>alert(1)</script> <img src=x onerror=alert(1)> &amp; more"
    entry.cite = "<b>Heading</b>"
    entry.reason = "<i>reason</i>"
    text = render_markdown(report)
    assert "<script" not in text and "<img" not in text and "<b>" not in text and "<i>" not in text
    assert "&lt;script>alert(1)&lt;/script>" in text and "&amp;amp; more" in text
    assert "> " in text, "blockquotes stay blockquotes"
    rows = [{"obligation": "x", "heading": "<details open>s.1</details> | a"}]
    assert to_markdown(rows, ("obligation", "heading")).splitlines()[2] == "| x | &lt;details open>s.1&lt;/details> \\| a |"


def test_csv_and_markdown_responses_name_one_charset(web_data: Path) -> None:
    client = create_app(web_data).test_client()
    for path, mimetype in (("/countries/NGA/report.csv", "text/csv"), ("/countries/NGA/report.md", "text/markdown")):
        response = client.get(path)
        assert response.status_code == 200
        assert response.headers["Content-Type"] == f"{mimetype}; charset=utf-8"
