"""SQLite store of instruments and provisions, their analysed facts and what `index` derives.

One file, schema versioned with PRAGMA user_version. Every ingest runs in one transaction,
so a failure leaves the previous store as it was. Reads return the domain model's types
(Instrument, Provision, ProvisionFacts, AlignmentResult, ExtraditionRule); JSON is only the
storage format of the `data` columns. The `derived` table holds what is the same for every
request (penalty comparisons, charts, extradition pairs and matrices), saved by `index`.
"""

from __future__ import annotations

import errno
import json
import logging
import os
import shutil
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from harmonize.errors import DiskFull, StoreError
from harmonize.ids import national
from harmonize.model import AlignmentResult, ExtraditionRule, Instrument, ParseWarning, Provision, ProvisionFacts

log = logging.getLogger(__name__)

SCHEMA_VERSION = 6

DERIVED_TABLE = """CREATE TABLE IF NOT EXISTS derived (
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (kind, key)
)"""
RULES_TABLE = """CREATE TABLE IF NOT EXISTS rules (
    instrument TEXT NOT NULL REFERENCES instruments(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (instrument, kind)
)"""
# In-place upgrades from an older version (what is not listed here is rebuilt from the corpus).
UPGRADES = {
    3: ["CREATE INDEX IF NOT EXISTS provisions_by_parent ON provisions(parent)", RULES_TABLE, DERIVED_TABLE],
    4: [RULES_TABLE, DERIVED_TABLE],
    5: [RULES_TABLE, DERIVED_TABLE],  # a v5 store had one of the two (rules from #11, derived from #10)
}

SCHEMA = """
CREATE TABLE IF NOT EXISTS instruments (
    id TEXT PRIMARY KEY,
    country TEXT NOT NULL,
    title TEXT NOT NULL,
    year INTEGER,
    topic TEXT NOT NULL,
    language TEXT NOT NULL,
    source TEXT NOT NULL UNIQUE,
    format TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    parser_hash TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS provisions (
    id TEXT PRIMARY KEY,
    instrument TEXT NOT NULL REFERENCES instruments(id) ON DELETE CASCADE,
    number TEXT NOT NULL,
    path TEXT NOT NULL,
    heading TEXT NOT NULL,
    text TEXT NOT NULL,
    kind TEXT NOT NULL,
    ord INTEGER NOT NULL,
    parent TEXT,
    label TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS provisions_by_instrument ON provisions(instrument, ord);
CREATE INDEX IF NOT EXISTS provisions_by_number ON provisions(instrument, number);
CREATE INDEX IF NOT EXISTS provisions_by_parent ON provisions(parent);
CREATE TABLE IF NOT EXISTS facts (
    provision TEXT PRIMARY KEY,
    instrument TEXT NOT NULL REFERENCES instruments(id) ON DELETE CASCADE,
    data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS facts_by_instrument ON facts(instrument);
CREATE TABLE IF NOT EXISTS alignments (
    country TEXT NOT NULL,
    obligation TEXT NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (country, obligation)
);
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS rules (
    instrument TEXT NOT NULL REFERENCES instruments(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (instrument, kind)
);
CREATE TABLE IF NOT EXISTS warnings (
    instrument TEXT NOT NULL REFERENCES instruments(id) ON DELETE CASCADE,
    place TEXT NOT NULL,
    message TEXT NOT NULL
);
""" + DERIVED_TABLE


EXTRADITION_RULE = "extradition"  # kind of the rule an extradition Act states (read at ingest)
RULE_TYPES = {EXTRADITION_RULE: ExtraditionRule}  # kind of a stored rule -> its type


REBUILD = "run `harmonize ingest` (or `make index`) to build it"
BUSY_TIMEOUT_MS = 5000  # how long a statement waits for another process's write lock


class Store:
    """One SQLite file. `create=True` (ingest) opens it for writing and creates or rebuilds it;
    otherwise (every read) an existing store is opened as it is and nothing is created: a missing,
    empty, damaged or locked store raises StoreError naming the file and the fix, and a store the
    process cannot write (read-only file, directory or mount) is opened read-only and serves reads.
    """

    def __init__(self, path: Path, create: bool = False):
        self.path = path
        self.readonly = False
        if not create:
            if not path.is_file():
                raise StoreError(f"no store at {path}: {REBUILD} first")
            if path.stat().st_size == 0:
                raise StoreError(f"the store {path} is empty (0 bytes): {REBUILD} again")
        elif not path.parent.is_dir():
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"cannot create the data directory {path.parent}: {exc.strerror}") from None
        self.db = self._connect(create)
        self.db.row_factory = sqlite3.Row
        try:
            self.db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            self.db.execute("PRAGMA foreign_keys = ON")
            version = self.db.execute("PRAGMA user_version").fetchone()[0]
            tables = self.db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
            if not self.readonly:
                self.db.execute("PRAGMA journal_mode = WAL")  # readers (the web app) never wait for an ingest
        except sqlite3.DatabaseError as exc:
            self.db.close()
            raise self.error(exc) from None
        if create:
            self._migrate(version)
        elif version == 0 and tables == 0:
            self.db.close()
            raise StoreError(f"the store {path} holds no tables (an empty database): {REBUILD} again")
        elif version != SCHEMA_VERSION:
            self.db.close()
            raise StoreError(f"{path} has schema version {version}; this harmonize reads {SCHEMA_VERSION}: "
                             + ("run `harmonize ingest` to rebuild it" if version < SCHEMA_VERSION
                                else "use the harmonize that built it, or rebuild it with `harmonize ingest`"))

    def _connect(self, create: bool) -> sqlite3.Connection:
        """Read-write without creating the file (or creating it for `create`); read-only when the
        file, its directory or the mount cannot be written; immutable when even the WAL index
        (`-shm`) cannot be made beside it (no process can write there either)."""
        uri = self.path.absolute().as_uri()
        writable = os.access(self.path.parent, os.W_OK) and (not self.path.exists() or os.access(self.path, os.W_OK))
        if writable or create:
            if not writable:
                raise StoreError(f"cannot write the store {self.path}: its file or directory is read-only "
                                 "(reads still work; write the store where it can be written: --data DIR)")
            try:
                return sqlite3.connect(f"{uri}?mode={'rwc' if create else 'rw'}", uri=True, isolation_level=None)
            except sqlite3.OperationalError as exc:
                raise self.error(exc) from None
        self.readonly = True
        log.info("%s is read-only: opening it read-only", self.path)
        for mode in ("mode=ro", "mode=ro&immutable=1"):
            db = sqlite3.connect(f"{uri}?{mode}", uri=True, isolation_level=None)
            try:
                db.execute("SELECT count(*) FROM sqlite_master").fetchone()
                return db
            except sqlite3.OperationalError as exc:
                db.close()
                if "unable to open" not in str(exc):
                    raise self.error(exc) from None
        raise StoreError(f"cannot open the store {self.path} read-only")

    def error(self, exc: sqlite3.Error) -> Exception:
        """The StoreError (or DiskFull) for an SQLite error on this store, naming it and the fix."""
        code = getattr(exc, "sqlite_errorcode", None)
        text = str(exc)
        if code == sqlite3.SQLITE_FULL or "disk is full" in text:
            return DiskFull(errno.ENOSPC, f"disk full while writing the store {self.path} "
                            f"({_free(self.path.parent)} free): nothing was written and the previous data is kept; "
                            "free some space and run again")
        if code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) or "locked" in text:
            return StoreError(f"the store {self.path} is locked by another process writing it "
                              f"(waited {BUSY_TIMEOUT_MS / 1000:g} s): try again when it has finished")
        if code in (sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT) or "not a database" in text or "malformed" in text:
            return StoreError(f"the store {self.path} is damaged ({text}): move it away and {REBUILD} again "
                              "(the store is derived from the corpus)")
        if code == sqlite3.SQLITE_READONLY or "readonly" in text:
            return StoreError(f"the store {self.path} is read-only: reads work; write where it can be written")
        return StoreError(f"cannot use the store {self.path}: {text}")

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _migrate(self, version: int) -> None:
        if version == SCHEMA_VERSION:
            return
        if version > SCHEMA_VERSION:
            raise StoreError(f"{self.path} has schema version {version}; this harmonize reads {SCHEMA_VERSION}")
        if version in UPGRADES:
            with self.transaction():
                for statement in UPGRADES[version]:
                    self.db.execute(statement)
                self.db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            return
        # Older or empty: the store is derived data, so a rebuild from the corpus is the migration.
        with self.transaction():
            for table in ("derived", "warnings", "rules", "alignments", "meta", "facts", "provisions", "instruments"):
                self.db.execute(f"DROP TABLE IF EXISTS {table}")
            for statement in SCHEMA.split(";"):
                if statement.strip():
                    self.db.execute(statement)
            self.db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: all or nothing. A full disk raises DiskFull, a lock held by another
        process (past the busy timeout) or a read-only store raise StoreError; nothing is written."""
        if self.readonly:
            raise StoreError(f"the store {self.path} is read-only (its file, directory or mount): "
                             "write the store where it can be written (--data DIR)")
        try:
            self.db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise self.error(exc) from None
        try:
            yield self.db
            self.db.execute("COMMIT")
        except BaseException as exc:
            if self.db.in_transaction:  # SQLite has already rolled back after some errors (a full disk)
                try:
                    self.db.execute("ROLLBACK")
                except sqlite3.Error:
                    pass
            if isinstance(exc, sqlite3.OperationalError):
                raise self.error(exc) from exc
            raise

    # -- writes (call inside `transaction`) --------------------------------------------

    def replace_instrument(
        self, instrument: Instrument, parser_hash: str, provisions: list[Provision], warnings: list[ParseWarning]
    ) -> None:
        self.db.execute("DELETE FROM instruments WHERE id = ? OR source = ?", (instrument.id, instrument.source))
        self.db.execute(
            "INSERT INTO instruments VALUES (?,?,?,?,?,?,?,?,?,?)",
            (
                instrument.id, instrument.country, instrument.title, instrument.year, instrument.topic,
                instrument.language, instrument.source, instrument.format, instrument.content_hash, parser_hash,
            ),
        )
        self.db.executemany(
            "INSERT INTO provisions VALUES (?,?,?,?,?,?,?,?,?,?)",
            (
                (p.id, p.instrument, p.number, json.dumps(p.path, ensure_ascii=False), p.heading, p.text,
                 p.kind, p.order, p.parent, p.label)
                for p in provisions
            ),
        )
        self.db.executemany(
            "INSERT INTO warnings VALUES (?,?,?)", ((instrument.id, w.where, w.message) for w in warnings)
        )

    def write_facts(self, instrument_id: str, facts: Iterable[ProvisionFacts]) -> None:
        """Replace the analysis facts of one instrument."""
        self.db.execute("DELETE FROM facts WHERE instrument = ?", (instrument_id,))
        self.db.executemany(
            "INSERT INTO facts VALUES (?,?,?)",
            ((f.provision, instrument_id, _json(f.to_dict())) for f in facts),
        )

    def write_rule(self, instrument_id: str, kind: str, rule: ExtraditionRule | None) -> None:
        """Replace the rule an instrument states as a whole (kind "extradition"); None removes it."""
        self.db.execute("DELETE FROM rules WHERE instrument = ? AND kind = ?", (instrument_id, kind))
        if rule is not None:
            self.db.execute("INSERT INTO rules VALUES (?,?,?)", (instrument_id, kind, _json(rule.to_dict())))

    def write_alignments(self, country: str, results: Iterable[AlignmentResult]) -> None:
        """Replace the saved alignment of one country."""
        self.db.execute("DELETE FROM alignments WHERE country = ?", (country,))
        self.db.executemany(
            "INSERT INTO alignments VALUES (?,?,?)",
            ((country, r.obligation, _json(r.to_dict())) for r in results),
        )

    def write_derived(self, kind: str, items: Iterable[tuple[str, bytes]]) -> None:
        """Replace every saved item of one kind (key -> bytes: JSON text or an image)."""
        self.db.execute("DELETE FROM derived WHERE kind = ?", (kind,))
        self.db.executemany("INSERT INTO derived VALUES (?,?,?)", ((kind, key, data) for key, data in items))

    def put_derived(self, kind: str, items: Iterable[tuple[str, bytes]]) -> None:
        """Replace the saved items of one kind given (the others of that kind stay)."""
        self.db.executemany("INSERT OR REPLACE INTO derived VALUES (?,?,?)", ((kind, key, data) for key, data in items))

    def delete_derived(self, kind: str, keys: Iterable[str]) -> None:
        self.db.executemany("DELETE FROM derived WHERE kind = ? AND key = ?", ((kind, key) for key in keys))

    def delete_meta(self, key: str) -> None:
        self.db.execute("DELETE FROM meta WHERE key = ?", (key,))

    def meta_like(self, prefix: str) -> dict[str, str]:
        """key -> value of every meta entry whose key starts with ``prefix``."""
        rows = self.db.execute("SELECT key, value FROM meta WHERE substr(key, 1, ?) = ?", (len(prefix), prefix))
        return {r["key"]: r["value"] for r in rows}

    def set_meta(self, key: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    def delete_instruments(self, ids: Iterable[str]) -> None:
        self.db.executemany("DELETE FROM instruments WHERE id = ?", ((i,) for i in ids))

    # -- reads ---------------------------------------------------------------------------

    def fingerprints(self) -> dict[str, tuple[str, str, str]]:
        """source -> (instrument id, content hash, parser hash), to decide what to re-parse."""
        rows = self.db.execute("SELECT source, id, content_hash, parser_hash FROM instruments")
        return {r["source"]: (r["id"], r["content_hash"], r["parser_hash"]) for r in rows}

    def instruments(self, country: str | None = None) -> list[Instrument]:
        sql = "SELECT * FROM instruments"
        args: tuple = ()
        if country:
            sql += " WHERE country = ?"
            args = (country.upper(),)
        rows = self.db.execute(sql + " ORDER BY country, source", args)
        return [_instrument(r) for r in rows]

    def national_countries(self) -> list[str]:
        """The countries of the national statutes (not the conventions' UN / CoE), sorted."""
        return national(r[0] for r in self.db.execute("SELECT DISTINCT country FROM instruments"))

    def instrument(self, instrument_id: str) -> Instrument | None:
        row = self.db.execute("SELECT * FROM instruments WHERE id = ?", (instrument_id,)).fetchone()
        return _instrument(row) if row else None

    def provision(self, provision_id: str) -> Provision | None:
        row = self.db.execute("SELECT * FROM provisions WHERE id = ?", (provision_id,)).fetchone()
        return _provision(row) if row else None

    def provisions(self, instrument_id: str | None = None, kinds: Iterable[str] | None = None) -> Iterator[Provision]:
        sql, args = "SELECT * FROM provisions", []
        where = []
        if instrument_id:
            where.append("instrument = ?")
            args.append(instrument_id)
        if kinds:
            kinds = list(kinds)
            where.append(f"kind IN ({','.join('?' * len(kinds))})")
            args += kinds
        if where:
            sql += " WHERE " + " AND ".join(where)
        for row in self.db.execute(sql + " ORDER BY instrument, ord", args):
            yield _provision(row)

    def find_by_number(self, instrument_id: str, number: str) -> list[Provision]:
        rows = self.db.execute(
            "SELECT * FROM provisions WHERE instrument = ? AND number = ? ORDER BY ord", (instrument_id, number)
        )
        return [_provision(r) for r in rows]

    def children(self, provision_id: str) -> list[Provision]:
        rows = self.db.execute("SELECT * FROM provisions WHERE parent = ? ORDER BY ord", (provision_id,))
        return [_provision(r) for r in rows]

    def facts(self, provision_id: str) -> ProvisionFacts | None:
        row = self.db.execute("SELECT data FROM facts WHERE provision = ?", (provision_id,)).fetchone()
        return ProvisionFacts.from_dict(json.loads(row["data"])) if row else None

    def all_facts(self, country: str | None = None) -> Iterator[ProvisionFacts]:
        """Facts in document order, optionally for one country."""
        sql = (
            "SELECT f.data FROM facts f JOIN provisions p ON p.id = f.provision "
            "JOIN instruments i ON i.id = f.instrument"
        )
        args: tuple = ()
        if country:
            sql += " WHERE i.country = ?"
            args = (country.upper(),)
        for row in self.db.execute(sql + " ORDER BY i.country, i.source, p.ord", args):
            yield ProvisionFacts.from_dict(json.loads(row["data"]))

    def rules(self, kind: str, country: str | None = None) -> dict[str, ExtraditionRule]:
        """instrument id -> the stored rule of that kind, optionally for one country."""
        sql = "SELECT r.instrument, r.data FROM rules r JOIN instruments i ON i.id = r.instrument WHERE r.kind = ?"
        args: tuple = (kind,)
        if country:
            sql += " AND i.country = ?"
            args += (country.upper(),)
        rule_type = RULE_TYPES[kind]
        return {r["instrument"]: rule_type.from_dict(json.loads(r["data"]))
                for r in self.db.execute(sql + " ORDER BY i.source", args)}

    def alignments(self, country: str) -> dict[str, AlignmentResult]:
        """Saved alignment of one country: obligation id -> result."""
        rows = self.db.execute("SELECT obligation, data FROM alignments WHERE country = ?", (country.upper(),))
        return {r["obligation"]: AlignmentResult.from_dict(json.loads(r["data"])) for r in rows}

    def derived(self, kind: str, key: str) -> bytes | None:
        row = self.db.execute("SELECT data FROM derived WHERE kind = ? AND key = ?", (kind, key)).fetchone()
        return bytes(row["data"]) if row else None

    def derived_items(self, kind: str) -> Iterator[tuple[str, bytes]]:
        """(key, data) of every saved item of one kind."""
        for row in self.db.execute("SELECT key, data FROM derived WHERE kind = ? ORDER BY key", (kind,)):
            yield row["key"], bytes(row["data"])

    def meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row["value"] if row else None

    def provision_count(self, instrument_id: str) -> int:
        return self.db.execute("SELECT COUNT(*) FROM provisions WHERE instrument = ?", (instrument_id,)).fetchone()[0]


def _json(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False)


def _instrument(row: sqlite3.Row) -> Instrument:
    return Instrument(
        id=row["id"], country=row["country"], title=row["title"], year=row["year"], topic=row["topic"],
        language=row["language"], source=row["source"], format=row["format"], content_hash=row["content_hash"],
    )


def _provision(row: sqlite3.Row) -> Provision:
    return Provision(
        id=row["id"], instrument=row["instrument"], number=row["number"], path=json.loads(row["path"]),
        heading=row["heading"], text=row["text"], kind=row["kind"], order=row["ord"], parent=row["parent"],
        label=row["label"],
    )


def _free(path: Path) -> str:
    try:
        return f"{shutil.disk_usage(path).free / 1e6:.1f} MB"
    except OSError:
        return "unknown space"
