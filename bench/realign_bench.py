"""Re-aligning after one changed file touches only that country: which countries `harmonize
index` aligns again, and how long it takes.

Usage: python bench/realign_bench.py --data DIR [--file national/KEN/....json] [--keep]

1. Copies the data directory (a store + index built on the whole corpus) and the corpus to a
   temporary place (the corpus copy is read-only input; nothing is written to ../shared).
2. Brings the copy's saved alignments up to date (`build_index`; on a copy made by an older
   code version this aligns every country once, timed as "first").
3. Changes one provision's text in one national file of the corpus copy (a JSON seed: a word
   appended to its first provision), then runs ingest + index again and prints the ingest,
   index and alignment seconds and the countries aligned again (expected: that file's only).
"""

from __future__ import annotations

import argparse
import json
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


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", required=True, help="a data directory indexed on the whole corpus (copied, not changed)")
    ap.add_argument("--file", default="national/KEN/proceeds-of-crime-anti-money-laundering-act-2009.json")
    ap.add_argument("--keep", action="store_true", help="keep the temporary copies")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="realign-"))
    data, corpus = work / "data", work / "corpus"
    shutil.copytree(args.data, data, ignore=shutil.ignore_patterns("reports"))
    shutil.copytree(config.corpus_dir(None), corpus)
    for path in corpus.rglob("*"):
        if path.is_file():
            path.chmod(0o644)
    app = Harmonize(data)
    try:
        started = time.perf_counter()
        app.ingest(corpus, show_progress=False)
        first = app.build_index(show_progress=False)
        print(f"first index on the copy: {time.perf_counter() - started:.1f}s, aligned {len(first.get('alignments', {}))} countries")
        change_one_provision(corpus / args.file)
        started = time.perf_counter()
        report = app.ingest(corpus, show_progress=False)
        ingested = time.perf_counter() - started
        result = app.build_index(show_progress=False)
        total = time.perf_counter() - started
        aligned = sorted(result.get("alignments", {}))
        print(f"after changing {args.file}: ingest {ingested:.1f}s, ingest+index+align {total:.1f}s")
        print(f"  re-parsed: {getattr(report, 'parsed', '?')}; countries aligned again: {', '.join(aligned) or 'none'}")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"kept {work}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
