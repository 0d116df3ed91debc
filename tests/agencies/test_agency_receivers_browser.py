"""Issue 23 item 6 in a real browser: the receivers page filters to federal (or out-of-state) receivers with
the federal rows first, and takes a county by its name within a state (the state's counties offered)."""

import pytest

from tests.support.agencies import newsroom_world
from tests.support.coverage_fixtures import add_county_row, load_testland
from webapp.kernel.extensions import db


@pytest.fixture
def world_committed(app, live_server, tmp_path):
    with app.app_context():
        load_testland(tmp_path)
        newsroom_world()
        add_county_row("06001", "Alameda County, California", "06")
        db.session.commit()


@pytest.mark.browser
def test_federal_receivers_of_a_state_and_a_county_by_name(page, live_server, world_committed):
    page.goto(f"{live_server}/agencies/receivers")
    page.select_option("select[name=state]", "OH")
    page.select_option("[data-testid=receivers-only]", "federal")
    page.get_by_role("button", name="Show the receivers", exact=True).click()
    rows = page.locator("[data-testid=receivers-table] tbody tr")
    assert rows.count() == 2
    assert [rows.nth(i).get_attribute("class") for i in range(2)] == ["federal", "federal"]
    assert "Listed here: 2 of them." in page.locator("[data-testid=receivers-summary]").inner_text()
    # All receivers: the federal ones first.
    page.select_option("[data-testid=receivers-only]", "all")
    page.get_by_role("button", name="Show the receivers", exact=True).click()
    names = page.locator("[data-testid=receivers-table] tbody tr td:nth-child(2) a").all_inner_texts()
    assert names == ["FBI", "US Postal Inspection Service", "Toledo PD"]
    # A county by its name: California's counties are offered once the state is chosen.
    page.select_option("select[name=state]", "CA")
    page.get_by_role("button", name="Show the receivers", exact=True).click()
    assert page.locator("#county-names option[value='Alameda County']").count() == 1
    page.fill("[data-testid=county-name]", "Alameda")
    page.get_by_role("button", name="Show the receivers", exact=True).click()
    assert page.locator("[data-testid=receivers-place]").inner_text() == "Alameda County, California"
    assert page.console_errors == []
