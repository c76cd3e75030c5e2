"""SQLite store of instruments and provisions, their analysed facts and what `index` derives.

One file, schema versioned with PRAGMA user_version. Every ingest runs in one transaction,
so a failure leaves the previous store as it was. Reads return the domain model's types
(Instrument, Provision, ProvisionFacts, AlignmentResult, ExtraditionRule); JSON is only the
storage format of the `data` columns. The `derived` table holds what is the same for every
request (penalty comparisons, charts, extradition pairs and matrices), saved by `index`.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from harmonize.errors import StoreError
from harmonize.ids import national
from harmonize.model import AlignmentResult, ExtraditionRule, Instrument, ParseWarning, Provision, ProvisionFacts

SCHEMA_VERSION = 5

DERIVED_TABLE = """CREATE TABLE IF NOT EXISTS derived (
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (kind, key)
)"""
# In-place upgrades from an older version (what is not listed here is rebuilt from the corpus).
UPGRADES = {
    3: ["CREATE INDEX IF NOT EXISTS provisions_by_parent ON provisions(parent)", DERIVED_TABLE],
    4: [DERIVED_TABLE],
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
CREATE TABLE IF NOT EXISTS warnings (
    instrument TEXT NOT NULL REFERENCES instruments(id) ON DELETE CASCADE,
    place TEXT NOT NULL,
    message TEXT NOT NULL
);
""" + DERIVED_TABLE


EXTRADITION_RULES = "extradition-rule"


class Store:
    def __init__(self, path: Path, create: bool = False):
        self.path = path
        if not create and not path.is_file():
            raise StoreError(f"no store at {path}: run `harmonize ingest` (or `make index`) first")
        path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(path, isolation_level=None)  # transactions are explicit
        self.db.row_factory = sqlite3.Row
        self.db.execute("PRAGMA foreign_keys = ON")
        self.db.execute("PRAGMA journal_mode = WAL")  # readers (the web app) never wait for an ingest
        self._migrate()

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _migrate(self) -> None:
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
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
            for table in ("derived", "warnings", "alignments", "meta", "facts", "provisions", "instruments"):
                self.db.execute(f"DROP TABLE IF EXISTS {table}")
            for statement in SCHEMA.split(";"):
                if statement.strip():
                    self.db.execute(statement)
            self.db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

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

    def write_extradition_rules(self, rules: Iterable[ExtraditionRule]) -> None:
        self.write_derived(EXTRADITION_RULES, ((r.country, _json(r.to_dict()).encode()) for r in rules))

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

    def alignments(self, country: str) -> dict[str, AlignmentResult]:
        """Saved alignment of one country: obligation id -> result."""
        rows = self.db.execute("SELECT obligation, data FROM alignments WHERE country = ?", (country.upper(),))
        return {r["obligation"]: AlignmentResult.from_dict(json.loads(r["data"])) for r in rows}

    def derived(self, kind: str, key: str) -> bytes | None:
        row = self.db.execute("SELECT data FROM derived WHERE kind = ? AND key = ?", (kind, key)).fetchone()
        return bytes(row["data"]) if row else None

    def extradition_rules(self) -> dict[str, ExtraditionRule]:
        """The saved extradition rule of every national country (empty before `index`)."""
        rows = self.db.execute("SELECT key, data FROM derived WHERE kind = ?", (EXTRADITION_RULES,))
        return {r["key"]: ExtraditionRule.from_dict(json.loads(r["data"])) for r in rows}

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
