"""Faults and bad input: what a client, a corpus file, a manifest row or a damaged data directory
can do, and what harmonize must do then (keep serving, name the file, row or path and the fix,
change nothing it should not, ingest or serve the rest).

Each case of issue #15 is one test. Corpus cases copy the few real corpus files they need into
`tmp_path` (never into the repository) and write their own MANIFEST.tsv there.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from served import abandon, children, get, served

# -- 1. the server survives its clients ------------------------------------------------------

ABANDONED = ("/search?q=trafficking+in+narcotic+drugs", "/countries/CAN", "/countries/IND/report.csv",
             "/api/search?q=money+laundering", "/penalties?category=drug+trafficking")


@pytest.mark.parametrize("workers", [1, 2], ids=["waitress", "gunicorn-2-workers"])
def test_abandoned_requests_do_not_kill_the_server(web_data: Path, workers: int) -> None:
    """A client that drops its connection mid-request (curl -m 0.05) once killed the server (SIGPIPE)."""
    with served(web_data, workers=workers) as (proc, port):
        before = children(proc.pid)
        for round_ in range(4):
            for path in ABANDONED:
                abandon(port, f"{path}&round={round_}" if "?" in path else path, after=0.02 * round_,
                        reset=round_ == 3)
        time.sleep(2)  # the answers are written to closed connections now
        for path in ABANDONED:  # the same pages, now read to the end, whichever worker takes them
            status, body = get(f"http://127.0.0.1:{port}{path}")
            assert status == 200 and body
        assert proc.poll() is None, "the server exited"
        assert children(proc.pid) == before, "a worker died and was replaced"


def test_closed_stdout_ends_a_command_quietly(web_data: Path) -> None:
    """`harmonize instruments | head` stops without a traceback, as a SIGPIPE would."""
    proc = subprocess.Popen([sys.executable, "-m", "harmonize.cli", "--data", str(web_data), "instruments"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()  # the reader is gone before the first line is written
    stderr = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 141
    assert "Traceback" not in stderr and "BrokenPipe" not in stderr, stderr
