"""Load test of the web UI: concurrent clients against the app served by waitress on 127.0.0.1.

    .venv/bin/python bench/web_bench.py [--data DIR] [--clients 8] [--seconds 30] [--server-threads 8]
    .venv/bin/python bench/web_bench.py --url http://127.0.0.1:5000 [--clients 8] [--seconds 30]

Starts the app in-process (waitress, a free port) and warms it as `serve` does (index, model,
alignments, penalty comparisons, extradition matrix), or, with --url, measures a server already
running in its own process (`harmonize serve [--workers N]`; clients and server then do not
share one interpreter), after one request of every page type. Then runs N client threads for
the given time, each picking page types in turn and a random URL of that type. Pages: overview, search
(repeated queries, and new queries never seen before), provision (a large pool of ids, so most
are not cached), convention matrix, obligation, gap report (full and filtered), gap, penalty
comparison and chart, country penalties, extradition pair and matrix, CSV export and the JSON
API. Prints p50 / p95 / max per page type and the errors (there must be none: exit 1 if any).
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import statistics
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from harmonize import ids  # noqa: E402  (after the path)

QUERIES = [
    "trafficking in narcotic drugs", "cultivation of cannabis plant", "money laundering proceeds of crime",
    "extradition of nationals", "possession for the purpose of trafficking", "confiscation of property",
    "trafficking in persons for forced labour", "punishment for attempt and abetment", "precursor chemicals",
    "search and seizure without warrant", "death penalty", "mutual legal assistance", "smuggling of migrants",
    "firearms manufacturing", "bribery of public officials", "controlled delivery", "commercial quantity",
]
WORDS = ("drug offence penalty imprisonment court fine licence import export person property officer "
         "warrant seizure schedule substance plant opium conviction sentence minister treaty surrender "
         "arrest evidence report authority police customs vessel aircraft offender child exploitation").split()


def get_json(conn: http.client.HTTPConnection, path: str):
    conn.request("GET", path)
    response = conn.getresponse()
    body = response.read()
    if response.status != 200:
        raise RuntimeError(f"{path}: {response.status} {body[:200]!r}")
    return json.loads(body)


def q(path: str, **params) -> str:
    params = {k: v for k, v in params.items() if v is not None}
    return path + ("?" + urlencode(params) if params else "")


def discover(host: str, port: int) -> dict[str, list[str]]:
    """URLs per page type, from the API of the running app."""
    conn = http.client.HTTPConnection(host, port, timeout=60)
    info = get_json(conn, "/api/index")
    countries = ids.national(c["country"] for c in info["corpus"]["per_country"])
    obligations = get_json(conn, "/api/obligations")
    codes = sorted({o["instrument"] for o in obligations})
    ob_ids = [o["id"] for o in obligations]
    provisions: set[str] = set()
    gaps = []
    for country in countries:
        for r in get_json(conn, f"/api/align/{country}")["results"]:
            gaps.append((country, r["obligation"]))
            for p in r["provisions"]:
                provisions.add(p["id"])
    for query in QUERIES:
        for r in get_json(conn, q("/api/search", q=query, k=20))["results"]:
            provisions.add(r["id"])
    conn.close()
    provisions = sorted(provisions)
    from harmonize.analyze.categories import CATEGORIES, OFFENCE_CATEGORIES

    offence = list(OFFENCE_CATEGORIES)
    pairs = [(a, b) for a in countries for b in countries if a != b]
    statuses = ("covered", "partial", "missing")
    return {
        "overview": ["/"],
        "search": [q("/search", q=query, page=p) for query in QUERIES for p in (1, 2)]
                  + [q("/search", q=query, country=c) for query in QUERIES[:5] for c in countries],
        "search-new": [],  # generated per request
        "provision": [f"/provisions/{quote(pid)}" for pid in provisions],
        "convention": [f"/conventions/{code}" for code in codes],
        "obligation": [f"/obligations/{quote(o)}" for o in ob_ids],
        "countries": ["/countries"],
        "gap-report": [f"/countries/{c}" for c in countries],
        "gap-report-filtered": [q(f"/countries/{c}", convention=code, status=s) for c in countries for code in codes
                                for s in statuses],
        "gap": [f"/countries/{c}/gaps/{quote(o)}" for c, o in gaps],
        "export-csv": [q(f"/countries/{c}/report.csv", convention=code) for c in countries for code in codes],
        "penalties": [q("/penalties", category=c) for c in OFFENCE_CATEGORIES],
        "penalty-chart": [q("/penalties/chart.png", category=c) for c in OFFENCE_CATEGORIES],
        "country-penalties": [q(f"/countries/{c}/penalties", category=cat) for c in countries for cat in CATEGORIES[:8]],
        "extradition": [q("/extradition", requesting=a, requested=b) for a, b in pairs],
        "extradition-matrix": [q("/extradition/matrix", category=c) for c in [None, *offence[:6]]],
        "api-search": [q("/api/search", q=query, k=10) for query in QUERIES],
        "api-provision": [f"/api/provisions/{quote(pid)}" for pid in provisions],
        "api-align": [q(f"/api/align/{c}", instrument=code) for c in countries for code in codes],
    }


def new_query(rng: random.Random) -> str:
    return " ".join(rng.sample(WORDS, 3)) + f" {rng.randint(0, 10**6)}"


def client(host: str, port: int, urls: dict[str, list[str]], stop: float, seed: int, timings, errors, lock,
           share: float = 0.0, abandon=None, counts=None) -> None:
    """One client: page types in turn, a random URL of each, until `stop`. With `share` > 0 that share of
    the requests goes to `abandon(path, rng)` instead (sent, then hung up on) and is counted in
    `counts["abandoned"]`."""
    rng = random.Random(seed)
    kinds = list(urls)
    rng.shuffle(kinds)
    conn = http.client.HTTPConnection(host, port, timeout=120)
    i = 0
    while time.perf_counter() < stop:
        kind = kinds[i % len(kinds)]
        i += 1
        path = q("/search", q=new_query(rng)) if kind == "search-new" else rng.choice(urls[kind])
        if share and rng.random() < share:
            try:
                abandon(path, rng)
                with lock:
                    counts["abandoned"] += 1
            except OSError as exc:
                with lock:
                    errors.append((kind, path, f"abandoned request not sent: {exc}"))
            continue
        start = time.perf_counter()
        try:
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            status = response.status
        except Exception as exc:  # noqa: BLE001 - counted as an error
            status = f"{type(exc).__name__}: {exc}"
            conn.close()
            conn = http.client.HTTPConnection(host, port, timeout=120)
        elapsed = time.perf_counter() - start
        with lock:
            timings[kind].append(elapsed)
            if status != 200:
                errors.append((kind, path, status))
    conn.close()


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, max(0, int(round(p / 100 * len(values) + 0.5)) - 1))]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", help="data directory (default HARMONIZE_DATA or indexes/)")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--server-threads", type=int, default=8)
    parser.add_argument("--no-warm", action="store_true", help="measure from a cold start")
    parser.add_argument("--url", help="measure this running server (http://host:port) instead of an in-process one")
    args = parser.parse_args(argv)
    if args.url:
        parts = urlsplit(args.url)
        return measure(parts.hostname or "127.0.0.1", parts.port or 80, args, warm_up=not args.no_warm)

    import logging

    from waitress import create_server

    logging.getLogger("waitress.queue").setLevel(logging.ERROR)  # "Task queue depth" is what we measure

    from webui import create_app

    t0 = time.perf_counter()
    app = create_app(args.data, warm=not args.no_warm)
    if not args.no_warm:
        app.extensions["harmonize"].warm(full=True)
    print(f"app ready in {time.perf_counter() - t0:.1f}s (warm: {not args.no_warm})")
    server = create_server(app, host="127.0.0.1", port=0, threads=args.server_threads)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        return measure("127.0.0.1", server.effective_port, args, warm_up=False)
    finally:
        time.sleep(0.5)  # let the last responses finish before the sockets close
        server.close()


def measure(host: str, port: int, args, warm_up: bool) -> int:
    """Run the clients against host:port and print the latency table; 1 if any request failed."""
    urls = discover(host, port)
    if warm_up:  # a separate server warms in the background: touch every page type once first
        conn = http.client.HTTPConnection(host, port, timeout=600)
        for kind, paths in urls.items():
            for path in paths[:4] or [q("/search", q="warm up")]:
                conn.request("GET", path)
                conn.getresponse().read()
        conn.close()
    print(f"serving on {host}:{port}; {sum(len(v) for v in urls.values())} URLs over {len(urls)} page types; "
          f"{args.clients} clients for {args.seconds:g}s")

    timings: dict[str, list[float]] = defaultdict(list)
    errors: list = []
    lock = threading.Lock()
    stop = time.perf_counter() + args.seconds
    clients = [threading.Thread(target=client, args=(host, port, urls, stop, n, timings, errors, lock))
               for n in range(args.clients)]
    for c in clients:
        c.start()
    for c in clients:
        c.join()

    total = sum(len(v) for v in timings.values())
    print(f"\n{'page':<22}{'n':>7}{'p50 ms':>10}{'p95 ms':>10}{'max ms':>10}")
    for kind in sorted(timings):
        values = timings[kind]
        print(f"{kind:<22}{len(values):>7}{statistics.median(values) * 1000:>10.1f}"
              f"{percentile(values, 95) * 1000:>10.1f}{max(values) * 1000:>10.1f}")
    every = [v for values in timings.values() for v in values]
    print(f"{'all':<22}{total:>7}{statistics.median(every) * 1000:>10.1f}{percentile(every, 95) * 1000:>10.1f}"
          f"{max(every) * 1000:>10.1f}")
    print(f"\n{total / args.seconds:.0f} requests/s; errors: {len(errors)}")
    for kind, path, status in errors[:20]:
        print(f"  {kind}: {path} -> {status}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
