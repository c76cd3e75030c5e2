"""Concurrent reviewers against the served app: are decisions ever lost or duplicated?

    .venv/bin/python bench/reviews_bench.py --data DIR [--reviews-url URL] [--reviewers 8]
        [--seconds 30] [--workers 2]

Starts `harmonize serve --workers 2` (gunicorn, two processes) over DIR (a data dir with store
and index, e.g. the test data dir or `make index`'s indexes/) with a fresh reviews database
(default: a SQLite file in a temporary directory; --reviews-url for PostgreSQL), creates N
reviewers in two organisations, and runs N client threads for the given time. Each signs in
through the login form (CSRF token from the page), then loops: open an item (GET
/api/reviews/C/O for its version), post a decision (POST /api/reviews/C/O with X-CSRFToken and
a request id): half comments, 30% confirms, 20% overrides citing the machine's best provision.
A quarter of the posts go to one hot item, so writers collide and some get 409 "changed since
you opened it" (expected, nothing written). At the end the server is stopped and the database
is read directly: every acknowledged decision (201) must be there exactly once, nothing else,
and each item's versions must run 1..n without gaps or repeats. Prints the counts, lost and
duplicated decisions, and p50/p95/max write latency; exit 1 when anything is lost or duplicated.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter, defaultdict
from pathlib import Path
from urllib.parse import quote, urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from harmonize import ids  # noqa: E402  (after the path)
from harmonize.reviews import Reviews  # noqa: E402

PASSWORD = "bench reviewer passphrase"
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Client:
    """One reviewer's HTTP connection with its session cookie."""

    def __init__(self, port: int):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookie = ""
        self.retries = 0

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
        """One request; a connection the server closed while idle (keep-alive timeout) is opened
        again and the request sent once more (a decision carries its request id, so a repeated
        POST cannot write twice)."""
        headers = dict(headers or {})
        if self.cookie:
            headers["Cookie"] = self.cookie
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            self.conn.close()
            self.retries += 1
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
        data = response.read()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie" and value.startswith("session="):
                self.cookie = value.split(";", 1)[0]
        return response.status, data

    def sign_in(self, name: str) -> str:
        status, page = self.request("GET", "/login")
        token = TOKEN.search(page.decode()).group(1)
        form = urlencode({"name": name, "password": PASSWORD, "csrf_token": token}).encode()
        status, _ = self.request("POST", "/login", form, {"Content-Type": "application/x-www-form-urlencoded"})
        if status != 302:
            raise RuntimeError(f"sign-in of {name} answered {status}")
        status, data = self.request("GET", "/api/reviews/session")
        return json.loads(data)["csrf_token"]


def wait_ready(port: int, proc: subprocess.Popen, limit: float = 300) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited: {proc.stdout.read().decode(errors='replace')[-2000:]}")
        try:
            Client(port).request("GET", "/api/reviews/session")
            return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"the server did not answer within {limit:.0f} s")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", required=True, help="data dir with store and index")
    ap.add_argument("--reviews-url", help="reviews database (default: a fresh SQLite file in a temporary dir)")
    ap.add_argument("--reviewers", type=int, default=8)
    ap.add_argument("--seconds", type=float, default=30)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()

    tmp = tempfile.TemporaryDirectory(prefix="reviews-bench-")
    url = args.reviews_url or f"sqlite:///{Path(tmp.name) / 'reviews.sqlite'}"
    reviews = Reviews.open(url)
    orgs = ("Committee Secretariat", "Parliament")
    for org in orgs:
        reviews.add_organisation(org)
    names = [f"reviewer{i}" for i in range(args.reviewers)]
    for i, name in enumerate(names):
        reviews.add_user(name, PASSWORD, "reviewer", orgs[i % 2])
    before = len(reviews.all_decisions(None, everything=True))
    reviews.close()

    port = free_port()
    env = dict(os.environ, HARMONIZE_SECRET_KEY=uuid.uuid4().hex)
    cmd = [sys.executable, "-m", "harmonize.cli", "--data", args.data, "--reviews-url", url, "serve",
           "--port", str(port), "--workers", str(args.workers), "--threads", str(4 * args.workers)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env)
    try:
        wait_ready(port, proc)
        probe = Client(port)
        status, body = probe.request("GET", "/api/index")
        countries = ids.national(c["country"] for c in json.loads(body)["corpus"]["per_country"])
        items = []
        for country in countries:
            status, body = probe.request("GET", f"/api/align/{country}")
            for r in json.loads(body)["results"]:
                best = r["machine"]["status"] != "missing" and r["provisions"]
                items.append((country, r["obligation"], r["provisions"][0]["id"] if best else None))
        hot = items[0]
        print(f"server: gunicorn, {args.workers} workers on 127.0.0.1:{port}; {len(items)} items in "
              f"{', '.join(countries)}; reviews database {url.split('?')[0]}")

        acked: list[str] = []
        latencies: list[float] = []
        outcome = Counter()
        lock = threading.Lock()
        stop = time.monotonic() + args.seconds
        start_line = threading.Barrier(len(names))

        def reviewer(name: str, seed: int) -> None:
            client = Client(port)
            try:
                token = client.sign_in(name)
            finally:
                start_line.wait()
            try:
                post_decisions(name, random.Random(seed), client, token)
            except Exception as exc:  # noqa: BLE001 - a client that dies is an error of the run
                with lock:
                    outcome[f"client died: {type(exc).__name__}: {exc}"] += 1
            with lock:
                outcome["reconnects"] += client.retries

        def post_decisions(name: str, rnd: random.Random, client: Client, token: str) -> None:
            while time.monotonic() < stop:
                country, ob, best = hot if rnd.random() < 0.25 else rnd.choice(items)
                path = f"/api/reviews/{country}/{quote(ob)}"
                status, body = client.request("GET", path)
                if status != 200:
                    with lock:
                        outcome[f"read {status}"] += 1
                    continue
                item = json.loads(body)
                roll = rnd.random()
                decision = {"version": item["version"], "uid": str(uuid.uuid4()),
                            "visibility": rnd.choice(("public", "organisation", "private"))}
                if roll < 0.5 or (roll >= 0.8 and best is None):
                    decision |= {"kind": "comment", "note": f"{name}: checked {ob} against the statute"}
                elif roll < 0.8:
                    decision |= {"kind": "confirm", "status": item["effective"]["machine"]["status"]}
                else:
                    decision |= {"kind": "override", "status": rnd.choice(("covered", "partial", "missing")),
                                 "provisions": [best] if best.startswith(country + "/") else [],
                                 "note": f"{name}: see {best}"}
                began = time.perf_counter()
                status, body = client.request("POST", path, json.dumps(decision).encode(),
                                              {"Content-Type": "application/json", "X-CSRFToken": token})
                took = time.perf_counter() - began
                with lock:
                    latencies.append(took)
                    outcome[status] += 1
                    if status == 201:
                        acked.append(json.loads(body)["uid"])
                    elif status not in (409,):
                        outcome[f"error: {body[:160]!r}"] += 1

        threads = [threading.Thread(target=reviewer, args=(n, i)) for i, n in enumerate(names)]
        began = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.monotonic() - began
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()

    reviews = Reviews.open(url)
    rows = reviews.all_decisions(None, everything=True)
    reviews.close()
    stored = Counter(r["uid"] for r in rows)
    lost = [u for u in acked if u not in stored]
    duplicated = [u for u, n in stored.items() if n > 1] + [u for u, n in Counter(acked).items() if n > 1]
    unacked = len(rows) - before - len(set(acked))
    versions = defaultdict(list)
    for r in rows:
        versions[(r["country"], r["obligation"])].append(r["version"])
    broken = [k for k, v in versions.items() if sorted(v) != list(range(1, len(v) + 1))]
    errors = sum(n for k, n in outcome.items() if isinstance(k, str) and k != "reconnects")
    lat = sorted(latencies)
    p = lambda q: lat[min(len(lat) - 1, int(q * len(lat)))] * 1000  # noqa: E731
    print(f"{len(names)} reviewers for {elapsed:.1f} s: {len(lat)} writes ({len(lat) / elapsed:.1f}/s), "
          f"{outcome[201]} written (201), {outcome[409]} refused as changed since opened (409), {errors} errors, "
          f"{outcome['reconnects']} requests resent on a new connection")
    for key, n in outcome.items():
        if isinstance(key, str) and key != "reconnects":
            print(f"  {n} x {key}")
    print(f"write latency: p50 {p(0.50):.0f} ms, p95 {p(0.95):.0f} ms, max {lat[-1] * 1000:.0f} ms"
          if lat else "no writes")
    print(f"in the database: {len(rows) - before} decisions; lost {len(lost)}, duplicated {len(duplicated)}, "
          f"written without an acknowledgement {unacked}, items with broken version runs {len(broken)}")
    tmp.cleanup()
    return 1 if lost or duplicated or unacked or broken or errors else 0


if __name__ == "__main__":
    sys.exit(main())
