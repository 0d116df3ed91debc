"""Who may use which route: every rule of the app's URL map x {anonymous, reporter, moderator, admin} ->
the expected status. The list is checked against the URL map, so a new route without an entry (or an entry
for a route that is gone) fails the test.

Anonymous visitors on moderator or account pages are sent to the login page (302); under /api/ they get
401. Logged-in accounts without the role get 403. Each request runs on fresh rows, so an action that one
role carried out does not change what the next role sees.
"""

import itertools
from dataclasses import dataclass, field
from datetime import date

import pytest

from tests.factories import log_in, make_camera, make_photo, make_sighting, make_user, publish
from webapp.agencies.public.open_data import AGENCY_EXPORTS
from webapp.kernel.data.models import Agency, AgencySharing, Flag, OperatorLink, OsmElement, OsmLinkProposal
from webapp.kernel.extensions import db
from webapp.opendata.export_files import write_exports

OSM_IDS = itertools.count(900_000_001)

ROLES = ("anonymous", "reporter", "moderator", "admin")


def everyone(status: int) -> dict:
    return dict.fromkeys(ROLES, status)


def logged_in(status: int) -> dict:
    return {"anonymous": 302, "reporter": status, "moderator": status, "admin": status}


def moderators(status: int) -> dict:
    return {"anonymous": 302, "reporter": 403, "moderator": status, "admin": status}


def moderators_api(status: int) -> dict:
    return {"anonymous": 401, "reporter": 403, "moderator": status, "admin": status}


def admins(status: int) -> dict:
    return {"anonymous": 302, "reporter": 403, "moderator": 403, "admin": status}


@dataclass
class World:
    """Fresh rows for one request: a public camera, a pending sighting with a photo, a published photo, an
    open flag, and the account whose role can be changed."""

    camera_id: int
    sighting_id: int
    receipt: str
    pending_hash: str
    published_hash: str
    published_photo_id: int
    flag_id: int
    user_id: int
    # An OpenStreetMap camera that differs from OSM in its vendor and is gone from a complete import, and a
    # proposed link between it and the reported camera above.
    osm_camera_id: int
    proposal_id: int
    # Two agencies, a sharing relation between them, and an operator text waiting in the moderators' queue.
    agency_id: int = 0
    other_agency_id: int = 0
    relation_id: int = 0
    link_id: int = 0


def make_world(user_id: int) -> World:
    camera = make_camera()
    pending = make_sighting()
    pending_photo = make_photo(pending)
    merged = make_sighting(status="merged", camera_id=camera.id)
    published = publish(make_photo(merged, suggested_boxes=[]))
    flag = Flag(camera_id=camera.id, reason="spam")
    db.session.add(flag)
    osm_camera = make_camera(
        -87.62985, 41.87812, source="osm", osm_type="node", osm_id=next(OSM_IDS), moderated_fields=["vendor"]
    )
    db.session.add(
        OsmElement(
            camera_id=osm_camera.id,
            lon=-87.62985,
            lat=41.87812,
            vendor="genetec",
            directions=[90],
            differs=["vendor"],
            gone_on=date(2026, 4, 1),
            osm_version=3,
            tags={"man_made": "surveillance"},
        )
    )
    proposal = OsmLinkProposal(osm_camera_id=osm_camera.id, report_camera_id=camera.id, distance_m=4.0)
    db.session.add(proposal)
    agency, other_agency = (
        Agency(name="Sylvania OH PD", state="OH", kind="police"),
        Agency(name="FBI", kind="federal"),
    )
    db.session.add_all([agency, other_agency])
    db.session.flush()
    relation = AgencySharing(
        from_agency_id=agency.id, to_agency_id=other_agency.id, source="portal", seen_on=date(2024, 4, 26),
        recorded_by="import",
    )  # fmt: skip
    operator = f"Matrix Police {next(OSM_IDS)}"
    link = OperatorLink(operator_key=operator.lower(), operator=operator, state="queued")
    db.session.add_all([relation, link])
    db.session.flush()
    write_exports()  # the export routes serve the files this writes
    write_exports(export_set=AGENCY_EXPORTS)
    return World(
        camera_id=camera.id,
        sighting_id=pending.id,
        receipt=pending.receipt,
        pending_hash=pending_photo.content_hash,
        published_hash=published.content_hash,
        published_photo_id=published.id,
        flag_id=flag.id,
        user_id=user_id,
        osm_camera_id=osm_camera.id,
        proposal_id=proposal.id,
        agency_id=agency.id,
        other_agency_id=other_agency.id,
        relation_id=relation.id,
        link_id=link.id,
    )


@dataclass
class Case:
    path: object  # a string, or a function of the World
    expected: dict
    data: dict | None = None
    json: object = None
    query: dict = field(default_factory=dict)

    def url(self, world: World) -> str:
        return self.path(world) if callable(self.path) else self.path


# (endpoint, method) -> the request and the status each role gets.
MATRIX: dict[tuple[str, str], Case] = {
    # Public pages and files.
    ("map.index", "GET"): Case("/", everyone(200)),
    ("map.gazetteer", "GET"): Case("/map/gazetteer.json", everyone(200)),
    ("map.embed", "GET"): Case("/embed?z=12&lat=41.88&lon=-87.63", everyone(200)),
    ("map.view_image", "GET"): Case("/map.png?width=200&height=200", everyone(200)),
    ("privacy.statement", "GET"): Case("/privacy", everyone(200)),
    ("static", "GET"): Case("/static/css/site.css", everyone(200)),
    ("frontend.package_file", "GET"): Case("/npm/leaflet/dist/leaflet.js", everyone(200)),
    ("frontend.favicon", "GET"): Case("/favicon.ico", everyone(200)),
    ("cameras.camera_page", "GET"): Case(lambda w: f"/cameras/{w.camera_id}", everyone(200)),
    ("flags.flag", "POST"): Case(
        lambda w: f"/cameras/{w.camera_id}/flag", everyone(303), data={"reason": "spam"}
    ),
    ("photos.public_photo", "GET"): Case(lambda w: f"/photos/{w.published_hash}/thumb.jpg", everyone(200)),
    ("tiles.tile", "GET"): Case("/tiles/0/0/0.pbf", everyone(200)),
    # Submission (accounts are optional for reporting).
    ("submit.form", "GET"): Case("/submit", everyone(200)),
    ("submit.submit", "POST"): Case("/submit", everyone(400), data={}),
    ("submit.nearby", "GET"): Case("/submit/nearby?lon=-87.6298&lat=41.8781", everyone(200)),
    ("submit.photo_position", "POST"): Case("/submit/photo-position", everyone(200), data={}),
    ("submit.receipt", "GET"): Case("/submit/receipt", everyone(200)),
    ("submit.forget_receipt", "POST"): Case("/submit/receipt/forget", everyone(303), data={}),
    ("submit.status_form", "GET"): Case("/submit/status", everyone(200)),
    ("submit.status", "POST"): Case("/submit/status", everyone(200), data={"receipt": None}),
    ("submit_api.create_sighting", "POST"): Case("/api/v1/sightings", everyone(400), data={}),
    ("submit_api.sighting_status", "GET"): Case(lambda w: f"/api/v1/sightings/{w.receipt}", everyone(200)),
    # Open data.
    ("opendata.cameras_in_area", "GET"): Case("/api/v1/cameras?bbox=-88,41,-87,42", everyone(200)),
    ("opendata.cameras_count", "GET"): Case("/api/v1/cameras/count?bbox=-88,41,-87,42", everyone(200)),
    ("opendata.removed_export", "GET"): Case("/api/v1/cameras/removed.csv", everyone(200)),
    ("opendata.export", "GET"): Case("/api/v1/cameras.geojson?bbox=-88,41,-87,42", everyone(200)),
    # Coverage (no areas are loaded here: an unknown area is a 404 for everyone).
    ("coverage.index", "GET"): Case("/coverage", everyone(200)),
    ("coverage.area_page", "GET"): Case("/coverage/areas/17", everyone(404)),
    ("coverage.county_cameras_csv", "GET"): Case("/coverage/areas/17031/cameras.csv", everyone(404)),
    ("coverage.place", "GET"): Case("/coverage/place?name=Nowhere", everyone(404)),
    ("coverage_api.states", "GET"): Case("/api/v1/coverage/states", everyone(200)),
    ("coverage_api.states_csv", "GET"): Case("/api/v1/coverage/states.csv", everyone(200)),
    ("coverage_api.counties", "GET"): Case("/api/v1/coverage/counties", everyone(200)),
    ("coverage_api.counties_csv", "GET"): Case("/api/v1/coverage/counties.csv", everyone(200)),
    ("coverage_api.area", "GET"): Case("/api/v1/coverage/areas/17031", everyone(404)),
    ("coverage_api.timeline", "GET"): Case("/api/v1/coverage/timeline?area=us", everyone(200)),
    ("coverage_api.timeline_file", "GET"): Case("/api/v1/coverage/timeline.csv?area=us", everyone(200)),
    ("coverage_api.in_view", "GET"): Case("/api/v1/coverage/view?bbox=-88,41,-87,42", everyone(200)),
    ("coverage_api.legend", "GET"): Case("/api/v1/coverage/legend?kind=county", everyone(200)),
    ("coverage_api.polygon", "POST"): Case("/api/v1/coverage/polygon", everyone(400), json={}),
    ("coverage_api.route", "POST"): Case("/api/v1/coverage/route", everyone(400), json={}),
    ("coverage_api.route_corridor", "POST"): Case("/api/v1/coverage/route/corridor", everyone(400), json={}),
    ("coverage_tiles.area_tiles", "GET"): Case("/tiles/areas/state/0/0/0.pbf", everyone(200)),
    # Accounts.
    ("accounts.login", "GET"): Case("/login", everyone(200)),
    ("accounts.login", "POST"): Case(
        "/login", everyone(401), data={"login": "no_such_user", "password": "x" * 12}
    ),
    ("accounts.logout", "POST"): Case("/logout", everyone(302)),
    ("accounts.own_sightings", "GET"): Case("/account/sightings", logged_in(200)),
    ("accounts.two_factor_page", "GET"): Case("/account/two-factor", logged_in(200)),
    # A wrong code: 400 for every account (nothing changes), the login page for nobody.
    ("accounts.enable_two_factor", "POST"): Case(
        "/account/two-factor", logged_in(400), data={"code": "not a code"}
    ),
    ("accounts.disable_two_factor", "POST"): Case(
        "/account/two-factor/disable", logged_in(400), data={"code": "not a code"}
    ),
    ("accounts.users", "GET"): Case("/admin/users", admins(200)),
    ("accounts.change_role", "POST"): Case(
        lambda w: f"/admin/users/{w.user_id}/role", admins(302), data={"role": "moderator"}
    ),
    # Moderation pages and actions.
    ("moderation.queue", "GET"): Case("/moderate", moderators(200)),
    ("moderation.review", "GET"): Case(lambda w: f"/moderate/sightings/{w.sighting_id}", moderators(200)),
    ("moderation.verify", "POST"): Case(
        lambda w: f"/moderate/sightings/{w.sighting_id}/verify",
        moderators(303),
        data={"lat": "41.8781", "lon": "-87.6298"},
    ),
    ("moderation.merge", "POST"): Case(
        lambda w: f"/moderate/sightings/{w.sighting_id}/merge", moderators(303), data={"camera_id": None}
    ),
    ("moderation.reject", "POST"): Case(
        lambda w: f"/moderate/sightings/{w.sighting_id}/reject", moderators(303), data={"reason": "spam"}
    ),
    ("moderation.undo_rejection", "POST"): Case("/moderate/rejections/undo", moderators(303), data={}),
    ("moderation.camera", "GET"): Case(lambda w: f"/moderate/cameras/{w.camera_id}", moderators(200)),
    ("moderation.correct", "POST"): Case(
        lambda w: f"/moderate/cameras/{w.camera_id}/correct",
        moderators(303),
        data={"lat": "41.8782", "lon": "-87.6298", "vendor": "genetec", "directions": "90", "version": "1"},
    ),
    ("moderation.review_group", "GET"): Case(
        lambda w: f"/moderate/groups?ids={w.sighting_id}", moderators(200)
    ),
    ("moderation.verify_group", "POST"): Case(
        "/moderate/groups/verify",
        moderators(303),
        data={"sighting_ids": None, "lat": "41.8781", "lon": "-87.6298"},
    ),
    ("moderation.merge_group", "POST"): Case(
        "/moderate/groups/merge", moderators(303), data={"sighting_ids": None, "camera_id": None}
    ),
    ("moderation.reject_group", "POST"): Case(
        "/moderate/groups/reject", moderators(303), data={"sighting_ids": None, "reason": "spam"}
    ),
    ("moderation_osm.overview", "GET"): Case("/moderate/osm", moderators(200)),
    ("moderation_osm.decide_field", "POST"): Case(
        lambda w: f"/moderate/osm/cameras/{w.osm_camera_id}/keep",
        moderators(303),
        data={"field": "vendor", "version": "1"},
    ),
    ("moderation_osm.confirm_removal", "POST"): Case(
        lambda w: f"/moderate/osm/cameras/{w.osm_camera_id}/confirm-removal",
        moderators(303),
        data={"removed_month": "2026-01"},
    ),
    ("moderation_osm.keep_camera", "POST"): Case(
        lambda w: f"/moderate/osm/cameras/{w.osm_camera_id}/keep-camera", moderators(303), data={}
    ),
    ("moderation_osm.decide_link", "POST"): Case(
        lambda w: f"/moderate/osm/links/{w.proposal_id}/dismiss", moderators(303), data={}
    ),
    ("moderation_osm.export", "GET"): Case("/moderate/osm/export?bbox=-88,41,-87,42", moderators(200)),
    ("moderation.camera_action", "POST"): Case(
        lambda w: f"/moderate/cameras/{w.camera_id}/hide", moderators(303), data={}
    ),
    ("moderation.drop_photo", "POST"): Case(
        lambda w: f"/moderate/photos/{w.published_photo_id}/drop", moderators(303), data={}
    ),
    ("photos.review_photo", "GET"): Case(
        lambda w: f"/moderate/photos/{w.pending_hash}/display.jpg", moderators(200)
    ),
    ("flags.queue", "GET"): Case("/moderate/flags", moderators(200)),
    # The tests' app has no job queue: the page says so, the JSON answers 503 (tests/jobs/test_jobs_page.py).
    ("jobs.page", "GET"): Case("/moderate/jobs", moderators(200)),
    ("jobs.as_json", "GET"): Case("/api/v1/moderation/jobs", moderators_api(503)),
    ("flags.close", "POST"): Case(lambda w: f"/moderate/flags/{w.flag_id}/dismiss", moderators(303), data={}),
    ("moderation_api.verify", "POST"): Case(
        lambda w: f"/api/v1/moderation/sightings/{w.sighting_id}/verify", moderators_api(200), json={}
    ),
    ("moderation_api.merge", "POST"): Case(
        lambda w: f"/api/v1/moderation/sightings/{w.sighting_id}/merge",
        moderators_api(200),
        json={"camera_id": None},
    ),
    ("moderation_api.reject", "POST"): Case(
        lambda w: f"/api/v1/moderation/sightings/{w.sighting_id}/reject",
        moderators_api(200),
        json={"reason": "spam"},
    ),
    ("moderation_api.verify_group", "POST"): Case(
        "/api/v1/moderation/groups/verify", moderators_api(200), json={"sightings": None}
    ),
    ("moderation_api.merge_group", "POST"): Case(
        "/api/v1/moderation/groups/merge", moderators_api(200), json={"sightings": None, "camera_id": None}
    ),
    ("moderation_api.reject_group", "POST"): Case(
        "/api/v1/moderation/groups/reject", moderators_api(200), json={"sightings": None, "reason": "spam"}
    ),
    # Agencies: public pages and answers (everyone reads; nothing here changes data).
    ("agencies.index", "GET"): Case("/agencies?q=sylvania", everyone(200)),
    ("agencies.agency_page", "GET"): Case(lambda w: f"/agencies/{w.agency_id}", everyone(200)),
    ("agencies.relations_page", "GET"): Case(lambda w: f"/agencies/{w.agency_id}/relations", everyone(200)),
    ("agencies.feeding_page", "GET"): Case(
        lambda w: f"/agencies/{w.other_agency_id}/feeding-cameras", everyone(200)
    ),
    ("agencies.receivers_page", "GET"): Case("/agencies/receivers?state=OH", everyone(200)),
    ("agencies.receivers_page", "POST"): Case("/agencies/receivers", everyone(400), data={}),
    ("agencies.policy_page", "GET"): Case("/agencies/policy-vs-federal", everyone(200)),
    ("agencies.network_page", "GET"): Case(
        lambda w: f"/agencies/network?agency={w.agency_id}", everyone(200)
    ),
    ("agencies.api_search", "GET"): Case("/api/v1/agencies?q=fbi", everyone(200)),
    ("agencies.api_agency", "GET"): Case(lambda w: f"/api/v1/agencies/{w.agency_id}", everyone(200)),
    ("agencies.api_relations", "GET"): Case(
        lambda w: f"/api/v1/agencies/{w.agency_id}/relations", everyone(200)
    ),
    ("agencies.api_agency_cameras", "GET"): Case(
        lambda w: f"/api/v1/agencies/{w.agency_id}/cameras.geojson", everyone(200)
    ),
    ("agencies.api_agency_camera_map", "GET"): Case(
        lambda w: f"/api/v1/agencies/{w.agency_id}/cameras/map", everyone(200)
    ),
    ("agencies.api_feeding", "GET"): Case(
        lambda w: f"/api/v1/agencies/{w.other_agency_id}/feeding-cameras", everyone(200)
    ),
    ("agencies.api_feeding_cameras", "GET"): Case(
        lambda w: f"/api/v1/agencies/{w.other_agency_id}/feeding-cameras.csv", everyone(200)
    ),
    ("agencies.api_feeding_map", "GET"): Case(
        lambda w: f"/api/v1/agencies/{w.other_agency_id}/feeding-cameras/map", everyone(200)
    ),
    ("agencies.api_receivers", "GET"): Case("/api/v1/agencies/receivers.csv?state=OH", everyone(200)),
    ("agencies.api_receivers_area", "POST"): Case("/api/v1/agencies/receivers/area", everyone(400), json={}),
    ("agencies.api_policy", "GET"): Case("/api/v1/agencies/policy-vs-federal.geojson", everyone(200)),
    ("agencies.api_network", "GET"): Case(
        lambda w: f"/api/v1/agencies/network?agency={w.agency_id}", everyone(200)
    ),
    ("agencies.export_agencies", "GET"): Case("/api/v1/agencies.csv", everyone(200)),
    ("agencies.export_relations", "GET"): Case("/api/v1/agencies/relations.json", everyone(200)),
    # Searches (audit logs): public answers (the world's agency has no log loaded: 404 for everyone), and
    # the moderators' upload.
    ("searches.index", "GET"): Case("/searches", everyone(200)),
    ("searches.searched_by_page", "GET"): Case(
        lambda w: f"/searches/agencies/{w.agency_id}/searched-by", everyone(404)
    ),
    ("searches.searched_by_rows_page", "GET"): Case(
        lambda w: f"/searches/agencies/{w.agency_id}/searched-by/rows", everyone(404)
    ),
    ("searches.officers_page", "GET"): Case(
        lambda w: f"/searches/agencies/{w.agency_id}/officers", everyone(404)
    ),
    ("searches.officers_rows_page", "GET"): Case(
        lambda w: f"/searches/agencies/{w.agency_id}/officers/rows", everyone(404)
    ),
    ("searches.immigration_page", "GET"): Case("/searches/immigration", everyone(200)),
    ("searches.out_of_state_page", "GET"): Case("/searches/out-of-state?state=OH", everyone(200)),
    ("searches.policy_page", "GET"): Case("/searches/policy-vs-practice", everyone(200)),
    ("searches.unlisted_page", "GET"): Case("/searches/unlisted-searchers", everyone(200)),
    ("searches.api_searched_by", "GET"): Case(
        lambda w: f"/api/v1/agencies/{w.agency_id}/searched-by.csv", everyone(404)
    ),
    ("searches.api_searched_by_rows", "GET"): Case(
        lambda w: f"/api/v1/agencies/{w.agency_id}/searched-by/rows", everyone(404)
    ),
    ("searches.api_officers", "GET"): Case(
        lambda w: f"/api/v1/agencies/{w.agency_id}/officers-searched", everyone(404)
    ),
    ("searches.api_officers_rows", "GET"): Case(
        lambda w: f"/api/v1/agencies/{w.agency_id}/officers-searched/rows.csv", everyone(404)
    ),
    ("searches.api_logs", "GET"): Case("/api/v1/searches/logs", everyone(200)),
    ("searches.api_immigration", "GET"): Case("/api/v1/searches/immigration.csv", everyone(200)),
    ("searches.api_out_of_state", "GET"): Case("/api/v1/searches/out-of-state?state=OH", everyone(200)),
    ("searches.api_policy", "GET"): Case("/api/v1/searches/policy-vs-practice", everyone(200)),
    ("searches.api_unlisted", "GET"): Case("/api/v1/searches/unlisted-searchers.csv", everyone(200)),
    # Releases, feeds and filtered downloads (public; no release exists in this world, no area either).
    ("releases.data_page", "GET"): Case("/data", everyone(200)),
    ("releases.release_page", "GET"): Case("/data/releases/1", everyone(404)),
    ("releases.releases_json", "GET"): Case("/api/v1/releases", everyone(200)),
    ("releases.release_json", "GET"): Case("/api/v1/releases/1", everyone(404)),
    ("releases.release_file", "GET"): Case("/api/v1/releases/1/datapackage.json", everyone(404)),
    ("feeds.state_feed", "GET"): Case("/feeds/states/06.atom", everyone(404)),
    ("feeds.county_feed", "GET"): Case("/feeds/counties/06001.atom", everyone(404)),
    ("feeds.agency_feed", "GET"): Case(lambda w: f"/feeds/agencies/{w.agency_id}.atom", everyone(200)),
    ("feeds.drawn_area_feed", "GET"): Case(
        "/feeds/areas/0123456789abcdef0123456789abcdef.atom", everyone(404)
    ),
    ("feeds.follow_drawn_area", "POST"): Case("/feeds/areas", everyone(400), json={}),
    ("opendata.selection_download", "GET"): Case(
        lambda w: f"/api/v1/cameras/selection.csv?agency={w.agency_id}", everyone(200)
    ),
    ("searches.upload_form", "GET"): Case("/moderate/searches/upload", moderators(200)),
    ("searches.upload", "POST"): Case("/moderate/searches/upload", moderators(400), data={}),
    ("searches.upload_page", "GET"): Case("/moderate/searches/uploads/not-a-job", moderators(404)),
    # Agencies: the operator queue, agencies and sharing relations (moderators only).
    ("agencies_moderation.operator_queue", "GET"): Case("/moderate/agencies/operators", moderators(200)),
    ("agencies_moderation.decide_operator", "POST"): Case(
        lambda w: f"/moderate/agencies/operators/{w.link_id}/unmatched",
        moderators(303),
        data={"version": "1"},
    ),
    ("agencies_moderation.operator_queue_json", "GET"): Case(
        "/api/v1/moderation/agencies/operators", moderators_api(200)
    ),
    ("agencies_moderation.decide_operator_json", "POST"): Case(
        lambda w: f"/api/v1/moderation/agencies/operators/{w.link_id}/unmatched",
        moderators_api(200),
        json={"version": 1},
    ),
    ("agencies_moderation.new_agency", "GET"): Case("/moderate/agencies/new", moderators(200)),
    ("agencies_moderation.create_agency", "POST"): Case(
        "/moderate/agencies", moderators(303), data={"name": "Matrix PD", "kind": "police"}
    ),
    ("agencies_moderation.edit_agency_form", "GET"): Case(
        lambda w: f"/moderate/agencies/{w.agency_id}", moderators(200)
    ),
    ("agencies_moderation.edit_agency", "POST"): Case(
        lambda w: f"/moderate/agencies/{w.agency_id}",
        moderators(303),
        data={"name": "Sylvania OH PD", "kind": "police", "state": "OH", "version": "1"},
    ),
    ("agencies_moderation.create_agency_json", "POST"): Case(
        "/api/v1/moderation/agencies", moderators_api(201), json={"name": "Matrix PD", "kind": "police"}
    ),
    ("agencies_moderation.edit_agency_json", "POST"): Case(
        lambda w: f"/api/v1/moderation/agencies/{w.agency_id}",
        moderators_api(200),
        json={"name": "Sylvania OH PD", "kind": "police", "version": 1},
    ),
    ("agencies_moderation.add_relation", "POST"): Case(
        lambda w: f"/moderate/agencies/{w.other_agency_id}/sharing",
        moderators(303),
        data={"to_agency_id": None, "source": "Minutes", "seen_on": "2024-05-01"},
    ),
    ("agencies_moderation.change_relation", "POST"): Case(
        lambda w: f"/moderate/agencies/sharing/{w.relation_id}/retire",
        moderators(303),
        data={"version": "1", "retired_on": "2024-06-01", "source": "Letter"},
    ),
    ("agencies_moderation.add_relation_json", "POST"): Case(
        "/api/v1/moderation/agencies/sharing",
        moderators_api(201),
        json={"from_agency_id": None, "to_agency_id": None, "source": "Minutes", "seen_on": "2024-05-01"},
    ),
    ("agencies_moderation.change_relation_json", "POST"): Case(
        lambda w: f"/api/v1/moderation/agencies/sharing/{w.relation_id}/correct",
        moderators_api(200),
        json={"version": 1, "source": "Portal, read again", "seen_on": "2024-04-26"},
    ),
    ("moderation_api.camera", "GET"): Case(
        lambda w: f"/api/v1/moderation/cameras/{w.camera_id}", moderators_api(200)
    ),
    ("moderation_api.correct", "POST"): Case(
        lambda w: f"/api/v1/moderation/cameras/{w.camera_id}/correct",
        moderators_api(200),
        json={"version": 1, "fields": {"vendor": "genetec"}},
    ),
}


def routes_of(app) -> set[tuple[str, str]]:
    return {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }


def test_every_route_has_an_entry_and_every_entry_a_route(app):
    routes = routes_of(app)
    missing = sorted(routes - set(MATRIX))
    stale = sorted(set(MATRIX) - routes)
    assert not missing, f"routes without an entry in the authorisation matrix: {missing}"
    assert not stale, f"entries for routes that no longer exist: {stale}"


def _fill(values, world: World):
    """Fill the placeholders (None) a body leaves for the world's ids: the camera for merges, the receipt."""
    if not isinstance(values, dict):
        return values
    filled = dict(values)
    for name in ("camera_id", "receipt"):
        if name in filled and filled[name] is None:
            filled[name] = getattr(world, name)
    # A group of one: the world's pending sighting.
    if "sighting_ids" in filled and filled["sighting_ids"] is None:
        filled["sighting_ids"] = str(world.sighting_id)
    # A relation between the world's two agencies (from the receiver back to the giver: a new pair).
    if "to_agency_id" in filled and filled["to_agency_id"] is None:
        filled["to_agency_id"] = world.agency_id
    if "from_agency_id" in filled and filled["from_agency_id"] is None:
        filled["from_agency_id"] = world.other_agency_id
    if "sightings" in filled and filled["sightings"] is None:
        filled["sightings"] = [world.sighting_id]
    return filled


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_the_expected_answer_from_every_route(app, client, app_context, role):
    if role != "anonymous":
        log_in(client, make_user(f"matrix_{role}", role=role))
    # One account whose role the admin changes (to the same role each time: hashing passwords is slow).
    target_user_id = make_user().id
    wrong = []
    for (endpoint, method), case in sorted(MATRIX.items()):
        world = make_world(target_user_id)
        kwargs = {}
        if case.data is not None:
            kwargs["data"] = _fill(case.data, world)
        if case.json is not None:
            kwargs["json"] = _fill(case.json, world)
        response = client.open(case.url(world), method=method, **kwargs)
        if response.status_code != case.expected[role]:
            wrong.append((endpoint, method, response.status_code, case.expected[role]))
        if endpoint == "accounts.logout" and role != "anonymous":
            log_in(client, f"matrix_{role}")
    assert not wrong, f"{role}: (endpoint, method, got, expected): {wrong}"
