"""Moderation actions through the moderators' forms and the JSON API: verify (with corrections), merge,
reject, hide, remove, restore, drop a photo; each one logged; a sighting handled twice is a 409."""

import re
from datetime import date

from geoalchemy2.shape import to_shape
from sqlalchemy import select

from tests.factories import log_in, make_camera, make_photo, make_sighting, make_user, pending_bytes
from webapp.kernel.data.models import Camera, ModerationEvent, PendingPhoto, Photo, Sighting
from webapp.kernel.extensions import db
from webapp.photos.storage import photo_storage


def events(target_type: str, target_id: int) -> list[tuple]:
    rows = db.session.scalars(
        select(ModerationEvent)
        .where(ModerationEvent.target_type == target_type, ModerationEvent.target_id == target_id)
        .order_by(ModerationEvent.id)
    )
    return [(event.action, event.from_status, event.to_status, event.actor_id) for event in rows]


def test_verify_with_corrections_creates_a_camera_and_logs_it(moderator_client, app_context):
    moderator = moderator_client.user
    sighting = make_sighting(
        -87.6298, 41.8781, vendor="unknown", directions=[10], observed_month=date(2026, 2, 1)
    )
    response = moderator_client.post(
        f"/moderate/sightings/{sighting.id}/verify",
        data={
            "lat": "41.87815",
            "lon": "-87.62990",
            "directions": "90, 270",
            "vendor": "Flock Group Inc.",
            "operator": "  Chicago PD ",
            "mount": "traffic_signal",
        },
    )
    assert response.status_code == 303, response.get_data(as_text=True)
    db.session.refresh(sighting)
    assert sighting.status == "accepted"
    camera = db.session.get(Camera, sighting.camera_id)
    position = to_shape(camera.geom)
    assert (round(position.x, 5), round(position.y, 5)) == (-87.6299, 41.87815)
    assert camera.directions == [90, 270]
    assert camera.vendor == "flock-safety"
    assert camera.operator == "Chicago PD"
    assert camera.mount == "traffic_signal"
    assert camera.status == "verified" and camera.source == "report" and camera.confirmations == 1
    assert camera.first_reported_month == camera.last_confirmed_month == date(2026, 2, 1)
    assert events("sighting", sighting.id) == [("verify", "pending", "accepted", moderator.id)]
    assert events("camera", camera.id) == [("create", None, "verified", moderator.id)]


def test_bad_corrections_are_a_400_and_nothing_changes(moderator_client, app_context):
    sighting = make_sighting()
    db.session.commit()
    for data in (
        {"lat": "91", "lon": "0"},
        {"lat": "x", "lon": "0"},
        {"lat": "41.8", "lon": "-87.6", "directions": "400"},
        {"lat": "41.8", "lon": "-87.6", "mount": "roof"},
        {"lat": "41.8", "lon": "-87.6", "photo_ids": "abc"},
    ):
        response = moderator_client.post(f"/moderate/sightings/{sighting.id}/verify", data=data)
        assert response.status_code == 400, data
        db.session.refresh(sighting)
        assert sighting.status == "pending"
    assert db.session.scalar(select(Camera.id)) is None


def test_merge_adds_a_confirmation_and_a_new_direction(moderator_client, app_context):
    moderator = moderator_client.user
    camera = make_camera(
        directions=[90], last_confirmed_month=date(2026, 3, 1), first_reported_month=date(2026, 3, 1)
    )
    same_way = make_sighting(directions=[95], observed_month=date(2026, 5, 1))
    other_way = make_sighting(directions=[270, 100], observed_month=date(2026, 4, 1))
    assert (
        moderator_client.post(
            f"/moderate/sightings/{same_way.id}/merge", data={"camera_id": camera.id}
        ).status_code
        == 303
    )
    db.session.refresh(camera)
    assert (camera.confirmations, camera.directions) == (2, [90])
    assert camera.last_confirmed_month == date(2026, 5, 1)
    assert (
        moderator_client.post(
            f"/moderate/sightings/{other_way.id}/merge", data={"camera_id": camera.id}
        ).status_code
        == 303
    )
    db.session.refresh(camera)
    assert (camera.confirmations, camera.directions) == (3, [90, 270])
    # An older report does not move "last confirmed" back.
    assert camera.last_confirmed_month == date(2026, 5, 1)
    db.session.refresh(same_way)
    assert (same_way.status, same_way.camera_id) == ("merged", camera.id)
    assert [event[0] for event in events("camera", camera.id)] == ["confirm", "confirm"]
    assert events("sighting", other_way.id) == [("merge", "pending", "merged", moderator.id)]


def test_merge_into_an_openstreetmap_camera_leaves_its_first_report_unknown(moderator_client, app_context):
    """Issue 23 item 7: a report that confirms a camera is not its first report."""
    osm = make_camera(source="osm", osm_type="node", osm_id=4242, first_reported_month=None)
    known = make_camera(-87.7, 41.9, first_reported_month=date(2026, 3, 1))
    for camera, month in ((osm, date(2026, 6, 1)), (known, date(2026, 6, 1)), (known, date(2026, 1, 1))):
        sighting = make_sighting(observed_month=month)
        response = moderator_client.post(
            f"/moderate/sightings/{sighting.id}/merge", data={"camera_id": camera.id}
        )
        assert response.status_code == 303
    db.session.refresh(osm)
    db.session.refresh(known)
    assert osm.first_reported_month is None
    assert osm.last_confirmed_month == date(2026, 6, 1)
    # A known first report moves back only to an earlier report, never forward.
    assert known.first_reported_month == date(2026, 1, 1)


def test_merge_into_a_hidden_or_unknown_camera_is_refused(moderator_client, app_context):
    hidden = make_camera(status="hidden")
    sighting = make_sighting()
    db.session.commit()
    assert (
        moderator_client.post(
            f"/moderate/sightings/{sighting.id}/merge", data={"camera_id": hidden.id}
        ).status_code
        == 409
    )
    assert (
        moderator_client.post(
            f"/moderate/sightings/{sighting.id}/merge", data={"camera_id": 999999}
        ).status_code
        == 404
    )
    assert moderator_client.post(f"/moderate/sightings/{sighting.id}/merge", data={}).status_code == 400
    db.session.refresh(sighting)
    assert sighting.status == "pending"


def test_reject_with_a_reason_the_submitter_reads_through_the_receipt(moderator_client, app_context):
    moderator = moderator_client.user
    sighting = make_sighting()
    photo = make_photo(sighting)
    response = moderator_client.post(
        f"/moderate/sightings/{sighting.id}/reject", data={"reason": "unclear_photo", "text": "too dark"}
    )
    assert response.status_code == 303
    db.session.refresh(sighting)
    assert sighting.status == "rejected"
    assert sighting.reject_reason == "The photo does not show the camera clearly: too dark"
    # The photo stays unpublished in the database until the sweep deletes the rejected sighting, so the
    # rejection can be undone (files are named by content: another test's publication may share the keys).
    assert db.session.get(Photo, photo.id).public is False
    assert db.session.get(PendingPhoto, photo.id) is not None
    assert events("sighting", sighting.id) == [("reject", "pending", "rejected", moderator.id)]
    answer = moderator_client.get(f"/api/v1/sightings/{sighting.receipt}")
    assert answer.status_code == 200
    assert answer.get_json() == {"status": "rejected", "reason": sighting.reject_reason}


def test_reject_needs_a_known_reason_and_text_for_other(moderator_client, app_context):
    sighting = make_sighting()
    db.session.commit()
    assert (
        moderator_client.post(f"/moderate/sightings/{sighting.id}/reject", data={"reason": "meh"}).status_code
        == 400
    )
    assert (
        moderator_client.post(
            f"/moderate/sightings/{sighting.id}/reject", data={"reason": "other"}
        ).status_code
        == 400
    )
    too_long = {"reason": "spam", "text": "x" * 501}
    assert (
        moderator_client.post(f"/moderate/sightings/{sighting.id}/reject", data=too_long).status_code == 400
    )
    db.session.refresh(sighting)
    assert sighting.status == "pending"


def test_a_moderator_cannot_act_on_their_own_sighting(moderator_client, app_context):
    moderator = moderator_client.user
    sighting = make_sighting(submitter_id=moderator.id)
    db.session.commit()
    for action, data in (("verify", {"lat": "41.8", "lon": "-87.6"}), ("reject", {"reason": "spam"})):
        response = moderator_client.post(f"/moderate/sightings/{sighting.id}/{action}", data=data)
        assert response.status_code == 403
        assert "another moderator" in response.get_data(as_text=True)
    db.session.refresh(sighting)
    assert sighting.status == "pending"


def test_a_handled_sighting_answers_409_already_handled(moderator_client, app_context):
    sighting = make_sighting()
    assert (
        moderator_client.post(
            f"/moderate/sightings/{sighting.id}/reject", data={"reason": "spam"}
        ).status_code
        == 303
    )
    again = moderator_client.post(
        f"/moderate/sightings/{sighting.id}/verify", data={"lat": "41.8", "lon": "-87.6"}
    )
    assert again.status_code == 409
    assert "already handled" in again.get_data(as_text=True)
    api = moderator_client.post(f"/api/v1/moderation/sightings/{sighting.id}/verify", json={})
    assert api.status_code == 409
    assert api.get_json()["error"] == "already_handled"
    assert "already handled" in api.get_json()["message"]


def test_the_json_api_verifies_merges_and_rejects(moderator_client, app_context):
    first, second, third = make_sighting(directions=[0]), make_sighting(directions=[180]), make_sighting()
    photo = make_photo(first)
    verified = moderator_client.post(
        f"/api/v1/moderation/sightings/{first.id}/verify",
        json={"fields": {"directions": [45]}, "photos": {str(photo.id): {"boxes": [[10, 10, 50, 50]]}}},
    )
    assert verified.status_code == 200, verified.get_json()
    camera_id = verified.get_json()["camera"]
    assert verified.get_json() == {"sighting": first.id, "status": "accepted", "camera": camera_id}
    assert db.session.get(Camera, camera_id).directions == [45]
    db.session.refresh(photo)
    assert photo.public and photo.blur_boxes == [[10, 10, 50, 50]]
    merged = moderator_client.post(
        f"/api/v1/moderation/sightings/{second.id}/merge", json={"camera_id": camera_id}
    )
    assert merged.get_json() == {"sighting": second.id, "status": "merged", "camera": camera_id}
    rejected = moderator_client.post(
        f"/api/v1/moderation/sightings/{third.id}/reject", json={"reason": "spam"}
    )
    assert rejected.get_json()["status"] == "rejected"


def test_the_json_api_refuses_bad_bodies_clearly(moderator_client, app_context):
    sighting = make_sighting()
    db.session.commit()
    url = f"/api/v1/moderation/sightings/{sighting.id}"
    cases = [
        (f"{url}/verify", {"data": "not json", "content_type": "application/json"}, 400),
        (f"{url}/verify", {"json": [1, 2]}, 400),
        (f"{url}/verify", {"json": {"fields": "x"}}, 400),
        (f"{url}/verify", {"json": {"fields": {"lat": 100}}}, 400),
        (f"{url}/verify", {"json": {"photos": {"x": {}}}}, 400),
        (f"{url}/verify", {"json": {"photos": {"12345": {"boxes": []}}}}, 400),
        (f"{url}/merge", {"json": {"camera_id": "abc"}}, 400),
        (f"{url}/reject", {"json": {"reason": 5}}, 400),
        ("/api/v1/moderation/sightings/999999/verify", {"json": {}}, 404),
    ]
    for path, arguments, status in cases:
        response = moderator_client.post(path, **arguments)
        assert response.status_code == status, (path, arguments, response.get_data(as_text=True))
        assert set(response.get_json()) == {"error", "message"}
    db.session.refresh(sighting)
    assert sighting.status == "pending"


def test_the_json_api_wants_a_moderator(client, app_context):
    sighting = make_sighting()
    anonymous = client.post(f"/api/v1/moderation/sightings/{sighting.id}/reject", json={"reason": "spam"})
    assert anonymous.status_code == 401
    assert anonymous.get_json()["error"] == "unauthorized"
    log_in(client, make_user(role="reporter"))
    assert (
        client.post(f"/api/v1/moderation/sightings/{sighting.id}/reject", json={"reason": "spam"}).status_code
        == 403
    )


def test_hide_remove_restore_a_camera_with_history(moderator_client, app_context):
    moderator = moderator_client.user
    camera = make_camera()
    assert moderator_client.get(f"/cameras/{camera.id}").status_code == 200
    assert (
        moderator_client.post(
            f"/moderate/cameras/{camera.id}/hide", data={"reason": "someone's driveway"}
        ).status_code
        == 303
    )
    assert moderator_client.get(f"/cameras/{camera.id}").status_code == 404
    assert moderator_client.post(f"/moderate/cameras/{camera.id}/hide").status_code == 409
    assert moderator_client.post(f"/moderate/cameras/{camera.id}/remove").status_code == 303
    assert moderator_client.post(f"/moderate/cameras/{camera.id}/restore").status_code == 303
    assert moderator_client.get(f"/cameras/{camera.id}").status_code == 200
    assert moderator_client.post("/moderate/cameras/999999/hide").status_code == 404
    assert events("camera", camera.id) == [
        ("hide", "verified", "hidden", moderator.id),
        ("remove", "hidden", "removed", moderator.id),
        ("restore", "removed", "verified", moderator.id),
    ]
    page = moderator_client.get(f"/moderate/cameras/{camera.id}").get_data(as_text=True)
    assert "someone&#39;s driveway" in page
    assert page.count('class="event-') == 3


def test_camera_history_includes_its_sightings(moderator_client, app_context):
    sighting = make_sighting()
    moderator_client.post(
        f"/moderate/sightings/{sighting.id}/verify", data={"lat": "41.8781", "lon": "-87.6298"}
    )
    db.session.refresh(sighting)
    page = moderator_client.get(f"/moderate/cameras/{sighting.camera_id}").get_data(as_text=True)
    assert 'class="event-verify"' in page and 'class="event-create"' in page
    review = moderator_client.get(f"/moderate/sightings/{sighting.id}").get_data(as_text=True)
    assert "This sighting was already handled." in review and 'class="event-verify"' in review


def test_dropping_a_published_photo_deletes_it(moderator_client, app_context):
    moderator = moderator_client.user
    sighting = make_sighting()
    photo = make_photo(sighting)
    moderator_client.post(
        f"/moderate/sightings/{sighting.id}/verify", data={"lat": "41.8781", "lon": "-87.6298"}
    )
    db.session.refresh(photo)
    keys = (photo.display_key, photo.thumb_key)
    camera_id = db.session.get(Sighting, sighting.id).camera_id
    response = moderator_client.post(
        f"/moderate/photos/{photo.id}/drop", data={"camera_id": camera_id, "reason": "a face"}
    )
    assert response.status_code == 303
    assert db.session.get(Photo, photo.id) is None
    assert not any(photo_storage().exists(key) for key in keys)
    assert ("drop_photo", None, None, moderator.id) in events("sighting", sighting.id)
    assert moderator_client.post(f"/moderate/photos/{photo.id}/drop").status_code == 409


def test_a_script_uses_the_json_api_with_the_sessions_csrf_token(app_with, app_context):
    """The documented flow, with CSRF protection on as in production."""
    protected = app_with(WTF_CSRF_ENABLED=True)
    moderator = make_user(role="moderator")
    sighting = make_sighting()
    db.session.commit()
    client = protected.test_client()
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").get_data(as_text=True))[1]
    assert client.post("/login", data={"login": moderator.login, "password": "x" * 12}).status_code == 400
    logged_in = client.post(
        "/login", data={"login": moderator.login, "password": "correct horse battery", "csrf_token": token}
    )
    assert logged_in.status_code == 302
    # The login started a new session: the token of the session before it is void, the new one is on every
    # page (the logout form).
    url = f"/api/v1/moderation/sightings/{sighting.id}/reject"
    assert client.post(url, json={"reason": "spam"}, headers={"X-CSRFToken": token}).status_code == 400
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/moderate").get_data(as_text=True))[1]
    refused = client.post(url, json={"reason": "spam"})
    assert refused.status_code == 400 and refused.get_json()["error"] == "bad_request"
    accepted = client.post(url, json={"reason": "spam"}, headers={"X-CSRFToken": token})
    assert accepted.status_code == 200, accepted.get_json()
    assert accepted.get_json()["status"] == "rejected"


def test_the_history_keeps_what_a_verification_corrected_field_by_field(moderator_client, app_context):
    """As FixMyStreet keeps a moderated report's original data: each corrected field, from -> to, on the
    sighting's and the camera's events, shown on the camera's history page."""
    sighting = make_sighting(-87.6298, 41.8781, vendor="unknown", directions=[10], operator="CPD", mount=None)
    response = moderator_client.post(
        f"/moderate/sightings/{sighting.id}/verify",
        data={
            "lat": "41.8781",
            "lon": "-87.6298",
            "directions": "10",
            "vendor": "genetec",
            "operator": "CPD",
            "mount": "pole",
        },
    )
    assert response.status_code == 303
    db.session.refresh(sighting)
    expected = [
        {"field": "vendor", "from": "unknown", "to": "genetec"},
        {"field": "mount", "from": None, "to": "pole"},
    ]
    verify_event = db.session.scalars(
        select(ModerationEvent).where(
            ModerationEvent.target_type == "sighting", ModerationEvent.action == "verify"
        )
    ).one()
    assert verify_event.changes == expected
    create_event = db.session.scalars(
        select(ModerationEvent).where(
            ModerationEvent.target_type == "camera", ModerationEvent.action == "create"
        )
    ).one()
    assert create_event.changes == expected
    # The submitter's own values stay on the sighting: the correction can be reverted from them.
    assert (sighting.vendor, sighting.mount) == ("unknown", None)
    page = moderator_client.get(f"/moderate/cameras/{sighting.camera_id}").get_data(as_text=True)
    assert "vendor</span>: unknown → genetec" in page
    assert "mount</span>: – → pole" in page


def test_a_verification_without_corrections_records_no_changes(moderator_client, app_context):
    sighting = make_sighting(directions=[180])
    assert (
        moderator_client.post(f"/api/v1/moderation/sightings/{sighting.id}/verify", json={}).status_code
        == 200
    )
    changes = db.session.scalars(
        select(ModerationEvent.changes).where(ModerationEvent.target_type == "sighting")
    ).all()
    assert changes == [None]


def test_a_merge_records_the_direction_it_adds_to_the_camera(moderator_client, app_context):
    camera = make_camera(
        directions=[90], first_reported_month=date(2026, 3, 1), last_confirmed_month=date(2026, 3, 1)
    )
    sighting = make_sighting(directions=[270], observed_month=date(2026, 5, 1))
    moderator_client.post(f"/moderate/sightings/{sighting.id}/merge", data={"camera_id": camera.id})
    confirm = db.session.scalars(
        select(ModerationEvent).where(
            ModerationEvent.target_type == "camera", ModerationEvent.action == "confirm"
        )
    ).one()
    assert confirm.changes == [
        {"field": "directions", "from": [90], "to": [90, 270]},
        {"field": "last_confirmed_month", "from": "2026-03", "to": "2026-05"},
        {"field": "confirmations", "from": 1, "to": 2},
    ]


def test_only_a_published_photo_can_be_dropped_from_a_camera_page(moderator_client, app_context):
    pending = make_sighting()
    photo = make_photo(pending)
    db.session.commit()  # into the test's transaction: the refusal rolls back only the request's work
    response = moderator_client.post(f"/moderate/photos/{photo.id}/drop", data={"reason": "a face"})
    assert response.status_code == 409
    assert "not published" in response.get_data(as_text=True)
    assert db.session.get(Photo, photo.id) is not None
    # Still pending, bytes and all (kept in the database until a moderator publishes it).
    assert pending_bytes(photo, "display") and pending_bytes(photo, "thumb")
    assert events("sighting", pending.id) == []
