"""Issue 12, the import side of the OpenStreetMap round trip, on real PostGIS through `flask cameras import`:
a moderator's edit survives a re-import (and OSM's change of it is listed), deletions are noticed only in a
file declared complete, a report matching an imported camera is proposed as that camera and merged."""

from datetime import date

from geoalchemy2.shape import to_shape
from sqlalchemy import select, text

from tests.factories import make_camera, make_photo, make_sighting, make_user, publish
from tests.support.osm import alpr_node, overpass_file
from webapp.kernel.data.models import (
    Camera,
    ModerationEvent,
    OsmElement,
    OsmImportRun,
    OsmLinkProposal,
    Sighting,
)
from webapp.kernel.extensions import db
from webapp.moderation.osm.review import confirm_removal, keep_gone_camera, merge_link
from webapp.opendata.export_files import write_exports

CHICAGO = (41.8781, -87.6298)


def run_import(runner, path, *options):
    result = runner.invoke(args=["cameras", "import", *options, str(path)])
    db.session.expire_all()
    return result


def osm_camera(osm_id: int) -> Camera:
    return db.session.scalars(select(Camera).where(Camera.osm_type == "node", Camera.osm_id == osm_id)).one()


def element(camera: Camera) -> OsmElement:
    return db.session.get(OsmElement, camera.id)


def events(camera_id: int, action: str) -> list[ModerationEvent]:
    return list(
        db.session.scalars(
            select(ModerationEvent).where(
                ModerationEvent.target_type == "camera",
                ModerationEvent.target_id == camera_id,
                ModerationEvent.action == action,
            )
        )
    )


def three_nodes(**changes) -> list[dict]:
    nodes = {
        1: alpr_node(1, 41.8781, -87.6298, {"manufacturer": "Flock Safety", "direction": "270;90"}),
        2: alpr_node(2, 41.8881, -87.6398, {"manufacturer": "Flock Safety", "direction": "180"}),
        3: alpr_node(3, 42.3601, -71.0589, {"manufacturer": "Genetec", "operator": "Boston PD"}),
    }
    for osm_id, tags in changes.items():
        node = nodes[int(osm_id.removeprefix("n"))]
        if tags is None:
            del nodes[node["id"]]
        else:
            node["tags"].update(tags)
            node["version"] += 1
    return list(nodes.values())


def correct_via_api(client, camera: Camera, **fields):
    response = client.post(
        f"/api/v1/moderation/cameras/{camera.id}/correct", json={"version": camera.version, "fields": fields}
    )
    assert response.status_code == 200, response.get_json()
    db.session.expire_all()
    return response.get_json()


def test_a_moderators_edit_survives_a_re_import_and_osms_change_of_it_is_listed(
    moderator_client, runner, app_context, tmp_path
):
    assert run_import(runner, overpass_file(tmp_path / "a.json", *three_nodes())).exit_code == 0
    camera = osm_camera(1)
    assert (camera.vendor, camera.directions, camera.moderated_fields) == ("flock-safety", [90, 270], [])
    # The mapper's order is kept beside the camera's canonical one.
    assert element(camera).directions == [270, 90] and element(camera).osm_version == 1

    state = correct_via_api(moderator_client, camera, vendor="Genetec")
    assert state["moderated_fields"] == ["vendor"]

    # The same file again: our vendor stays, nothing is listed, nothing is rewritten.
    version = osm_camera(1).version
    again = run_import(runner, overpass_file(tmp_path / "b.json", *three_nodes()))
    assert again.exit_code == 0, again.output
    assert "unchanged        3" in again.output and "differ" not in again.output
    assert (osm_camera(1).vendor, osm_camera(1).version) == ("genetec", version)

    # A mapper changes the vendor (ours) and the operator (OSM's) of node 1.
    changed = run_import(
        runner,
        overpass_file(
            tmp_path / "c.json", *three_nodes(n1={"manufacturer": "Motorola Solutions", "operator": "CPD"})
        ),
    )
    assert changed.exit_code == 0, changed.output
    assert "1  differ from OpenStreetMap in a field a moderator set" in changed.output
    camera = osm_camera(1)
    assert camera.vendor == "genetec"  # the moderator's edit is kept
    assert camera.operator == "CPD"  # OSM's field follows OSM
    assert element(camera).differs == ["vendor"] and element(camera).vendor == "motorola-vigilant"
    [listed] = events(camera.id, "osm_differs")
    assert listed.changes == [{"field": "vendor", "from": "genetec", "to": "motorola-vigilant"}]
    run = db.session.scalars(select(OsmImportRun).order_by(OsmImportRun.id.desc())).first()
    assert (run.differs, run.source_name) == (1, "c.json")
    page = moderator_client.get("/moderate/osm").get_data(as_text=True)
    assert f'id="differs-{camera.id}"' in page and "motorola-vigilant" in page

    # Keep ours: the difference is decided and audited; the field stays the moderators'.
    response = moderator_client.post(
        f"/moderate/osm/cameras/{camera.id}/keep", data={"field": "vendor", "version": camera.version}
    )
    assert response.status_code == 303
    db.session.expire_all()
    assert element(camera).differs == [] and osm_camera(1).moderated_fields == ["vendor"]
    [kept] = events(camera.id, "keep_ours")
    assert kept.actor_id == moderator_client.user.id
    assert kept.changes == [{"field": "vendor", "from": "motorola-vigilant", "to": "genetec"}]
    # Re-importing the same OSM data does not list it again.
    assert "differ" not in run_import(runner, tmp_path / "c.json").output

    # Once OpenStreetMap says what we say, the field is OpenStreetMap's again.
    agreed = run_import(
        runner,
        overpass_file(tmp_path / "d.json", *three_nodes(n1={"manufacturer": "Genetec", "operator": "CPD"})),
    )
    assert "1  now agree with OpenStreetMap" in agreed.output
    assert osm_camera(1).moderated_fields == []


def test_take_theirs_applies_osms_value_and_gives_the_field_back(
    moderator_client, runner, app_context, tmp_path
):
    run_import(runner, overpass_file(tmp_path / "a.json", *three_nodes()))
    camera = osm_camera(2)
    correct_via_api(moderator_client, camera, directions=[200], lat=41.8882)
    run_import(runner, overpass_file(tmp_path / "b.json", *three_nodes(n2={"direction": "NW"})))
    camera = osm_camera(2)
    assert camera.directions == [200] and element(camera).differs == ["directions"]
    response = moderator_client.post(
        f"/moderate/osm/cameras/{camera.id}/take", data={"field": "directions", "version": camera.version}
    )
    assert response.status_code == 303
    camera = osm_camera(2)
    assert camera.directions == [315]
    assert camera.moderated_fields == ["position"]  # the corrected position stays ours
    assert round(to_shape(camera.geom).y, 4) == 41.8882
    [taken] = events(camera.id, "take_osm")
    assert taken.changes == [{"field": "directions", "from": [200], "to": [315]}]
    # A stale decision (the version the page showed is old) is refused.
    stale = moderator_client.post(
        f"/moderate/osm/cameras/{camera.id}/keep", data={"field": "directions", "version": 1}
    )
    assert stale.status_code == 409


def test_a_complete_file_queues_deletions_and_a_partial_one_never_does(
    moderator_client, runner, app_context, tmp_path
):
    run_import(runner, overpass_file(tmp_path / "a.json", *three_nodes()))
    without_2 = overpass_file(tmp_path / "b.json", *three_nodes(n2=None))

    partial = run_import(runner, without_2)
    assert partial.exit_code == 0 and "gone" not in partial.output
    assert element(osm_camera(2)).gone_on is None

    # Complete for a box around Boston only: node 2 (Chicago) is outside, so nothing happens to it.
    boston = run_import(runner, without_2, "--complete-bbox", "-71.5,42,-70.5,42.7")
    assert "gone" not in boston.output and element(osm_camera(2)).gone_on is None

    complete = run_import(runner, without_2, "--complete")
    assert complete.exit_code == 0, complete.output
    assert "1  cameras gone from OpenStreetMap: queued for review" in complete.output
    camera = osm_camera(2)
    assert camera.status == "verified"  # queued, not removed
    assert element(camera).gone_on is not None
    assert events(camera.id, "osm_gone")[0].actor_id is None
    page = moderator_client.get("/moderate/osm").get_data(as_text=True)
    assert f'id="gone-{camera.id}"' in page

    # The moderator confirms the removal with its month: it is in the removed-cameras export.
    confirm_removal(camera.id, moderator_client.user, date(2026, 3, 1))
    assert (camera.status, camera.removed_month) == ("removed", date(2026, 3, 1))
    write_exports()  # the exports are files, written when the cameras change (webapp.opendata.export_files)
    removed = moderator_client.get("/api/v1/cameras/removed.csv").get_data(as_text=True)
    assert f"\n{camera.id}," in removed and removed.splitlines()[0].endswith(",removed")
    assert ",2026-03" in removed.splitlines()[1]
    # And a camera that came back to the file is no longer gone.
    run_import(runner, tmp_path / "a.json", "--complete")
    assert element(osm_camera(2)).gone_on is None


def test_keeping_a_gone_camera_detaches_it_from_osm(moderator_client, runner, app_context, tmp_path):
    run_import(runner, overpass_file(tmp_path / "a.json", *three_nodes()))
    run_import(runner, overpass_file(tmp_path / "b.json", *three_nodes(n3=None)), "--complete")
    camera = osm_camera(3)
    keep_gone_camera(camera.id, moderator_client.user, "seen last week")
    db.session.flush()
    assert (camera.osm_type, camera.status, camera.moderated_fields[0]) == (None, "verified", "position")
    assert db.session.get(OsmElement, camera.id) is None
    # The next complete import no longer lists it.
    assert "gone" not in run_import(runner, tmp_path / "b.json", "--complete").output


def test_a_complete_import_of_a_partial_or_failed_file_is_refused(runner, app_context, tmp_path):
    run_import(runner, overpass_file(tmp_path / "a.json", *three_nodes()))
    timed_out = overpass_file(
        tmp_path / "t.json", *three_nodes()[:1], remark='runtime error: Query timed out in "query" at line 1'
    )
    refused = run_import(runner, timed_out, "--complete")
    assert refused.exit_code == 1 and "partial" in refused.output
    empty = run_import(runner, overpass_file(tmp_path / "e.json"), "--complete")
    assert empty.exit_code == 1 and "no camera" in empty.output
    assert db.session.scalar(text("SELECT count(*) FROM osm_elements WHERE gone_on IS NOT NULL")) == 0
    assert db.session.scalar(text("SELECT count(*) FROM osm_import_runs")) == 1


def test_a_report_matching_an_imported_camera_is_proposed_and_merged_keeping_the_osm_identity(
    moderator_client, runner, app_context, tmp_path
):
    run_import(runner, overpass_file(tmp_path / "a.json", *three_nodes()))
    imported = osm_camera(1)
    # A report 3 m north of node 1, facing west.
    sighting = make_sighting(-87.6298, 41.87813, directions=[265])
    photo = make_photo(sighting, suggested_boxes=[])
    html = moderator_client.get("/moderate").get_data(as_text=True)
    assert 'class="proposed-link"' in html and "OpenStreetMap node 1" in html
    assert "Proposed: this report is that mapped camera" in html

    response = moderator_client.post(
        f"/api/v1/moderation/sightings/{sighting.id}/merge", json={"camera_id": imported.id}
    )
    assert response.status_code == 200, response.get_json()
    db.session.expire_all()
    camera = osm_camera(1)
    assert camera.id == imported.id and camera.confirmations == 2
    assert db.session.get(Sighting, sighting.id).camera_id == camera.id
    assert db.session.get(type(photo), photo.id).public


def test_an_import_proposes_a_link_to_a_reported_camera_and_a_merge_makes_one_camera(
    moderator_client, runner, app_context, tmp_path
):
    reported = make_camera(-87.6298, 41.87815, directions=[90], vendor="flock-safety")
    sighting = make_sighting(-87.6298, 41.87815, status="accepted", camera_id=reported.id)
    photo = publish(make_photo(sighting, suggested_boxes=[]))
    db.session.flush()
    cells = db.session.scalar(text("SELECT sum(cameras) FROM density_cells WHERE z = 13"))

    result = run_import(runner, overpass_file(tmp_path / "a.json", *three_nodes()))
    assert "1  links proposed" in result.output
    [proposal] = db.session.scalars(select(OsmLinkProposal)).all()
    imported = osm_camera(1)
    assert (proposal.report_camera_id, proposal.osm_camera_id) == (reported.id, imported.id)
    assert 5 < proposal.distance_m < 6
    page = moderator_client.get("/moderate/osm").get_data(as_text=True)
    assert f'id="link-{proposal.id}"' in page

    merged = merge_link(proposal.id, make_user(role="moderator"))
    db.session.flush()
    db.session.expire_all()
    assert merged.id == reported.id
    camera = osm_camera(1)
    assert camera.id == reported.id and camera.source == "osm"
    assert db.session.get(Camera, imported.id) is None
    assert camera.confirmations == 2  # the report and the OpenStreetMap entry
    assert db.session.get(Sighting, sighting.id).camera_id == camera.id
    assert db.session.get(type(photo), photo.id).public
    assert element(camera).directions == [270, 90]
    # Ours differ from OSM's (directions, position): ours are kept, as the moderators'.
    assert camera.moderated_fields == ["directions", "position"]
    # One camera in the density pyramid again, as before the import added the second.
    assert db.session.scalar(text("SELECT sum(cameras) FROM density_cells WHERE z = 13")) == cells + 2
    assert events(camera.id, "link_osm")[0].changes[0] == {"field": "osm", "from": None, "to": "node/1"}
    # Re-importing proposes nothing again.
    assert "links proposed" not in run_import(runner, tmp_path / "a.json").output


def test_the_map_and_coverage_pages_say_the_data_date_of_the_last_import(
    client, runner, app_context, tmp_path
):
    assert "OpenStreetMap data as of" not in client.get("/").get_data(as_text=True)
    run_import(runner, overpass_file(tmp_path / "a.json", *three_nodes()))
    for page in ("/", "/coverage"):
        assert "OpenStreetMap data as of 2026-04-12" in client.get(page).get_data(as_text=True), page
    # A file that does not say its date can be given one.
    deflock = tmp_path / "deflock.json"
    deflock.write_text('[{"osmId": 7, "osmType": "node", "lat": 40.0, "lon": -80.0}]')
    assert runner.invoke(args=["cameras", "import", "--data-date", "2026-05-01", str(deflock)]).exit_code == 0
    assert "OpenStreetMap data as of 2026-05-01" in client.get("/").get_data(as_text=True)
