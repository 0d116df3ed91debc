"""Searches in a real browser (Debian's Chromium): a moderator uploads an audit log through the form, the
background job imports it while the upload's page shows its state, then the answer page of the agency shows
who searched its cameras and a figure leads to the rows behind it. No request leaves the app, and the CSP
holds (no console error)."""

from urllib.parse import urlsplit

import pytest

from tests.factories import make_user
from tests.support.agencies import make_agency
from tests.support.jobs import run_queued_jobs
from tests.support.search_answer_logs import IMMIGRATION_ROWS, NETWORK_ROWS, write_log
from tests.support.site_pages import log_in_page
from webapp.kernel.extensions import db


@pytest.fixture
def owner_committed(app, live_server):
    with app.app_context():
        make_user("searches_mod", role="moderator")
        owner = make_agency("Browserville Police Department", state="TX")
        db.session.commit()
        return owner.id


@pytest.mark.browser
def test_a_moderator_uploads_a_log_and_reads_the_answer(
    app, page, live_server, owner_committed, job_queue, tmp_path
):
    log = write_log(tmp_path / "network_browser.csv", list(NETWORK_ROWS))
    log_in_page(page, live_server, "searches_mod")
    page.goto(f"{live_server}/moderate/searches/upload")
    page.select_option("select[name=kind]", "network")
    page.fill("input[name=agency]", str(owner_committed))
    page.fill("input[name=title]", "Records request 2025-300 (browser)")
    page.fill("input[name=received]", "2025-06-01")
    page.set_input_files("input[name=file]", str(log))
    page.click("[data-testid=upload-form] button[type=submit]")
    page.wait_for_load_state()
    assert "/moderate/searches/uploads/" in page.url
    assert page.locator("[data-testid=job-status]").get_attribute("data-status") == "queued"
    assert page.locator("meta[http-equiv=refresh]").count() == 1  # it reloads itself until the job ends
    run_queued_jobs(app)
    page.reload()
    assert page.locator("[data-testid=job-status]").get_attribute("data-status") == "finished"
    assert page.locator("meta[http-equiv=refresh]").count() == 0
    assert "10 stored" in page.locator("[data-testid=job-summary]").inner_text()

    page.goto(f"{live_server}/agencies/{owner_committed}")
    page.click("[data-testid=search-log-links] a")
    page.wait_for_load_state()
    assert page.locator("[data-testid=total]").inner_text() == "10"
    assert page.locator("[data-testid=immigration]").inner_text() == str(len(IMMIGRATION_ROWS))
    page.click("[data-testid=immigration] a")
    page.wait_for_load_state()
    rows = page.locator("[data-testid=rows] tbody tr")
    assert rows.count() == len(IMMIGRATION_ROWS)
    assert [int(number) for number in rows.evaluate_all("rows => rows.map(r => r.dataset.row)")] == list(
        IMMIGRATION_ROWS
    )
    assert "network_browser.csv" in page.locator("[data-testid=rows]").inner_text()
    assert "Records request 2025-300 (browser)" in page.locator("[data-testid=sources]").inner_text()
    hosts = {urlsplit(url).netloc for url in page.seen_urls if url.startswith("http")}
    assert hosts == {urlsplit(live_server).netloc}
    assert page.console_errors == []
