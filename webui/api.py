"""JSON API under /api (blueprint `api`); documented in webui/openapi.json (GET /api/openapi.json).

Errors are JSON: {"error": {"status": 400, "message": "..."}} with 400 for bad parameters,
404 for unknown ids, 503 when there is no search index.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from flask import Blueprint, abort, current_app, jsonify, request, url_for

from harmonize import ids
from harmonize.errors import NotFound
from webui import params
from webui.params import arg_int, bad, data
from webui.reviews import effective, effective_row

api = Blueprint("api", __name__)

OPENAPI = Path(__file__).with_name("openapi.json")


@lru_cache(maxsize=1)
def openapi_spec() -> dict:
    return json.loads(OPENAPI.read_text(encoding="utf-8"))


@api.get("/")
def root():
    return jsonify({"openapi": url_for("api.openapi"), "endpoints": sorted(
        {str(r.rule) for r in current_app.url_map.iter_rules() if r.endpoint.startswith("api.")})})


@api.get("/openapi.json")
def openapi():
    return jsonify(openapi_spec())


@api.get("/instruments")
def instruments():
    d = data()
    country = params.arg_country("country", d.all_countries())
    rows = [i for i in d.instruments() if country in (None, i["country"])]
    return jsonify(rows)


@api.get("/index")
def index_info():
    d = data()
    return jsonify({"index": d.index_info(), "corpus": d.corpus_summary()})


@api.get("/search")
def search():
    d = data()
    query = params.query(required=True)
    k = arg_int("k", 10, 1, params.MAX_K)
    page = arg_int("page", 1, 1, params.MAX_PAGE)
    mode = params.mode()
    filters = params.search_filters()
    fetch = page * k
    if fetch > 200:
        raise bad(f"page * k must be at most 200 (got {fetch}): refine the query instead")
    hits = d.search_api(query, fetch, mode, filters)
    results = []
    for h in hits[(page - 1) * k: page * k]:
        results.append({**h, "obligations": d.labels_for(h["id"])})
    return jsonify({"query": query, "mode": mode, "filters": {k2: v for k2, v in filters.items() if v},
                    "page": page, "k": k, "results": results})


@api.get("/provisions/<path:pid>")
def provision(pid: str):
    d = data()
    prov = d.provision(pid)
    out = dict(prov)
    sid = ids.section_of(prov["id"])
    try:
        facts = d.facts(sid)
        out["facts"] = facts.to_dict() if facts else None
        out["facts_of"] = sid
    except NotFound:
        out["facts"] = None
    ctx = d.context(pid)
    if ctx is not None:
        out["ancestors"] = ctx["ancestors"]
        out["children"] = ctx["children"]
    out["aligned_to"] = d.aligned_to(sid)
    out["obligations"] = [ob["id"] for ob in d.article_obligations(pid)]
    if request.args.get("similar") in ("1", "true"):
        out["similar"] = d.similar(prov)
    return jsonify(out)


@api.get("/obligations")
def obligations():
    d = data()
    return jsonify(d.obligations_of(params.convention("instrument")))


@api.get("/obligations/<ob_id>")
def obligation(ob_id: str):
    d = data()
    ob = params.obligation(ob_id)
    countries = {}
    for country in d.countries():
        r = effective_row(country, d.alignment_of(country, ob_id))
        if r is not None:
            countries[country] = r
    return jsonify({**ob, "countries": countries})


@api.get("/align/<country>")
def align(country: str):
    d = data()
    code = params.country_code(country)
    f = params.alignment_filters("instrument")
    rows = [r for r in effective(code, d.alignment(code, f["convention"], None, f["level"]))
            if f["status"] in (None, r["status"])]
    return jsonify({"country": code, "summary": d.svc.alignment_summary(rows) if rows else {}, "results": rows})


@api.get("/penalties")
def penalties():
    d = data()
    country = params.arg_country("country", d.countries(), required=True)
    return jsonify(d.penalties(country, params.category()))


@api.get("/compare-penalties")
def compare_penalties():
    d = data()
    category = params.category(choices=d.offence_categories, required=True)
    return jsonify(d.compare(category, params.countries()))


@api.get("/extradition")
def extradition():
    d = data()
    requesting, requested = params.country_pair(required=True)
    return jsonify(d.extradition(requesting, requested))


@api.get("/extradition/matrix")
def extradition_matrix():
    d = data()
    return jsonify(d.extradition_matrix(params.category(choices=d.offence_categories)))


@api.route("/<path:anything>", methods=["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"])
def unknown(anything: str):
    if request.method not in ("GET", "HEAD"):
        abort(405, description="the API is read-only: GET only")
    abort(404, description=f"no API endpoint /api/{anything}; see /api/openapi.json")
