"""The one menu: base.html holds it, so every page shows the same links to the same visitor (the report
form and the privacy page included), and flashed messages appear once, whatever the page."""

import re

import pytest

from tests.factories import make_camera

NAV = re.compile(r'<nav class="main-menu" aria-label="Main">.*?</nav>', re.DOTALL)


def menu(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    [nav] = NAV.findall(response.get_data(as_text=True))
    # The CSRF token of the logout form differs per render; the links must not.
    return re.sub(r'name="csrf_token" value="[^"]*"', "", nav)


def pages(camera_id: int) -> list[str]:
    return ["/", "/submit", "/submit/status", "/privacy", f"/cameras/{camera_id}", "/login"]


@pytest.mark.parametrize("who", ["anonymous", "moderator", "admin"])
def test_every_page_shows_the_same_menu(request, client, app_context, who):
    if who != "anonymous":
        request.getfixturevalue(f"{who}_client")
    camera = make_camera()
    urls = pages(camera.id) + (
        ["/moderate", "/moderate/flags", "/account/sightings"] if who != "anonymous" else []
    )
    menus = {url: menu(client, url) for url in urls}
    assert len(set(menus.values())) == 1, menus
    only = next(iter(menus.values()))
    assert ("Review queue" in only) is (who != "anonymous")
    assert ("Accounts" in only) is (who == "admin")
    assert ("Log in" in only) is (who == "anonymous")


def test_a_flashed_message_shows_once_on_any_page(moderator_client, app_context):
    moderator_client.post("/logout")
    page = moderator_client.get("/login").get_data(as_text=True)
    assert page.count("You are logged out.") == 1
