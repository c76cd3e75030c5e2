"""End to end in a real headless browser (Debian chromium through Playwright's Python package).

The app is served by waitress on a free localhost port in a thread, over the small data dir
of tests/webdata.py. Screenshots go to test-artifacts/ (git-ignored).
"""

from __future__ import annotations

import csv
import io
import threading
from pathlib import Path

import pytest


CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]

playwright_api = pytest.importorskip("playwright.sync_api", reason="the playwright Python package is not installed")
if not CHROMIUM.is_file():
    pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)", allow_module_level=True)


@pytest.fixture(scope="module")
def server(web_data):  # noqa: F811
    from waitress import create_server

    from webui import create_app

    app = create_app(web_data, warm=True)
    srv = create_server(app, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{srv.effective_port}"
    srv.close()
    thread.join(timeout=5)


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    pg = context.new_page()
    dialogs: list[str] = []
    pg.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    pg.dialogs = dialogs
    yield pg
    context.close()


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=False)


def test_search_then_provision(server, page):
    page.goto(server + "/")
    shot(page, "01-overview")
    page.goto(server + "/search")
    page.fill("main input[name=q]", "cultivation of cannabis")
    page.select_option("#f-country", "IND")
    page.click("main button[type=submit]")
    page.wait_for_selector("ol.results li.result")
    assert "q=cultivation+of+cannabis" in page.url and "country=IND" in page.url
    assert page.locator("ol.results mark").count() > 0
    shot(page, "02-search")
    first = page.locator("ol.results li.result a.title").first
    title = first.inner_text()
    first.click()
    page.wait_for_selector("nav.crumbs")
    assert "/provisions/IND/" in page.url
    assert "Narcotic Drugs and Psychotropic Substances Act" in page.locator("nav.crumbs").inner_text()
    assert title.split("—")[-1].strip()[:20] in page.locator("h1").inner_text()
    assert page.locator("text=Similar provisions in other countries").count() == 1
    shot(page, "03-provision")


def test_gap_report_gap_and_csv(server, page):
    page.goto(server + "/countries")
    page.click("table.data a[href='/countries/IND']")
    page.wait_for_selector("h1:has-text('Gap report: IND')")
    assert page.locator("span.status.covered").count() > 0
    shot(page, "04-gap-report")
    page.select_option("#f-convention", "UN1988")
    page.select_option("#f-status", "partial")
    page.click("form.filters button[type=submit]")
    page.wait_for_selector("#conv-UN1988")
    assert "status=partial" in page.url
    assert page.locator("table.report span.status.covered").count() == 0

    with page.expect_download() as info:
        page.click("p.exports a:has-text('CSV')")
    download = info.value
    assert download.suggested_filename == "gap-report-IND-UN1988.csv"
    rows = list(csv.DictReader(io.StringIO(Path(download.path()).read_text(encoding="utf-8"))))
    assert rows and all(r["status"] == "partial" and r["obligation"].startswith("UN1988:") for r in rows)

    page.locator("table.report a[href*='/countries/IND/gaps/']").first.click()
    page.wait_for_selector("#convention-text")
    convention = page.locator("#convention-text")
    national = page.locator("#national-text")
    assert convention.inner_text().strip() and national.inner_text().strip()
    left, right = convention.bounding_box(), national.bounding_box()
    assert right["x"] > left["x"] + left["width"] - 5  # side by side
    # the two columns start level (a long Act title in the heading may push the text itself down)
    columns = page.locator("div.pair > section")
    assert abs(columns.nth(1).bounding_box()["y"] - columns.nth(0).bounding_box()["y"]) < 20
    shot(page, "05-gap")


def test_obligation_penalties_extradition(server, page):
    page.goto(server + "/obligations/UN1988:3(1)(a)(i)")
    page.wait_for_selector("#c-IND")
    shot(page, "06-obligation")
    page.goto(server + "/penalties?category=drug+trafficking")
    page.wait_for_selector("figure.chart svg rect.bar")
    shot(page, "07-penalties")
    page.goto(server + "/extradition")
    page.select_option("#f-requesting", "IND")
    page.select_option("#f-requested", "CAN")
    page.click("form.filters button[type=submit]")
    page.wait_for_selector("h2:has-text('IND asks CAN')")
    shot(page, "08-extradition")


def test_script_in_query_does_not_run(server, page):
    page.goto(server + "/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E%3Cimg%20src%3Dx%20onerror%3Dalert(2)%3E")
    page.wait_for_selector("main h1")
    assert page.dialogs == []
    assert "<script>alert(1)</script>" in page.locator("main input[name=q]").input_value()
    shot(page, "09-escaped-query")


def test_unknown_provision_page(server, page):
    response = page.goto(server + "/provisions/IND/ndps-act-1985/sec-9999")
    assert response.status == 404
    assert page.locator("h1").inner_text() == "Not found"


def search_for(page, server, query: str) -> None:
    page.goto(server + "/search")
    page.fill("main input[name=q]", query)
    page.click("main button[type=submit]")
    page.wait_for_selector("ol.results li.result")


def test_citation_lookup(server, page):
    search_for(page, server, "NDPS s.21")
    first = page.locator("ol.results li.result").first
    assert "cited" in first.locator(".badge").inner_text()
    title = first.locator("a.title").inner_text()
    assert title.startswith("Narcotic Drugs and Psychotropic Substances Act, 1985 (Act 61 of 1985) · s. 21")
    assert "Citation:" in page.locator("#citation").inner_text()
    shot(page, "10-citation")
    first.locator("a.title").click()
    page.wait_for_selector("nav.crumbs")
    assert page.url.endswith("/provisions/IND/ndps-act-1985/sec-21")


def test_phrase_search_shows_only_provisions_with_the_phrase(server, page):
    search_for(page, server, '"knowing or having reason to believe"')
    assert "word for word" in page.locator("#phrases").inner_text()
    assert "contain the phrase" in page.locator("#total").inner_text()
    for link in page.locator("ol.results li.result a.title").all()[:5]:
        href = link.get_attribute("href")
        text = page.request.get(server + "/api" + href).json()["text"]
        assert "knowing or having reason to believe" in " ".join(text.lower().split())
    shot(page, "11-phrase")


def test_best_match_per_country_view(server, page):
    page.goto(server + "/search")
    page.fill("main input[name=q]", "cultivation of cannabis")
    page.select_option("#f-view", "countries")
    page.click("main button[type=submit]")
    page.wait_for_selector("ol.results li.result")
    assert "view=countries" in page.url
    countries = page.locator("ol.results li.result .country").all_inner_texts()
    assert len(countries) == len(set(countries)) >= 3 and "UN" not in countries
    assert "Best match in each of" in page.locator("#total").inner_text()
    shot(page, "12-per-country")


def test_pasted_2000_character_passage(server, page):
    text = page.request.get(server + "/api/provisions/UN/vienna-illicit-traffic-1988/art-3").json()["text"]
    passage = " ".join(text.split())[:2000]
    assert len(passage) == 2000
    page.goto(server + "/search")
    page.fill("main input[name=q]", passage)
    page.click("main button[type=submit]")
    page.wait_for_selector("ol.results li.result")
    note = page.locator("#passage").inner_text()
    assert "2,000 characters" in note and "pieces" in note
    hrefs = [a.get_attribute("href") for a in page.locator("ol.results li.result a.title").all()[:3]]
    assert any(h.endswith("/provisions/UN/vienna-illicit-traffic-1988/art-3") for h in hrefs)  # the passage itself
    assert any("/provisions/IND/" in h or "/provisions/SGP/" in h for h in hrefs)  # and national equivalents
    shot(page, "13-passage")


def test_misspelling_offers_did_you_mean(server, page):
    search_for(page, server, "narcotc drugs")
    assert "Did you mean" in page.locator("#corrected").inner_text()
    page.click("#search-instead")
    page.wait_for_load_state()
    assert "spelling=off" in page.url and page.locator("#corrected").count() == 0
