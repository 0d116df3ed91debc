"""Moderators' flows that lost work or misled (issue 23, item 10): a refused correction shows the form again
with the edits; a rejection has no default reason, asks first and can be undone (in the audit log); a group
whose reports said "I saw this camera too" shows it and leads with merging into that camera; the operator
queue is linked from the moderation home; the queue is filtered by a state or county chosen by name; counts
of blurred boxes are plural-aware."""

import json
import re

from sqlalchemy import select

from tests.factories import make_camera, make_photo, make_sighting
from tests.support.coverage_fixtures import load_testland
from webapp.kernel.data.models import Camera, ModerationEvent, Photo, Sighting
from webapp.kernel.extensions import db


def events_of(sighting_id: int) -> list[tuple]:
    return [
        (event.action, event.from_status, event.to_status, event.reason)
        for event in db.session.scalars(
            select(ModerationEvent)
            .where(ModerationEvent.target_type == "sighting", ModerationEvent.target_id == sighting_id)
            .order_by(ModerationEvent.id)
        )
    ]


def test_a_refused_correction_shows_the_form_again_with_the_edits(moderator_client, app_context):
    camera = make_camera(directions=[90], operator="CPD")
    db.session.commit()
    form = {
        "version": str(camera.version),
        "lat": "41.878150",
        "lon": "-87.629800",
        "directions": "90, 400",
        "vendor": "flock-safety",
        "mount": "overpass",
        "operator": "Chicago Police Department",
        "reason": "seen on the street",
    }
    response = moderator_client.post(f"/moderate/cameras/{camera.id}/correct", data=form)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'id="correction-refusal"' in page and "whole number of degrees from 0 to 359" in page
    assert 'name="directions" value="90, 400"' in page
    assert 'value="Chicago Police Department"' in page and 'value="41.878150"' in page
    assert re.search(r'value="overpass"\s+selected', page) and 'value="seen on the street"' in page
    assert f'name="version" value="{camera.version}"' in page
    db.session.expire_all()
    assert db.session.get(Camera, camera.id).operator == "CPD"  # nothing saved


def test_a_rejection_has_no_default_reason_asks_first_and_can_be_undone(moderator_client, app_context):
    sighting = make_sighting()
    photo = make_photo(sighting)
    db.session.commit()  # (a savepoint) the refused reject below rolls back to it
    page = moderator_client.get(f"/moderate/sightings/{sighting.id}").get_data(as_text=True)
    assert '<option value="" selected disabled>Choose a reason</option>' in page
    assert 'class="reject-form"\n      data-confirm="Reject this report?' in page
    assert moderator_client.post(f"/moderate/sightings/{sighting.id}/reject", data={}).status_code == 400

    rejected = moderator_client.post(f"/moderate/sightings/{sighting.id}/reject", data={"reason": "spam"})
    assert rejected.status_code == 303
    queue = moderator_client.get("/moderate").get_data(as_text=True)
    assert 'id="undo-rejection"' in queue and "1 report rejected." in queue
    # The photo waits (in the database, never public) in case the rejection is undone.
    assert db.session.get(Photo, photo.id) is not None

    undone = moderator_client.post("/moderate/rejections/undo")
    assert undone.status_code == 303
    db.session.expire_all()
    back = db.session.get(Sighting, sighting.id)
    assert back.status == "pending" and back.reject_reason is None and len(back.photos) == 1
    assert [event[:3] for event in events_of(sighting.id)] == [
        ("reject", "pending", "rejected"),
        ("reopen", "rejected", "pending"),
    ]
    assert "1 report is back in the queue." in moderator_client.get("/moderate").get_data(as_text=True)
    assert 'id="undo-rejection"' not in moderator_client.get("/moderate").get_data(as_text=True)


def test_a_group_that_names_a_camera_says_so_and_leads_with_merging_into_it(moderator_client, app_context):
    camera = make_camera(-87.62980, 41.87830, directions=[180])
    first = make_sighting(-87.62980, 41.87810, directions=[180], camera_id=camera.id)
    second = make_sighting(-87.62982, 41.87812, directions=[180], camera_id=camera.id)
    page = moderator_client.get(f"/moderate/groups?ids={first.id},{second.id}").get_data(as_text=True)
    assert page.count("“I saw this camera too”:") == 2
    assert "2 reports say it is a camera already on the map: merge into it" in page
    assert page.index("claimed-merge") < page.index('id="verify-group-button"')
    assert f'value="{camera.id}" class="primary claimed-merge"' in page
    assert "Or verify as one new camera" in page


def test_the_moderation_home_links_the_operator_queue_and_filters_by_a_named_area(
    moderator_client, app_context, tmp_path
):
    load_testland(tmp_path)
    in_square = make_sighting(-99.5, 40.5)
    in_second = make_sighting(-98.5, 40.5)
    make_sighting(-87.6298, 41.8781)  # Chicago, outside Testland
    db.session.commit()  # (a savepoint) the refused filter at the end rolls back to it
    home = moderator_client.get("/moderate").get_data(as_text=True)
    assert 'href="/moderate/agencies/operators"' in home
    assert '<option value="98" >Testland</option>' in home and 'name="county"' not in home

    state = moderator_client.get("/moderate?state=98").get_data(as_text=True)
    assert "2 pending sightings" in state
    assert '<option value="98001" >Square County, Testland</option>' in state
    county = moderator_client.get("/moderate?state=98&county=98001").get_data(as_text=True)
    assert "1 pending sighting" in county and f"sighting-{in_square.id}" in county
    assert f"sighting-{in_second.id}" not in county
    assert moderator_client.get("/moderate?state=99").status_code == 400


def test_blurred_boxes_are_counted_in_the_right_plural(moderator_client, app_context):
    sighting = make_sighting()
    photo = make_photo(sighting, suggested_boxes=[])
    form = {
        "lat": "41.8781",
        "lon": "-87.6298",
        "directions": "180",
        "vendor": "flock-safety",
        "photo_ids": str(photo.id),
        f"boxes-{photo.id}": json.dumps([[10, 10, 40, 30]]),
    }
    assert moderator_client.post(f"/moderate/sightings/{sighting.id}/verify", data=form).status_code == 303
    reasons = [event[3] for event in events_of(sighting.id)]
    assert f"photo {photo.id}: 1 box blurred" in reasons
