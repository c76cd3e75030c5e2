"""Reviewer decisions on the web (Flask test client over the small real data dir): sign-in,
CSRF, roles, expired sessions, conflicts, escaping, and what each reader may see on pages,
exports and the API (two organisations)."""

from __future__ import annotations

import csv
import io
import json
import re
import time

import pytest

from harmonize.service import Harmonize
from reviewers import PASSWORD, add_people, statuses
from webui import create_app

COUNTRY = "CAN"
ITEM = "UN1988:3(1)(a)(ii)"
S7 = "CAN/controlled-drugs-and-substances-act/sec-7"
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
DECIDE = f"/reviews/{COUNTRY}/{ITEM}"
MACHINE = REVIEWED = None  # the machine's status of ITEM and the reviewer's


@pytest.fixture(autouse=True, scope="module")
def set_statuses(web_data):
    global MACHINE, REVIEWED
    MACHINE, REVIEWED = statuses(web_data, COUNTRY, ITEM)


@pytest.fixture()
def env(web_data, tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'reviews.sqlite'}"
    monkeypatch.setenv("HARMONIZE_REVIEWS_URL", url)
    monkeypatch.setenv("HARMONIZE_SECRET_KEY", "test-secret-" + tmp_path.name)
    svc = Harmonize(web_data, url)
    reviews = svc.reviews()
    add_people(reviews)
    app = create_app(web_data)
    app.config["TESTING"] = False
    yield app, svc
    reviews.close()


def token(client, path="/login") -> str:
    return TOKEN.search(client.get(path).get_data(as_text=True)).group(1)


def sign_in(app, name: str):
    client = app.test_client()
    response = client.post("/login", data={"name": name, "password": PASSWORD, "csrf_token": token(client)})
    assert response.status_code == 302, response.get_data(as_text=True)
    return client


def decision_form(client, **extra) -> dict:
    return {"csrf_token": token(client, f"/countries/{COUNTRY}/gaps/{ITEM}"), "version": "0", "kind": "override",
            "status": REVIEWED, "provisions": S7, "note": f"s.7 ({S7}) covers cultivation through 'produce'.",
            "visibility": "public"} | extra


def written(svc) -> int:
    return len(svc.reviews().all_decisions(None, everything=True))


def test_write_without_sign_in_is_401_and_nothing_written(env):
    app, svc = env
    client = app.test_client()
    form = {"csrf_token": token(client), "version": "0", "kind": "comment", "note": "hello"}
    assert client.post(DECIDE, data=form).status_code == 401
    response = client.post(f"/api/reviews/{COUNTRY}/{ITEM}", json={"kind": "comment", "version": 0, "note": "x"})
    assert response.status_code == 401 and "sign in" in response.get_json()["error"]["message"]
    assert written(svc) == 0


@pytest.mark.parametrize("bad", [None, "", "forged-token", "IjQ5ZjE5YTk2ZGI2NjRiNTk.Zz3K1A.x"])
def test_write_without_or_with_a_wrong_csrf_token_is_403_and_nothing_written(env, bad):
    app, svc = env
    client = sign_in(app, "alice")
    form = decision_form(client)
    if bad is None:
        form.pop("csrf_token")
    else:
        form["csrf_token"] = bad
    response = client.post(DECIDE, data=form)
    assert response.status_code == 403 and "CSRF" in response.get_data(as_text=True)
    api = client.post(f"/api/reviews/{COUNTRY}/{ITEM}", json={"kind": "comment", "version": 0, "note": "x"},
                      headers={} if bad is None else {"X-CSRFToken": bad})
    assert api.status_code == 403
    assert written(svc) == 0


def test_a_token_from_another_session_is_refused(env):
    app, svc = env
    other = sign_in(app, "bob")
    client = sign_in(app, "alice")
    response = client.post(DECIDE, data=decision_form(client, csrf_token=token(other, "/")))
    assert response.status_code == 403 and written(svc) == 0


def test_reviewer_on_admin_actions_is_403_and_nothing_written(env):
    app, svc = env
    client = sign_in(app, "alice")
    assert client.get("/reviews/admin/users").status_code == 403
    csrf = token(client, "/")
    response = client.post("/reviews/admin/users", data={"csrf_token": csrf, "name": "mallory", "password": PASSWORD,
                                                         "role": "admin", "organisation": "Committee Secretariat"})
    assert response.status_code == 403 and "admin role" in response.get_data(as_text=True)
    assert client.post("/reviews/admin/users/bob/disable", data={"csrf_token": csrf}).status_code == 403
    assert [u["name"] for u in svc.reviews().users()] == ["alice", "bob", "carol"]
    assert all(u["active"] for u in svc.reviews().users())
    admin = sign_in(app, "carol")
    assert admin.get("/reviews/admin/users").status_code == 200
    response = admin.post("/reviews/admin/users/bob/disable", data={"csrf_token": token(admin, "/")})
    assert response.status_code == 302
    assert not next(u for u in svc.reviews().users() if u["name"] == "bob")["active"]


def test_an_expired_session_cannot_write(env):
    app, svc = env
    app.permanent_session_lifetime = 1
    client = sign_in(app, "alice")
    form = decision_form(client)
    time.sleep(2.1)
    response = client.post(DECIDE, data=form)
    assert response.status_code == 401 and "expired" in response.get_data(as_text=True)
    assert written(svc) == 0


def test_sign_in_errors_and_rate_limit(env):
    app, _ = env
    client = app.test_client()
    for i in range(5):
        response = client.post("/login", data={"name": "alice", "password": f"wrong {i}", "csrf_token": token(client)})
        assert response.status_code == 401 and "wrong user name or password" in response.get_data(as_text=True)
    response = client.post("/login", data={"name": "alice", "password": PASSWORD, "csrf_token": token(client)})
    assert response.status_code == 429 and "too many failed sign-in attempts" in response.get_data(as_text=True)


def test_session_cookie_is_httponly_and_samesite(env):
    app, _ = env
    client = app.test_client()
    response = client.post("/login", data={"name": "alice", "password": PASSWORD, "csrf_token": token(client)})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_override_from_the_form_shows_everywhere_with_the_note_escaped(env):
    app, svc = env
    client = sign_in(app, "alice")
    note = f'<script>alert("x")</script> s.7 ({S7}) covers cultivation.'
    response = client.post(DECIDE, data=decision_form(client, note=note))
    assert response.status_code == 302 and written(svc) == 1
    anon = app.test_client()
    gap = anon.get(f"/countries/{COUNTRY}/gaps/{ITEM}").get_data(as_text=True)
    assert "<script>alert" not in gap and "&lt;script&gt;alert" in gap
    assert f'id="effective-status">{REVIEWED}<' in gap and f'id="machine-status">{MACHINE}<' in gap
    machine = anon.get(f"/countries/{COUNTRY}/gaps/{ITEM}?view=machine").get_data(as_text=True)
    assert f'class="status {MACHINE}">{MACHINE}</span>' in machine.split("<h1>", 1)[1].split("</h1>", 1)[0]
    report = anon.get(f"/countries/{COUNTRY}?convention=UN1988").get_data(as_text=True)
    assert "reviewed by alice (Committee Secretariat)" in report
    rows = list(csv.DictReader(io.StringIO(anon.get(f"/countries/{COUNTRY}/report.csv").get_data(as_text=True))))
    row = next(r for r in rows if r["obligation"] == ITEM)
    assert (row["status"], row["status_source"], row["machine_status"], row["reviewed_by"]) == \
        (REVIEWED, "reviewed", MACHINE, "alice")
    api = anon.get(f"/api/align/{COUNTRY}?instrument=UN1988").get_json()
    row = next(r for r in api["results"] if r["obligation"] == ITEM)
    assert row["status"] == REVIEWED and row["machine"]["status"] == MACHINE and row["review"]["note"] == note
    grid = anon.get("/conventions/UN1988").get_data(as_text=True)
    assert "review-mark reviewed" in grid
    ob = anon.get(f"/api/obligations/{ITEM}").get_json()
    assert ob["countries"]["CAN"]["status"] == REVIEWED
    md = anon.get(f"/countries/{COUNTRY}/report.md").get_data(as_text=True)
    assert "## Reviewer decisions" in md and f"{ITEM}: {REVIEWED} (reviewed)" in md
    assert "<script>" not in md and "&lt;script>alert" in md
    history = anon.get(DECIDE).get_data(as_text=True)
    assert "alice" in history and "&lt;script&gt;" in history


def test_bad_form_input_is_400_and_nothing_written(env):
    app, svc = env
    client = sign_in(app, "alice")
    for extra, message in [({"note": "x" * 4001}, "note is too long"),
                           ({"provisions": S7 + "9"}, "is not in the store"),
                           ({"note": ""}, "needs a note"),
                           ({"version": "latest"}, "version")]:
        response = client.post(DECIDE, data=decision_form(client, **extra))
        assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert client.post(f"/reviews/{COUNTRY}/UN1988:99", data=decision_form(client)).status_code == 404
    response = client.post(f"/api/reviews/{COUNTRY}/{ITEM}", json={"kind": "override", "version": 0, "extra": 1},
                           headers={"X-CSRFToken": token(client, "/")})
    assert response.status_code == 400 and "unknown fields: extra" in response.get_json()["error"]["message"]
    assert written(svc) == 0


def test_second_writer_sees_changed_since_you_opened_it_with_both_versions(env):
    app, svc = env
    alice, carol = sign_in(app, "alice"), sign_in(app, "carol")
    form_alice, form_carol = decision_form(alice), decision_form(carol, status="missing",
                                                                     note=f"{S7} is about production only")
    assert alice.post(DECIDE, data=form_alice).status_code == 302
    response = carol.post(DECIDE, data=form_carol)
    body = response.get_data(as_text=True)
    assert response.status_code == 409 and "changed since you opened it" in body
    assert "is about production only" in body and "covers cultivation" in body
    assert written(svc) == 1
    api = carol.post(f"/api/reviews/{COUNTRY}/{ITEM}", json={"kind": "comment", "version": 0, "note": "late"},
                     headers={"X-CSRFToken": token(carol, "/")})
    assert api.status_code == 409 and api.get_json()["error"]["current"][0]["author"] == "alice"
    ok = carol.post(f"/api/reviews/{COUNTRY}/{ITEM}", json={"kind": "comment", "version": 1, "note": "agreed"},
                    headers={"X-CSRFToken": token(carol, "/")})
    assert ok.status_code == 201 and ok.get_json()["version"] == 2


def test_each_reader_sees_only_what_the_author_allowed(env):
    app, svc = env
    alice = sign_in(app, "alice")
    assert alice.post(DECIDE, data=decision_form(alice, visibility="organisation",
                                                 note=f"secretariat only {S7}")).status_code == 302
    other = "UN1988:3(1)(a)(i)"
    assert alice.post(f"/reviews/{COUNTRY}/{other}", data=decision_form(
        alice, kind="comment", status="", provisions="", note="alice's private memo", visibility="private")
    ).status_code == 302
    readers = {"alice": alice, "carol": sign_in(app, "carol"), "bob": sign_in(app, "bob"), "anonymous": app.test_client()}
    for name, client in readers.items():
        sees = name in ("alice", "carol")
        gap = client.get(f"/countries/{COUNTRY}/gaps/{ITEM}").get_data(as_text=True)
        assert ("secretariat only" in gap) is sees
        assert (f'id="effective-status">{REVIEWED}<' in gap) is sees
        rows = list(csv.DictReader(io.StringIO(client.get(f"/countries/{COUNTRY}/report.csv").get_data(as_text=True))))
        assert next(r for r in rows if r["obligation"] == ITEM)["status"] == (REVIEWED if sees else MACHINE)
        item = client.get(f"/api/reviews/{COUNTRY}/{ITEM}").get_json()
        assert [d["note"] for d in item["history"]] == ([f"secretariat only {S7}"] if sees else [])
        api = client.get(f"/api/obligations/{ITEM}").get_json()
        assert api["countries"]["CAN"]["status"] == (REVIEWED if sees else MACHINE)
        report = client.get(f"/countries/{COUNTRY}/report.json").get_data(as_text=True)
        assert ("secretariat only" in report) is sees
        memo = client.get(f"/reviews/{COUNTRY}/{other}").get_data(as_text=True)
        assert ("alice's private memo" in memo or "alice&#39;s private memo" in memo) is (name == "alice")


def test_reading_can_require_sign_in(env, monkeypatch, web_data):
    monkeypatch.setenv("HARMONIZE_REVIEWS_READ", "signed-in")
    app = create_app(web_data)
    client = app.test_client()
    response = client.get(f"/countries/{COUNTRY}")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert client.get("/api/align/CAN").status_code == 401
    assert client.get("/login").status_code == 200
    signed = sign_in(app, "bob")
    assert signed.get(f"/countries/{COUNTRY}").status_code == 200
