"""Moderators decide operator texts the matcher queued, create and edit agencies, and add, correct and
retire sharing relations: each change audited, a stale edit refused with 409, others kept out."""

from datetime import date

from sqlalchemy import select, text

from tests.factories import make_camera
from webapp.agencies.matching.operator_matching import match_operators
from webapp.kernel.data.models import Agency, AgencySharing, Camera, ModerationEvent, OperatorLink
from webapp.kernel.extensions import db


def _agency(name: str, state: str | None, kind: str = "police") -> Agency:
    agency = Agency(name=name, state=state, kind=kind)
    db.session.add(agency)
    db.session.flush()
    return agency


def _cameras(operator: str, state_geoid: str | None, count: int) -> list[int]:
    ids = [make_camera(operator=operator).id for _ in range(count)]
    db.session.execute(
        text("UPDATE cameras SET state_geoid = :geoid WHERE id = ANY(:ids)"),
        {"geoid": state_geoid, "ids": ids},
    )
    return ids


def _queued_world():
    """Richmond (cameras in CA and VA: each linked to its state's agency; cameras with no known state:
    queued), Beverly Hills (the city: queued), matched. Links are keyed by (text, the cameras' state)."""
    agencies = {
        name: _agency(name, state)
        for name, state in [("Richmond CA PD", "CA"), ("Richmond VA PD", "VA"), ("Beverly Hills CA PD", "CA")]
    }
    _cameras("Richmond Police Department", "06", 3)
    _cameras("Richmond Police Department", "51", 1)
    cameras = _cameras("Richmond Police Department", None, 2)
    _cameras("City of Beverly Hills", "06", 1)
    match_operators()
    links = {
        (link.operator_key if link.state == "queued" else (link.operator_key, link.state_geoid)): link
        for link in db.session.scalars(select(OperatorLink))
    }
    return agencies, cameras, links


def _events(target_type: str, target_id: int) -> list[ModerationEvent]:
    query = select(ModerationEvent).where(
        ModerationEvent.target_type == target_type, ModerationEvent.target_id == target_id
    )
    return list(db.session.scalars(query.order_by(ModerationEvent.id)))


def test_the_queue_shows_texts_by_cameras_with_candidates_and_states(moderator_client):
    _queued_world()
    page = moderator_client.get("/moderate/agencies/operators").get_data(as_text=True)
    assert page.index("Richmond Police Department") < page.index("City of Beverly Hills")  # 2 cameras, then 1
    assert "Richmond CA PD (CA)" in page and "Richmond VA PD (VA)" in page
    assert "in CA" in page  # Beverly Hills' cameras; Richmond's queued ones have no known state


def test_confirming_a_candidate_links_every_camera_of_the_text_and_is_audited(moderator_client):
    agencies, cameras, links = _queued_world()
    link = links["richmond police department"]
    response = moderator_client.post(
        f"/moderate/agencies/operators/{link.id}/link",
        data={"agency_id": agencies["Richmond VA PD"].id, "version": link.version},
    )
    assert response.status_code == 303
    db.session.expire_all()
    assert {db.session.get(Camera, camera_id).agency_id for camera_id in cameras} == {
        agencies["Richmond VA PD"].id
    }
    # The Californian cameras of the same text keep their own state's link.
    californian = db.session.scalars(
        select(Camera.agency_id).where(
            Camera.operator == "Richmond Police Department", Camera.state_geoid == "06"
        )
    ).all()
    assert californian == [agencies["Richmond CA PD"].id] * 3
    link = db.session.get(OperatorLink, ("richmond police department", ""))
    assert (link.state, link.decided_by_user_id) == ("confirmed", moderator_client.user.id)
    event = _events("operator_link", link.id)[-1]
    assert (event.action, event.from_status, event.to_status, event.actor_id) == (
        "confirm_operator",
        "queued",
        "confirmed",
        moderator_client.user.id,
    )
    assert event.changes == [{"field": "agency_id", "from": None, "to": agencies["Richmond VA PD"].id}]


def test_a_moderator_can_search_and_pick_another_agency(moderator_client):
    _agency("Beverly Hills Unified School District", "CA", "other")
    _, _, links = _queued_world()
    link = links["city of beverly hills"]
    page = moderator_client.get(f"/moderate/agencies/operators?link={link.id}&q=beverly").get_data(
        as_text=True
    )
    assert "Beverly Hills Unified School District (CA)" in page
    other = db.session.scalars(select(Agency).where(Agency.name.like("Beverly Hills Unified%"))).one()
    moderator_client.post(
        f"/moderate/agencies/operators/{link.id}/link", data={"agency_id": other.id, "version": link.version}
    )
    assert db.session.get(OperatorLink, ("city of beverly hills", "06")).agency_id == other.id


def test_creating_an_agency_for_a_text_links_it_and_keeps_the_text_as_an_alias(moderator_client):
    _, _, links = _queued_world()
    link = links["city of beverly hills"]
    response = moderator_client.post(
        f"/api/v1/moderation/agencies/operators/{link.id}/create",
        json={"name": "City of Beverly Hills", "kind": "other", "state": "CA", "version": link.version},
        headers={"X-CSRFToken": "x"},
    )
    assert response.status_code == 200, response.get_json()
    created = db.session.scalars(select(Agency).where(Agency.name == "City of Beverly Hills")).one()
    assert response.get_json()["agency_id"] == created.id
    assert "City of Beverly Hills" in {alias.alias for alias in created.aliases}
    assert [event.action for event in _events("agency", created.id)] == ["create_agency"]


def test_no_agency_fits_and_the_matcher_then_leaves_the_text_alone(moderator_client):
    _, _, links = _queued_world()
    link = links["city of beverly hills"]
    moderator_client.post(f"/moderate/agencies/operators/{link.id}/unmatched", data={"version": link.version})
    match_operators()
    link = db.session.get(OperatorLink, ("city of beverly hills", "06"))
    assert (link.state, link.agency_id) == ("unmatched", None)
    assert [event.action for event in _events("operator_link", link.id)][-1] == "unmatch_operator"


def test_a_decision_on_a_link_that_changed_meanwhile_is_409(moderator_client):
    agencies, _, links = _queued_world()
    link = links["richmond police department"]
    stale = link.version
    moderator_client.post(f"/moderate/agencies/operators/{link.id}/unmatched", data={"version": stale})
    response = moderator_client.post(
        f"/api/v1/moderation/agencies/operators/{link.id}/link",
        json={"agency_id": agencies["Richmond CA PD"].id, "version": stale},
    )
    assert response.status_code == 409
    assert response.get_json()["error"] == "stale_edit"
    assert response.get_json()["current"]["state"] == "unmatched"


def test_creating_and_editing_an_agency_is_audited_field_by_field(moderator_client):
    created = moderator_client.post(
        "/api/v1/moderation/agencies",
        json={"name": "Sylvania Township Police", "kind": "police", "state": "oh", "aliases": ["STPD"]},
    )
    assert created.status_code == 201
    body = created.get_json()
    assert (body["state"], body["aliases"]) == ("OH", ["STPD"])
    edited = moderator_client.post(
        f"/api/v1/moderation/agencies/{body['id']}",
        json={"name": "Sylvania Township Police", "kind": "police", "state": "OH", "wikidata_id": "Q123",
              "aliases": ["STPD"], "version": body["version"]},
    )  # fmt: skip
    assert edited.status_code == 200, edited.get_json()
    event = _events("agency", body["id"])[-1]
    assert (event.action, event.changes) == (
        "edit_agency",
        [{"field": "wikidata_id", "from": None, "to": "Q123"}],
    )
    stale = moderator_client.post(
        f"/api/v1/moderation/agencies/{body['id']}",
        json={"name": "X", "kind": "police", "version": body["version"]},
    )
    assert stale.status_code == 409
    bad = moderator_client.post(
        "/api/v1/moderation/agencies", json={"name": "X", "kind": "police", "state": "ZZ"}
    )
    assert bad.status_code == 400


def test_the_agency_page_edits_and_its_relations_are_added_corrected_and_retired(moderator_client):
    giver, receiver = _agency("Sylvania OH PD", "OH"), _agency("FBI", None, "federal")
    db.session.commit()  # the refused requests below roll back what was not committed
    page = moderator_client.get(f"/moderate/agencies/{giver.id}")
    assert page.status_code == 200
    missing_source = moderator_client.post(
        f"/moderate/agencies/{giver.id}/sharing",
        data={"to_agency_id": receiver.id, "source": " ", "seen_on": "2024-04-26"},
    )
    assert missing_source.status_code == 400
    added = moderator_client.post(
        f"/moderate/agencies/{giver.id}/sharing",
        data={"to_agency_id": receiver.id, "source": "Council minutes", "seen_on": "2024-04-26"},
    )
    assert added.status_code == 303
    relation = db.session.scalars(select(AgencySharing)).one()
    assert (relation.recorded_by, relation.recorded_by_user_id) == ("moderator", moderator_client.user.id)

    corrected = moderator_client.post(
        f"/api/v1/moderation/agencies/sharing/{relation.id}/correct",
        json={
            "version": relation.version,
            "source": "https://example.org/minutes.pdf",
            "seen_on": "2024-04-20",
        },
    )
    assert corrected.status_code == 200, corrected.get_json()
    version = corrected.get_json()["version"]
    too_early = moderator_client.post(
        f"/api/v1/moderation/agencies/sharing/{relation.id}/retire",
        json={"version": version, "retired_on": "2024-01-01", "source": "Letter"},
    )
    assert too_early.status_code == 400
    retired = moderator_client.post(
        f"/api/v1/moderation/agencies/sharing/{relation.id}/retire",
        json={"version": version, "retired_on": "2024-06-01", "source": "Letter ending the agreement"},
    )
    assert retired.status_code == 200
    db.session.refresh(relation)
    assert (relation.seen_on, relation.retired_on) == (date(2024, 4, 20), date(2024, 6, 1))
    assert relation.retired_source == "Letter ending the agreement"
    assert [event.action for event in _events("sharing", relation.id)] == [
        "add_sharing",
        "correct_sharing",
        "retire_sharing",
    ]
    again = moderator_client.post(
        f"/api/v1/moderation/agencies/sharing/{relation.id}/retire",
        json={"version": retired.get_json()["version"], "retired_on": "2024-07-01", "source": "x"},
    )
    assert again.status_code == 409
    assert "retired on 2024-06-01" in moderator_client.get(f"/moderate/agencies/{giver.id}").get_data(
        as_text=True
    )


def test_only_moderators_change_agencies_links_or_relations(client, app_context):
    from tests.factories import log_in, make_user

    _, _, links = _queued_world()
    link = links["city of beverly hills"]
    json_routes = [
        (f"/api/v1/moderation/agencies/operators/{link.id}/unmatched", {"version": link.version}),
        ("/api/v1/moderation/agencies", {"name": "X", "kind": "police"}),
    ]
    for path, body in json_routes:
        assert client.post(path, json=body).status_code == 401
    assert client.get("/moderate/agencies/operators").status_code == 302
    log_in(client, make_user(role="reporter"))
    for path, body in json_routes:
        assert client.post(path, json=body).status_code == 403
    assert client.get("/moderate/agencies/operators").status_code == 403
    assert db.session.get(OperatorLink, ("city of beverly hills", "06")).state == "queued"
