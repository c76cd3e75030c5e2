"""JSON API under /api (blueprint `api`); documented in webui/openapi.json (GET /api/openapi.json).

Errors are JSON: {"error": {"status": 400, "message": "..."}} with 400 for bad parameters,
404 for unknown ids, 503 when there is no search index.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from flask import Blueprint, abort, current_app, jsonify, request, url_for

from harmonize.errors import NotFound
from harmonize.index.hybrid import MODES
from webui import helpers
from webui.data import WebData
from webui.helpers import arg_country, arg_countries, arg_int, arg_str, bad
from webui.pages import obligation_or_404, section_id
from webui.reviews import effective, effective_row

api = Blueprint("api", __name__)

OPENAPI = Path(__file__).with_name("openapi.json")


def data() -> WebData:
    return current_app.extensions["harmonize"]


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
    country = arg_country("country", d.all_countries())
    rows = [i for i in d.instruments() if country in (None, i["country"])]
    return jsonify(rows)


@api.get("/index")
def index_info():
    d = data()
    return jsonify({"index": d.index_info(), "corpus": d.corpus_summary()})


@api.get("/search")
def search():
    d = data()
    query = arg_str("q", max_len=helpers.MAX_QUERY)
    if query is None:
        raise bad("parameter 'q' is required")
    k = arg_int("k", 10, 1, helpers.MAX_K)
    page = arg_int("page", 1, 1, helpers.MAX_PAGE)
    mode = arg_str("mode", max_len=10, choices=MODES, default="hybrid")
    country = arg_country("country", d.all_countries())
    filters = {
        "country": country,
        "instrument": arg_str("instrument", max_len=helpers.ID_MAX, choices=d.instrument_ids()),
        "topic": arg_str("topic", max_len=40, choices=d.topics()),
        "kind": arg_str("kind", max_len=20, choices=d.kinds),
    }
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
    sid = section_id(prov)
    try:
        out["facts"] = d.facts(sid)
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
    code = arg_str("instrument", max_len=10, choices=d.convention_codes())
    return jsonify(d.obligations_of(code))


@api.get("/obligations/<ob_id>")
def obligation(ob_id: str):
    d = data()
    ob = obligation_or_404(ob_id)
    countries = {}
    for country in d.countries():
        r = effective_row(country, d.alignment_of(country, ob_id))
        if r is not None:
            countries[country] = r
    return jsonify({**ob, "countries": countries})


@api.get("/align/<country>")
def align(country: str):
    d = data()
    code = country.upper()
    if not helpers.COUNTRY.match(country) or code not in d.countries():
        raise NotFound(f"no country {country!r} in the corpus")
    conv = arg_str("instrument", max_len=10, choices=d.convention_codes())
    status = arg_str("status", max_len=12, choices=d.statuses)
    level = arg_str("level", max_len=40, choices=d.levels)
    rows = [r for r in effective(code, d.filter_alignment(code, conv, None, level)) if status in (None, r["status"])]
    return jsonify({"country": code, "summary": d.svc.alignment_summary(rows) if rows else {}, "results": rows})


@api.get("/penalties")
def penalties():
    d = data()
    country = arg_country("country", d.countries(), required=True)
    category = arg_str("category", max_len=60, choices=d.categories)
    return jsonify(d.penalties(country, category))


@api.get("/compare-penalties")
def compare_penalties():
    d = data()
    category = arg_str("category", max_len=60, choices=d.offence_categories)
    if category is None:
        raise bad(f"parameter 'category' is required (one of: {', '.join(d.offence_categories)})")
    return jsonify(d.compare(category, arg_countries("countries", d.countries())))


@api.get("/extradition")
def extradition():
    d = data()
    requesting = arg_country("requesting", d.countries(), required=True)
    requested = arg_country("requested", d.countries(), required=True)
    if requesting == requested:
        raise bad("the requesting and the requested country must differ")
    return jsonify(d.extradition(requesting, requested))


@api.get("/extradition/matrix")
def extradition_matrix():
    d = data()
    category = arg_str("category", max_len=60, choices=d.offence_categories)
    return jsonify(d.extradition_matrix(category))


@api.route("/<path:anything>", methods=["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"])
def unknown(anything: str):
    if request.method not in ("GET", "HEAD"):
        abort(405, description="the API is read-only: GET only")
    abort(404, description=f"no API endpoint /api/{anything}; see /api/openapi.json")
