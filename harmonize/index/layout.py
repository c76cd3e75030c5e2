"""Where the index lives in a data directory, and how a crashed swap is undone.

``<data>/index/`` is the index being served, ``<data>/index.new-<pid>/`` one being built by
process ``pid``, ``<data>/index.old/`` the previous one during the swap (see build.py).
"""

from __future__ import annotations

import json
import logging
import os
import shutil
from pathlib import Path

log = logging.getLogger(__name__)

FORMAT_VERSION = 1
INDEX_DIR = "index"
OLD_DIR = "index.old"
NEW_PREFIX = "index.new-"


def index_path(data_dir: Path) -> Path:
    return Path(data_dir) / INDEX_DIR


def recover(data_dir: Path) -> None:
    """Finish or undo a swap that a crash interrupted; remove abandoned build directories."""
    data_dir = Path(data_dir)
    current, old = data_dir / INDEX_DIR, data_dir / OLD_DIR
    if old.is_dir():
        if current.is_dir():
            shutil.rmtree(old, ignore_errors=True)
        else:
            log.warning("recovering the previous index from %s", old)
            os.replace(old, current)
    if data_dir.is_dir():
        for tmp in data_dir.glob(NEW_PREFIX + "*"):
            pid = tmp.name[len(NEW_PREFIX) :]
            if pid.isdigit() and int(pid) != os.getpid() and _alive(int(pid)):
                continue  # another build is running
            shutil.rmtree(tmp, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def read_manifest(path: Path) -> dict:
    return json.loads((path / "manifest.json").read_text(encoding="utf-8"))


def building(data_dir: Path) -> bool:
    """Whether a live process is writing a new index into `data_dir`."""
    for tmp in Path(data_dir).glob(NEW_PREFIX + "*"):
        pid = tmp.name[len(NEW_PREFIX):]
        if pid.isdigit() and _alive(int(pid)):
            return True
    return False
