"""Public flags: anyone flags a public camera (rate-limited); moderators resolve or dismiss, both logged; a
"personal information" flag hides the camera's photos until no such flag is open."""

from datetime import UTC, datetime

from sqlalchemy import select

from tests.factories import log_in, make_camera, make_photo, make_sighting, make_user, photo_bytes
from webapp.flags.service import count_open_flags, open_flags
from webapp.kernel.data.models import Camera, Flag, ModerationEvent
from webapp.kernel.extensions import db
from webapp.moderation.sightings import verify_sighting


def camera_with_photo():
    sighting = make_sighting()
    photo = make_photo(sighting, photo_bytes())
    camera = verify_sighting(sighting.id, make_user(role="moderator"))
    db.session.refresh(photo)
    return camera, photo


def test_anyone_can_flag_a_public_camera_and_nothing_about_them_is_kept(client, app_context):
    camera = make_camera()
    response = client.post(
        f"/cameras/{camera.id}/flag", data={"reason": "wrong_place", "text": " across the road "}
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/cameras/{camera.id}")
    flag = db.session.scalar(select(Flag).where(Flag.camera_id == camera.id))
    assert (flag.reason, flag.text, flag.status) == ("wrong_place", "across the road", "open")
    # Until issue 15 the flag was also an event ("flag", no actor) whose time was the flag's: now the flag
    # row is its only record, with its UTC day and no time, and the moderation log holds nothing of it.
    assert flag.flagged_on == datetime.now(UTC).date()
    assert db.session.scalar(select(ModerationEvent).where(ModerationEvent.target_type == "flag")) is None
    history = moderator_history(client, camera.id)
    assert f"flag {flag.id}" in history and flag.flagged_on.isoformat() in history
    assert "a moderator will look at this camera" in client.get(f"/cameras/{camera.id}").get_data(
        as_text=True
    )


def moderator_history(client, camera_id: int) -> str:
    """The camera's history page, as a moderator (logged in, then out again)."""
    moderator_client = client.application.test_client()
    log_in(moderator_client, make_user(role="moderator"))
    return moderator_client.get(f"/moderate/cameras/{camera_id}").get_data(as_text=True)


def test_bad_flags_are_a_clear_4xx(client, app_context):
    camera = make_camera()
    hidden = make_camera(status="hidden")
    assert client.post(f"/cameras/{camera.id}/flag", data={"reason": "boring"}).status_code == 400
    assert client.post(f"/cameras/{camera.id}/flag", data={}).status_code == 400
    other = client.post(f"/cameras/{camera.id}/flag", data={"reason": "other", "text": "  "})
    assert other.status_code == 400 and "something else" in other.get_data(as_text=True)
    too_long = {"reason": "spam", "text": "x" * 2001}
    assert client.post(f"/cameras/{camera.id}/flag", data=too_long).status_code == 400
    assert client.post(f"/cameras/{hidden.id}/flag", data={"reason": "spam"}).status_code == 404
    assert client.post("/cameras/999999/flag", data={"reason": "spam"}).status_code == 404
    assert db.session.scalar(select(Flag.id)) is None


def test_a_personal_information_flag_hides_the_photos_until_resolved(client, app_context):
    camera, photo = camera_with_photo()
    photo_url = f"/photos/{photo.content_hash}/display.jpg"
    assert client.get(photo_url).status_code == 200
    # Two visitors (a second flag from the same one would not hide them: see test_flag_policy.py).
    for address in ("192.0.2.1", "192.0.2.2"):
        client.post(
            f"/cameras/{camera.id}/flag",
            data={"reason": "personal_information", "text": "a face"},
            environ_base={"REMOTE_ADDR": address},
        )
    page = client.get(f"/cameras/{camera.id}").get_data(as_text=True)
    assert photo.content_hash not in page
    assert "photos are hidden" in page
    assert client.get(photo_url).status_code == 404

    log_in(client, make_user(role="moderator"))
    first, second = db.session.scalars(select(Flag.id).where(Flag.camera_id == camera.id).order_by(Flag.id))
    assert client.post(f"/moderate/flags/{first}/dismiss", data={"note": "no face"}).status_code == 303
    # Another "personal information" flag is still open: the photos stay hidden.
    assert client.get(photo_url).status_code == 404
    assert client.post(f"/moderate/flags/{second}/resolve").status_code == 303
    assert client.get(photo_url).status_code == 200
    assert db.session.get(Camera, camera.id).photos_hidden is False


def test_the_flag_queue_resolves_and_dismisses_with_a_log(client, app_context):
    moderator = make_user(role="moderator")
    camera = make_camera()
    client.post(f"/cameras/{camera.id}/flag", data={"reason": "does_not_exist", "text": "pole is empty"})
    client.post(f"/cameras/{camera.id}/flag", data={"reason": "spam"})
    log_in(client, moderator)
    html = client.get("/moderate/flags").get_data(as_text=True)
    assert "pole is empty" in html and html.count('class="flag-item"') == 2
    assert "2 open flags" in html
    resolved, dismissed = db.session.scalars(select(Flag.id).order_by(Flag.id)).all()
    assert client.post(f"/moderate/flags/{resolved}/resolve", data={"note": "removed it"}).status_code == 303
    assert client.post(f"/moderate/flags/{dismissed}/dismiss").status_code == 303
    again = client.post(f"/moderate/flags/{resolved}/dismiss")
    assert again.status_code == 409 and "already handled" in again.get_data(as_text=True)
    assert client.post("/moderate/flags/999999/resolve").status_code == 404
    assert "No open flags." in client.get("/moderate/flags").get_data(as_text=True)
    logged = db.session.execute(
        select(
            ModerationEvent.action,
            ModerationEvent.actor_id,
            ModerationEvent.from_status,
            ModerationEvent.to_status,
        )
        .where(ModerationEvent.target_type == "flag", ModerationEvent.actor_id.is_not(None))
        .order_by(ModerationEvent.id)
    ).all()
    assert [tuple(row) for row in logged] == [
        ("resolve", moderator.id, "open", "resolved"),
        ("dismiss", moderator.id, "open", "dismissed"),
    ]
    history = client.get(f"/moderate/cameras/{camera.id}").get_data(as_text=True)
    assert "removed it" in history


def test_flagging_is_rate_limited(app_with, app_context):
    limited = app_with(RATELIMIT_ENABLED=True, RATELIMIT_FLAG="2/hour")
    camera = make_camera()
    client = limited.test_client()
    statuses = [
        client.post(f"/cameras/{camera.id}/flag", data={"reason": "spam"}).status_code for _ in range(3)
    ]
    assert statuses == [303, 303, 429]
    assert db.session.scalar(select(Flag.id).where(Flag.camera_id == camera.id).offset(2)) is None


def test_the_flag_queue_shows_the_oldest_first_and_says_how_many_are_open(client, app_context):
    camera = make_camera()
    for reason in ("spam", "wrong_place", "does_not_exist"):
        client.post(f"/cameras/{camera.id}/flag", data={"reason": reason})
    oldest_two = open_flags(limit=2)
    assert [flag.reason for flag in oldest_two] == ["spam", "wrong_place"]
    assert count_open_flags() == 3
