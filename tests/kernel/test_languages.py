"""The page's language: Accept-Language picks it, `?lang=` overrides it and is carried on every link, form
and redirect, `<html lang>` says it, the switcher leads to the same page in the other language, no anonymous
answer sets a cookie for it, and numbers and months are written as the locale writes them (Babel's rules)."""

import re
from datetime import date

import pytest
from babel.dates import format_skeleton
from babel.numbers import format_decimal

from tests.factories import make_camera
from tests.support.coverage_fixtures import STATE, load_testland, place_cameras

HTML_LANG = re.compile(r'<html lang="([a-z]+)" data-locale="([A-Za-z-]+)">')


def page_language(response) -> tuple[str, str]:
    match = HTML_LANG.search(response.get_data(as_text=True))
    assert match, "no <html lang>"
    return match[1], match[2]


@pytest.fixture
def camera(app_context):
    return make_camera(first_reported_month=date(2025, 11, 1), last_confirmed_month=date(2026, 4, 1))


@pytest.mark.parametrize("header", ["es", "es-MX,es;q=0.9,en;q=0.5", "fr-FR,es;q=0.8"])
def test_accept_language_gives_spanish_pages(client, camera, header):
    response = client.get(f"/cameras/{camera.id}", headers={"Accept-Language": header})
    html = response.get_data(as_text=True)
    assert page_language(response)[0] == "es"
    assert "Reportar una cámara" in html and "Report a camera" not in html
    assert "Privacidad" in html
    # A cache must keep one copy per language.
    assert "Accept-Language" in response.vary


@pytest.mark.parametrize("header", [None, "en-US,en;q=0.9", "fr-FR,de;q=0.5"])
def test_english_by_default_and_for_languages_we_do_not_have(client, camera, header):
    headers = {"Accept-Language": header} if header else {}
    response = client.get(f"/cameras/{camera.id}", headers=headers)
    assert page_language(response)[0] == "en"
    assert "Report a camera" in response.get_data(as_text=True)


def test_the_address_overrides_accept_language(client, camera):
    spanish = client.get(f"/cameras/{camera.id}?lang=es", headers={"Accept-Language": "en-US"})
    assert page_language(spanish)[0] == "es"
    assert "Reportar una cámara" in spanish.get_data(as_text=True)
    english = client.get(f"/cameras/{camera.id}?lang=en", headers={"Accept-Language": "es-MX"})
    assert page_language(english)[0] == "en"
    assert "Report a camera" in english.get_data(as_text=True)
    # An unknown choice is no choice: Accept-Language decides.
    assert page_language(client.get("/privacy?lang=xx", headers={"Accept-Language": "es"}))[0] == "es"


def test_the_choice_is_carried_on_the_apps_links_and_not_on_its_files(client, camera):
    html = client.get(f"/cameras/{camera.id}?lang=es").get_data(as_text=True)
    assert 'href="/submit?lang=es"' in html
    assert 'href="/privacy?lang=es"' in html
    assert 'href="/coverage?lang=es"' in html
    assert re.search(r'action="/cameras/\d+/flag\?lang=es"', html), "a form posts in the chosen language"
    stylesheets = re.findall(r'href="(/static/[^"]+)"', html)
    assert stylesheets and all("lang=" not in url for url in stylesheets)
    # Without a choice, links stay as they were.
    plain = client.get(f"/cameras/{camera.id}").get_data(as_text=True)
    assert "lang=" not in plain.replace('lang="', "").replace("hreflang", "").split("language-switcher")[0]


def test_a_get_form_keeps_the_choice(client, app_context):
    html = client.get("/coverage?lang=es").get_data(as_text=True)
    form = re.search(r'<form class="coverage-controls" method="get">.*?</form>', html, re.DOTALL)[0]
    assert '<input type="hidden" name="lang" value="es">' in form
    assert 'name="lang"' not in client.get("/coverage").get_data(as_text=True)


def test_the_switcher_leads_to_the_same_page_in_the_other_language(client, app_context):
    html = client.get("/coverage?kind=county&metric=cameras").get_data(as_text=True)
    switcher = re.search(r'<nav class="language-switcher"[^>]*>(.*?)</nav>', html, re.DOTALL)[1]
    assert '<strong aria-current="page" lang="en">English</strong>' in switcher
    [spanish_url] = re.findall(r'<a href="([^"]+)" hreflang="es"', switcher)
    assert spanish_url == "/coverage?kind=county&amp;metric=cameras&amp;lang=es"
    spanish = client.get(spanish_url.replace("&amp;", "&"))
    assert page_language(spanish)[0] == "es"
    back = re.search(r'<a href="([^"]+)" hreflang="en"', spanish.get_data(as_text=True))[1]
    assert back == "/coverage?kind=county&amp;metric=cameras&amp;lang=en"
    # Every page has it, error pages included.
    missing = client.get("/no/such/page", headers={"Accept-Language": "es"})
    assert missing.status_code == 404
    assert 'href="/no/such/page?lang=en"' in missing.get_data(as_text=True)


@pytest.mark.parametrize("language", ["en", "es"])
def test_anonymous_pages_set_no_cookie_in_either_language(app, client, camera, language):
    for url in ["/", "/privacy", "/coverage", "/no/such/page"]:
        for headers, address in (({"Accept-Language": language}, url), ({}, f"{url}?lang={language}")):
            response = client.get(address, headers=headers)
            assert response.status_code in (200, 404), address
            assert "Set-Cookie" not in response.headers, address
    assert client.get_cookie("session") is None
    # A page with a form (the camera's flag form) has a session for its CSRF token, and nothing else: the
    # language is never kept in it.
    client.get(f"/cameras/{camera.id}?lang={language}", headers={"Accept-Language": language})
    session = app.session_interface.get_signing_serializer(app).loads(client.get_cookie("session").value)
    assert set(session) == {"csrf_token"}


def test_errors_are_in_the_pages_language(client, app_context):
    missing = client.get("/no/such/page", headers={"Accept-Language": "es"})
    assert "No hay nada en esta dirección." in missing.get_data(as_text=True)
    api = client.get("/api/v1/cameras?lang=es")
    assert api.status_code == 400
    assert (
        api.get_json()["message"] == "El parámetro bbox es obligatorio: bbox=oeste,sur,este,norte en grados."
    )
    english = client.get("/api/v1/cameras")
    assert english.get_json()["message"].startswith("The bbox parameter is required")


@pytest.mark.parametrize(
    ("headers", "query", "locale"),
    [
        ({}, "", "en_US"),
        ({"Accept-Language": "es-ES"}, "", "es_ES"),
        ({"Accept-Language": "es-MX"}, "", "es_MX"),
        ({}, "?lang=es", "es_US"),
        ({"Accept-Language": "en-GB,es-ES;q=0.5"}, "?lang=es", "es_ES"),
    ],
)
def test_numbers_as_the_locale_writes_them(client, app_context, tmp_path, headers, query, locale):
    load_testland(tmp_path)
    place_cameras()
    response = client.get(f"/coverage/areas/{STATE}{query}", headers=headers)
    assert response.status_code == 200
    assert page_language(response)[1] == locale.replace("_", "-")
    html = response.get_data(as_text=True)
    assert format_decimal(80_100, locale=locale) in html  # Testland's population
    assert format_decimal(20_000, locale=locale) in html  # Square County's, in the counties table
    # 5 citable cameras per 80,100 residents, per 10,000: 0.62, with the locale's decimal sign.
    assert format_decimal(5 / 8.01, format="#,##0.00", locale=locale) in html


def test_the_locales_really_differ_where_the_test_above_looks():
    # Otherwise the test above could not tell formatted numbers from "{:,}".format.
    assert format_decimal(80_100, locale="es_ES") != "80,100"
    assert format_decimal(0.62, format="#,##0.00", locale="es_ES") != "0.62"


@pytest.mark.parametrize(("headers", "locale"), [({}, "en_US"), ({"Accept-Language": "es"}, "es_US")])
def test_months_as_the_locale_writes_them(client, camera, headers, locale):
    html = client.get(f"/cameras/{camera.id}", headers=headers).get_data(as_text=True)
    first = re.search(r'<dd class="first-reported">([^<]+)</dd>', html)[1]
    last = re.search(r'<dd class="last-confirmed">([^<]+)</dd>', html)[1]
    assert first == format_skeleton("yMMMM", date(2025, 11, 1), locale=locale)
    assert last == format_skeleton("yMMMM", date(2026, 4, 1), locale=locale)
    assert first == ("November 2025" if locale == "en_US" else "noviembre de 2025")
