"""`harmonize serve` as a user starts it: gunicorn worker processes over the small data dir."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def children(pid: int) -> list[int]:
    """Process ids whose parent is `pid` (from /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def get(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.status, response.read()


def test_serve_with_two_workers_answers_and_stops_on_sigterm(web_data: Path) -> None:
    port = free_port()
    cmd = [sys.executable, "-m", "harmonize.cli", "--data", str(web_data), "serve", "--port", str(port),
           "--workers", "2", "--threads", "4"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                status, body = get(f"http://127.0.0.1:{port}/api/search?q=cannabis+cultivation&country=IND")
                break
            except OSError:
                assert proc.poll() is None, proc.stdout.read().decode(errors="replace")
                assert time.monotonic() < deadline, "server did not answer within 120 s"
                time.sleep(0.5)
        assert status == 200
        assert json.loads(body)["results"][0]["country"] == "IND"
        # every request is answered, whichever worker takes it
        for _ in range(6):
            assert get(f"http://127.0.0.1:{port}/countries/CAN")[0] == 200
        assert len(children(proc.pid)) == 2
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=60) == 0
