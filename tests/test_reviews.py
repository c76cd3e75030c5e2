"""Reviewer decisions through harmonize.service, on SQLite and on PostgreSQL (a throwaway
cluster, tests/pgcluster.py), over the small real data dir of tests/webdata.py.

The item used throughout: Canada, UN1988 art. 3(1)(a)(ii) (cultivation of opium poppy, coca
bush or cannabis). The machine says `partial`; a secretariat reading CDSA s.7 (production)
with the s.2 definition of "produce" (which includes cultivating) overrides it to `covered`.
"""

from __future__ import annotations

import ast
import json
import shutil
import sqlite3
import threading
from pathlib import Path

import pytest

from harmonize.errors import NotFound, ReviewConflict, ReviewError
from harmonize.reviews import Reviews
from harmonize.reviews.join import text_hash
from harmonize.service import Harmonize
from reviewers import PASSWORD, add_people, statuses

COUNTRY = "CAN"
ITEM = "UN1988:3(1)(a)(ii)"
S7 = "CAN/controlled-drugs-and-substances-act/sec-7"
S2 = "CAN/controlled-drugs-and-substances-act/sec-2"
NOTE = f"s.7 ({S7}) makes producing an offence and s.2 ({S2}) defines produce as including cultivating."
MACHINE = REVIEWED = None  # the machine's status of ITEM and the reviewer's (see `set_statuses`)


@pytest.fixture(autouse=True, scope="module")
def set_statuses(web_data):
    global MACHINE, REVIEWED
    MACHINE, REVIEWED = statuses(web_data, COUNTRY, ITEM)


@pytest.fixture()
def app(web_data, reviews_url) -> Harmonize:
    svc = Harmonize(web_data, reviews_url)
    yield svc
    if getattr(svc, "_reviews", None) is not None:
        svc._reviews.close()


def people(app: Harmonize) -> dict:
    return add_people(app.reviews())


def override(app, who, version=0, **extra):
    fields = {"status": REVIEWED, "provisions": [S7], "note": NOTE, "visibility": "public"} | extra
    return app.record_review(who, COUNTRY, ITEM, "override", version, **fields)


def effective(app, reader=None) -> dict:
    return next(r for r in app.reviewed_alignment(COUNTRY, "UN1988", reader) if r["obligation"] == ITEM)


def count(app) -> int:
    return len(app.reviews().all_decisions(None, everything=True))


def test_override_is_the_effective_status_and_keeps_the_machine_view(app):
    who = people(app)
    machine = effective(app)
    assert machine["status"] == MACHINE and machine["status_source"] == "machine"
    d = override(app, who["alice"], missing_elements=["cannabis is under the Cannabis Act"])
    assert d["version"] == 1 and d["author"] == "alice" and d["organisation"] == "Committee Secretariat"
    assert d["machine_status"] == MACHINE and d["machine_score"] == machine["score"]
    with app.store() as store:
        assert d["cited"] == {S7: text_hash(store.provision(S7).text), S2: text_hash(store.provision(S2).text)}
    row = effective(app)
    assert row["status"] == REVIEWED and row["status_source"] == "reviewed"
    assert row["machine"]["status"] == MACHINE and row["score"] == machine["score"]
    assert row["missing_elements"] == ["cannabis is under the Cannabis Act"]
    assert row["review"]["author"] == "alice" and row["review"]["created_at"] == d["created_at"]
    assert app.align(COUNTRY, "UN1988") == app.align(COUNTRY, "UN1988")  # the machine's results untouched
    assert next(r for r in app.align(COUNTRY) if r["obligation"] == ITEM)["status"] == MACHINE
    # the summary counts the effective statuses
    summary = app.alignment_summary(app.reviewed_alignment(COUNTRY, "UN1988"))["UN1988"]
    machine_summary = app.alignment_summary(app.align(COUNTRY, "UN1988"))["UN1988"]
    assert summary[REVIEWED] == machine_summary[REVIEWED] + 1 and summary[MACHINE] == machine_summary[MACHINE] - 1


def test_history_is_append_only_and_a_confirm_cites_the_machines_provision(app):
    who = people(app)
    override(app, who["alice"])
    app.record_review(who["bob"], COUNTRY, ITEM, "comment", 1, note="We agree; see also s.7.1.", visibility="public")
    confirm = app.record_review(who["carol"], COUNTRY, ITEM, "confirm", 2, status="partial", visibility="public")
    machine_best = next(r for r in app.align(COUNTRY) if r["obligation"] == ITEM)["provisions"][0]["id"]
    assert confirm["provisions"] == [machine_best] and list(confirm["cited"]) == [machine_best]
    item = app.review_item(COUNTRY, ITEM)
    assert [(d["version"], d["kind"], d["author"]) for d in item["history"]] == [
        (1, "override", "alice"), (2, "comment", "bob"), (3, "confirm", "carol")]
    assert item["version"] == 3 and item["effective"]["status"] == "partial"
    assert item["effective"]["status_source"] == "reviewed" and item["effective"]["review"]["author"] == "carol"


def test_second_writer_of_the_same_version_gets_both_versions_and_nothing_is_written(app):
    who = people(app)
    override(app, who["alice"])
    with pytest.raises(ReviewConflict) as caught:
        override(app, who["bob"], status="missing", note=f"Nothing on cultivation in {S7}.")
    exc = caught.value
    assert "changed since you opened it" in str(exc) and exc.version == 1
    assert exc.yours["status"] == "missing" and exc.yours["author"] == "bob"
    assert [d["author"] for d in exc.current] == ["alice"]
    assert count(app) == 1


def test_concurrent_writers_of_one_version_exactly_one_wins(app):
    who = people(app)
    results: list = []
    barrier = threading.Barrier(8)

    def post(i: int) -> None:
        barrier.wait()
        try:
            results.append(override(app, who["alice" if i % 2 else "bob"], note=f"attempt {i}: {S7}"))
        except ReviewConflict as exc:
            results.append(exc)

    threads = [threading.Thread(target=post, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    written = [r for r in results if isinstance(r, dict)]
    assert len(written) == 1 and len(results) == 8
    assert count(app) == 1 and app.review_item(COUNTRY, ITEM)["version"] == 1


def test_a_retried_request_id_is_written_once(app):
    who = people(app)
    uid = "0b3c3c7e-5d0c-4b5e-9d43-1d1e3b8f0a11"
    first = override(app, who["alice"], uid=uid)
    again = override(app, who["alice"], uid=uid)
    assert again["id"] == first["id"] and count(app) == 1


@pytest.mark.parametrize("fields, message", [
    ({"note": ""}, "an override needs a note"),
    ({"note": "x" * 4001}, "note is too long (4001 characters, at most 4000)"),
    ({"provisions": ["CAN/controlled-drugs-and-substances-act/sec-999"]}, "is not in the store"),
    ({"provisions": ["IND/ndps-act-1985/sec-20"]}, "is a provision of IND, not of CAN"),
    ({"provisions": [], "note": "See CAN/controlled-drugs-and-substances-act/sec-7z."}, "no provision in the store"),
    ({"provisions": [], "note": "It is wrong, trust me."}, "must cite at least one provision"),
    ({"status": "mostly"}, "status 'mostly'"),
    ({"visibility": "everyone"}, "visibility 'everyone'"),
    ({"missing_elements": ["y" * 201]}, "missing element is too long"),
])
def test_bad_decisions_are_refused_and_nothing_is_written(app, fields, message):
    who = people(app)
    with pytest.raises(ReviewError, match=message.replace("(", r"\(").replace(")", r"\)")):
        override(app, who["alice"], **fields)
    assert count(app) == 0


def test_unknown_ids_and_anonymous_writers_are_refused(app):
    who = people(app)
    with pytest.raises(NotFound, match="no obligation"):
        app.record_review(who["alice"], COUNTRY, "UN1988:99", "comment", 0, note="x")
    with pytest.raises(NotFound, match="no instruments for country"):
        app.record_review(who["alice"], "XYZ", ITEM, "comment", 0, note="x")
    with pytest.raises(ReviewError, match="sign in"):
        app.record_review(None, COUNTRY, ITEM, "comment", 0, note="x")
    assert count(app) == 0


def test_html_in_a_note_is_stored_as_text(app):
    who = people(app)
    note = f'<script>alert("x")</script> <b>bold</b> {S7}'
    override(app, who["alice"], note=note)
    assert app.review_item(COUNTRY, ITEM)["history"][0]["note"] == note


def test_visibility_public_organisation_private_with_two_organisations(app):
    who = people(app)
    override(app, who["alice"], visibility="organisation", note=f"secretariat only: {S7}")
    other = "UN1988:3(1)(a)(i)"
    app.record_review(who["bob"], COUNTRY, other, "comment", 0, note="bob's own memo", visibility="private")
    app.record_review(who["bob"], COUNTRY, other, "comment", 1, note="for everyone", visibility="public")

    def notes(reader, ob):
        return [d["note"] for d in app.review_item(COUNTRY, ob, reader)["history"]]

    # alice's organisation-only override: alice and carol (same organisation) see and apply it
    for name in ("alice", "carol"):
        assert effective(app, who[name])["status"] == REVIEWED
        assert notes(who[name], ITEM) == [f"secretariat only: {S7}"]
    # bob (another organisation) and an anonymous reader see the machine's status and no note
    for reader in (who["bob"], None):
        row = effective(app, reader)
        assert row["status"] == MACHINE and row["review"] is None
        assert notes(reader, ITEM) == []
    # bob's private note: only bob
    assert notes(who["bob"], other) == ["bob's own memo", "for everyone"]
    assert notes(who["alice"], other) == ["for everyone"] and notes(None, other) == ["for everyone"]
    # exports filter the same way
    assert [d["note"] for d in app.export_reviews(None)] == ["for everyone"]
    assert len(app.export_reviews(who["carol"])) == 2 and len(app.export_reviews(who["bob"])) == 2
    assert len(app.export_reviews(everything=True)) == 3


def test_changed_or_vanished_cited_text_marks_needs_re_review(web_data, reviews_url, tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(web_data / "harmonize.sqlite", data / "harmonize.sqlite")
    app = Harmonize(data, reviews_url)
    who = people(app)
    override(app, who["alice"])
    assert effective(app)["status"] == REVIEWED
    db = sqlite3.connect(data / "harmonize.sqlite")
    with db:  # what a re-ingest of an amended statute does to s.7's text
        db.execute("UPDATE provisions SET text = replace(text, 'no person shall produce', 'no person shall make') "
                   "WHERE id = ?", (S7,))
    row = effective(app)
    assert row["status"] == MACHINE and row["status_source"] == "needs re-review"
    assert row["review"]["needs_re_review"] and row["review"]["changed"] == [S7] and row["review"]["gone"] == []
    assert row["review"]["status"] == REVIEWED  # the decision is shown, not dropped
    with db:  # the definitions section disappears
        db.execute("DELETE FROM provisions WHERE id LIKE ?", (S2 + "%",))
    assert effective(app)["review"]["gone"] == [S2]
    assert app.export_reviews(as_labels=True) == []  # not a label while it needs re-review
    db.close()
    app._reviews.close()


def test_labels_in_the_format_of_the_eval_file(app):
    who = people(app)
    override(app, who["alice"])
    app.record_review(who["alice"], COUNTRY, "UN1988:3(1)(a)(i)", "override", 0, status="missing",
                      note=f"{S7} is about production, not trafficking.", visibility="public")
    labels = {line["obligation"]: line for line in app.export_reviews(as_labels=True)}
    shared = Path(__file__).resolve().parents[2] / "shared" / "eval" / "alignment.jsonl"
    reference = json.loads(shared.read_text().splitlines()[0]) if shared.is_file() else None
    for line in labels.values():
        if reference:
            assert set(line) == set(reference)
    assert labels[ITEM]["primary"] == [{"source": "national/CAN/controlled-drugs-and-substances-act.xml",
                                        "sections": ["7"]}]
    assert labels[ITEM]["in_corpus"] is True and "alice" in labels[ITEM]["note"]
    assert labels["UN1988:3(1)(a)(i)"]["in_corpus"] is False and labels["UN1988:3(1)(a)(i)"]["primary"] == []


def test_users_passwords_and_sign_in(app):
    who = people(app)
    reviews = app.reviews()
    with pytest.raises(ReviewError, match="too short"):
        reviews.add_user("dave", "short", "reviewer", "Committee Secretariat")
    with pytest.raises(ReviewError, match="no organisation"):
        reviews.add_user("dave", PASSWORD, "reviewer", "Nowhere")
    with pytest.raises(ReviewError, match="role 'root'"):
        reviews.add_user("dave", PASSWORD, "root", "Committee Secretariat")
    with pytest.raises(ReviewError, match="exists already"):
        reviews.add_user("alice", PASSWORD, "reviewer", "Committee Secretariat")
    with reviews.read() as s:
        from sqlalchemy import select

        from harmonize.reviews.models import User

        stored = s.scalar(select(User.password_hash).where(User.name == "alice"))
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    assert reviews.authenticate("alice", PASSWORD, "10.0.0.1") == who["alice"]
    assert reviews.authenticate("alice", "wrong password!!", "10.0.0.1") is None
    assert reviews.authenticate("nobody", PASSWORD, "10.0.0.1") is None
    with pytest.raises(Exception, match="admin role"):
        reviews.add_user("eve", PASSWORD, "admin", "Committee Secretariat", acting=who["alice"])
    reviews.set_active("bob", False, acting=who["carol"])
    assert reviews.authenticate("bob", PASSWORD, "10.0.0.2") is None and reviews.reader(who["bob"].id) is None


def test_sign_in_is_rate_limited_per_name(app):
    people(app)
    reviews = app.reviews()
    for i in range(5):
        assert reviews.authenticate("alice", f"wrong password {i}", f"10.0.1.{i}") is None
    with pytest.raises(ReviewError, match="too many failed sign-in attempts"):
        reviews.authenticate("alice", PASSWORD, "10.0.1.99")  # even the right password


def test_export_and_import_between_servers(app, tmp_path):
    who = people(app)
    override(app, who["alice"])
    app.record_review(who["bob"], COUNTRY, ITEM, "comment", 1, note="private memo", visibility="private")
    rows = app.export_reviews(everything=True)
    target = Reviews.open(f"sqlite:///{tmp_path / 'other.sqlite'}")
    assert target.import_decisions(rows) == {"added": 2, "skipped": 0}
    assert target.import_decisions(rows) == {"added": 0, "skipped": 2}
    moved = target.all_decisions(None, everything=True)
    assert [(d["uid"], d["note"], d["visibility"], d["author"]) for d in moved] == [
        (d["uid"], d["note"], d["visibility"], d["author"]) for d in rows]
    assert target.authenticate("alice", PASSWORD, "x") is None  # imported authors have no password
    bad = [dict(rows[0], uid="not-a-uuid")]
    with pytest.raises(ReviewError, match="decision 1 .*expected a UUID; nothing was imported"):
        target.import_decisions(bad)
    target.close()


def test_nothing_that_ingests_or_indexes_opens_the_reviews_database():
    """The reviews package is imported only by the service, the CLI and the web layer."""
    root = Path(__file__).resolve().parent.parent / "harmonize"
    allowed = {"service.py", "cli.py"}
    for path in root.rglob("*.py"):
        rel = path.relative_to(root).as_posix()
        if rel.startswith("reviews/") or rel in allowed:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else \
                [a.name for a in node.names] if isinstance(node, ast.Import) else []
            assert not any(n.startswith("harmonize.reviews") for n in names), f"{rel} imports {names}"
    service = (root / "service.py").read_text()
    for method in ("def ingest", "def build_index", "def save_alignments"):
        body = service.split(method, 1)[1].split("\n    def ", 1)[0]
        assert "reviews" not in body, f"{method} mentions reviews"


def test_a_store_rebuild_leaves_the_reviews_file_alone(web_data, tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(web_data / "harmonize.sqlite", data / "harmonize.sqlite")
    app = Harmonize(data)
    who = people(app)
    override(app, who["alice"])
    app._reviews.close()
    before = (data / "reviews.sqlite").read_bytes()
    db = sqlite3.connect(data / "harmonize.sqlite")
    db.execute("PRAGMA user_version = 1")  # an old schema: the next open rebuilds the store
    db.close()
    from harmonize.store import Store

    with Store(data / "harmonize.sqlite", create=True) as store:  # what `harmonize ingest` opens
        assert store.instruments() == []  # rebuilt empty
    assert (data / "reviews.sqlite").read_bytes() == before
    again = Harmonize(data)
    assert len(again.export_reviews()) == 1
    again._reviews.close()


def test_cli_users_export_labels_and_import(web_data, tmp_path, monkeypatch, capsys, caplog):
    import io

    from harmonize.cli import main

    url = f"sqlite:///{tmp_path / 'reviews.sqlite'}"
    base = ["--data", str(web_data), "--reviews-url", url]
    assert main(base + ["orgs", "add", "Committee Secretariat"]) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert main(base + ["users", "add", "alice", "--org", "Committee Secretariat"]) == 2  # no terminal, no default
    assert "--password-stdin" in caplog.text
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert main(base + ["users", "add", "alice", "--org", "Committee Secretariat", "--password-stdin"]) == 0
    app = Harmonize(web_data, url)
    override(app, app.reviews().reader_named("alice"))
    app._reviews.close()
    capsys.readouterr()
    assert main(base + ["reviews", "export", "--format", "csv"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].startswith("uid,country,obligation,version,kind,status") and S7 in out
    labels = tmp_path / "labels.jsonl"
    assert main(base + ["reviews", "export", "--as-labels", "--out", str(labels)]) == 0
    line = json.loads(labels.read_text().splitlines()[0])
    assert line["obligation"] == ITEM and line["primary"][0]["sections"] == ["7"]
    dump = tmp_path / "all.json"
    assert main(base + ["reviews", "export", "--all", "--out", str(dump)]) == 0
    other = ["--data", str(web_data), "--reviews-url", f"sqlite:///{tmp_path / 'other.sqlite'}"]
    assert main(other + ["reviews", "import", str(dump)]) == 0
    assert "1 decisions imported, 0 already here" in capsys.readouterr().out
    (tmp_path / "broken.json").write_text("[{]")
    assert main(other + ["reviews", "import", str(tmp_path / "broken.json")]) == 2
    assert "line 1: not JSON" in caplog.text
    assert main(base + ["align", "--country", "CAN", "--instrument", "UN1988"]) == 0
    text = capsys.readouterr().out
    assert any(l.startswith(ITEM) and REVIEWED in l and "reviewed by alice" in l for l in text.splitlines())
