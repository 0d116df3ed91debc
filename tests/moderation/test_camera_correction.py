"""Issue 12, item 0: moderators correct a verified camera (form and API) with stale-edit protection; the
history records each field from -> to; the density pyramid and the tiles follow at once; a flag can be
resolved by the correction."""

import mapbox_vector_tile
from geoalchemy2.shape import to_shape
from sqlalchemy import select

from tests.factories import make_camera
from tests.support.coverage_fixtures import SECOND, SQUARE, load_testland
from tests.support.maps import cell_count, tile_of
from webapp.kernel.data.models import Camera, Flag, ModerationEvent
from webapp.kernel.extensions import db
from webapp.tiles.pyramid import pyramid_discrepancies

CHICAGO = (-87.6298, 41.8781)
EVANSTON = (-87.6877, 42.0451)


def form_for(camera: Camera, **changes) -> dict:
    """The correction form as the page fills it in, with `changes` typed over it."""
    position = to_shape(camera.geom)
    seen = {
        "lat": f"{position.y:.7f}",
        "lon": f"{position.x:.7f}",
        "directions": ",".join(map(str, camera.directions)),
        "vendor": camera.vendor,
        "mount": camera.mount or "",
        "operator": camera.operator or "",
    }
    form = {**seen, **{f"seen_{name}": value for name, value in seen.items()}, "version": str(camera.version)}
    form.update(changes)
    return form


def correct_events(camera_id: int) -> list[ModerationEvent]:
    return list(
        db.session.scalars(
            select(ModerationEvent).where(
                ModerationEvent.target_id == camera_id,
                ModerationEvent.target_type == "camera",
                ModerationEvent.action == "correct",
            )
        )
    )


def test_the_form_moves_the_camera_and_density_and_tiles_follow(moderator_client, client, app_context):
    camera = make_camera(*CHICAGO, vendor="unknown", directions=[90], operator="CPD")
    page = moderator_client.get(f"/moderate/cameras/{camera.id}").get_data(as_text=True)
    assert 'id="correction-form"' in page and f'name="version" value="{camera.version}"' in page
    assert 'data-position-form="correction-form"' in page
    assert cell_count(13, *CHICAGO) == 1

    response = moderator_client.post(
        f"/moderate/cameras/{camera.id}/correct",
        data=form_for(
            camera, lat=str(EVANSTON[1]), lon=str(EVANSTON[0]), vendor="Flock Safety", directions="90, 270"
        ),
    )
    assert response.status_code == 303, response.get_data(as_text=True)
    db.session.expire_all()
    camera = db.session.get(Camera, camera.id)
    assert (camera.vendor, camera.directions) == ("flock-safety", [90, 270])
    assert sorted(camera.moderated_fields) == ["directions", "position", "vendor"]
    [event] = correct_events(camera.id)
    assert event.actor_id == moderator_client.user.id
    assert event.changes == [
        {"field": "lat", "from": 41.8781, "to": 42.0451},
        {"field": "lon", "from": -87.6298, "to": -87.6877},
        {"field": "directions", "from": [90], "to": [90, 270]},
        {"field": "vendor", "from": "unknown", "to": "flock-safety"},
    ]
    history = moderator_client.get(f"/moderate/cameras/{camera.id}").get_data(as_text=True)
    assert "unknown → flock-safety" in history

    # The pyramid and the tiles follow the moved camera at once.
    assert cell_count(13, *CHICAGO) == 0 and cell_count(13, *EVANSTON) == 1
    assert pyramid_discrepancies() == []
    x, y = tile_of(*EVANSTON, 16)
    [feature] = mapbox_vector_tile.decode(client.get(f"/tiles/16/{x}/{y}.pbf").data)["cameras"]["features"]
    assert feature["properties"] == {"id": camera.id, "vendor": "flock-safety", "directions": "90,270"}
    x, y = tile_of(*CHICAGO, 16)
    assert client.get(f"/tiles/16/{x}/{y}.pbf").data == b""


def test_a_stale_edit_is_a_409_that_says_what_changed_and_saves_nothing(moderator_client, app_context):
    camera = make_camera(*CHICAGO, vendor="flock-safety", directions=[90])
    db.session.commit()
    seen_form = form_for(camera, vendor="genetec")
    # Another moderator corrects the operator meanwhile.
    other = moderator_client.post(
        f"/api/v1/moderation/cameras/{camera.id}/correct",
        json={"version": camera.version, "fields": {"operator": "Chicago PD"}},
    )
    assert other.status_code == 200

    stale = moderator_client.post(f"/moderate/cameras/{camera.id}/correct", data=seen_form)
    assert stale.status_code == 409
    page = stale.get_data(as_text=True)
    assert "changed while you were editing it" in page and "operator – → Chicago PD" in page
    db.session.expire_all()
    assert db.session.get(Camera, camera.id).vendor == "flock-safety"

    api = moderator_client.post(
        f"/api/v1/moderation/cameras/{camera.id}/correct",
        json={
            "version": 1,
            "fields": {"vendor": "genetec"},
            "seen": {"lat": CHICAGO[1], "lon": CHICAGO[0], "directions": [90], "vendor": "flock-safety"},
        },
    )
    assert api.status_code == 409
    body = api.get_json()
    assert body["error"] == "stale_edit"
    assert body["current"]["fields"]["operator"] == "Chicago PD" and body["current"]["version"] == 2
    assert body["changed"] == [{"field": "operator", "from": None, "to": "Chicago PD"}]


def test_a_wrong_place_flag_is_resolved_by_the_correction(moderator_client, app_context):
    camera = make_camera(*CHICAGO)
    flag = Flag(camera_id=camera.id, reason="wrong_place", text="it is across the road")
    other_camera_flag = Flag(camera_id=make_camera().id, reason="spam")
    db.session.add_all([flag, other_camera_flag])
    db.session.commit()  # the refused request below rolls back what was not committed
    page = moderator_client.get(f"/moderate/cameras/{camera.id}").get_data(as_text=True)
    assert f'name="resolve_flags" value="{flag.id}" checked' in page

    refused = moderator_client.post(
        f"/moderate/cameras/{camera.id}/correct",
        data={**form_for(camera, lat="41.8783"), "resolve_flags": str(other_camera_flag.id)},
    )
    assert refused.status_code == 400
    response = moderator_client.post(
        f"/moderate/cameras/{camera.id}/correct",
        data={**form_for(camera, lat="41.8783"), "resolve_flags": str(flag.id)},
    )
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(Flag, flag.id).status == "resolved"
    resolved = db.session.scalars(
        select(ModerationEvent).where(
            ModerationEvent.target_type == "flag", ModerationEvent.target_id == flag.id
        )
    ).one()
    assert resolved.action == "resolve" and "lat 41.8781 → 41.8783" in resolved.reason


def test_nothing_to_correct_and_removed_cameras_are_refused(moderator_client, app_context):
    camera = make_camera(*CHICAGO)
    assert (
        moderator_client.post(f"/moderate/cameras/{camera.id}/correct", data=form_for(camera)).status_code
        == 400
    )
    removed = make_camera(*EVANSTON, status="removed")
    answer = moderator_client.post(
        f"/moderate/cameras/{removed.id}/correct", data=form_for(removed, vendor="genetec")
    )
    assert answer.status_code == 409
    no_version = {
        name: value for name, value in form_for(camera, vendor="genetec").items() if name != "version"
    }
    assert moderator_client.post(f"/moderate/cameras/{camera.id}/correct", data=no_version).status_code == 400


def test_moving_a_camera_to_another_county_moves_it_in_the_coverage_figures(
    moderator_client, client, app_context, tmp_path
):
    """A correction is an UPDATE of the camera's geom: the area trigger reassigns its county and the
    per-area counts follow in the same transaction, so the next coverage answer has it (issue 12, item 0)."""
    load_testland(tmp_path)
    camera = make_camera(-99.5, 40.5, vendor="flock-safety", directions=[90])  # in Square County

    def cameras_in(geoid: str) -> int:
        return client.get(f"/api/v1/coverage/areas/{geoid}").get_json()["area"]["cameras"]

    assert (cameras_in(SQUARE), cameras_in(SECOND)) == (1, 0)
    response = moderator_client.post(
        f"/moderate/cameras/{camera.id}/correct", data=form_for(camera, lon="-98.5", lat="40.5")
    )
    assert response.status_code == 303, response.get_data(as_text=True)
    assert (cameras_in(SQUARE), cameras_in(SECOND)) == (0, 1)
