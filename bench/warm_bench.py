"""Start time of one web worker: what `serve` runs in each gunicorn worker after the fork.

Usage: python bench/warm_bench.py [--data DIR]

Prints the seconds until the app serves (store, index, embedding model, catalogue and
alignments loaded: `create_app(warm=True)`) and until it is fully warm (penalty comparisons,
charts, the extradition matrix and every pair's analysis in memory: `WebData.warm(full=True)`,
which `serve` runs in a background thread). Runs in one process, so run it on a quiet machine.
"""

from __future__ import annotations

import argparse
import logging
import time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", help="data directory (default: HARMONIZE_DATA or indexes/)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    from webui.app import create_app

    started = time.perf_counter()
    app = create_app(args.data, warm=True)
    ready = time.perf_counter()
    app.extensions["harmonize"].warm(full=True)
    warm = time.perf_counter()
    print(f"worker serving after {ready - started:.1f}s; fully warm after {warm - started:.1f}s "
          f"(full warm-up {warm - ready:.1f}s)")


if __name__ == "__main__":
    main()
