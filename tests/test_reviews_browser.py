"""Reviewer decisions end to end in headless Chromium, across real re-indexing.

A copy of the small test data dir (tests/webdata.py) and a test corpus of the same corpus
files (MANIFEST rows and files copied to a temporary directory) are served by waitress.
alice signs in and overrides Canada's UN1988 art. 3(1)(a)(ii) (cultivation: the machine says
partial when this test was written) to another status with a note citing CDSA s.7 and s.2; `harmonize index` runs on the test
corpus; the decision is still applied in the gap report, the CSV and the PDF, and the reviews
database beside the store is byte for byte what it was. Then s.7's text is amended in the
copy of the corpus, `harmonize index` runs again, and the decision shows "needs re-review"
with the machine's status in effect.
"""

from __future__ import annotations

import csv
import hashlib
import io
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from reviewers import PASSWORD, add_people, statuses
from test_e2e_browser import browser, shot  # noqa: F401 - the fixture; the import skips without chromium
from webdata import WEB_SOURCES

playwright_api = pytest.importorskip("playwright.sync_api")
pypdf = pytest.importorskip("pypdf")

COUNTRY = "CAN"
ITEM = "UN1988:3(1)(a)(ii)"
S7 = "CAN/controlled-drugs-and-substances-act/sec-7"
S2 = "CAN/controlled-drugs-and-substances-act/sec-2"
CDSA = "national/CAN/controlled-drugs-and-substances-act.xml"
AMENDED = ("no person shall produce a substance", "no person shall make a substance")


@pytest.fixture(scope="module")
def site(web_data, corpus, tmp_path_factory):
    """data dir (copy), test corpus (copy), and a server that can be restarted after `index`."""
    root = tmp_path_factory.mktemp("reviews-e2e")
    data = root / "data"
    shutil.copytree(web_data, data, ignore=shutil.ignore_patterns("web-secret.key", "reviews.sqlite*"))
    test_corpus = root / "corpus"
    lines = (corpus / "MANIFEST.tsv").read_text(encoding="utf-8").splitlines(keepends=True)
    keep = [lines[0]] + [line for line in lines[1:] if line.split("\t", 1)[0] in WEB_SOURCES]
    assert len(keep) == len(WEB_SOURCES) + 1
    test_corpus.mkdir()
    (test_corpus / "MANIFEST.tsv").write_text("".join(keep), encoding="utf-8")
    for source in WEB_SOURCES:
        (test_corpus / source).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(corpus / source, test_corpus / source)
    mp = pytest.MonkeyPatch()
    mp.delenv("HARMONIZE_REVIEWS_URL", raising=False)  # the default: reviews.sqlite beside the store
    mp.setenv("HARMONIZE_SECRET_KEY", "browser-test-secret")
    from harmonize.service import Harmonize

    svc = Harmonize(data)
    add_people(svc.reviews())
    svc.reviews().close()
    yield Site(data, test_corpus)
    mp.undo()


class Site:
    def __init__(self, data: Path, corpus: Path):
        self.data, self.corpus = data, corpus
        self.srv = self.thread = self.app = None

    def start(self) -> str:
        from waitress import create_server

        from webui import create_app

        self.app = create_app(self.data)
        self.srv = create_server(self.app, host="127.0.0.1", port=0, threads=4)
        self.thread = threading.Thread(target=self.srv.run, daemon=True)
        self.thread.start()
        return f"http://127.0.0.1:{self.srv.effective_port}"

    def stop(self) -> None:
        self.srv.close()
        self.thread.join(timeout=5)
        svc = self.app.extensions["reviews_service"]
        if getattr(svc, "_reviews", None) is not None:
            svc._reviews.close()  # checkpoints the WAL: the file alone holds the decisions

    def index(self) -> str:
        cmd = [sys.executable, "-m", "harmonize.cli", "--data", str(self.data), "index", "--corpus",
               str(self.corpus), "--quiet"]
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    def reviews_digest(self) -> str:
        return hashlib.sha256((self.data / "reviews.sqlite").read_bytes()).hexdigest()


def new_page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    return context, context.new_page()


def download(page, link_text: str) -> Path:
    with page.expect_download() as info:
        page.click(f"p.exports a:has-text('{link_text}')")
    return Path(info.value.path())


def test_override_survives_reindex_in_gap_report_csv_and_pdf(site, browser):
    machine, reviewed = statuses(site.data, COUNTRY, ITEM)
    url = site.start()
    context, page = new_page(browser)
    try:
        page.goto(url + f"/countries/{COUNTRY}/gaps/{ITEM}")
        assert page.locator("#effective-status").text_content().strip() == machine
        page.click("#sign-in")
        page.fill("input[name=name]", "alice")
        page.fill("input[name=password]", PASSWORD)
        page.click("form.login button[type=submit]")
        page.wait_for_selector("#signed-in")
        page.goto(url + f"/countries/{COUNTRY}/gaps/{ITEM}")
        page.select_option("#review-kind", "override")
        page.select_option("#review-status", reviewed)
        page.select_option("#review-visibility", "public")
        page.fill("#review-provisions", S7)
        page.fill("#review-note", f"s.7 ({S7}) prohibits producing; s.2 ({S2}) defines produce as including "
                                  "cultivating. Cannabis is under the Cannabis Act, not in the corpus.")
        page.fill("#review-missing", "cannabis cultivation (Cannabis Act, not in the corpus)")
        page.click("#review-submit")
        page.wait_for_selector("#current-decision")
        assert page.locator("#effective-status").text_content().strip() == reviewed
        assert page.locator("#status-source").inner_text() == "(reviewed)"
        shot(page, "r1-override")
    finally:
        context.close()
        site.stop()

    before = site.reviews_digest()
    site.index()
    assert site.reviews_digest() == before  # re-indexing never touched the decisions

    url = site.start()
    context, page = new_page(browser)  # a reader who is not signed in: the decision is public
    try:
        page.goto(url + f"/countries/{COUNTRY}?convention=UN1988")
        row = page.locator("table.report tr", has=page.locator(f"a:text-is('{ITEM}')"))
        assert row.locator("span.status").first.text_content().strip() == reviewed
        assert "reviewed by alice (Committee Secretariat)" in row.inner_text()
        shot(page, "r2-report-after-index")
        rows = list(csv.DictReader(io.StringIO(download(page, "CSV").read_text(encoding="utf-8"))))
        row = next(r for r in rows if r["obligation"] == ITEM)
        assert (row["status"], row["status_source"], row["machine_status"], row["reviewed_by"]) == \
            (reviewed, "reviewed", machine, "alice")
        text = " ".join(p.extract_text() for p in pypdf.PdfReader(download(page, "PDF")).pages)
        text = " ".join(text.split())
        assert f"{ITEM}: {reviewed} (reviewed)" in text and "by alice (Committee Secretariat)" in text
        assert f"machine: {machine}" in text and "Cannabis Act" in text
        page.click("#machine-view")
        row = page.locator("table.report tr", has=page.locator(f"a:text-is('{ITEM}')"))
        assert row.locator("span.status").first.text_content().strip() == machine  # the machine's view, one click away
    finally:
        context.close()
        site.stop()


def test_amended_cited_provision_needs_re_review(site, browser):
    machine, reviewed = statuses(site.data, COUNTRY, ITEM)
    path = site.corpus / CDSA
    raw = path.read_text(encoding="utf-8")
    assert raw.count(AMENDED[0]) == 1
    path.write_text(raw.replace(*AMENDED), encoding="utf-8")
    site.index()
    url = site.start()
    context, page = new_page(browser)
    try:
        page.goto(url + f"/countries/{COUNTRY}/gaps/{ITEM}")
        assert page.locator("#status-source").inner_text() == "(needs re-review)"
        assert page.locator("#effective-status").text_content().strip() == page.locator("#machine-status").text_content().strip()
        decision = page.locator("#current-decision").inner_text()
        assert "Needs re-review" in decision and f"{reviewed} by alice" in decision and S7 in decision
        assert "needs re-review" in page.locator("h1").inner_text()
        shot(page, "r3-needs-re-review")
        page.goto(url + f"/countries/{COUNTRY}?convention=UN1988")
        row = page.locator("table.report tr", has=page.locator(f"a:text-is('{ITEM}')"))
        assert "needs re-review" in row.inner_text()
        rows = list(csv.DictReader(io.StringIO(download(page, "CSV").read_text(encoding="utf-8"))))
        assert next(r for r in rows if r["obligation"] == ITEM)["status_source"] == "needs re-review"
    finally:
        context.close()
        site.stop()
