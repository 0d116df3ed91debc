"""Issue 12, item 4: pending reports of one camera (within 50 m of the oldest, facing compatible ways) are
one queue item; deciding the group acts on each report, in one transaction, each receipt showing its own
status."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from tests.factories import make_camera, make_photo, make_sighting
from webapp.kernel.data.models import Camera, ModerationEvent, Photo, Sighting
from webapp.kernel.extensions import db
from webapp.kernel.vocabulary import Limits
from webapp.moderation.groups import group_ids
from webapp.moderation.queue import QueueFilters


def aged(sighting, days: int):
    sighting.reported_on = datetime.now(UTC).date() - timedelta(days=days)
    db.session.flush()
    return sighting


def three_reports():
    """Three reports of one camera: pins a few metres apart, directions within 20 degrees, notes, photos."""
    first = aged(
        make_sighting(-87.62980, 41.87810, directions=[180], notes="north corner", vendor="unknown"), 3
    )
    second = aged(make_sighting(-87.62983, 41.87813, directions=[170], notes="on the light pole"), 2)
    third = aged(make_sighting(-87.62978, 41.87808, directions=[190, 10]), 1)
    photos = [make_photo(sighting, suggested_boxes=[]) for sighting in (first, second, third)]
    return [first, second, third], photos


def receipt_status(client, sighting) -> str:
    return client.get(f"/api/v1/sightings/{sighting.receipt}").get_json()["status"]


def test_three_reports_are_one_item_with_every_photo_and_note(moderator_client, app_context):
    reports, photos = three_reports()
    elsewhere = make_sighting(-87.7, 41.9)  # a different camera
    facing_away = make_sighting(-87.62980, 41.87811, directions=[90])  # same spot, another camera
    html = moderator_client.get("/moderate").get_data(as_text=True)
    assert html.count('class="queue-item queue-group"') == 1
    assert "3 reports" in html
    ids = ",".join(str(report.id) for report in reports)
    assert f'data-group-ids="{ids}"' in html
    for photo in photos:
        assert f"/moderate/photos/{photo.content_hash}/thumb.jpg" in html
    assert "north corner" in html and "on the light pole" in html
    assert f'id="sighting-{elsewhere.id}"' in html and f'id="sighting-{facing_away.id}"' in html

    page = moderator_client.get(f"/moderate/groups?ids={ids}").get_data(as_text=True)
    assert 'id="verify-group-button"' in page
    for photo in photos:
        assert f'name="boxes-{photo.id}"' in page


def test_verifying_the_group_makes_one_camera_and_each_receipt_its_own_status(
    moderator_client, client, app_context
):
    (first, second, third), photos = three_reports()
    response = moderator_client.post(
        "/api/v1/moderation/groups/verify", json={"sightings": [first.id, second.id, third.id]}
    )
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert [entry["status"] for entry in body["sightings"]] == ["accepted", "merged", "merged"]
    db.session.expire_all()
    camera = db.session.get(Camera, body["camera"])
    assert camera.confirmations == 3
    # The suggested fields: the middle of the pins, every direction once, the vendor most reports name.
    assert camera.directions == [10, 180] and camera.vendor == "flock-safety"
    assert {db.session.get(Sighting, s.id).camera_id for s in (first, second, third)} == {camera.id}
    assert all(db.session.get(Photo, photo.id).public for photo in photos)
    assert [receipt_status(client, s) for s in (first, second, third)] == ["accepted", "merged", "merged"]
    actions = db.session.scalars(
        select(ModerationEvent.action).where(
            ModerationEvent.target_type == "sighting",
            ModerationEvent.target_id.in_([first.id, second.id, third.id]),
        )
    ).all()
    assert sorted(actions) == ["merge", "merge", "verify"]
    assert "Nothing to review." in moderator_client.get("/moderate").get_data(as_text=True)


def test_the_form_rejects_or_merges_a_group(moderator_client, client, app_context):
    reports, _photos = three_reports()
    ids = [str(report.id) for report in reports]
    response = moderator_client.post(
        "/moderate/groups/reject", data={"sighting_ids": ids, "reason": "duplicate", "text": "already mapped"}
    )
    assert response.status_code == 303
    for report in reports:
        answer = client.get(f"/api/v1/sightings/{report.receipt}").get_json()
        assert answer["status"] == "rejected" and "already mapped" in answer["reason"]
    camera = make_camera(-87.6298, 41.8782, directions=[180])
    more = [make_sighting(-87.6298, 41.8781 + index * 1e-5) for index in range(2)]
    merged = moderator_client.post(
        "/moderate/groups/merge",
        data={"sighting_ids": [str(s.id) for s in more], "camera_id": str(camera.id)},
    )
    assert merged.status_code == 303
    db.session.expire_all()
    assert db.session.get(Camera, camera.id).confirmations == 3


def test_a_group_with_one_handled_report_is_a_409_and_nothing_is_done(moderator_client, app_context):
    reports, _photos = three_reports()
    reports[1].status = "rejected"
    reports[1].reject_reason = "spam"
    db.session.commit()
    response = moderator_client.post(
        "/api/v1/moderation/groups/verify", json={"sightings": [r.id for r in reports]}
    )
    assert response.status_code == 409 and response.get_json()["error"] == "already_handled"
    db.session.expire_all()
    assert [db.session.get(Sighting, r.id).status for r in reports] == ["pending", "rejected", "pending"]
    assert db.session.scalar(select(Camera.id)) is None
    too_many = list(range(1, Limits.GROUP_MAX_REPORTS + 2))
    assert (
        moderator_client.post("/api/v1/moderation/groups/verify", json={"sightings": too_many}).status_code
        == 400
    )


def test_groups_are_bounded_and_the_queue_page_too(app_context):
    flood = [make_sighting(-87.6298, 41.8781, directions=[180]) for _ in range(Limits.GROUP_MAX_REPORTS + 3)]
    groups = group_ids(QueueFilters(), 10)
    assert [len(group) for group in groups] == [Limits.GROUP_MAX_REPORTS, 3]
    assert sorted(sighting_id for group in groups for sighting_id in group) == sorted(s.id for s in flood)
    # 50 m is the radius: 60 m north is another item.
    far = make_sighting(-87.6298, 41.8781 + 60 / 111_000, directions=[180])
    assert [far.id] in group_ids(QueueFilters(), 10)
