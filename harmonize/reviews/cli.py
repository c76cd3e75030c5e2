"""`harmonize users`, `harmonize orgs` and `harmonize reviews`: the operator's commands.

    harmonize orgs add "Secretariat of the Committee"
    harmonize users add alice --role reviewer --org "Secretariat of the Committee"   # prompts twice
    echo "$PASSWORD" | harmonize users add bob --role admin --org X --password-stdin
    harmonize users list | passwd NAME | disable NAME | enable NAME
    harmonize reviews export --format csv|json [--as NAME | --all] [--as-labels] [--out FILE]
    harmonize reviews import FILE.json
    harmonize reviews history --country CAN --obligation 'UN1988:3(1)(a)(i)' [--as NAME]

There is no default password: a password comes from the terminal (asked twice) or, with
--password-stdin, from the first line of standard input.
"""

from __future__ import annotations

import argparse
import csv
import getpass
import io
import json
import sys
from pathlib import Path

from harmonize.errors import ReviewError
from harmonize.reviews.models import ROLES

EXPORT_COLUMNS = ("uid", "country", "obligation", "version", "kind", "status", "provisions", "missing_elements",
                  "reason", "note", "visibility", "author", "organisation", "created_at", "machine_status",
                  "machine_score", "cited")


def read_password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        line = sys.stdin.readline()
        if not line:
            raise ReviewError("--password-stdin: standard input is empty")
        return line.rstrip("\r\n")
    if not sys.stdin.isatty():
        raise ReviewError("no terminal to ask for the password: pipe it in with --password-stdin")
    first = getpass.getpass("password: ")
    if getpass.getpass("again: ") != first:
        raise ReviewError("the two passwords differ; nothing was changed")
    return first


def cmd_orgs(app, args: argparse.Namespace) -> int:
    reviews = app.reviews()
    if args.action == "add":
        reviews.add_organisation(args.name)
        sys.stdout.write(f"organisation {args.name!r} added\n")
    else:
        for org in reviews.organisations():
            sys.stdout.write(f"{org['name']}\t{org['users']} users\n")
    return 0


def cmd_users(app, args: argparse.Namespace) -> int:
    reviews = app.reviews()
    if args.action == "list":
        for u in reviews.users():
            state = "active" if u["active"] else "disabled"
            state += "" if u["can_sign_in"] else ", no password"
            sys.stdout.write(f"{u['name']}\t{u['role']}\t{u['organisation']}\t{state}\n")
        return 0
    if not args.name:
        raise ReviewError(f"`harmonize users {args.action}` needs a user name")
    if args.action == "add":
        if not args.org:
            raise ReviewError("--org ORGANISATION is required (`harmonize orgs list` shows them)")
        reviews.add_user(args.name, read_password(args), args.role, args.org)
        sys.stdout.write(f"user {args.name!r} added ({args.role}, {args.org})\n")
    elif args.action == "passwd":
        reviews.reader_named(args.name)  # unknown name: error before asking
        reviews.set_password(args.name, read_password(args))
        sys.stdout.write(f"password of {args.name!r} changed\n")
    else:
        reviews.set_active(args.name, args.action == "enable")
        sys.stdout.write(f"user {args.name!r} {args.action}d\n")
    return 0


def _reader(app, name: str | None):
    return app.reviews().reader_named(name) if name else None


def cmd_reviews(app, args: argparse.Namespace) -> int:
    if args.action == "import":
        if not args.file:
            raise ReviewError("`harmonize reviews import FILE` needs the JSON file of a `reviews export --format json`")
        try:
            rows = json.loads(Path(args.file).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            raise ReviewError(f"{args.file}: cannot read it: {exc}") from None
        except json.JSONDecodeError as exc:
            raise ReviewError(f"{args.file}: line {exc.lineno}: not JSON ({exc.msg})") from None
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise ReviewError(f"{args.file}: expected a JSON list of decisions (from `reviews export --format json`)")
        result = app.import_reviews(rows)
        sys.stdout.write(f"{result['added']} decisions imported, {result['skipped']} already here\n")
        return 0
    if args.action == "history":
        if not (args.country and args.obligation):
            raise ReviewError("`harmonize reviews history` needs --country and --obligation")
        item = app.review_item(args.country, args.obligation, _reader(app, args.as_user))
        text = json.dumps(item, ensure_ascii=False, indent=2) + "\n"
        sys.stdout.write(text)
        return 0
    if args.everything and args.as_user:
        raise ReviewError("choose --all or --as NAME, not both")
    rows = app.export_reviews(_reader(app, args.as_user), everything=args.everything, as_labels=args.as_labels)
    if args.as_labels:
        text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    elif args.format == "json":
        text = json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
    else:
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=EXPORT_COLUMNS, extrasaction="ignore")
        writer.writeheader()
        for r in rows:
            writer.writerow({**r, "provisions": "; ".join(r["provisions"]),
                             "missing_elements": "; ".join(r["missing_elements"]),
                             "cited": json.dumps(r["cited"])})
        text = out.getvalue()
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
        sys.stderr.write(f"{len(rows)} {'labels' if args.as_labels else 'decisions'} written to {args.out}\n")
    else:
        sys.stdout.write(text)
    return 0


def add_commands(add) -> None:
    """Register the commands with `add(name, func, help)` of harmonize.cli."""
    p = add("orgs", cmd_orgs, "organisations of the reviewers (parliaments, secretariats)")
    p.add_argument("action", choices=("add", "list"))
    p.add_argument("name", nargs="?", help="organisation name (for add)")

    p = add("users", cmd_users, "reviewer and admin accounts (passwords asked, never defaulted)")
    p.add_argument("action", choices=("add", "list", "passwd", "disable", "enable"))
    p.add_argument("name", nargs="?", help="user name")
    p.add_argument("--role", choices=ROLES, default="reviewer")
    p.add_argument("--org", help="the user's organisation (for add)")
    p.add_argument("--password-stdin", action="store_true", help="read the password from standard input")

    p = add("reviews", cmd_reviews, "export, import or show reviewer decisions")
    p.add_argument("action", choices=("export", "import", "history"))
    p.add_argument("file", nargs="?", help="for import: a JSON file written by `reviews export --format json`")
    p.add_argument("--format", choices=("csv", "json"), default="json")
    p.add_argument("--as", dest="as_user", metavar="NAME", help="only what this user may see (default: public)")
    p.add_argument("--all", dest="everything", action="store_true",
                   help="every decision, whatever its visibility (the operator moving a server)")
    p.add_argument("--as-labels", action="store_true",
                   help="alignment labels (the format of ../shared/eval/alignment.jsonl), one JSON line each")
    p.add_argument("--out", help="write to this file instead of standard output")
    p.add_argument("--country")
    p.add_argument("--obligation")
