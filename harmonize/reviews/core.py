"""The reviews database as an API: users and organisations, decisions, history, sign-in.

`Reviews.open(url)` migrates and opens the database. Decisions are appended, never updated
or deleted: each (country, obligation) has a history numbered 1, 2, ... and a writer says
which version it saw; a writer who saw an older one gets ReviewConflict with both versions.
Two concurrent writers of the same version cannot both succeed: the unique (country,
obligation, version) constraint refuses the second.

Visibility, chosen by the author: `public` (everyone, signed in or not), `organisation` (the
members of the author's organisation), `private` (the author alone). Every read takes the
reader (a `Reader`, or None for an anonymous reader) and returns only what the reader may see.

This module checks what it can know alone (lengths, choices, versions, roles); whether the
country, the obligation and the cited provisions exist is checked by harmonize.service
against the store before a decision reaches `record`.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from harmonize.errors import ReviewConflict, ReviewError, ReviewPermissionError
from harmonize.reviews import passwords
from harmonize.reviews.db import open_engine
from harmonize.reviews.models import (KINDS, ROLES, STATUSES, VISIBILITIES, Decision, LoginAttempt, Organisation,
                                      User, utcnow)

log = logging.getLogger("harmonize.reviews")

MAX_NOTE = 4000
MAX_REASON = 1000
MAX_ELEMENT = 200
MAX_ELEMENTS = 20
MAX_PROVISIONS = 20
MAX_NAME = 64
LOGIN_WINDOW = dt.timedelta(minutes=15)
LOGIN_FAILURES = 5  # failed attempts per name, or per address, within the window


@dataclass(frozen=True)
class Reader:
    """Who reads or writes: a signed-in user (id, name, organisation, role)."""

    id: int
    name: str
    organisation_id: int
    organisation: str
    role: str

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


def _reader(user: User) -> Reader:
    return Reader(user.id, user.name, user.organisation_id, user.organisation.name, user.role)


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)


def decision_json(d: Decision) -> dict:
    return {
        "id": d.id, "uid": d.uid, "country": d.country, "obligation": d.obligation, "version": d.version,
        "kind": d.kind, "status": d.status, "provisions": list(d.provisions or []),
        "missing_elements": list(d.missing_elements or []), "reason": d.reason, "note": d.note,
        "cited": dict(d.cited or {}), "visibility": d.visibility, "author": d.author.name,
        "organisation": d.organisation.name, "machine_status": d.machine_status, "machine_score": d.machine_score,
        "created_at": _aware(d.created_at).isoformat(timespec="seconds"),
    }


def _text(value, field: str, limit: int) -> str:
    value = "" if value is None else value
    if not isinstance(value, str):
        raise ReviewError(f"{field}: expected text, got {type(value).__name__}")
    value = value.strip()
    if len(value) > limit:
        raise ReviewError(f"{field} is too long ({len(value)} characters, at most {limit})")
    if "\x00" in value:
        raise ReviewError(f"{field} contains a NUL character")
    return value


def _name(value: str, what: str) -> str:
    value = _text(value, what, MAX_NAME if what == "user name" else 100)
    if not value or any(c.isspace() and c != " " for c in value) or not value.isprintable():
        raise ReviewError(f"{what} {value!r}: expected printable text without tabs or line breaks")
    return value


class Reviews:
    def __init__(self, engine):
        self.engine = engine
        self.read = sessionmaker(engine, expire_on_commit=False)
        self.write = sessionmaker(engine.execution_options(write=True), expire_on_commit=False)

    @classmethod
    def open(cls, url: str) -> Reviews:
        return cls(open_engine(url))

    def close(self) -> None:
        self.engine.dispose()

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    # -- organisations and users -----------------------------------------------------------

    def add_organisation(self, name: str) -> dict:
        name = _name(name, "organisation name")
        with self.write.begin() as s:
            if s.scalar(select(Organisation).where(Organisation.name == name)):
                raise ReviewError(f"organisation {name!r} exists already")
            s.add(Organisation(name=name))
        log.info("organisation %r added", name)
        return {"name": name}

    def organisations(self) -> list[dict]:
        with self.read() as s:
            rows = s.execute(select(Organisation.name, func.count(User.id))
                             .outerjoin(User, User.organisation_id == Organisation.id)
                             .group_by(Organisation.id).order_by(Organisation.name)).all()
            return [{"name": n, "users": c} for n, c in rows]

    def add_user(self, name: str, password: str | None, role: str, organisation: str,
                 acting: Reader | None = None) -> dict:
        """A new user; `acting` is the admin doing it from the web (None: the CLI operator)."""
        if acting is not None and not acting.is_admin:
            raise ReviewPermissionError(f"{acting.name} is a {acting.role}: adding users needs the admin role")
        name = _name(name, "user name")
        if role not in ROLES:
            raise ReviewError(f"role {role!r}: expected one of {', '.join(ROLES)}")
        hashed = passwords.hash_password(password) if password is not None else None
        with self.write.begin() as s:
            org = s.scalar(select(Organisation).where(Organisation.name == organisation))
            if org is None:
                raise ReviewError(f"no organisation {organisation!r}: add it first (`harmonize orgs add NAME`)")
            if s.scalar(select(User).where(User.name == name)):
                raise ReviewError(f"user {name!r} exists already")
            s.add(User(name=name, organisation_id=org.id, role=role, password_hash=hashed, active=True))
        log.info("user %r (%s, %s) added by %s", name, role, organisation, acting.name if acting else "the CLI")
        return {"name": name, "role": role, "organisation": organisation}

    def set_password(self, name: str, password: str) -> None:
        hashed = passwords.hash_password(password)
        with self.write.begin() as s:
            user = self._user(s, name)
            user.password_hash = hashed
        log.info("password of %r changed", name)

    def set_active(self, name: str, active: bool, acting: Reader | None = None) -> None:
        if acting is not None and not acting.is_admin:
            raise ReviewPermissionError(f"{acting.name} is a {acting.role}: disabling users needs the admin role")
        with self.write.begin() as s:
            self._user(s, name).active = active
        log.info("user %r %s by %s", name, "enabled" if active else "disabled", acting.name if acting else "the CLI")

    def users(self, acting: Reader | None = None) -> list[dict]:
        if acting is not None and not acting.is_admin:
            raise ReviewPermissionError(f"{acting.name} is a {acting.role}: the user list needs the admin role")
        with self.read() as s:
            return [{"name": u.name, "role": u.role, "organisation": u.organisation.name, "active": u.active,
                     "can_sign_in": u.password_hash is not None}
                    for u in s.scalars(select(User).order_by(User.name))]

    @staticmethod
    def _user(s: Session, name: str) -> User:
        user = s.scalar(select(User).where(User.name == name))
        if user is None:
            raise ReviewError(f"no user {name!r}")
        return user

    def reader(self, user_id: int) -> Reader | None:
        """The active user with this id (the web session's), else None."""
        with self.read() as s:
            user = s.get(User, user_id)
            return _reader(user) if user is not None and user.active else None

    def reader_named(self, name: str) -> Reader:
        with self.read() as s:
            user = self._user(s, name)
            return _reader(user)

    def authenticate(self, name: str, password: str, remote: str) -> Reader | None:
        """The user when name and password match; None otherwise. Raises ReviewError when this
        name or this address failed LOGIN_FAILURES times in LOGIN_WINDOW (nothing is checked)."""
        name = (name or "")[:MAX_NAME]
        remote = (remote or "-")[:64]
        since = utcnow() - LOGIN_WINDOW
        with self.read() as s:
            failures = s.scalar(select(func.count(LoginAttempt.id)).where(
                LoginAttempt.ok.is_(False), LoginAttempt.at >= since,
                or_(LoginAttempt.name == name, LoginAttempt.remote == remote)))
            if failures >= LOGIN_FAILURES:
                log.warning("sign-in of %r from %s refused: %d failed attempts in %s", name, remote, failures,
                            LOGIN_WINDOW)
                raise ReviewError(f"too many failed sign-in attempts: try again in {LOGIN_WINDOW.seconds // 60} minutes")
            user = s.scalar(select(User).where(User.name == name))
            ok = passwords.verify_password(user.password_hash if user else None, password or "") \
                and user is not None and user.active
            reader = _reader(user) if ok else None
        with self.write.begin() as s:
            s.add(LoginAttempt(name=name, remote=remote, ok=bool(ok)))
        log.info("sign-in of %r from %s %s", name, remote, "succeeded" if ok else "failed")
        return reader

    # -- decisions -------------------------------------------------------------------------

    @staticmethod
    def _visible(reader: Reader | None):
        if reader is None:
            return Decision.visibility == "public"
        return or_(Decision.visibility == "public",
                   (Decision.visibility == "organisation") & (Decision.organisation_id == reader.organisation_id),
                   Decision.author_id == reader.id)

    def version(self, country: str, obligation: str) -> int:
        """The number of decisions on the item, visible or not (0 for none)."""
        with self.read() as s:
            return s.scalar(select(func.coalesce(func.max(Decision.version), 0)).where(
                Decision.country == country, Decision.obligation == obligation))

    def history(self, country: str, obligation: str, reader: Reader | None) -> list[dict]:
        """The decisions on one item the reader may see, oldest first."""
        with self.read() as s:
            rows = s.scalars(select(Decision).where(Decision.country == country, Decision.obligation == obligation,
                                                    self._visible(reader)).order_by(Decision.version))
            return [decision_json(d) for d in rows]

    def latest(self, reader: Reader | None, country: str | None = None,
               obligations: list[str] | None = None) -> dict[tuple[str, str], dict]:
        """The newest confirm or override the reader may see, per (country, obligation)."""
        query = select(Decision).where(Decision.kind != "comment", self._visible(reader))
        if country is not None:
            query = query.where(Decision.country == country)
        if obligations is not None:
            query = query.where(Decision.obligation.in_(obligations))
        out: dict[tuple[str, str], dict] = {}
        with self.read() as s:
            for d in s.scalars(query.order_by(Decision.version)):
                out[(d.country, d.obligation)] = decision_json(d)
        return out

    def comment_counts(self, reader: Reader | None, country: str | None = None) -> dict[tuple[str, str], int]:
        query = select(Decision.country, Decision.obligation, func.count(Decision.id)).where(
            self._visible(reader)).group_by(Decision.country, Decision.obligation)
        if country is not None:
            query = query.where(Decision.country == country)
        with self.read() as s:
            return {(c, o): n for c, o, n in s.execute(query)}

    def all_decisions(self, reader: Reader | None, everything: bool = False) -> list[dict]:
        """Every decision the reader may see (`everything`: all of them, for the operator's export)."""
        query = select(Decision)
        if not everything:
            query = query.where(self._visible(reader))
        with self.read() as s:
            return [decision_json(d) for d in s.scalars(query.order_by(Decision.country, Decision.obligation,
                                                                      Decision.version))]

    def record(self, author: Reader, country: str, obligation: str, kind: str, version: int, *,
               status: str | None = None, provisions: list[str] | None = None,
               missing_elements: list[str] | None = None, reason: str = "", note: str = "",
               visibility: str = "organisation", cited: dict[str, str] | None = None,
               machine_status: str | None = None, machine_score: float | None = None,
               uid: str | None = None) -> dict:
        """Append one decision written against `version` (the item's version the writer saw).

        Raises ReviewError for bad fields, ReviewConflict when the item has changed since.
        A repeated `uid` (a client retrying a request it did not see answered) returns the
        decision already written instead of writing it twice.
        """
        fields = self.check(kind, status, provisions, missing_elements, reason, note, visibility, version)
        uid = self._uid(uid)
        yours = {"country": country, "obligation": obligation, "kind": kind, **fields, "author": author.name,
                 "organisation": author.organisation, "version": version + 1}
        try:
            with self.write.begin() as s:
                done = s.scalar(select(Decision).where(Decision.uid == uid))
                if done is not None:
                    if (done.country, done.obligation, done.author_id) != (country, obligation, author.id):
                        raise ReviewError(f"request id {uid} was used for another decision")
                    return decision_json(done)
                current = s.scalar(select(func.coalesce(func.max(Decision.version), 0)).where(
                    Decision.country == country, Decision.obligation == obligation))
                if current != version:
                    raise self._conflict(s, author, country, obligation, version, current, yours)
                row = Decision(uid=uid, country=country, obligation=obligation, version=version + 1, kind=kind,
                               author_id=author.id, organisation_id=author.organisation_id, cited=cited or {},
                               machine_status=machine_status, machine_score=machine_score, **fields)
                s.add(row)
                s.flush()
                out = decision_json(row)
        except IntegrityError:
            # Another writer took the same version between our read and our insert (PostgreSQL
            # under READ COMMITTED; SQLite's BEGIN IMMEDIATE serialises writers before this).
            with self.read() as s:
                current = s.scalar(select(func.coalesce(func.max(Decision.version), 0)).where(
                    Decision.country == country, Decision.obligation == obligation))
                raise self._conflict(s, author, country, obligation, version, current, yours) from None
        log.info("decision %s v%d on %s %s by %s (%s): %s%s, %s", out["id"], out["version"], country, obligation,
                 author.name, author.organisation, kind, f" {out['status']}" if out["status"] else "", out["visibility"])
        return out

    def _conflict(self, s: Session, reader: Reader, country: str, obligation: str, seen: int, current: int,
                  yours: dict) -> ReviewConflict:
        newer = s.scalars(select(Decision).where(Decision.country == country, Decision.obligation == obligation,
                                                 Decision.version > seen, self._visible(reader))
                          .order_by(Decision.version)).all()
        hidden = (current - seen) - len(newer)
        message = (f"{country} {obligation} changed since you opened it (you saw version {seen}, it is now at "
                   f"{current}): nothing was written; review the newer decisions and submit again")
        if hidden:
            message += f" ({hidden} of them are not visible to you)"
        return ReviewConflict(message, yours, [decision_json(d) for d in newer], current)

    @staticmethod
    def _uid(uid: str | None) -> str:
        if uid is None or uid == "":
            return str(uuid.uuid4())
        try:
            return str(uuid.UUID(str(uid)))
        except ValueError:
            raise ReviewError(f"request id {str(uid)[:60]!r}: expected a UUID") from None

    @staticmethod
    def check(kind, status, provisions, missing_elements, reason, note, visibility, version) -> dict:
        """The decision's fields, validated and normalised; ReviewError names the first bad one."""
        if kind not in KINDS:
            raise ReviewError(f"kind {kind!r}: expected one of {', '.join(KINDS)}")
        if not isinstance(version, int) or isinstance(version, bool) or version < 0:
            raise ReviewError(f"version {version!r}: expected the item's version you opened (0 or more)")
        if visibility not in VISIBILITIES:
            raise ReviewError(f"visibility {visibility!r}: expected one of {', '.join(VISIBILITIES)}")
        note = _text(note, "note", MAX_NOTE)
        reason = _text(reason, "reason", MAX_REASON)
        provisions = list(provisions or [])
        missing = [_text(m, "missing element", MAX_ELEMENT) for m in (missing_elements or [])]
        missing = [m for m in missing if m]
        if len(provisions) > MAX_PROVISIONS:
            raise ReviewError(f"{len(provisions)} implementing provisions: at most {MAX_PROVISIONS}")
        if len(missing) > MAX_ELEMENTS:
            raise ReviewError(f"{len(missing)} missing elements: at most {MAX_ELEMENTS}")
        if kind == "comment":
            if status:
                raise ReviewError("a comment does not set a status: choose confirm or override")
            if not note:
                raise ReviewError("a comment needs a note")
        else:
            if status not in STATUSES:
                raise ReviewError(f"status {status!r}: expected one of {', '.join(STATUSES)}")
        if kind == "override" and not note:
            raise ReviewError("an override needs a note saying why, citing the provisions by id")
        return {"status": status if kind != "comment" else None, "provisions": provisions,
                "missing_elements": missing, "reason": reason, "note": note, "visibility": visibility}

    # -- moving decisions between servers ---------------------------------------------------

    def import_decisions(self, rows: list[dict]) -> dict[str, int]:
        """Append exported decisions (oldest first per item) that this database does not hold yet
        (by uid). Unknown organisations and authors are created; an author created here has no
        password and cannot sign in until `harmonize users passwd` gives one."""
        added = skipped = 0
        with self.write.begin() as s:
            orgs = {o.name: o for o in s.scalars(select(Organisation))}
            users = {u.name: u for u in s.scalars(select(User))}
            for i, row in enumerate(sorted(rows, key=lambda r: (r.get("created_at") or "", r.get("version") or 0)), 1):
                where = f"decision {i} ({row.get('uid', 'no uid')})"
                try:
                    uid = self._uid(row.get("uid"))
                    fields = self.check(row.get("kind"), row.get("status"), row.get("provisions"),
                                        row.get("missing_elements"), row.get("reason", ""), row.get("note", ""),
                                        row.get("visibility"), 0)
                    country = _text(row.get("country"), "country", 8)
                    obligation = _text(row.get("obligation"), "obligation", 80)
                    created = _aware(dt.datetime.fromisoformat(row["created_at"]))
                    author_name = _name(row.get("author", ""), "user name")
                    org_name = _name(row.get("organisation", ""), "organisation name")
                    cited = row.get("cited") or {}
                    if not isinstance(cited, dict):
                        raise ReviewError("cited: expected an object of provision id -> text hash")
                except (ReviewError, KeyError, TypeError, ValueError) as exc:
                    raise ReviewError(f"{where}: {exc}; nothing was imported") from None
                if s.scalar(select(Decision.id).where(Decision.uid == uid)):
                    skipped += 1
                    continue
                if org_name not in orgs:
                    orgs[org_name] = Organisation(name=org_name)
                    s.add(orgs[org_name])
                    s.flush()
                if author_name not in users:
                    users[author_name] = User(name=author_name, organisation_id=orgs[org_name].id, role="reviewer",
                                              password_hash=None, active=True)
                    s.add(users[author_name])
                    s.flush()
                current = s.scalar(select(func.coalesce(func.max(Decision.version), 0)).where(
                    Decision.country == country, Decision.obligation == obligation))
                s.add(Decision(uid=uid, country=country, obligation=obligation, version=current + 1,
                               kind=row["kind"], author_id=users[author_name].id,
                               organisation_id=orgs[org_name].id, cited=cited,
                               machine_status=row.get("machine_status"), machine_score=row.get("machine_score"),
                               created_at=created, **fields))
                s.flush()
                added += 1
        log.info("imported %d decisions (%d already here)", added, skipped)
        return {"added": added, "skipped": skipped}
