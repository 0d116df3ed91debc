"""Issue 14, accessibility: axe-core finds no serious or critical violation on any page type, logged out and
as a moderator, on a desktop (1280x800) and a phone (360x740); and no page scrolls sideways on the phone."""

from contextlib import contextmanager

import pytest

from tests.support.accessibility import axe_violations
from tests.support.maps import wait_until
from tests.support.site_pages import build_site, log_in_page

VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 360, "height": 740}}


@pytest.fixture
def site(app, live_server, tmp_path):
    return build_site(app, app.test_cli_runner(), tmp_path)


@contextmanager
def _browser_page(chromium, viewport: str):
    phone = viewport == "phone"
    context = chromium.new_context(viewport=VIEWPORTS[viewport], is_mobile=phone, has_touch=phone)
    try:
        yield context.new_page()
    finally:
        context.close()


def _settle(page) -> None:
    """Wait until the scripts drew what they draw (the map's controls, the coverage charts)."""
    page.wait_for_load_state("networkidle")
    if page.locator(".leaflet-container").count():
        wait_until(page, "document.querySelector('.leaflet-container .leaflet-control') !== null")


# The first elements that stick out on the right: what a failure names.
# (Against the device's width: on a phone, innerWidth grows with the content.)
STICKING_OUT = """(width) => Array.from(document.querySelectorAll('body *'))
    .filter((e) => e.getBoundingClientRect().right > width + 1)
    .slice(0, 6)
    .map((e) => {
        const classes = typeof e.className === 'string' ? e.className.trim().split(/\\s+/) : [];
        return [e.tagName.toLowerCase(), ...classes.filter(Boolean)].join('.');
    })"""


def _visit_all(page, base: str, paths: dict[str, str]) -> dict[str, list[str]]:
    found = {}
    for kind, path in paths.items():
        page.goto(base + path)
        _settle(page)
        found[kind] = {
            "axe": axe_violations(page),
            "scroll": page.evaluate("document.scrollingElement.scrollWidth"),
            "sticking_out": page.evaluate(STICKING_OUT, VIEWPORTS["phone"]["width"]),
        }
    return found


def _receipt(page, base: str) -> dict:
    """The receipt page is the answer to a POST: file a report to see it."""
    page.goto(base + "/submit")
    page.fill("#lat", "40.95")
    page.fill("#lon", "-99.95")
    page.locator(".compass-point", has_text="NE").click()
    page.check("input[name=camera_id][value=new]")
    page.click("#send-report")
    page.wait_for_selector(".receipt-code")
    return {"axe": axe_violations(page), "scroll": page.evaluate("document.scrollingElement.scrollWidth")}


def _problems(found: dict, viewport: str) -> list[str]:
    problems = []
    for kind, result in found.items():
        problems += [f"{kind}: {line}" for line in result["axe"]]
        if viewport == "phone" and result["scroll"] > VIEWPORTS["phone"]["width"]:
            wide = ", ".join(result.get("sticking_out", []))
            problems.append(f"{kind}: scrolls sideways ({result['scroll']} px wide: {wide})")
    return problems


def _assert_no_problems(found: dict, viewport: str) -> None:
    problems = _problems(found, viewport)
    assert not problems, "\n".join(problems)


@pytest.mark.browser
@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_every_public_page_passes_axe_and_fits(chromium, live_server, site, viewport):
    with _browser_page(chromium, viewport) as page:
        found = _visit_all(page, live_server, site.public)
        found["receipt"] = _receipt(page, live_server)
        _assert_no_problems(found, viewport)


@pytest.mark.browser
@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_every_moderation_page_passes_axe_and_fits(chromium, live_server, site, viewport):
    with _browser_page(chromium, viewport) as page:
        log_in_page(page, live_server)
        _assert_no_problems(_visit_all(page, live_server, site.moderator), viewport)
