"""`harmonize serve` in its own process, as a user starts it, for the tests that need a real server."""

from __future__ import annotations

import contextlib
import signal
import socket
import struct
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
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
    return sorted(found)


def get(url: str, timeout: float = 60) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.status, response.read()


def abandon(port: int, path: str, after: float = 0.05, reset: bool = False) -> None:
    """Send a GET and hang up `after` seconds later, before the answer comes, as `curl -m 0.05` does
    (a normal close; `reset=True` resets the connection instead, as a killed client does)."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    sock.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
    time.sleep(after)
    if reset:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()


@contextlib.contextmanager
def served(data: Path, workers: int = 2, threads: int = 4, ready_path: str = "/",
           wait: float = 180, prefix: tuple = ()) -> Iterator[tuple[subprocess.Popen, int]]:
    """Run `harmonize --data DATA serve` on a free port until it answers; SIGTERM it afterwards.
    `prefix` runs it under another command that execs it (the process id stays the server's)."""
    port = free_port()
    cmd = [*prefix, sys.executable, "-m", "harmonize.cli", "--data", str(data), "serve", "--port", str(port),
           "--workers", str(workers), "--threads", str(threads)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                get(f"http://127.0.0.1:{port}{ready_path}")
                break
            except OSError:
                assert proc.poll() is None, proc.stdout.read().decode(errors="replace")
                assert time.monotonic() < deadline, f"server did not answer within {wait:g} s"
                time.sleep(0.5)
        yield proc, port
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
