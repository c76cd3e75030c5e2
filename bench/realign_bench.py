"""What `harmonize index` does after one changed file, stage by stage, and (with --scratch)
what it does from an empty data directory.

Usage: python bench/realign_bench.py --data DIR [--file national/KEN/....json] [--keep]
       python bench/realign_bench.py --scratch [--keep]

One-file change (``--data``, a store + index built on the whole corpus):
1. Copies the data directory and the corpus to a temporary place (the corpus copy is
   read-only input; nothing is written to ../shared).
2. Brings the copy up to date (ingest + index; on a copy made by an older code version this
   aligns every country once and makes every derived item, timed as "first").
3. Changes one provision's text in one national file of the corpus copy (a JSON seed: words
   appended to its first provision), then runs ingest + index again and prints, per stage,
   the seconds and what was done: units re-embedded, countries aligned again (expected: that
   file's only), derived items computed (comparisons whose changed country's row moved, the
   extradition pairs the country takes part in), committee documents made (that country's).

From scratch (``--scratch``): ingest and index of the whole corpus into an empty directory,
per stage (ingest, embedding, the rest of the index, alignment, derived data, committee
documents).

The machine's load average is printed beside each figure: the 2 cores are shared.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from harmonize import config
from harmonize.service import Harmonize


def change_one_provision(path: Path) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    first = data["provisions"][0]
    first["content"] = first["content"] + " (changed for the re-align bench)"
    path.chmod(0o644)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"load {one:.2f}/{five:.2f}"


def stages(label: str, ingest_s: float, result: dict, total: float) -> None:
    index = result.get("index", {})
    seconds = result.get("seconds", {})
    print(f"{label}: ingest {ingest_s:.1f}s, ingest+index {total:.1f}s  ({load()})")
    print(f"  index {seconds.get('index', index.get('seconds', 0)):.1f}s: {index.get('re_embedded', 0)} units embedded "
          f"in {index.get('embed_seconds', 0):.1f}s, {index.get('reused', 0)} reused")
    aligned = sorted(result.get("alignments", {}))
    if "align" in seconds:
        print(f"  align {seconds['align']:.1f}s: {len(aligned)} countries ({', '.join(aligned) or 'none'})")
        derived = result.get("derived") or {}
        print(f"  derived {seconds['derived']:.1f}s: " + (", ".join(f"{k} {v}" for k, v in derived.items()) or "nothing"))
        made = sorted(result.get("reports", {}))
        print(f"  committee documents {seconds['reports']:.1f}s: {len(made)} countries ({', '.join(made) or 'none'})")
    else:  # code before the stage times were reported
        print(f"  countries aligned again: {', '.join(aligned) or 'none'}")


def copy_corpus(work: Path) -> Path:
    corpus = work / "corpus"
    shutil.copytree(config.corpus_dir(None), corpus)
    for path in corpus.rglob("*"):
        if path.is_file():
            path.chmod(0o644)
    return corpus


def scratch(work: Path) -> None:
    app = Harmonize(work / "data")
    started = time.perf_counter()
    app.ingest(config.corpus_dir(None), show_progress=False)
    ingested = time.perf_counter() - started
    result = app.build_index(show_progress=False)
    stages("from scratch (empty data dir)", ingested, result, time.perf_counter() - started)


def one_change(work: Path, source: Path, file: str) -> None:
    data = work / "data"
    shutil.copytree(source, data, ignore=shutil.ignore_patterns("reports"))
    corpus = copy_corpus(work)
    app = Harmonize(data)
    started = time.perf_counter()
    app.ingest(corpus, show_progress=False)
    ingested = time.perf_counter() - started
    first = app.build_index(show_progress=False)
    stages("first index on the copy", ingested, first, time.perf_counter() - started)
    change_one_provision(corpus / file)
    started = time.perf_counter()
    report = app.ingest(corpus, show_progress=False)
    ingested = time.perf_counter() - started
    result = app.build_index(show_progress=False)
    stages(f"after changing {file} (re-parsed {getattr(report, 'parsed', '?')})", ingested, result,
           time.perf_counter() - started)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", help="a data directory indexed on the whole corpus (copied, not changed)")
    ap.add_argument("--scratch", action="store_true", help="index the whole corpus from an empty data directory")
    ap.add_argument("--file", default="national/KEN/proceeds-of-crime-anti-money-laundering-act-2009.json")
    ap.add_argument("--keep", action="store_true", help="keep the temporary copies")
    args = ap.parse_args()
    if not args.scratch and not args.data:
        ap.error("give --data DIR (one-file change) or --scratch")
    work = Path(tempfile.mkdtemp(prefix="realign-"))
    try:
        if args.scratch:
            scratch(work)
        else:
            one_change(work, Path(args.data), args.file)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"kept {work}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
