"""The one API the CLI, the web UI and the JSON API call. Surfaces never touch stores directly."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from harmonize import config
from harmonize.ingest import IngestReport, ingest_corpus
from harmonize.model import Instrument, Provision
from harmonize.store import Store


class NotFound(LookupError):
    """An id that names nothing in the store."""


@dataclass
class Harmonize:
    """Entry point over one data directory (store and indexes)."""

    data: Path

    @classmethod
    def open(cls, data: str | Path | None = None) -> Harmonize:
        return cls(config.data_dir(data))

    @property
    def store_path(self) -> Path:
        return config.store_path(self.data)

    def store(self, create: bool = False) -> Store:
        return Store(self.store_path, create=create)

    # -- ingest ----------------------------------------------------------------------------

    def ingest(self, corpus: str | Path | None = None, show_progress: bool = True) -> IngestReport:
        with self.store(create=True) as store:
            return ingest_corpus(config.corpus_dir(corpus), store, show_progress=show_progress)

    # -- reads -----------------------------------------------------------------------------

    def instruments(self, country: str | None = None) -> list[dict]:
        with self.store() as store:
            return [
                {**inst.to_dict(), "provisions": store.provision_count(inst.id)}
                for inst in store.instruments(country)
            ]

    def provision(self, provision_id: str) -> dict:
        """Provision JSON (id, instrument, country, source, number, path, heading, text, kind)."""
        with self.store() as store:
            prov = store.provision(provision_id)
            if prov is None:
                raise NotFound(f"no provision with id {provision_id!r}")
            return provision_json(prov, store.instrument(prov.instrument))


def provision_json(prov: Provision, instrument: Instrument, with_text: bool = True) -> dict:
    return prov.to_json(instrument.country, instrument.source, with_text=with_text)
