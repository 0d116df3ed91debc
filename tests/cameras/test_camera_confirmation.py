"""Issue 14, the camera page: its map's neighbours (verified cameras within 500 m, at most 10, never
hidden ones), and "I saw this camera too": the report form starts at the camera with it chosen, the report
is linked to it, the review page proposes merging into it, and the merge counts on the camera page."""

import re

from sqlalchemy import select

from tests.factories import log_in, make_camera, make_user
from tests.support.submissions import submission
from webapp.kernel.data.models import Sighting
from webapp.kernel.extensions import db
from webapp.kernel.vocabulary import Limits

CHICAGO = (-87.6298, 41.8781)
METRE_LAT = 1 / 111_000  # degrees of latitude in a metre, near enough for placing test cameras


def test_the_camera_page_lists_verified_neighbours_within_the_radius(client, app_context):
    camera = make_camera(*CHICAGO)
    near = make_camera(CHICAGO[0], CHICAGO[1] + 120 * METRE_LAT, vendor="genetec")
    make_camera(CHICAGO[0], CHICAGO[1] + 200 * METRE_LAT, status="hidden")
    make_camera(CHICAGO[0], CHICAGO[1] + (Limits.CAMERA_PAGE_NEARBY_RADIUS_M + 50) * METRE_LAT)
    html = client.get(f"/cameras/{camera.id}").get_data(as_text=True)
    assert f'data-camera-id="{near.id}"' in html and "Genetec, 120 m away" in html
    assert html.count("data-camera-id=") == 1
    # The map's settings: this camera, its neighbour, the camera tiles.
    assert '"neighbours": [{"lat": ' in html and '"tileUrl": "/tiles/{z}/{x}/{y}.pbf"' in html
    assert f'href="/submit?camera={camera.id}"' in html and "I saw this camera too" in html


def test_the_neighbours_are_bounded(client, app_context):
    camera = make_camera(*CHICAGO)
    for index in range(Limits.CAMERA_PAGE_NEARBY_MAX + 5):
        make_camera(CHICAGO[0], CHICAGO[1] + (10 + index * 20) * METRE_LAT)
    html = client.get(f"/cameras/{camera.id}").get_data(as_text=True)
    assert html.count("data-camera-id=") == Limits.CAMERA_PAGE_NEARBY_MAX


def test_i_saw_this_camera_too_starts_the_form_at_the_camera(client, app_context):
    camera = make_camera(*CHICAGO, vendor="motorola-vigilant")
    html = client.get(f"/submit?camera={camera.id}").get_data(as_text=True)
    assert f"You are confirming camera {camera.id}" in html
    assert f'<input type="radio" name="camera_id" value="{camera.id}" checked>' in html
    assert 'value="41.878100"' in html and 'value="-87.629800"' in html
    assert re.search(r'name="vendor" value="motorola-vigilant"\s+checked', html)
    assert not re.search(r'name="directions" value="\d+"\s+checked', html)  # the submitter says


def test_a_link_to_no_public_camera_starts_an_empty_form(client, app_context):
    hidden = make_camera(*CHICAGO, status="hidden")
    for value in (str(hidden.id), "abc", "9" * 40, "-1", "١٢"):
        response = client.get(f"/submit?camera={value}")
        assert response.status_code == 200
        assert "You are confirming camera" not in response.get_data(as_text=True)


def test_a_confirmation_is_linked_proposed_merged_and_counted(client, app_context):
    camera = make_camera(*CHICAGO, confirmations=1)
    response = client.post(
        "/submit", data=submission(camera_id=str(camera.id), lat="41.878130", lon="-87.629810")
    )
    assert response.status_code == 303
    sighting = db.session.scalar(select(Sighting))
    assert sighting.camera_id == camera.id

    moderator = make_user(role="moderator")
    log_in(client, moderator)
    review = client.get(f"/moderate/sightings/{sighting.id}").get_data(as_text=True)
    assert "The reporter says it is this camera" in review
    assert f'name="camera_id" value="{camera.id}" class="primary claimed-merge"' in review
    merged = client.post(f"/moderate/sightings/{sighting.id}/merge", data={"camera_id": camera.id})
    assert merged.status_code in (302, 303)
    db.session.expire_all()
    assert db.session.get(type(camera), camera.id).confirmations == 2
    page = client.get(f"/cameras/{camera.id}").get_data(as_text=True)
    assert "confirmed by 2 reports" in page
