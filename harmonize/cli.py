"""Command line: `harmonize --help` lists every command."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path

from harmonize.align.compare import plot_penalties
from harmonize import ids
from harmonize.config import Limits
from harmonize.errors import BuildLocked, DiskFull, NotFound, NotReady, ParseError, ReviewError, SearchIndexError, StoreError
from harmonize.report.tables import ALIGN_COLUMNS, REVIEW_COLUMNS, align_rows, to_csv, to_markdown
from harmonize.ingest import IngestReport
from harmonize.service import Harmonize

log = logging.getLogger("harmonize")

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
EXIT_PIPE = 128 + 13  # what a shell reports for a command ended by SIGPIPE
# `serve`: one process per core (a search is CPU-bound Python), at most 4 (each holds the index).
DEFAULT_WORKERS = max(1, min(4, os.cpu_count() or 1))


def emit_json(data) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def limits(args: argparse.Namespace) -> Limits:
    return Limits.from_env(args.max_file_mb, args.max_provision_chars)


def cmd_ingest(app: Harmonize, args: argparse.Namespace) -> int:
    report = app.ingest(args.corpus, show_progress=not args.quiet, limits=limits(args), wait=not args.no_wait)
    if args.format == "json":
        emit_json(report.__dict__)
    else:
        write_ingest_summary(report, args.max_warnings)
    return EXIT_OK if report.ok else EXIT_FAILED


def write_ingest_summary(report: IngestReport, max_warnings: int) -> None:
    out = sys.stdout
    out.write(
        f"files: {report.files} ({report.parsed} parsed, {report.unchanged} unchanged, "
        f"{len(report.errors)} failed, {len(report.removed)} removed) in {report.seconds:.1f}s\n"
    )
    out.write(f"provisions: {report.provisions}\n")
    out.write("per country: " + ", ".join(f"{c} {n}" for c, n in sorted(report.per_country.items())) + "\n")
    out.write("per format: " + ", ".join(f"{f} {n}" for f, n in sorted(report.per_format.items())) + "\n")
    out.write(f"warnings: {len(report.warnings)}\n")
    for warning in report.warnings[:max_warnings]:
        out.write(f"  warning: {warning}\n")
    if len(report.warnings) > max_warnings:
        out.write(f"  ... {len(report.warnings) - max_warnings} more (`harmonize ingest --max-warnings N` lists them)\n")
    for error in report.errors:
        out.write(f"  error: {error}\n")


def cmd_instruments(app: Harmonize, args: argparse.Namespace) -> int:
    rows = app.instruments(args.country)
    if args.format == "json":
        emit_json(rows)
        return EXIT_OK
    for row in rows:
        sys.stdout.write(
            f"{row['id']:<60} {row['language']:<3} {row['format']:<14} {row['provisions']:>6}  {row['title']}\n"
        )
    return EXIT_OK


def cmd_show(app: Harmonize, args: argparse.Namespace) -> int:
    prov = app.provision(args.provision_id)
    if args.format == "json":
        emit_json(prov)
        return EXIT_OK
    sys.stdout.write(f"{prov['id']}  [{prov['kind']}]\n")
    sys.stdout.write(f"{prov['country']} · {prov['source']}\n")
    sys.stdout.write(" > ".join(prov["path"]) + "\n")
    sys.stdout.write(f"{prov['number']}  {prov['heading']}\n\n{prov['text']}\n")
    return EXIT_OK


def _months(value) -> str:
    if value is None:
        return "-"
    return f"{value / 12:g}y" if value >= 12 and value % 12 == 0 else f"{value:g}m"


def cmd_penalties(app: Harmonize, args: argparse.Namespace) -> int:
    records = app.penalties(args.country, args.category)
    for inst in app.unanalysed_instruments(args.country):
        log.warning("not analysed (language %s): %s", inst["language"], inst["source"])
    if args.format == "json":
        emit_json(records)
        return EXIT_OK
    for r in records:
        p = r["provision"]
        severity = "death" if r["death"] else "life" if r["life"] else _months(r["max_months"])
        flags = ("fine " if r["fine"] else "") + (f"via {r['reference']}" if r["reference"] else "")
        sys.stdout.write(
            f"{p['id']:<58} max {severity:<6} min {_months(r['min_months']):<6} {flags:<24} "
            f"{', '.join(r['category'][:3])}\n"
        )
    sys.stdout.write(f"{len(records)} penalised provisions\n")
    return EXIT_OK


def cmd_obligations(app: Harmonize, args: argparse.Namespace) -> int:
    rows = app.obligations(args.instrument)
    if args.format == "json":
        emit_json(rows)
        return EXIT_OK
    for ob in rows:
        sys.stdout.write(f"{ob['id']}  [{ob['level']}; {ob['type']}]  {', '.join(ob['category'])}\n")
        sys.stdout.write(f"    {ob['summary']}\n")
        if ob["text"]:
            text = " ".join(ob["text"].split())
            sys.stdout.write(f"    text: {text[:300]}{'...' if len(text) > 300 else ''}\n")
        else:
            sys.stdout.write("    text: (not in the store: run `harmonize ingest`)\n")
    sys.stdout.write(f"{len(rows)} obligations\n")
    return EXIT_OK


def cmd_align(app: Harmonize, args: argparse.Namespace) -> int:
    results = app.align(args.country, args.instrument, saved=not args.fresh)
    columns = ALIGN_COLUMNS
    if not args.machine:  # effective statuses: the reviewer decisions `--as` may see (default: public)
        reader = app.reviews().reader_named(args.as_user) if args.as_user else None
        results = app.reviewed(args.country, results, reader)
        columns = ALIGN_COLUMNS + REVIEW_COLUMNS
    if args.format == "json":
        emit_json(results)
    elif args.format == "csv":
        sys.stdout.write(to_csv(align_rows(results), columns))
    elif args.format == "md":
        sys.stdout.write(to_markdown(align_rows(results), columns))
    else:
        for r in results:
            best = r["provisions"][0] if r["provisions"] else None
            where = f"{best['id']} ({best['heading'][:50]})" if best else "-"
            review = r.get("review") or {}
            mark = ""
            if review.get("author"):
                mark = (f"  [reviewed by {review['author']}, machine {r['machine']['status']}]" if review["applied"]
                        else f"  [decision by {review['author']} NEEDS RE-REVIEW]")
            sys.stdout.write(f"{r['obligation']:<22} {r['status']:<8} {r['score']:.2f}  {where}{mark}\n")
        for name, row in app.alignment_summary(results).items():
            sys.stdout.write(
                f"{name}: {row['covered']} covered, {row['partial']} partial, {row['missing']} missing, "
                f"coverage {row['coverage']:.0%}\n"
            )
    return EXIT_OK


def cmd_report(app: Harmonize, args: argparse.Namespace) -> int:
    formats = tuple(f.strip() for f in args.formats.split(",") if f.strip())
    reader = app.reviews().reader_named(args.as_user) if args.as_user else None
    for path in app.report(args.country, args.out, args.instrument, formats=formats, show_progress=True,
                           reader=reader):
        sys.stdout.write(f"{path}\n")
    return EXIT_OK


def cmd_compare_penalties(app: Harmonize, args: argparse.Namespace) -> int:
    countries = [c.strip().upper() for c in args.countries.split(",")] if args.countries else None
    comparison = app.compare_penalties(args.category, countries)
    if args.plot:
        sys.stderr.write(f"chart: {plot_penalties(comparison, Path(args.plot))}\n")
    rows = [comparison_row(r) for r in comparison["countries"]]
    if args.format == "json":
        emit_json(comparison)
    elif args.format == "csv":
        sys.stdout.write(to_csv(rows))
    else:
        for r in rows:
            sys.stdout.write(f"{r['country']:<4} {r['most_severe'] or r['note']}\n")
            if r["basic"]:
                sys.stdout.write(f"     basic form: {r['basic']}\n")
        sys.stdout.write(comparison["summary"] + "\n")
    return EXIT_OK


def comparison_row(r: dict) -> dict:
    """One flat row per country: state, the most severe and the basic form (each one tier, with its provision)."""
    def form(f: dict | None) -> str:
        if not f:
            return ""
        condition = f" [{f['tier']['condition'][:60]}]" if f["tier"]["condition"] else ""
        return f"{f['tier']['label']} ({f['provision']}){condition}"
    return {"country": r["country"], "state": r["state"], "most_severe": form(r["most_severe"]),
            "basic": form(r["basic"]), "offences": len(r["offences"]), "note": r["note"]}


def cmd_index(app: Harmonize, args: argparse.Namespace) -> int:
    with app.build_lock(wait=not args.no_wait):  # held from the ingest to the saved alignments
        return index_locked(app, args)


def index_locked(app: Harmonize, args: argparse.Namespace) -> int:
    ingest_ok = True
    if not args.no_ingest:
        report = app.ingest(args.corpus, show_progress=not args.quiet, limits=limits(args))
        write_ingest_summary(report, max_warnings=0)
        ingest_ok = report.ok
        if not ingest_ok:
            sys.stdout.write("ingest reported errors; indexing what was ingested\n")
    result = app.build_index(show_progress=not args.quiet, align=not args.no_align)
    rep = result["index"]
    if rep["unchanged"]:
        sys.stdout.write(f"index: {rep['units']} units, nothing changed, nothing re-embedded ({rep['seconds']:.1f}s)\n")
    else:
        rate = rep["re_embedded"] / rep["embed_seconds"] if rep["embed_seconds"] else 0
        sys.stdout.write(
            f"index: {rep['units']} units, {rep['re_embedded']} re-embedded ({rate:.0f}/s), {rep['reused']} reused, "
            f"model {rep['model']} ({rep['dim']}d, {rep['dense']}) in {rep['seconds']:.1f}s\n"
        )
    if result.get("alignments"):
        sys.stdout.write(f"alignments saved for {len(result['alignments'])} countries\n")
    elif "alignments" in result:
        sys.stdout.write("alignments: up to date\n")
    if result.get("derived"):
        d = result["derived"]
        sys.stdout.write(f"saved for the web ({d['changed']} countries changed): {d['comparisons']} penalty "
                         f"comparisons, {d['charts']} charts, {d['pairs']} extradition pairs, {d['matrices']} matrices\n")
    if result.get("reports"):
        sys.stdout.write(f"committee documents made for {len(result['reports'])} countries\n")
    return EXIT_OK if ingest_ok else EXIT_FAILED


def cmd_search(app: Harmonize, args: argparse.Namespace) -> int:
    page = app.search_page(args.query, k=args.k, mode=args.mode, country=args.country, instrument=args.instrument,
                           topic=args.topic, kind=args.kind)
    results = page["hits"]
    if args.format == "json":
        emit_json(results)
        return EXIT_OK
    if page["corrected_from"]:
        sys.stderr.write(f"did you mean: {page['query']} (searched for it)\n")
    if page["citation"]:
        sys.stderr.write(f"citation: {page['citation']} ({page['cited']} cited first)\n")
    for r in results:
        snippet = " ".join(r["text"].split())[:160]
        mark = "cited " if r["citation"] else ""
        sys.stdout.write(f"{r['score']:.4f}  {mark}{r['title']}, {r['number']}  {r['heading'][:60]}\n"
                         f"        {r['id']}\n        {snippet}\n")
    if not results:
        sys.stdout.write("no results\n")
    return EXIT_OK


def cmd_extradition(app: Harmonize, args: argparse.Namespace) -> int:
    result = app.extradition(args.requesting, args.requested, [args.category] if args.category else None)
    if args.format == "json":
        emit_json(result)
        return EXIT_OK
    for country, rule in result["rules"].items():
        sys.stdout.write(
            f"{country}: threshold {_months(rule['threshold_months'])}, list-based {rule['list_based']}, "
            f"nationals bar {rule['nationals_bar']}, death-penalty bar {rule['death_penalty_bar']} "
            f"({rule.get('death_penalty_bar_kind') or '-'})\n"
        )
    for o in result["offences"]:
        mark = {True: "yes", False: "no", None: "?"}[o["extraditable"]]
        sys.stdout.write(f"  {o['category']:<46} {mark:<4} {o['reasons'][-1] if o['reasons'] else ''}\n")
    return EXIT_OK


def cmd_extradition_matrix(app: Harmonize, args: argparse.Namespace) -> int:
    matrix = app.extradition_matrix(args.category)
    if args.format == "json":
        emit_json(matrix)
        return EXIT_OK
    countries = matrix["countries"]
    cell = {(p["requesting"], p["requested"]): p for p in matrix["pairs"]}
    sys.stdout.write("requesting \\ requested  " + " ".join(f"{c:>5}" for c in countries) + "\n")
    for a in countries:
        row = []
        for b in countries:
            pair = cell.get((a, b))
            if pair is None:
                row.append("    -")
            elif args.category:
                row.append(f"{ {True: 'yes', False: 'no', None: '?'}[pair['extraditable']]:>5}")
            else:
                row.append(f"{pair['counts'].get('true', 0):>5}")
        sys.stdout.write(f"{a:<24}" + " ".join(row) + "\n")
    if not args.category:
        sys.stdout.write("cells: number of offence categories extraditable from requesting to requested\n")
    return EXIT_OK


def cmd_serve(app: Harmonize, args: argparse.Namespace) -> int:
    from webui import check_ready, serve

    try:
        check_ready(app.data)
    except NotReady as exc:
        log.error("%s", exc)
        return EXIT_FAILED
    if args.reviews_url:  # the worker processes open the app from the environment
        os.environ["HARMONIZE_REVIEWS_URL"] = args.reviews_url
    if args.read:
        os.environ["HARMONIZE_REVIEWS_READ"] = args.read
    sys.stderr.write(f"serving http://{args.host}:{args.port}/ (Ctrl-C stops)\n")
    serve(app.data, host=args.host, port=args.port, threads=args.threads, debug=args.debug, workers=args.workers)
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="harmonize",
        description="Compare national statutes with the drug, crime, trafficking and extradition conventions.",
    )
    parser.add_argument("--data", help="data directory for the store and indexes (default: indexes/, env HARMONIZE_DATA)")
    parser.add_argument("--reviews-url", help="reviewer decisions database: sqlite:///FILE or postgresql+psycopg://... "
                        "(default: reviews.sqlite in the data directory, env HARMONIZE_REVIEWS_URL)")
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(name: str, func: Callable, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.set_defaults(func=func)
        return p

    def add_format(p: argparse.ArgumentParser) -> None:
        p.add_argument("--format", choices=("text", "json"), default="text")

    def add_build(p: argparse.ArgumentParser) -> None:
        p.add_argument("--corpus", help="corpus directory (default ../shared/corpus, env HARMONIZE_CORPUS)")
        p.add_argument("--no-wait", action="store_true",
                       help="fail at once, naming the holder, if another ingest or index is building this data dir "
                            "(default: wait for it)")
        p.add_argument("--max-file-mb", type=float, help="files over this size are not read "
                       "(default 32, env HARMONIZE_MAX_FILE_MB)")
        p.add_argument("--max-provision-chars", type=int, help="files with a longer section are not ingested "
                       "(default 2000000, env HARMONIZE_MAX_PROVISION_CHARS)")

    p = add("ingest", cmd_ingest, "parse the corpus into the provision store (incremental)")
    add_build(p)
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--max-warnings", type=int, default=20, help="warnings to list (default 20)")
    add_format(p)

    p = add("instruments", cmd_instruments, "list the ingested instruments")
    p.add_argument("--country", help=f"ISO3 code, {' or '.join(ids.NON_COUNTRIES)}")
    add_format(p)

    p = add("show", cmd_show, "print one provision with its heading, path and full text")
    p.add_argument("provision_id", help="e.g. IND/ndps-act-1985/sec-21")
    add_format(p)

    p = add("penalties", cmd_penalties, "penalties of every penalised provision of a country")
    p.add_argument("--country", required=True, help="ISO3 code")
    p.add_argument("--category", help="only provisions of this offence category, e.g. 'drug trafficking'")
    add_format(p)

    p = add("obligations", cmd_obligations, "the convention obligations catalogue, with article texts")
    p.add_argument("--instrument", help="UN1961, UN1971, UN1988, UNTOC, TIP, SOM, FP, UNCAC, ICSFT or ATT")
    add_format(p)

    p = add("align", cmd_align, "coverage of each convention obligation by a country's statutes")
    p.add_argument("--country", required=True, help="ISO3 code")
    p.add_argument("--instrument", help="only this convention: UN1988, UNTOC, TIP, SOM, FP, UNCAC, ICSFT, ...")
    p.add_argument("--fresh", action="store_true", help="recompute instead of reading the alignment saved by `index`")
    p.add_argument("--format", choices=("text", "json", "csv", "md"), default="text")
    p.add_argument("--machine", action="store_true", help="the machine's statuses, without reviewer decisions")
    p.add_argument("--as", dest="as_user", metavar="NAME",
                   help="apply the reviewer decisions this user may see (default: the public ones)")

    p = add("report", cmd_report, "write the committee report of a country (PDF, Word, HTML, Markdown)")
    p.add_argument("--country", required=True, help="ISO3 code")
    p.add_argument("--instrument", help="only this convention")
    p.add_argument("--out", default="reports", help="output directory (default reports/)")
    p.add_argument("--formats", default="pdf,docx,html,md", help="comma-separated: pdf, docx, html, md")
    p.add_argument("--as", dest="as_user", metavar="NAME",
                   help="apply the reviewer decisions this user may see (default: the public ones)")

    p = add("compare-penalties", cmd_compare_penalties, "penalties for one offence category, country by country")
    p.add_argument("--category", required=True, help="e.g. 'drug trafficking' (see harmonize/analyze/categories.py)")
    p.add_argument("--countries", help="comma-separated ISO3 codes (default: all)")
    p.add_argument("--plot", metavar="PNG", help="also write a chart of the ranges to this file")
    p.add_argument("--format", choices=("text", "json", "csv"), default="text")

    p = add("index", cmd_index, "ingest, embed and index the corpus, and save the alignments (incremental)")
    add_build(p)
    p.add_argument("--no-ingest", action="store_true", help="index the store as it is")
    p.add_argument("--no-align", action="store_true", help="do not precompute alignments")
    p.add_argument("--quiet", action="store_true", help="no progress bars")

    p = add("search", cmd_search, "hybrid (dense + lexical) search of the provisions")
    p.add_argument("query")
    p.add_argument("--country")
    p.add_argument("--instrument", help="instrument id, e.g. IND/ndps-act-1985")
    p.add_argument("--topic", help="drugs, trafficking, smuggling, firearms, aml, extradition, mla, ...")
    p.add_argument("--kind", help="section, article, subsection, ...")
    p.add_argument("--k", type=int, default=10)
    p.add_argument("--mode", choices=("hybrid", "dense", "lexical"), default="hybrid")
    add_format(p)

    p = add("extradition", cmd_extradition, "extraditable offences between two countries, and why not")
    p.add_argument("--requesting", required=True, help="ISO3 code of the requesting country")
    p.add_argument("--requested", required=True, help="ISO3 code of the requested country")
    p.add_argument("--category", help="one offence category only")
    add_format(p)

    p = add("extradition-matrix", cmd_extradition_matrix, "extraditability for all pairs of countries")
    p.add_argument("--category", help="one offence category (default: counts over all categories)")
    add_format(p)

    p = add("serve", cmd_serve, "serve the web UI and JSON API (refuses to start without an index)")
    p.add_argument("--host", default="127.0.0.1", help="bind address (default 127.0.0.1: this machine only)")
    p.add_argument("--port", type=int, default=5000)
    p.add_argument("--threads", type=int, default=8, help="request threads in all (default 8)")
    p.add_argument("--workers", type=int, default=DEFAULT_WORKERS,
                   help=f"processes (default: one per core, at most 4; here {DEFAULT_WORKERS}); "
                        "1 serves with waitress in this process, more with gunicorn")
    p.add_argument("--debug", action="store_true", help="Flask's debug server instead of waitress")
    p.add_argument("--read", choices=("open", "signed-in"),
                   help="who may read the pages (default open, env HARMONIZE_REVIEWS_READ); writing always needs sign-in")

    from harmonize.reviews.cli import add_commands

    add_commands(add)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    # SIGPIPE stays ignored (Python's default): with SIG_DFL a client that drops its connection
    # would kill `serve`. A closed stdout (`harmonize ... | head`) is handled in `run` instead.
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    app = Harmonize.open(args.data, args.reviews_url)
    try:
        status = args.func(app, args)
        sys.stdout.flush()
        return status
    except BrokenPipeError:
        return stdout_closed()
    except (StoreError, ParseError, SearchIndexError, BuildLocked, DiskFull) as exc:
        log.error("%s", exc)
        return EXIT_FAILED
    except (NotFound, ReviewError) as exc:
        log.error("%s", exc)
        return EXIT_USAGE
    except sqlite3.DatabaseError as exc:  # found past the checks made when the store was opened
        log.error("the store %s is damaged (%s): move it away and run `harmonize ingest` to rebuild it",
                  app.store_path, exc)
        return EXIT_FAILED
    except ValueError as exc:  # a limit set in the environment that is not a number
        if "HARMONIZE_" not in str(exc):
            raise
        log.error("%s", exc)
        return EXIT_USAGE


def stdout_closed() -> int:
    """The reader of stdout went away (`harmonize ... | head`): stop quietly, as a SIGPIPE would."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())  # the interpreter's final flush must not fail again
    return EXIT_PIPE


if __name__ == "__main__":
    sys.exit(main())
