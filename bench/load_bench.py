"""Load bench of `harmonize serve` in its own process (gunicorn), with clients that hang up.

    .venv/bin/python bench/load_bench.py [--data DIR] [--clients 8,32] [--seconds 60] [--abandon 0.10]
                                         [--workers 2] [--threads 8]

Starts `harmonize --data DIR serve --workers 2` on a free port (as a user starts it), waits until it
answers, touches every page type once, then for each client count runs that many client threads
for the given time. Each client takes the page types in turn (web_bench.discover: overview, search
with known and never-seen queries, provisions, conventions, obligations, gap reports, gaps, CSV
export, penalties and charts, extradition pairs and matrix, JSON API) and a random URL of that type.
A share of the requests (--abandon) is abandoned: sent, then the connection is closed after 0-50 ms,
before the answer (a normal close, every fifth one a reset), as a client that times out or is killed.

Prints per route: requests, req/s, p50 / p95 / p99 in ms and errors (of the requests that were
read), then abandoned requests, errors and worker restarts (gunicorn worker processes that
were replaced, sampled every 0.2 s; the server exiting counts too). Exit 1 if any error or restart.
"""

from __future__ import annotations

import argparse
import http.client
import random
import statistics
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from harmonize.config import data_dir  # noqa: E402
from served import abandon, children, served  # noqa: E402
from web_bench import client, discover, percentile, q  # noqa: E402


def abandon_for(port: int):
    """Hang up 0-50 ms after sending, every fifth time with a reset (as a killed client does)."""
    def hang_up(path: str, rng: random.Random) -> None:
        abandon(port, path, after=rng.uniform(0, 0.05), reset=rng.random() < 0.2)
    return hang_up


def run(port: int, proc: subprocess.Popen, urls, clients: int, seconds: float, share: float) -> tuple[int, int]:
    timings: dict[str, list[float]] = defaultdict(list)
    errors: list = []
    counts = {"abandoned": 0}
    lock = threading.Lock()
    initial = set(children(proc.pid))
    seen = set(initial)
    stop = time.perf_counter() + seconds
    threads = [threading.Thread(target=client, args=("127.0.0.1", port, urls, stop, n, timings, errors, lock, share,
                                                       abandon_for(port), counts))
               for n in range(clients)]
    for t in threads:
        t.start()
    while any(t.is_alive() for t in threads):
        seen |= set(children(proc.pid))
        time.sleep(0.2)
    for t in threads:
        t.join()
    time.sleep(1)  # answers to the last abandoned requests are written now
    seen |= set(children(proc.pid))
    restarts = len(seen - initial) + (1 if proc.poll() is not None else 0)

    per_kind_errors = defaultdict(int)
    for kind, _path, _status in errors:
        per_kind_errors[kind] += 1
    print(f"\n{clients} clients, {seconds:g} s, {share:.0%} of requests abandoned")
    print(f"{'route':<22}{'n':>7}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'errors':>8}")
    for kind in sorted(timings):
        v = timings[kind]
        print(f"{kind:<22}{len(v):>7}{len(v) / seconds:>8.1f}{statistics.median(v) * 1000:>9.1f}"
              f"{percentile(v, 95) * 1000:>9.1f}{percentile(v, 99) * 1000:>9.1f}{per_kind_errors[kind]:>8}")
    every = [x for v in timings.values() for x in v]
    if every:
        print(f"{'all':<22}{len(every):>7}{len(every) / seconds:>8.1f}{statistics.median(every) * 1000:>9.1f}"
              f"{percentile(every, 95) * 1000:>9.1f}{percentile(every, 99) * 1000:>9.1f}{len(errors):>8}")
    print(f"answered {len(every) / seconds:.1f} req/s; abandoned: {counts['abandoned']}; errors: {len(errors)}; "
          f"worker restarts: {restarts}")
    for kind, path, status in errors[:20]:
        print(f"  {kind}: {path} -> {status}")
    return len(errors), restarts


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", help="data directory (default HARMONIZE_DATA or indexes/)")
    parser.add_argument("--clients", default="8,32", help="client counts to run in turn (default 8,32)")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--abandon", type=float, default=0.10, help="share of requests abandoned (default 0.10)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8, help="server threads in all (default 8)")
    args = parser.parse_args(argv)

    t0 = time.perf_counter()
    with served(data_dir(args.data), workers=args.workers, threads=args.threads, wait=300) as (proc, port):
        print(f"server pid {proc.pid}, {args.workers} gunicorn workers, answering after "
              f"{time.perf_counter() - t0:.1f}s on 127.0.0.1:{port}")
        urls = discover("127.0.0.1", port)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
        for paths in urls.values():  # every page type once, on whichever worker
            for path in paths[:4] or [q("/search", q="warm up")]:
                conn.request("GET", path)
                conn.getresponse().read()
        conn.close()
        print(f"{sum(len(v) for v in urls.values())} URLs over {len(urls)} page types")
        failed = 0
        for clients in (int(c) for c in args.clients.split(",")):
            errors, restarts = run(port, proc, urls, clients, args.seconds, args.abandon)
            failed += errors + restarts
        return 1 if failed else 0

if __name__ == "__main__":
    sys.exit(main())
