"""Reviewer decisions on the web: sign-in, decision forms, history, admin, JSON endpoints.

Blueprint `reviews` (registered by `init_app` from webui/app.py), over harmonize.service:

    GET  /login, POST /login, POST /logout
    GET  /reviews/<country>/<obligation>          history of one item (append-only), HTML
    POST /reviews/<country>/<obligation>          a decision from the form on the gap page
    GET  /reviews/admin/users, POST /reviews/admin/users, POST /reviews/admin/users/<name>/disable
    GET  /api/reviews/session                     who is signed in, and the CSRF token for writes
    GET  /api/reviews/<country>/<obligation>      the item: effective row, version, history
    POST /api/reviews/<country>/<obligation>      a decision as JSON (header X-CSRFToken)

Sessions are Flask-Login over Flask's signed cookie (HttpOnly, SameSite=Lax, Secure with
HARMONIZE_COOKIE_SECURE=1, 8 hours); CSRF is Flask-WTF's CSRFProtect on every POST, form
field `csrf_token` or header X-CSRFToken. The signing key is HARMONIZE_SECRET_KEY, else a
random key written once to `web-secret.key` in the data directory (so that every worker
process shares it). Reading stays open unless HARMONIZE_REVIEWS_READ=signed-in. Writes
without a session get 401, with a missing or wrong CSRF token or the wrong role 403, bad
fields 400, a version conflict 409 (both versions shown); nothing is written in each case.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import secrets
from pathlib import Path

from flask import (Blueprint, abort, current_app, flash, jsonify, redirect, render_template, request, session,
                   url_for)
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user
from flask_wtf.csrf import CSRFError, CSRFProtect, generate_csrf

from harmonize.errors import NotFound, ReviewConflict, ReviewError, ReviewPermissionError
from harmonize.reviews.core import MAX_NOTE, MAX_REASON
from harmonize.reviews.models import KINDS, ROLES, STATUSES, VISIBILITIES
from harmonize.service import Harmonize
from webui import params

log = logging.getLogger(__name__)

reviews = Blueprint("reviews", __name__)
csrf = CSRFProtect()
SESSION_HOURS = 8
SECRET_FILE = "web-secret.key"
OPEN_ENDPOINTS = ("reviews.login", "reviews.session_info", "static")


class WebUser(UserMixin):
    def __init__(self, reader):
        self.reader = reader
        self.id = str(reader.id)


def service() -> Harmonize:
    return current_app.extensions["reviews_service"]


def reader():
    """The signed-in user's Reader, None for an anonymous reader."""
    return current_user.reader if current_user.is_authenticated else None


# -- what the pages call -------------------------------------------------------------------

def machine_view() -> bool:
    return request.args.get("view") == "machine"


def effective(country: str, rows: list[dict]) -> list[dict]:
    """Rows with the effective status for the current reader (`?view=machine`: the machine's)."""
    if machine_view():
        return rows
    return service().reviewed(country, rows, reader())


def effective_row(country: str, row: dict | None) -> dict | None:
    return None if row is None else effective(country, [row])[0]


# -- setup ---------------------------------------------------------------------------------

def secret_key(data: Path) -> str:
    value = os.environ.get("HARMONIZE_SECRET_KEY")
    if value:
        return value
    path = data / SECRET_FILE
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    except OSError as exc:
        log.warning("cannot write %s (%s): sessions last as long as this process", path, exc)
        return secrets.token_hex(32)
    with os.fdopen(fd, "w") as fh:
        fh.write(secrets.token_hex(32) + "\n")
    return path.read_text().strip()


def init_app(app, svc: Harmonize) -> None:
    app.extensions["reviews_service"] = svc
    app.config.update(
        SECRET_KEY=secret_key(svc.data), SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=os.environ.get("HARMONIZE_COOKIE_SECURE") == "1",
        PERMANENT_SESSION_LIFETIME=dt.timedelta(hours=SESSION_HOURS), WTF_CSRF_TIME_LIMIT=SESSION_HOURS * 3600,
        REMEMBER_COOKIE_HTTPONLY=True, REVIEWS_READ=os.environ.get("HARMONIZE_REVIEWS_READ", "open"),
    )
    login = LoginManager()
    login.login_view = "reviews.login"
    login.session_protection = "basic"

    @login.user_loader
    def load(user_id: str):
        try:
            found = svc.reviews().reader(int(user_id))
        except (ValueError, ReviewError):
            return None
        return WebUser(found) if found else None

    @login.unauthorized_handler
    def unauthorized():
        return refuse(401, "sign in first (or your session has expired): nothing was written")

    login.init_app(app)

    @app.before_request
    def must_sign_in():
        # Before the CSRF check: a write without a session is told to sign in, not about tokens.
        if request.endpoint in OPEN_ENDPOINTS or request.endpoint is None:
            return None
        if request.method == "POST" and request.endpoint.startswith("reviews.") and not current_user.is_authenticated:
            return refuse(401, "sign in first (or your session has expired): nothing was written")
        if app.config["REVIEWS_READ"] == "signed-in" and not current_user.is_authenticated:
            if wants_json():
                return refuse(401, "this server shows its pages to signed-in users only")
            return redirect(url_for("reviews.login", next=request.full_path))
        return None

    csrf.init_app(app)
    csrf.exempt(app.blueprints["api"])  # the read-only API (registered first): GET only, its POSTs are refused with 405

    @app.errorhandler(CSRFError)
    def bad_token(exc: CSRFError):
        log.warning("refused %s %s: %s", request.method, request.path, exc.description)
        return refuse(403, f"{exc.description} Reload the page and submit again; nothing was written.")

    app.register_blueprint(reviews)
    app.jinja_env.globals.update(review_item=review_item, csrf_token=generate_csrf, signed_in=reader,
                                 review_choices={"kinds": KINDS, "statuses": STATUSES, "visibilities": VISIBILITIES,
                                                 "max_note": MAX_NOTE, "max_reason": MAX_REASON},
                                 machine_view=machine_view)


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.is_json


def refuse(status: int, message: str, **extra):
    if wants_json():
        return jsonify({"error": {"status": status, "message": message, **extra}}), status
    return render_template("error.html", status=status, message=message), status


def review_item(country: str, ob_id: str) -> dict:
    return service().review_item(country, ob_id, reader())


def check_item(country: str, ob_id: str) -> tuple[str, str]:
    if not params.COUNTRY.match(country) or len(ob_id) > 60 or not params.OBLIGATION_ID.match(ob_id):
        abort(404, description=f"no item {country}/{ob_id}")
    return country.upper(), ob_id


# -- sign-in -------------------------------------------------------------------------------

def safe_next(target: str | None) -> str:
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("pages.index")


@reviews.route("/login", methods=["GET", "POST"])
def login():
    error = None
    if request.method == "POST":
        name = request.form.get("name", "").strip()
        password = request.form.get("password", "")
        try:
            found = service().reviews().authenticate(name, password, request.remote_addr or "-")
        except ReviewError as exc:
            return render_template("reviews/login.html", error=str(exc), name=name), 429
        if found is None:
            error = "wrong user name or password"
            return render_template("reviews/login.html", error=error, name=name), 401
        session.clear()
        session.permanent = True
        login_user(WebUser(found))
        return redirect(safe_next(request.form.get("next")))
    return render_template("reviews/login.html", error=error, name="", next=request.args.get("next", ""))


@reviews.post("/logout")
def logout():
    logout_user()
    session.clear()
    return redirect(url_for("pages.index"))


# -- decisions -----------------------------------------------------------------------------

def form_decision() -> dict:
    """The decision fields of the gap page's form."""
    f = request.form
    try:
        version = int(f.get("version", ""))
    except ValueError:
        raise ReviewError("version: expected the item's version you opened (a number)") from None
    provisions = [p.strip() for p in f.get("provisions", "").replace(",", "\n").splitlines() if p.strip()]
    missing = [m.strip() for m in f.get("missing_elements", "").splitlines() if m.strip()]
    return {"kind": f.get("kind", ""), "version": version, "status": f.get("status") or None,
            "provisions": provisions, "missing_elements": missing, "reason": f.get("reason", ""),
            "note": f.get("note", ""), "visibility": f.get("visibility", "organisation"),
            "uid": f.get("uid") or None}


def json_decision() -> dict:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ReviewError("expected a JSON object with kind, version, status, provisions, note, visibility")
    allowed = {"kind", "version", "status", "provisions", "missing_elements", "reason", "note", "visibility", "uid"}
    unknown = sorted(set(body) - allowed)
    if unknown:
        raise ReviewError(f"unknown fields: {', '.join(unknown)}")
    for key in ("provisions", "missing_elements"):
        if key in body and not (isinstance(body[key], list) and all(isinstance(x, str) for x in body[key])):
            raise ReviewError(f"{key}: expected a list of strings")
    return {"kind": body.get("kind"), "version": body.get("version"), "status": body.get("status"),
            "provisions": body.get("provisions") or [], "missing_elements": body.get("missing_elements") or [],
            "reason": body.get("reason", ""), "note": body.get("note", ""),
            "visibility": body.get("visibility", "organisation"), "uid": body.get("uid")}


def write(country: str, ob_id: str, fields: dict) -> dict:
    kind = fields.pop("kind")
    version = fields.pop("version")
    return service().record_review(reader(), country, ob_id, kind, version, **fields)


@reviews.post("/reviews/<country>/<ob_id>")
def decide(country: str, ob_id: str):
    code, ob_id = check_item(country, ob_id)
    submitted = None
    try:
        fields = form_decision()
        submitted = dict(fields)
        decision = write(code, ob_id, fields)
    except ReviewConflict as exc:
        return render_template("reviews/conflict.html", country=code, ob_id=ob_id, error=str(exc),
                               yours=exc.yours, current=exc.current, version=exc.version), 409
    except ReviewError as exc:
        return render_template("reviews/rejected.html", country=code, ob_id=ob_id, error=str(exc),
                               submitted=submitted), 400
    flash(f"Recorded: {decision['kind']}{' ' + decision['status'] if decision['status'] else ''} "
          f"(version {decision['version']}, {decision['visibility']}).")
    return redirect(url_for("pages.gap", country=code, ob_id=ob_id) + "#review")


@reviews.get("/reviews/<country>/<ob_id>")
def history(country: str, ob_id: str):
    code, ob_id = check_item(country, ob_id)
    item = service().review_item(code, ob_id, reader())
    return render_template("reviews/history.html", country=code, ob_id=ob_id, item=item)


@reviews.get("/api/reviews/session")
def session_info():
    who = reader()
    return jsonify({"user": who.name if who else None, "organisation": who.organisation if who else None,
                    "role": who.role if who else None, "csrf_token": generate_csrf() if who else None})


@reviews.get("/api/reviews/<country>/<ob_id>")
def api_item(country: str, ob_id: str):
    code, ob_id = check_item(country, ob_id)
    return jsonify(service().review_item(code, ob_id, reader()))


@reviews.post("/api/reviews/<country>/<ob_id>")
def api_decide(country: str, ob_id: str):
    code, ob_id = check_item(country, ob_id)
    try:
        decision = write(code, ob_id, json_decision())
    except ReviewConflict as exc:
        return refuse(409, str(exc), yours=exc.yours, current=exc.current, version=exc.version)
    except ReviewError as exc:
        return refuse(400, str(exc))
    return jsonify(decision), 201


# -- admin ---------------------------------------------------------------------------------

def admin_only():
    who = reader()
    if who is None:
        abort(401, description="sign in first")
    if not who.is_admin:
        log.warning("refused %s %s to %s (%s)", request.method, request.path, who.name, who.role)
        abort(403, description=f"{who.name} is a {who.role}: this needs the admin role; nothing was written")
    return who


@reviews.get("/reviews/admin/users")
def admin_users():
    who = admin_only()
    return render_template("reviews/users.html", users=service().reviews().users(who),
                           organisations=service().reviews().organisations(), roles=ROLES)


@reviews.post("/reviews/admin/users")
def admin_add_user():
    who = admin_only()
    f = request.form
    try:
        service().reviews().add_user(f.get("name", ""), f.get("password", ""), f.get("role", ""),
                                     f.get("organisation", ""), acting=who)
    except ReviewPermissionError as exc:
        abort(403, description=str(exc))
    except ReviewError as exc:
        abort(400, description=f"{exc}; nothing was written")
    flash(f"user {f.get('name')!r} added")
    return redirect(url_for("reviews.admin_users"))


@reviews.post("/reviews/admin/users/<name>/disable")
def admin_disable(name: str):
    who = admin_only()
    try:
        service().reviews().set_active(name, False, acting=who)
    except ReviewError as exc:
        abort(400, description=str(exc))
    flash(f"user {name!r} disabled")
    return redirect(url_for("reviews.admin_users"))


@reviews.errorhandler(NotFound)
def not_found(exc: NotFound):
    return refuse(404, str(exc))
