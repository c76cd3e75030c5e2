"""The build lock of a data directory: one `harmonize ingest` or `index` at a time.

An exclusive `flock` on ``<data>/.build.lock``, which also holds who took it (pid, command,
start time). A second build waits for the first and says whom it waits for, or with
``wait=False`` (``--no-wait``) raises BuildLocked naming the holder. The kernel releases the
lock when its process ends, however it ends (kill -9 included), so a crash leaves no stale lock.
Reads never take it. Nested use in one process (``index`` ingests, then embeds) is a no-op.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import socket
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from harmonize.errors import BuildLocked, StoreError

log = logging.getLogger(__name__)

LOCK_FILE = ".build.lock"
_held: dict[Path, int] = {}
_guard = threading.Lock()


def holder(data: Path) -> str:
    """Who holds (or last held) the lock, as written in the lock file."""
    try:
        return (Path(data) / LOCK_FILE).read_text(encoding="utf-8").strip() or "another process"
    except OSError:
        return "another process"


@contextlib.contextmanager
def build_lock(data: Path, wait: bool = True) -> Iterator[None]:
    data = Path(data).resolve()
    with _guard:
        if _held.get(data):
            _held[data] += 1
            nested = True
        else:
            nested = False
    if nested:
        try:
            yield
        finally:
            with _guard:
                _held[data] -= 1
        return
    path = data / LOCK_FILE
    try:
        data.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise StoreError(f"cannot build in {data}: {exc.strerror} (the build lock {path} cannot be written); "
                         "reads still work: build where the data directory can be written (--data DIR)") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            who = holder(data)
            if not wait:
                raise BuildLocked(f"{data} is being built by {who}: wait for it to finish (run again without "
                                  "--no-wait to queue behind it), or stop that process") from None
            log.warning("waiting for the build of %s by %s to finish", data, who)
            started = time.monotonic()
            fcntl.flock(fd, fcntl.LOCK_EX)
            log.warning("the other build finished after %.0f s; building now", time.monotonic() - started)
        os.ftruncate(fd, 0)
        command = " ".join(["harmonize", *sys.argv[1:]]) if sys.argv else "harmonize"
        os.pwrite(fd, (f"pid {os.getpid()} on {socket.gethostname()} (`{command}`, started "
                       f"{time.strftime('%Y-%m-%d %H:%M:%S %Z')})\n").encode(), 0)
        with _guard:
            _held[data] = 1
        try:
            yield
        finally:
            with _guard:
                _held.pop(data, None)
            os.ftruncate(fd, 0)
    finally:
        os.close(fd)  # releases the flock
