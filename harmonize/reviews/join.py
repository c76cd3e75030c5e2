"""Where reviewer decisions meet the store: citations, re-attachment, effective status, labels.

Decisions name their obligation, country and provisions by id, so they re-attach by id after
every re-ingest and re-index. Each records the sha256 of every provision it cites; when one
of those texts has changed or the provision is gone, the decision is not applied: the row
shows the machine's status with the decision marked "needs re-review" beside it.

A note cites provisions by their ids written out, e.g. "s.5 (CAN/controlled-drugs-and-
substances-act/sec-5) creates the offence"; trailing punctuation after an id is not part of it.
"""

from __future__ import annotations

import hashlib
import re

from harmonize import ids
from harmonize.errors import ReviewError

# A word that starts like an id (COUNTRY/...) and has at least one more segment; harmonize.ids
# decides whether it is one, after trailing punctuation is taken off.
CITATION = re.compile(r"(?<![\w/])[A-Za-z]{2,3}/[^\s/]+(?:/[^\s/]+)+")
TRAILING = ".,;:)"


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def note_citations(store, note: str) -> list[str]:
    """Provision ids the note cites, in order; ReviewError for an id-shaped word that names nothing."""
    found: list[str] = []
    for match in CITATION.finditer(note):
        candidate = match.group(0)
        while not (ids.is_valid(candidate) and store.provision(candidate)) and candidate[-1:] in tuple(TRAILING):
            candidate = candidate[:-1]
        if not ids.is_valid(candidate) or store.provision(candidate) is None:
            raise ReviewError(f"the note cites {match.group(0)!r}, which is no provision in the store")
        if candidate not in found:
            found.append(candidate)
    return found


def check_provisions(store, country: str, provisions: list[str]) -> list[str]:
    """Implementing provisions: each must exist and belong to one of the country's instruments."""
    out = []
    for pid in provisions:
        if not isinstance(pid, str) or not pid.strip():
            raise ReviewError("implementing provisions: expected provision ids")
        pid = pid.strip()
        prov = store.provision(pid)
        if prov is None:
            raise ReviewError(f"implementing provision {pid!r} is not in the store")
        inst = store.instrument(prov.instrument)
        if inst.country != country:
            raise ReviewError(f"implementing provision {pid!r} is a provision of {inst.country}, not of {country}")
        if pid not in out:
            out.append(pid)
    return out


def cited_hashes(store, ids: list[str]) -> dict[str, str]:
    return {pid: text_hash(store.provision(pid).text) for pid in ids}


def reattach(store, decision: dict) -> tuple[list[str], list[str]]:
    """(changed, gone): cited provisions whose text differs from what the reviewer saw, or that no
    longer exist."""
    changed, gone = [], []
    for pid, digest in decision["cited"].items():
        prov = store.provision(pid)
        if prov is None:
            gone.append(pid)
        elif text_hash(prov.text) != digest:
            changed.append(pid)
    return changed, gone


PUBLIC_FIELDS = ("id", "version", "kind", "status", "provisions", "missing_elements", "reason", "note",
                 "visibility", "author", "organisation", "created_at", "machine_status", "machine_score")


def overlay(store, results: list[dict], country: str, latest: dict, counts: dict) -> list[dict]:
    """Copies of the machine's results with the effective status in `status`, the machine's own
    view under `machine` and the decision (if the reader may see one) under `review`."""
    out = []
    for r in results:
        row = {**r, "machine": {"status": r["status"], "score": r["score"], "reason": r.get("reason", ""),
                                "missing_elements": r["missing_elements"]},
               "status_source": "machine", "review": None}
        decision = latest.get((country, r["obligation"]))
        notes = counts.get((country, r["obligation"]), 0)
        if decision is not None:
            changed, gone = reattach(store, decision)
            applied = not changed and not gone
            row["review"] = {**{k: decision[k] for k in PUBLIC_FIELDS}, "applied": applied,
                             "needs_re_review": not applied, "changed": changed, "gone": gone, "entries": notes}
            if applied:
                row["status"] = decision["status"]
                if decision["status"] != r["status"]:  # the sentence beside a status is the reviewer's
                    row["reason"] = f"{decision['status']}: the reviewer's decision (the machine said {r['status']})"
                row["status_source"] = "reviewed"
                if decision["kind"] == "override":
                    row["missing_elements"] = decision["missing_elements"]
            else:
                row["status_source"] = "needs re-review"
        elif notes:
            row["review"] = {"entries": notes, "applied": False, "needs_re_review": False, "kind": "comment"}
        out.append(row)
    return out


def label(store, decision: dict) -> dict | None:
    """One line of ../shared/eval/alignment.jsonl from an applied decision, None when it cannot
    be one (covered or partial without an implementing provision)."""
    in_corpus = decision["status"] != "missing"
    primary: dict[str, list[str]] = {}
    if in_corpus:
        for pid in decision["provisions"]:
            section = store.provision(ids.section_of(pid))
            if section is None:
                continue
            source = store.instrument(section.instrument).source
            numbers = primary.setdefault(source, [])
            if section.number not in numbers:
                numbers.append(section.number)
        if not primary:
            return None
    note = f"{decision['kind']} by {decision['author']} ({decision['organisation']}) {decision['created_at']}"
    if decision["note"]:
        note += ": " + decision["note"]
    return {"country": decision["country"], "obligation": decision["obligation"],
            "primary": [{"source": s, "sections": n} for s, n in primary.items()], "acceptable": [],
            "in_corpus": in_corpus, "note": note}
