"""The menu a newcomer sees leads to the map, coverage, agencies and reporting on every page, and on a 360 px
phone it is at most two lines high (measured in Chromium over every page type, in English and Spanish)."""

import pytest

from tests.support.site_pages import build_site

PHONE = {"width": 360, "height": 740}
# Where every link of the newcomer's menu lands, in its order.
MENU_TARGETS = ["/", "/coverage", "/agencies", "/searches", "/submit", "/privacy", "/login"]

# The rows the menu's links and buttons sit on (their distinct tops), the menu's height, and one line's.
MEASURE = """() => {
    const menu = document.querySelector('header nav.main-menu');
    const items = Array.from(menu.querySelectorAll(':scope > a, :scope > form button'));
    const rows = new Set(items.map((item) => Math.round(item.getBoundingClientRect().top)));
    return {
        rows: rows.size,
        height: menu.getBoundingClientRect().height,
        line: parseFloat(getComputedStyle(items[0]).lineHeight),
        links: items.map((item) => new URL(item.href || location.href).pathname),
    };
}"""


@pytest.fixture
def site(app, live_server, tmp_path):
    return build_site(app, app.test_cli_runner(), tmp_path)


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_newcomers_menu_is_the_same_and_two_lines_high_on_every_page_of_a_phone(
    chromium, live_server, site, language
):
    context = chromium.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    measured = {}
    try:
        for kind, path in site.public.items():
            if kind == "embed":  # the framed map has no menu by design
                continue
            page.goto(f"{live_server}{path}{'&' if '?' in path else '?'}lang={language}")
            page.wait_for_load_state("load")
            measured[kind] = page.evaluate(MEASURE)
    finally:
        context.close()

    assert len(measured) >= 15
    for kind, menu in measured.items():
        assert menu["links"] == MENU_TARGETS, (kind, menu)
        assert menu["rows"] <= 2, (kind, menu)
        assert menu["height"] <= 2 * menu["line"] + 8, (kind, menu)
