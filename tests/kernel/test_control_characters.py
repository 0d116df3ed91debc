"""NUL and other control characters in any text field of any request are a 400 that names the field, never
a 500 whose log line would carry the text; the domain's own checks refuse them for callers outside a
request (the command line, other domains)."""

import logging

import pytest

from tests.factories import log_in, make_camera, make_sighting, make_user
from webapp.flags.service import close_flag, flag_camera
from webapp.kernel.data.models import Flag
from webapp.kernel.errors import InvalidField
from webapp.kernel.extensions import db
from webapp.kernel.http.text_input import has_control_characters
from webapp.moderation.reasons import optional_reason, reject_reason_text

SECRET = "my-own-words"
DIRTY = [f"{SECRET}\x00", f"{SECRET}\x07", f"\x1b[31m{SECRET}", f"{SECRET}\x9b", f"{SECRET}\x7f"]


@pytest.fixture
def world(client, app_context):
    camera = make_camera()
    sighting = make_sighting()
    moderator = make_user(role="moderator")
    flag = flag_camera(camera.id, "wrong_place", "across the road")
    db.session.commit()  # into the test's transaction: refusals roll back only their own request
    return camera, sighting, moderator, flag


def _requests(camera, sighting, flag, dirty):
    return [
        ("post", f"/cameras/{camera.id}/flag", {"data": {"reason": "other", "text": dirty}}),
        ("post", f"/moderate/flags/{flag.id}/dismiss", {"data": {"note": dirty}}),
        ("post", f"/moderate/cameras/{camera.id}/hide", {"data": {"reason": dirty}}),
        ("post", f"/moderate/sightings/{sighting.id}/reject", {"data": {"reason": "other", "text": dirty}}),
        (
            "post",
            f"/api/v1/moderation/sightings/{sighting.id}/reject",
            {"json": {"reason": "other", "text": dirty}},
        ),
        (
            "post",
            f"/api/v1/moderation/sightings/{sighting.id}/verify",
            {"json": {"fields": {"operator": dirty}}},
        ),
        (
            "post",
            f"/api/v1/moderation/sightings/{sighting.id}/reject",
            {"json": {"reason": "spam", dirty: 1}},
        ),
        (
            "post",
            "/api/v1/sightings",
            {"data": {"lat": "41.9", "lon": "-87.6", "directions": "90", "notes": dirty}},
        ),
        ("post", "/submit", {"data": {"lat": "41.9", "lon": "-87.6", "directions": "90", "operator": dirty}}),
        ("post", "/submit/status", {"data": {"receipt": dirty}}),
        ("post", "/login", {"data": {"login": dirty, "password": "whatever it is"}}),
        ("get", f"/api/v1/cameras?bbox={dirty}", {}),
        ("get", f"/submit/nearby?lat=41.9&lon=-87.6&{dirty}=1", {}),
    ]


@pytest.mark.parametrize("dirty", DIRTY)
def test_every_text_field_refuses_control_characters_with_a_400(client, world, caplog, dirty):
    camera, sighting, moderator, flag = world
    log_in(client, moderator)
    caplog.set_level(logging.DEBUG)
    for method, url, options in _requests(camera, sighting, flag, dirty):
        response = getattr(client, method)(url, **options)
        assert response.status_code == 400, (url, response.status_code)
        assert "plain text" in response.get_data(as_text=True), url
    assert SECRET not in caplog.text
    # Nothing was changed by any of them.
    db.session.expire_all()
    assert db.session.get(Flag, flag.id).status == "open"
    assert sighting.status == "pending" and camera.status == "verified"


def test_tabs_and_line_breaks_are_still_text(client, world):
    camera, *_ = world
    response = client.post(
        f"/cameras/{camera.id}/flag", data={"reason": "other", "text": "line one\r\n\tline two"}
    )
    assert response.status_code == 303


@pytest.mark.parametrize("dirty", DIRTY)
def test_the_domain_checks_refuse_them_too(app_context, dirty):
    camera = make_camera()
    moderator = make_user(role="moderator")
    with pytest.raises(InvalidField):
        flag_camera(camera.id, "other", dirty)
    flag = flag_camera(camera.id, "spam", None)
    with pytest.raises(InvalidField):
        close_flag(flag.id, moderator, "dismiss", dirty)
    with pytest.raises(InvalidField):
        reject_reason_text("other", dirty)
    with pytest.raises(InvalidField):
        optional_reason(dirty)


def test_a_login_with_a_nul_is_refused_on_the_command_line(runner, app_context):
    result = runner.invoke(args=["users", "create", "bad\x00name"], input="a long enough password\n" * 2)
    assert result.exit_code != 0
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("text", "dirty"),
    [
        ("plain", False),
        ("tab\tand\nnewline\r", False),
        ("nul\x00", True),
        ("c1\x85", True),
        ("é ü 漢字", False),
    ],
)
def test_has_control_characters(text, dirty):
    assert has_control_characters(text) is dirty
