"""The "personal information" flag policy (stated in the privacy statement): one flag alerts the moderators
(first in their queue, counted in their menu) but hides nothing; a second open one from another client
hides the camera's photos until every such flag is closed. One client cannot blank photos by itself."""

from sqlalchemy import select

from tests.factories import log_in, make_photo, make_sighting, make_user, photo_bytes
from webapp.flags.service import open_flags
from webapp.kernel.data.audit import camera_history
from webapp.kernel.data.models import Camera, Flag, ModerationEvent
from webapp.kernel.extensions import db
from webapp.moderation.sightings import verify_sighting


def camera_with_photo():
    sighting = make_sighting()
    photo = make_photo(sighting, photo_bytes())
    camera = verify_sighting(sighting.id, make_user(role="moderator"))
    db.session.refresh(photo)
    return camera, f"/photos/{photo.content_hash}/display.jpg"


def flag(client, camera_id: int, address: str, reason: str = "personal_information"):
    response = client.post(
        f"/cameras/{camera_id}/flag",
        data={"reason": reason, "text": "my face"},
        environ_base={"REMOTE_ADDR": address},
    )
    assert response.status_code == 303


def test_one_client_cannot_hide_photos_however_often_it_flags(client, app_context):
    cameras = [camera_with_photo() for _ in range(3)]
    for camera, _url in cameras:
        for _ in range(3):
            flag(client, camera.id, "198.51.100.9")
    for camera, url in cameras:
        assert db.session.get(Camera, camera.id).photos_hidden is False
        assert client.get(url).status_code == 200


def test_a_second_client_hides_the_photos_and_it_is_recorded(client, app_context):
    camera, url = camera_with_photo()
    flag(client, camera.id, "198.51.100.10")
    assert client.get(url).status_code == 200
    flag(client, camera.id, "2001:db8:77::1")
    assert db.session.get(Camera, camera.id).photos_hidden is True
    assert client.get(url).status_code == 404
    # A public action writes no audit event (its time would date the flag, issue 15): the second flag's
    # row records that it hid the photos, and the camera's history shows it from there, to the day.
    first, second = db.session.scalars(select(Flag).where(Flag.camera_id == camera.id).order_by(Flag.id))
    assert (first.hid_photos, second.hid_photos) == (False, True)
    assert db.session.scalar(select(ModerationEvent).where(ModerationEvent.action == "hide_photos")) is None
    history = [(entry.action, entry.target_id) for entry in camera_history(camera.id)]
    assert ("hide_photos", camera.id) in history


def test_other_flags_hide_nothing(client, app_context):
    camera, url = camera_with_photo()
    for address in ("198.51.100.11", "198.51.100.12", "198.51.100.13"):
        flag(client, camera.id, address, reason="wrong_place")
    assert client.get(url).status_code == 200


def test_moderators_are_alerted_by_the_first_flag(client, app_context):
    camera, _url = camera_with_photo()
    other, _ = camera_with_photo()
    flag(client, other.id, "198.51.100.20", reason="spam")
    flag(client, camera.id, "198.51.100.21")
    # First in the queue although it came later; counted in the menu of every page.
    assert [(item.camera_id, item.reason) for item in open_flags()][:2] == [
        (camera.id, "personal_information"),
        (other.id, "spam"),
    ]
    log_in(client, make_user(role="moderator"))
    page = client.get("/moderate").get_data(as_text=True)
    assert "(1 about personal information)" in page


def test_the_privacy_statement_says_which_rule_applies(client):
    page = client.get("/privacy").get_data(as_text=True)
    assert "second" in page and "another visitor" in page and "personal information" in page
