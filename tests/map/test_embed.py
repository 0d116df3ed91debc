"""The embeddable map (/embed) and the static PNG of a view (/map.png), over HTTP: only /embed may be framed
(frame-ancestors from EMBED_FRAME_ANCESTORS, no X-Frame-Options), it sets no cookie even for a logged-in
moderator and its policy is otherwise as strict as every page's; the PNG is a real image of the view, with
its legend, and its limits answer clear 400s and a 429."""

import io
from datetime import date

import pytest
from PIL import Image

from tests.factories import log_in, make_camera, make_user
from tests.kernel.test_security_headers import assert_security_headers
from tests.support.js_modules import call_export
from webapp import create_app
from webapp.frontend.camera_style import DENSITY_SCALE, OTHER_VENDOR_COLOUR, VENDOR_COLOURS
from webapp.geo.bbox import BoundingBox
from webapp.kernel.extensions import db
from webapp.map import view_image
from webapp.map.cited_view import CitedView
from webapp.map.view_image import MARKERS

CHICAGO_BOX = "-87.70,41.80,-87.55,41.95"


def directives(response) -> dict[str, str]:
    policy = response.headers["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in policy.split(";"))


def rgb(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[index : index + 2], 16) for index in (1, 3, 5))


@pytest.fixture(autouse=True)
def _fresh_images(app, monkeypatch):
    """Every test draws its images afresh: a cached PNG is served only while younger than TILE_MAX_AGE."""
    monkeypatch.setitem(app.config, "TILE_MAX_AGE", 0)


def test_only_the_embed_may_be_framed_and_it_sets_no_cookie(client, app_context):
    moderator = make_user(role="moderator")
    log_in(client, moderator)
    embed = client.get(f"/embed?bbox={CHICAGO_BOX}&layer=counties")
    assert embed.status_code == 200
    assert_security_headers(embed, basemap_host=None, frameable=True)
    assert directives(embed)["frame-ancestors"] == "*"
    assert "X-Frame-Options" not in embed.headers
    assert "Set-Cookie" not in embed.headers
    page = embed.get_data(as_text=True)
    # No menu, no account, no CSRF token: nothing of the session is in the page.
    assert 'class="site-header"' not in page and moderator.login not in page and "csrf_token" not in page
    assert 'id="open-in-sightline"' in page and 'target="_blank"' in page
    assert "Cameras: Sightline contributors" in page and "Verified cameras as of" in page
    # Every script is the app's own or carries the nonce: no third-party script.
    assert "https://" not in "".join(line for line in page.splitlines() if "<script" in line)
    for url in ("/", "/coverage", "/privacy", "/submit", "/map.png?width=300&height=200"):
        other = client.get(url)
        assert directives(other)["frame-ancestors"] == "'none'", url
        assert other.headers["X-Frame-Options"] == "DENY", url


def test_an_anonymous_embed_sets_no_cookie_either(client):
    response = client.get("/embed?z=12&lat=41.8781&lon=-87.6298")
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    assert "/#12/41.87810/-87.62980/density" in response.get_data(as_text=True)


def test_frame_ancestors_follow_the_setting(app_with):
    app = app_with(EMBED_FRAME_ANCESTORS="https://news.example.org, https://*.example.com")
    response = app.test_client().get("/embed")
    assert directives(response)["frame-ancestors"] == "https://news.example.org https://*.example.com"
    assert directives(app.test_client().get("/privacy"))["frame-ancestors"] == "'none'"


@pytest.mark.parametrize("setting", ["", "https://a.example; script-src *", "'unsafe-inline'", "javascript:"])
def test_a_setting_that_is_not_a_list_of_origins_is_refused_at_start(database_url, tmp_path, setting):
    from tests.support.database import test_config

    with pytest.raises(ValueError, match="EMBED_FRAME_ANCESTORS"):
        create_app(test_config(database_url, tmp_path, EMBED_FRAME_ANCESTORS=setting))


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("bbox=1,2,3", "bbox"),
        ("z=30&lat=41&lon=-87", "z"),
        ("z=12&lat=91&lon=-87", "lat"),
        ("z=12&lon=-87", "lat"),
        ("layer=satellite", "layer"),
    ],
)
def test_a_wrong_embed_view_is_a_clear_400(client, query, field):
    response = client.get(f"/embed?{query}")
    assert response.status_code == 400
    assert field in response.get_data(as_text=True)


@pytest.fixture
def chicago(app_context):
    vendors = ["flock-safety", "motorola-vigilant", "no-such-vendor-slug"]
    for index in range(30):
        make_camera(-87.66 + (index % 6) * 0.01, 41.84 + (index // 6) * 0.01, vendor=vendors[index % 2])
    make_camera(-87.60, 41.90, vendor="genetec", source="osm")
    db.session.flush()


def png(client, query: str) -> Image.Image:
    response = client.get(f"/map.png?{query}")
    assert response.status_code == 200, response.get_data(as_text=True)[-500:]
    assert response.mimetype == "image/png" and response.headers["Cache-Control"].startswith("public")
    assert "Set-Cookie" not in response.headers
    image = Image.open(io.BytesIO(response.data))
    assert image.format == "PNG"
    return image.convert("RGB")


def colours_in(image: Image.Image) -> set[tuple[int, int, int]]:
    return {colour for _count, colour in image.getcolors(image.width * image.height)}


def test_the_cameras_png_draws_each_vendor_with_its_legend(client, chicago):
    image = png(client, f"bbox={CHICAGO_BOX}&layer=cameras&width=900&height=600")
    assert image.size == (900, 600)
    present = colours_in(image)
    # Flock Safety, Motorola Solutions and Genetec each in their own colour; the unknown slug as "other".
    for colour in (VENDOR_COLOURS[0], VENDOR_COLOURS[1], VENDOR_COLOURS[2], OTHER_VENDOR_COLOUR):
        assert rgb(colour) in present, colour
    assert rgb(VENDOR_COLOURS[5]) not in present  # a vendor with no camera in view has no legend entry
    assert len(set(MARKERS)) == len(MARKERS)


def test_the_density_png_has_its_scale_and_is_not_blank(client, chicago):
    image = png(client, "z=11&lat=41.87&lon=-87.63&width=640&height=480")
    assert image.size == (640, 480)
    present = colours_in(image)
    assert all(rgb(colour) in present for _low, colour in DENSITY_SCALE)  # the legend's swatches
    # The cells themselves, left of the legend (upper right): the cameras stand around the centre.
    cells = colours_in(image.crop((0, 0, 420, 440))) & {rgb(colour) for _low, colour in DENSITY_SCALE}
    assert cells, "no density cell drawn"


def test_the_density_scale_reads_in_greyscale():
    """Each step of the scale is darker than the one before: the legend reads in a black-and-white print."""
    lightness = [
        sum(weight * value for weight, value in zip((299, 587, 114), rgb(c), strict=True))
        for _l, c in DENSITY_SCALE
    ]
    assert lightness == sorted(lightness, reverse=True) and len(set(lightness)) == len(lightness)


def test_the_png_credits_openstreetmap_when_it_shows_its_data(app):
    with app.test_request_context("/map.png"):
        credit, dates = view_image.attribution_lines(from_osm=False, as_of=None)
        assert credit == "Cameras: Sightline contributors" and dates.startswith("Drawn 20")
        credit, dates = view_image.attribution_lines(from_osm=True, as_of=date(2026, 3, 1))
        assert credit.endswith("© OpenStreetMap contributors (ODbL)")
        assert dates.startswith("OpenStreetMap data as of 2026-03-01 · Drawn ")


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("width=5000", "width must be a whole number of pixels from 200 to 2000"),
        ("height=10", "height must be a whole number of pixels from 200 to 2000"),
        ("width=abc", "width must be a whole number"),
        ("bbox=10,10,5,5", "bbox must have"),
        ("layer=roads", "layer must be one of: density, cameras, states, counties"),
        ("layer=cameras&bbox=-100,30,-80,45", "The area is too large"),
    ],
)
def test_the_png_limits_are_clear_400s(client, query, words):
    response = client.get(f"/map.png?{query}")
    assert response.status_code == 400
    assert words in response.get_data(as_text=True)


def test_too_many_cameras_for_the_cameras_layer_points_to_the_density_layer(client, app_context, monkeypatch):
    for index in range(4):
        make_camera(-87.65 + index * 0.001, 41.85)
    db.session.flush()
    monkeypatch.setattr("webapp.kernel.vocabulary.Limits.MAP_IMAGE_MAX_CAMERAS", 3)
    response = client.get(f"/map.png?bbox={CHICAGO_BOX}&layer=cameras")
    assert response.status_code == 400 and "layer=density" in response.get_data(as_text=True)
    assert client.get(f"/map.png?bbox={CHICAGO_BOX}&layer=density").status_code == 200


def test_the_png_is_rate_limited_per_client(app_with, db_session):
    app = app_with(RATELIMIT_ENABLED=True, RATELIMIT_MAP_IMAGE="2/hour")
    client = app.test_client()
    assert [client.get("/map.png?width=200&height=200").status_code for _ in range(3)] == [200, 200, 429]


def test_the_png_has_a_title_outlines_place_names_and_a_counties_layer(client, app_context, tmp_path):
    """Issue 23, item 11: no longer bare squares: the state and county outlines, a title, place names from
    the gazetteer; layer=counties (and states) colours the areas in the choropleth's classes."""
    from tests.support.coverage_fixtures import load_testland, place_cameras
    from webapp.geo.bbox import BoundingBox

    load_testland(tmp_path)
    place_cameras()
    view = "bbox=-100.5,39.5,-95.5,41.5&width=800&height=500"
    density = png(client, view)
    # The title, above the map: dark text in the top strip.
    title = density.crop((0, 0, 800, 30)).convert("L")
    assert title.getextrema()[0] < 80  # the darkest pixel
    # Testland's outline (a state: the darkest grey) is drawn where its edge is.
    assert rgb("#3d4650") in colours_in(density)
    counties = png(client, view + "&layer=counties")
    present = colours_in(counties)
    assert rgb(view_image.NO_FIGURE) in present  # Tiny County: under the population floor
    assert sum(rgb(colour) in present for colour in view_image.CHOROPLETH_COLOURS) >= 2
    assert client.get("/map.png?" + view + "&layer=states").status_code == 200
    names = [name for name, _lon, _lat in view_image._place_names(BoundingBox(-125.0, 24.0, -66.5, 49.5))]
    assert "California" in names and "Texas" in names


def test_the_main_maps_address_reads_the_fragment_the_server_writes():
    """/embed's "Open in Sightline" link ends in the view's fragment (CitedView.map_fragment); map-address.js
    opens the main map on it: the same zoom, centre and layer, written back unchanged."""
    views = [
        CitedView(layer="counties", zoom=12, lat=41.8781, lon=-87.6298),
        CitedView(layer="density", zoom=3, lat=-12.5, lon=179.99999),
        CitedView(layer="cameras", bbox=BoundingBox(-88.0, 41.6, -87.5, 42.1)),
    ]
    fragments = [view.map_fragment() for view in views]
    read = call_export("map-address.js", "read", [[fragment] for fragment in fragments])
    for fragment, view in zip(fragments, read, strict=True):
        zoom, lat, lon, layer = fragment.lstrip("#").split("/")
        assert view == {"zoom": int(zoom), "lat": float(lat), "lon": float(lon), "layer": layer}
    assert call_export("map-address.js", "format", [[view] for view in read]) == fragments
    assert read[2]["layer"] == "density"  # an image's cameras layer is the map's density layer from afar
