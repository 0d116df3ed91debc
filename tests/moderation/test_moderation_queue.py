"""The review queue: pending sightings oldest first, filters, photos, map, duplicate candidates."""

from datetime import UTC, datetime, timedelta

from tests.factories import log_in, make_camera, make_photo, make_sighting, make_user
from webapp.camera_fields.directions import direction_difference
from webapp.geo.nearby import NearbyCamera
from webapp.kernel.extensions import db
from webapp.moderation.queue import PAGE_SIZE, rank_candidates


def queue_ids(client, query: str = "") -> list[int]:
    response = client.get(f"/moderate{query}")
    assert response.status_code == 200, response.get_data(as_text=True)
    html = response.get_data(as_text=True)
    ids = []
    for part in html.split('data-sighting-id="')[1:]:
        ids.append(int(part.split('"', 1)[0]))
    return ids


def aged(sighting, days: int):
    sighting.reported_on = datetime.now(UTC).date() - timedelta(days=days)
    db.session.flush()
    return sighting


def test_pending_sightings_oldest_first_without_handled_ones(moderator_client, app_context):
    new = make_sighting()
    old = aged(make_sighting(), 10)
    middle = aged(make_sighting(), 5)
    make_sighting(status="rejected", reject_reason="spam")
    assert queue_ids(moderator_client) == [old.id, middle.id, new.id]


def test_filters_by_area_vendor_and_photos(moderator_client, app_context):
    chicago = make_sighting(-87.63, 41.88, vendor="flock-safety")
    with_photo = make_sighting(-87.64, 41.89, vendor="motorola-vigilant")
    make_photo(with_photo)
    boston = make_sighting(-71.06, 42.36, vendor="flock-safety")
    assert set(queue_ids(moderator_client, "?bbox=-88,41.5,-87.5,42.2")) == {chicago.id, with_photo.id}
    assert set(queue_ids(moderator_client, "?vendor=flock-safety")) == {chicago.id, boston.id}
    # Raw vendor spellings are normalised like everywhere else.
    assert set(queue_ids(moderator_client, "?vendor=Flock+Group+Inc.")) == {chicago.id, boston.id}
    assert queue_ids(moderator_client, "?photos=with") == [with_photo.id]
    assert set(queue_ids(moderator_client, "?photos=without")) == {chicago.id, boston.id}
    assert queue_ids(moderator_client, "?bbox=-88,41.5,-87.5,42.2&photos=without&vendor=flock-safety") == [
        chicago.id
    ]


def test_bad_filters_are_a_clear_400(moderator_client, app_context):
    for query in ("?bbox=1,2,3", "?bbox=10,0,5,1", "?bbox=a,b,c,d", "?photos=maybe", "?page=0", "?page=x"):
        response = moderator_client.get(f"/moderate{query}")
        assert response.status_code == 400, query
        assert b"Traceback" not in response.data


def test_an_item_shows_photos_map_attributes_and_candidates(moderator_client, app_context):
    near = make_camera(-87.6298, 41.8785, directions=[180])  # about 45 m north
    far = make_camera(-87.6298, 41.8800, directions=[180])  # about 210 m: not a candidate
    make_camera(-87.6298, 41.8782, status="hidden")  # hidden cameras are never offered
    sighting = make_sighting(-87.6298, 41.8781, directions=[180], operator="Chicago PD", notes="corner")
    photo = make_photo(sighting)
    html = moderator_client.get("/moderate").get_data(as_text=True)
    assert f"/moderate/photos/{photo.content_hash}/thumb.jpg" in html
    assert 'class="mini-map"' in html and 'data-lat="41.8781"' in html
    assert "Chicago PD" in html and "corner" in html and "Flock Safety" in html
    assert f"Camera {near.id}</a>" in html
    assert f"Camera {far.id}</a>" not in html
    assert html.count('data-camera-id="') == 1


def test_candidates_rank_by_distance_and_by_difference_in_direction():
    def camera(camera_id, distance, directions):
        return NearbyCamera(camera_id, 0.0, 0.0, distance, "flock-safety", directions)

    same_way_further = camera(1, 60, [90])
    other_way_nearer = camera(2, 20, [270])
    unknown_way = camera(3, 40, [])
    ranked = rank_candidates([other_way_nearer, unknown_way, same_way_further], [85])
    # Scores: 60 m + 5° -> 62.5; 40 m + unknown (90°) -> 85; 20 m + 175° -> 107.5.
    assert [candidate.camera.id for candidate in ranked] == [1, 3, 2]
    assert [candidate.direction_difference for candidate in ranked] == [5, None, 175]
    # Without a proposed direction only the distance counts.
    assert [c.camera.id for c in rank_candidates([same_way_further, other_way_nearer], [])] == [2, 1]
    assert direction_difference([350], [10, 200]) == 20


def test_review_page_shows_suggested_boxes_and_history(moderator_client, app_context):
    sighting = make_sighting()
    photo = make_photo(sighting)
    response = moderator_client.get(f"/moderate/sightings/{sighting.id}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert f'name="boxes-{photo.id}"' in html
    assert f"/moderate/photos/{photo.content_hash}/display.jpg" in html
    # The detector ran for the page (and found nothing on a gradient); a GET stores nothing, so the boxes
    # are kept only when the moderator verifies (or `flask moderation suggest-boxes` runs).
    assert f'name="boxes-{photo.id}" class="boxes-input" value="[]"' in html
    db.session.refresh(photo)
    assert photo.suggested_boxes is None
    assert "No moderation events yet." in html
    assert moderator_client.get("/moderate/sightings/999999").status_code == 404


def test_a_moderator_sees_no_action_forms_on_their_own_sighting(client, app_context):
    moderator = make_user(role="moderator")
    log_in(client, moderator)
    sighting = make_sighting(submitter_id=moderator.id)
    html = client.get(f"/moderate/sightings/{sighting.id}").get_data(as_text=True)
    assert "another moderator has to review it" in html
    assert "verify-button" not in html


def test_review_photos_are_for_moderators_only_and_never_cached(client, app_context):
    photo = make_photo(make_sighting())
    url = f"/moderate/photos/{photo.content_hash}/display.jpg"
    assert client.get(url).status_code == 302  # to the login page
    log_in(client, make_user(role="reporter"))
    assert client.get(url).status_code == 403
    client.post("/logout")
    log_in(client, make_user(role="moderator"))
    response = client.get(url)
    assert response.status_code == 200
    assert response.mimetype == "image/jpeg"
    assert response.headers["Cache-Control"] == "private, no-store"
    # An unpublished photo is not served on the public route, whoever asks.
    assert client.get(f"/photos/{photo.content_hash}/display.jpg").status_code == 404


def test_filters_survive_paging(moderator_client, app_context):
    # About 83 m apart: reports of different cameras, one queue item each (closer ones are grouped).
    for index in range(PAGE_SIZE + 1):
        aged(make_sighting(-87.62981 + index * 1e-3, 41.8781), 30 - index)
    query = "?bbox=-87.62982,41.8,-87.5,41.9&vendor=flock-safety&photos=without"
    first = moderator_client.get(f"/moderate{query}").get_data(as_text=True)
    assert first.count('data-sighting-id="') == PAGE_SIZE
    assert "bbox=-87.62982,41.8,-87.5,41.9&amp;vendor=flock-safety&amp;photos=without&amp;page=2" in first
    assert len(queue_ids(moderator_client, f"{query}&page=2")) == 1
