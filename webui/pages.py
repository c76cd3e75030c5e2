"""Server-rendered pages (blueprint `pages`)."""

from __future__ import annotations

import json

from flask import Blueprint, Response, abort, redirect, render_template, url_for

from harmonize import ids
from harmonize.errors import NotFound
from harmonize.report.tables import ALIGN_COLUMNS, REVIEW_COLUMNS, align_rows, to_csv
from webui import params
from webui.params import arg_int, data
from webui.reviews import effective, effective_row, reader

pages = Blueprint("pages", __name__)

PER_PAGE = 10
REPORT_FORMATS = ("csv", "json", "html", "md", "pdf", "docx")
VIEWS = ("all", "countries")  # every hit, or the best match of each country


# -- overview --------------------------------------------------------------------------------

@pages.get("/")
def index():
    d = data()
    by_country: dict[str, list[dict]] = {}
    for inst in d.instruments():
        by_country.setdefault(inst["country"], []).append(inst)
    coverage = {c: d.svc.alignment_summary(effective(c, d.alignment(c))) for c in d.countries()}
    return render_template("index.html", summary=d.corpus_summary(), by_country=by_country,
                           info=d.index_info(), coverage=coverage, conventions=d.conventions())


# -- search ----------------------------------------------------------------------------------

@pages.get("/search")
def search():
    d = data()
    query = params.query()
    page = arg_int("page", 1, 1, params.MAX_PAGE)
    mode = params.mode()
    view = params.arg_str("view", max_len=12, choices=VIEWS, default="all")
    spelling = params.arg_str("spelling", max_len=3, choices=("off",)) is None
    filters = params.search_filters()
    info, results, has_next = ({}, [], False)
    if query:
        info, results, has_next = d.search(query, page, PER_PAGE, mode, filters, per_country=view == "countries",
                                        correct=spelling)
    args = {k: v for k, v in {"q": query, "mode": mode if mode != "hybrid" else None,
                              "view": view if view != "all" else None, "spelling": None if spelling else "off",
                              **filters}.items() if v}
    return render_template(
        "search.html", query=query or "", page=page, mode=mode, filters=filters, results=results,
        has_next=has_next, args=args, per_page=PER_PAGE, info=info, view=view, max_query=params.MAX_QUERY,
        labels={r["id"]: d.labels_for(r["id"])[:4] for r in results},
        label_counts={r["id"]: len(d.labels_for(r["id"])) for r in results},
    )


# -- provision -------------------------------------------------------------------------------

def breadcrumbs(prov: dict, context: dict | None) -> list[dict]:
    d = data()
    inst = d.instrument(prov["instrument"])
    crumbs = [{"label": inst["title"] if inst else prov["instrument"],
               "href": url_for("pages.search", instrument=prov["instrument"])}]
    if context is not None:
        for a in context["ancestors"]:
            label = " ".join(x for x in (a.get("label") or a.get("number"), a.get("heading")) if x)
            crumbs.append({"label": label or a["id"], "href": url_for("pages.provision", pid=a["id"])})
        crumbs.append({"label": prov["path"][-1] if prov["path"] else prov["number"], "href": None})
        return crumbs
    # Without the service's ancestors: the labels of the path; ids below the section are prefixes.
    parsed = ids.ProvisionId.parse(prov["id"])
    segments = parsed.units
    labels = prov["path"]
    offset = len(labels) - len(segments)
    for i, label in enumerate(labels):
        if i < offset:
            crumbs.append({"label": label, "href": None})
        else:
            pid = str(ids.ProvisionId(parsed.country, parsed.stem, segments[: i - offset + 1]))
            crumbs.append({"label": label, "href": url_for("pages.provision", pid=pid) if pid != prov["id"] else None})
    return crumbs


@pages.get("/provisions/<path:pid>")
def provision(pid: str):
    d = data()
    prov = d.provision(pid)
    context = d.context(pid)
    facts_id = ids.section_of(prov["id"])
    try:
        facts = d.facts(facts_id)
        facts_available = True
    except NotFound:
        facts, facts_available = None, False
    references = []
    if facts:
        for ref in facts.references:
            references.append({**ref.to_dict(), "targets": [{"id": t, "number": ids.leaf(t)} for t in ref.targets]})
    aligned = []
    for row in d.aligned_to(facts_id):
        ob = d.obligation_map().get(row["obligation"])
        aligned.append({**row, "summary": ob["summary"] if ob else ""})
    own = d.article_obligations(pid) or (d.article_obligations(facts_id) if not ids.is_national(prov["country"]) else [])
    similar = d.similar(prov) if prov["text"].strip() else []
    return render_template("provision.html", prov=prov, crumbs=breadcrumbs(prov, context), context=context,
                           facts=facts, facts_available=facts_available, facts_id=facts_id,
                           references=references, aligned=aligned, own=own, similar=similar,
                           instrument=d.instrument(prov["instrument"]))


# -- conventions and obligations -------------------------------------------------------------

@pages.get("/conventions")
def conventions():
    d = data()
    code = params.convention()
    if code:
        return redirect(url_for("pages.convention", code=code))
    return render_template("conventions.html", conventions=d.conventions())


@pages.get("/conventions/<code>")
def convention(code: str):
    d = data()
    if code not in d.convention_codes():
        abort(404, description=f"no convention {code!r}; one of {', '.join(d.convention_codes())}")
    conv = d.convention(code)
    countries = d.countries()
    rows = []
    reviewed = {c: effective(c, d.alignment(c, code)) for c in countries}
    by_ob = {c: {r["obligation"]: r for r in rows_} for c, rows_ in reviewed.items()}
    for ob in d.obligations_of(code):
        cells = [(c, by_ob[c].get(ob["id"])) for c in countries]
        rows.append({"ob": ob, "cells": cells})
    return render_template("convention.html", conv=conv, rows=rows, countries=countries,
                           summaries={c: d.svc.alignment_summary(reviewed[c]).get(code) if reviewed[c] else None
                                      for c in countries})


@pages.get("/obligations/<ob_id>")
def obligation(ob_id: str):
    d = data()
    ob = params.obligation(ob_id)
    rows = []
    for country in d.countries():
        r = effective_row(country, d.alignment_of(country, ob_id))
        if r is None:
            continue
        best = r["provisions"][0] if r["provisions"] else None
        rows.append({"country": country, "r": r, "best": best,
                     "text": d.provision_text(best["id"]) if best else ""})
    return render_template("obligation.html", ob=ob, rows=rows, conv=d.convention(ob["instrument"]))


# -- countries and gap reports ---------------------------------------------------------------

@pages.get("/countries")
def countries():
    d = data()
    return render_template("countries.html", countries=d.countries(),
                           summaries={c: d.summary(c) for c in d.countries()}, conventions=d.conventions())


@pages.get("/countries/<country>")
def report(country: str):
    d = data()
    code = params.country_code(country)
    f = params.alignment_filters()
    every = effective(code, d.alignment(code))
    rows = reviewed_rows(code, f)
    obs = d.obligation_map()
    grouped: dict[str, list[dict]] = {}
    for r in rows:
        grouped.setdefault(obs[r["obligation"]]["instrument"], []).append(r)
    export_args = {k: v for k, v in f.items() if v}
    return render_template("report.html", country=code, filters=f, grouped=grouped,
                           summary=d.svc.alignment_summary(every),
                           conventions={c["code"]: c for c in d.conventions()}, obligations=obs,
                           export_args=export_args, total=len(rows), holdings=d.corpus_holdings(code),
                           parties=d.party_status(code),
                           instruments=[i for i in d.instruments() if i["country"] == code])


def reviewed_rows(code: str, f: dict) -> list[dict]:
    """The country's rows under the filters, the status filter applied to the effective status."""
    rows = effective(code, data().alignment(code, f["convention"], None, f["level"]))
    return [r for r in rows if f["status"] in (None, r["status"])]


@pages.get("/countries/<country>/report.<fmt>")
def report_export(country: str, fmt: str):
    d = data()
    code = params.country_code(country)
    if fmt not in REPORT_FORMATS:
        abort(404, description=f"no export format {fmt!r}; one of {', '.join(REPORT_FORMATS)}")
    f = params.alignment_filters()
    stem = f"gap-report-{code}" + (f"-{f['convention']}" if f["convention"] else "")
    rows = reviewed_rows(code, f)
    columns = ALIGN_COLUMNS + (REVIEW_COLUMNS if rows and "machine" in rows[0] else ())
    if fmt == "csv":
        return download(to_csv(align_rows(rows), columns), "text/csv", f"{stem}.csv")
    if fmt == "json":
        return download(json.dumps(rows, ensure_ascii=False, indent=2), "application/json", f"{stem}.json")
    from harmonize.report.committee import render_html, render_markdown

    stem = f"committee-report-{code}" + (f"-{f['convention']}" if f["convention"] else "")
    who = reader()  # the reviewer decisions this reader may see (anonymous: the public ones)
    if fmt == "html":
        return Response(render_html(d.committee_report(code, f["convention"], who)), mimetype="text/html")
    if fmt == "md":
        return download(render_markdown(d.committee_report(code, f["convention"], who)),
                        "text/markdown", f"{stem}.md")
    body, job = d.report_document(code, f["convention"], fmt, who)
    if job.get("error"):
        abort(500, description=f"The {fmt.upper()} could not be made ({job['error']}). "
                               "The printable report (HTML) has the same content.")
    if body is None:  # being made: a page that says how far it is and reloads itself
        html = render_template("report_wait.html", country=code, fmt=fmt.upper(), job=job)
        response = Response(html, status=202, mimetype="text/html")
        response.headers["Retry-After"] = "1"
        return response
    mimetype = "application/pdf" if fmt == "pdf" else \
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    return download(body, mimetype, f"{stem}.{fmt}")


def download(body, mimetype: str, filename: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@pages.get("/countries/<country>/gaps/<ob_id>")
def gap(country: str, ob_id: str):
    d = data()
    code = params.country_code(country)
    ob = params.obligation(ob_id)
    r = effective_row(code, d.alignment_of(code, ob_id))
    if r is None:
        abort(404, description=f"no alignment of {ob_id} for {code}")
    # A duty the corpus cannot judge has no closest text: what was found is not on its subject.
    best = r["provisions"][0] if r["provisions"] and r["status"] in ("covered", "partial", "missing") else None
    best_prov = None
    if best:
        try:
            best_prov = d.provision(best["id"])
        except NotFound:
            best_prov = None
    return render_template("gap.html", country=code, ob=ob, r=r, best=best, best_prov=best_prov,
                           conv=d.convention(ob["instrument"]))


@pages.get("/countries/<country>/penalties")
def country_penalties(country: str):
    d = data()
    code = params.country_code(country)
    category = params.category()
    records = d.penalties(code, category)
    return render_template("country_penalties.html", country=code, category=category, records=records)


# -- penalty comparison ----------------------------------------------------------------------

def chart_rows(comparison: dict) -> dict:
    """Bars for the inline SVG chart: years from minimum to maximum; life/death reach the edge."""
    rows = [r for r in comparison["countries"] if r["most_severe"]]  # no-data states get no bar
    longest = max([(r["max_months"] or 0) for r in rows] + [comparison["threshold_months"] * 2]) / 12
    cap = longest * 1.1 + 1
    width, left, bar_h, gap_h = 640, 60, 22, 10
    scale = (width - left - 90) / cap
    bars = []
    for i, r in enumerate(rows):
        top = cap if (r["life"] or r["death"]) else (r["max_months"] or 0) / 12
        low = (r["min_months"] or 0) / 12
        kind = "death" if r["death"] else "life" if r["life"] else "term"
        bars.append({"country": r["country"], "y": 10 + i * (bar_h + gap_h), "x": left + low * scale,
                     "w": max(2.0, (top - low) * scale), "label": r["severity"], "kind": kind,
                     "label_x": left + top * scale + 6, "min": low})
    ticks = []
    step = 5 if cap <= 40 else 10
    for year in range(0, int(cap) + 1, step):
        ticks.append({"x": left + year * scale, "label": year})
    height = 10 + len(rows) * (bar_h + gap_h) + 30
    return {"bars": bars, "ticks": ticks, "width": width, "height": height, "bar_h": bar_h, "left": left,
            "threshold_x": left + comparison["threshold_months"] / 12 * scale, "axis_y": height - 25}


@pages.get("/penalties")
def penalties():
    d = data()
    category = params.category(choices=d.offence_categories, default="drug trafficking")
    countries = params.countries()
    comparison = d.compare(category, countries)
    return render_template("penalties.html", category=category, comparison=comparison,
                           chart=chart_rows(comparison), countries=countries)


@pages.get("/penalties/chart.png")
def penalties_chart():
    d = data()
    category = params.category(choices=d.offence_categories, required=True)
    response = Response(d.chart_png(category, params.countries()), mimetype="image/png")
    response.headers["Cache-Control"] = "max-age=300"
    return response


# -- extradition -----------------------------------------------------------------------------

@pages.get("/extradition")
def extradition():
    d = data()
    requesting, requested = params.country_pair()
    result = d.extradition(requesting, requested) if requesting else None
    return render_template("extradition.html", requesting=requesting, requested=requested, result=result,
                           countries=d.countries())


@pages.get("/extradition/matrix")
def extradition_matrix():
    d = data()
    category = params.category(choices=d.offence_categories)
    matrix = d.extradition_matrix(category)
    cells = {(p["requesting"], p["requested"]): p for p in matrix["pairs"]}
    return render_template("matrix.html", matrix=matrix, cells=cells, category=category)
