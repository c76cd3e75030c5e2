"""The reviews database: organisations, users, decisions and login attempts (SQLAlchemy 2).

The tables are created and changed only by the Alembic migrations in `migrations/versions/`
(run when the database is opened); these classes must match the newest migration.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Boolean, DateTime, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

ROLES = ("reviewer", "admin")
KINDS = ("confirm", "override", "comment")
VISIBILITIES = ("public", "organisation", "private")
STATUSES = ("covered", "partial", "missing")


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


class Base(DeclarativeBase):
    pass


class Organisation(Base):
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    role: Mapped[str] = mapped_column(String(16))
    # None: no password set (an imported author): the account cannot sign in.
    password_hash: Mapped[str | None] = mapped_column(String(255), nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    organisation: Mapped[Organisation] = relationship(lazy="joined")


class Decision(Base):
    """One entry of the append-only history of a (country, obligation): never updated or deleted."""

    __tablename__ = "decisions"
    __table_args__ = (
        UniqueConstraint("country", "obligation", "version", name="decisions_item_version"),
        Index("decisions_by_item", "country", "obligation"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = mapped_column(String(36), unique=True)  # stable across servers (export/import)
    country: Mapped[str] = mapped_column(String(8))
    obligation: Mapped[str] = mapped_column(String(80))
    version: Mapped[int] = mapped_column(Integer)  # 1, 2, ... per (country, obligation)
    kind: Mapped[str] = mapped_column(String(10))
    status: Mapped[str | None] = mapped_column(String(10), nullable=True)  # None for a comment
    provisions: Mapped[list] = mapped_column(JSON, default=list)  # implementing provisions (ids)
    missing_elements: Mapped[list] = mapped_column(JSON, default=list)
    reason: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")
    cited: Mapped[dict] = mapped_column(JSON, default=dict)  # provision id -> sha256 of its text
    visibility: Mapped[str] = mapped_column(String(12))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    machine_status: Mapped[str | None] = mapped_column(String(10), nullable=True)
    machine_score: Mapped[float | None] = mapped_column(Float, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    author: Mapped[User] = relationship(lazy="joined")
    organisation: Mapped[Organisation] = relationship(lazy="joined")


class LoginAttempt(Base):
    """Sign-in attempts, kept in the database so that every server process counts them."""

    __tablename__ = "login_attempts"
    __table_args__ = (Index("login_attempts_by_name", "name", "at"), Index("login_attempts_by_remote", "remote", "at"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    remote: Mapped[str] = mapped_column(String(64))
    ok: Mapped[bool] = mapped_column(Boolean)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
