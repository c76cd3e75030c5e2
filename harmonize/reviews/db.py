"""Opening the reviews database: URL, engine, migrations.

The URL is `--reviews-url`, else HARMONIZE_REVIEWS_URL, else a SQLite file `reviews.sqlite`
beside the store in the data directory. PostgreSQL takes a SQLAlchemy URL with psycopg 3:
`postgresql+psycopg://user:password@host/dbname` (or `postgresql://...`, read the same).

Opening runs the Alembic migrations up to the newest revision, one process at a time (a
file lock beside a SQLite file, an advisory lock on PostgreSQL), so the gunicorn workers that
open the database together do not race. A database newer than this code is refused.
"""

from __future__ import annotations

import fcntl
import logging
import os
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine, make_url

from harmonize.errors import ReviewError

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).with_name("migrations")
REVIEWS_FILE = "reviews.sqlite"
ADVISORY_LOCK = 7_310_013  # any constant: "harmonize reviews migrate" on PostgreSQL


def reviews_url(data: Path, override: str | None = None) -> str:
    """--reviews-url, else HARMONIZE_REVIEWS_URL, else sqlite:///DATA/reviews.sqlite."""
    value = override or os.environ.get("HARMONIZE_REVIEWS_URL")
    if value:
        return value
    return f"sqlite:///{(Path(data) / REVIEWS_FILE).resolve()}"


def normalise(url: str) -> str:
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if not parsed.drivername.startswith(("sqlite", "postgresql")):
        raise ReviewError(f"reviews database URL {parsed.render_as_string(hide_password=True)!r}: "
                          "expected sqlite:///FILE or postgresql+psycopg://USER@HOST/DB")
    return parsed.render_as_string(hide_password=False)


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def open_engine(url: str) -> Engine:
    """An engine on the reviews database, migrated to the newest revision."""
    url = normalise(url)
    if url.startswith("sqlite"):
        engine = sqlite_engine(url)
    else:
        engine = create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10)
    migrate(engine)
    return engine


def sqlite_engine(url: str) -> Engine:
    path = make_url(url).database
    if path and path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": 30})

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_conn, _record):
        dbapi_conn.isolation_level = None  # SQLAlchemy emits BEGIN itself (below)
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode = WAL")  # readers never wait for a writer
        cur.execute("PRAGMA busy_timeout = 30000")
        cur.execute("PRAGMA foreign_keys = ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def on_begin(conn):
        # Writers take the lock when the transaction begins, so two processes never both
        # read a version and then fail to upgrade their lock (SQLITE_BUSY mid-transaction).
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("write") else "BEGIN")

    return engine


@contextmanager
def migration_lock(engine: Engine):
    if engine.dialect.name == "sqlite":
        path = make_url(str(engine.url)).database
        if not path or path == ":memory:":
            yield None
            return
        with open(f"{path}.migrate-lock", "a+") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield None
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)
        return
    with engine.connect() as conn:
        conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": ADVISORY_LOCK})
        conn.commit()
        try:
            yield None
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": ADVISORY_LOCK})
            conn.commit()


def migrate(engine: Engine) -> None:
    cfg = alembic_config()
    head = ScriptDirectory.from_config(cfg).get_current_head()
    known = {rev.revision for rev in ScriptDirectory.from_config(cfg).walk_revisions()}
    with migration_lock(engine):
        with engine.connect() as conn:
            current = MigrationContext.configure(conn).get_current_revision()
        if current == head:
            return
        if current is not None and current not in known:
            raise ReviewError(f"the reviews database {engine.url.render_as_string(hide_password=True)} is at "
                              f"revision {current}, newer than this harmonize ({head}): upgrade harmonize")
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
        log.info("reviews database migrated from %s to %s", current or "empty", head)
