"""One of every page type, with real rows behind it, for the tests that visit every page (accessibility, no
sideways scrolling on a phone) and for the screenshots: Testland's areas and cameras (coverage), a pending
report with a photo, a group of two reports of one camera, a flag, an OpenStreetMap import whose second run
leaves one camera differing and one gone, and the accounts that see the moderation pages."""

from dataclasses import dataclass
from pathlib import Path

from tests.factories import DEFAULT_PASSWORD, make_photo, make_sighting, make_user
from tests.support.agencies import newsroom_world
from tests.support.coverage_fixtures import SQUARE, STATE, load_testland, place_cameras
from tests.support.osm import alpr_node, overpass_file
from webapp.flags.service import flag_camera
from webapp.kernel.data.models import Camera, OperatorLink
from webapp.kernel.extensions import db

MODERATOR_LOGIN = "pages_admin"  # an admin: a moderator who also sees the accounts page


@dataclass(frozen=True)
class SitePages:
    public: dict[str, str]  # page type -> path, for anyone
    moderator: dict[str, str]  # page type -> path, after logging in as MODERATOR_LOGIN
    camera_id: int


def _osm_cameras(runner, folder: Path) -> tuple[int, int]:
    """Import two OSM cameras, let a moderator own one's vendor, then import again: that one differs from
    OSM, and the other, missing from a file declared complete, is gone."""
    differing = alpr_node(9001, 40.6, -99.6, {"manufacturer": "Flock Safety", "direction": "90"})
    vanishing = alpr_node(9002, 40.7, -99.7, {"manufacturer": "Genetec", "direction": "180"})
    first = runner.invoke(
        args=["cameras", "import", str(overpass_file(folder / "osm-1.json", differing, vanishing))]
    )
    assert first.exit_code == 0, first.output
    camera = db.session.query(Camera).filter_by(osm_type="node", osm_id=9001).one()
    camera.vendor, camera.moderated_fields = "genetec", ["vendor"]
    db.session.commit()
    changed = alpr_node(
        9001, 40.6, -99.6, {"manufacturer": "Motorola Solutions", "direction": "90"}, version=2
    )
    second = runner.invoke(
        args=[
            "cameras",
            "import",
            "--complete-bbox",
            "-100,40,-99,41",
            str(overpass_file(folder / "osm-2.json", changed)),
        ]
    )
    assert second.exit_code == 0, second.output
    gone = db.session.query(Camera).filter_by(osm_type="node", osm_id=9002).one()
    return camera.id, gone.id


def _agencies() -> dict[str, int]:
    """The agencies of tests/support/agencies.py, and one operator text waiting in the moderators' queue."""
    world = newsroom_world()
    sylvania = world["sylvania"]
    db.session.add(
        OperatorLink(
            operator_key="city of sylvania",
            operator="City of Sylvania",
            state="queued",
            candidates=[{"agency_id": sylvania.id, "name": sylvania.name, "state": "OH", "score": 88.5}],
        )
    )
    db.session.commit()
    return {"sylvania": sylvania.id, "fbi": world["fbi"].id}


def build_site(app, runner, folder: Path) -> SitePages:
    """Commit the rows (call inside a test that uses `live_server`, whose fixture empties the tables)."""
    with app.app_context():
        load_testland(folder)
        cameras = place_cameras()
        camera_id = cameras["A"].id
        moderator = make_user(MODERATOR_LOGIN, role="admin")
        reporter = make_user("pages_reporter")
        single = make_sighting(-99.3, 40.9, vendor="genetec", directions=[45], submitter_id=reporter.id)
        make_photo(single)
        first = make_sighting(-99.8, 40.1, directions=[90])
        second = make_sighting(-99.80005, 40.10003, directions=[90])
        # The moderator's own report, already rejected: their "my sightings" page has a row.
        make_sighting(-99.1, 40.8, submitter_id=moderator.id, status="rejected", reject_reason="Not a camera")
        flag_camera(camera_id, "wrong_place", None)
        db.session.commit()
        differing_id, _gone_id = _osm_cameras(runner, folder)
        agencies = _agencies()
        return SitePages(
            public={
                "map": "/",
                "embed": "/embed?z=9&lat=40.5&lon=-99.5",
                "submit": "/submit",
                "status": "/submit/status",
                "camera": f"/cameras/{camera_id}",
                "coverage": "/coverage",
                "coverage-area": f"/coverage/areas/{STATE}",
                "coverage-county": f"/coverage/areas/{SQUARE}",
                "agencies": "/agencies?state=OH",
                "agency": f"/agencies/{agencies['sylvania']}",
                "agency-relations": f"/agencies/{agencies['sylvania']}/relations",
                "feeding-cameras": f"/agencies/{agencies['fbi']}/feeding-cameras",
                "receivers": f"/agencies/receivers?state={STATE}",
                "policy-vs-federal": "/agencies/policy-vs-federal",
                "network": f"/agencies/network?agency={agencies['sylvania']}",
                "privacy": "/privacy",
                "login": "/login",
                "not-found": "/no-such-page",
            },
            moderator={
                "queue": "/moderate",
                "review": f"/moderate/sightings/{single.id}",
                "group": f"/moderate/groups?ids={first.id},{second.id}",
                "camera-moderation": f"/moderate/cameras/{differing_id}",
                "flags": "/moderate/flags",
                "users": "/admin/users",
                "osm": "/moderate/osm",
                "own-sightings": "/account/sightings",
                "operator-queue": "/moderate/agencies/operators",
                "agency-edit": f"/moderate/agencies/{agencies['sylvania']}",
                "agency-new": "/moderate/agencies/new",
                "map": "/",
                "camera": f"/cameras/{camera_id}",
            },
            camera_id=camera_id,
        )


def log_in_page(page, base_url: str, login: str = MODERATOR_LOGIN) -> None:
    """Log a Playwright page in through the real login form."""
    page.goto(f"{base_url}/login")
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state()
