"""The matcher on real names: agencies as The News & Observer's file names them, operator texts as the
DeFlock camera file carries them, and the states their cameras stand in. Matches link or queue; look-alikes
(another town with the same suffix, another state, a federal office whose name is like a county's) do not."""

from collections import Counter

import pytest
from sqlalchemy import select, text

from tests.factories import make_camera, make_user
from webapp.agencies.matching.matcher import build_index, propose
from webapp.agencies.matching.operator_matching import match_operators
from webapp.kernel.data.models import Agency, Camera, ModerationEvent, OperatorLink
from webapp.kernel.extensions import db

# Real names from agency20240426.csv (and "Washington State Patrol", a real operator text on cameras).
REAL_AGENCIES = """
Abilene KS PD|Abilene TX PD|Alameda County CA SO|Albion MI DPS|Allen Park PD MI|Amarillo TX PD
Anoka County MN SO|Anoka MN PD|Ashland County OH SO|Ashland OH PD|Ashland KY PD|Barron County WI SO
Barron WI PD|Beavercreek OH PD|Beverly Hills CA PD|Bloomfield Twp MI PD|Buffalo County NE SO
Buffalo Grove IL PD|Buffalo State University NY PD|California Highway Patrol|Clay County FL SO
Cook County IL Sheriff's PD|Davison Township MI PD|Everett MA PD|FBI|Flock Safety - Admins
Hernando County FL SO|Hernando MS PD|Illinois State Police|Lakeland FL PD|Lakewood OH PD
Lakewood IL PD|Marshall County SO IN|Minneapolis KS PD|New York State Police NY|NM - Farmington PD
Orange County FL SO|Pasco County FL SO|Pasco PD - WA|Richfield OH PD|Richmond CA PD|Richmond VA PD
Saginaw TX PD|Saginaw Valley State University PD (MI)|St. Johns County FL SO|Toledo OH PD
University of Toledo OH PD|USMS|US Postal Inspection Service|Virginia Beach VA PD
Washington County OR SO|Washington State Patrol|Washington IL PD|Shelby Township PD MI
Shelby Twp MI PD|Brownstown Twp PD MI
"""
NAMES = [name.strip() for line in REAL_AGENCIES.strip().splitlines() for name in line.split("|")]
STATES_OF = {
    name: "WA" if name == "Washington State Patrol" else None for name in NAMES
}  # the others: read from the name


@pytest.fixture(scope="module")
def index():
    return build_index((number, name, STATES_OF[name], name) for number, name in enumerate(NAMES, start=1))


def name_of(agency_id: int | None) -> str | None:
    return NAMES[agency_id - 1] if agency_id else None


@pytest.mark.parametrize(
    ("operator", "states", "agency"),
    [
        ("Amarillo Police Department", {"TX": 60}, "Amarillo TX PD"),
        ("California Highway Patrol (CHP)", {"CA": 437}, "California Highway Patrol"),
        ("California Highway Patrol", {"CA": 37}, "California Highway Patrol"),
        ("Clay County Sheriff's Office", {"FL": 55}, "Clay County FL SO"),
        ("(Clay County Sheriff's Office)", {"FL": 3}, "Clay County FL SO"),
        ("St. Johns County Sheriff", {"FL": 55}, "St. Johns County FL SO"),
        ("Saint Johns County Sheriff's Office", {"FL": 26}, "St. Johns County FL SO"),
        ("Barron Co Sheriff", {"WI": 15}, "Barron County WI SO"),
        ("Bloomfield Township Police Department", {"MI": 18}, "Bloomfield Twp MI PD"),
        ("Allen Park Police Department", {"MI": 12}, "Allen Park PD MI"),
        ("Albion Department of Public Safety", {"MI": 17}, "Albion MI DPS"),
        ("(Pasco County Sheriff's Office", {"FL": 8}, "Pasco County FL SO"),
        ("Anoka County Sheriff’s Office", {"MN": 1}, "Anoka County MN SO"),
        ("Farmington Police", {"NM": 5}, "NM - Farmington PD"),
        ("Cook County Sheriff's Office", {"IL": 2}, "Cook County IL Sheriff's PD"),
        ("Illinois State Police", {"IL": 68}, "Illinois State Police"),
        ("Beavercreek Police Dept.", {"OH": 4}, "Beavercreek OH PD"),
        ("Virginia Beach Police Department", {"VA": 23}, "Virginia Beach VA PD"),
        ("Davison Township Police Department", {"MI": 19}, "Davison Township MI PD"),
        ("Alameda County Sheriff's Department", {"CA": 3}, "Alameda County CA SO"),
        ("Hernado County Sheriff's Office", {"FL": 23}, "Hernando County FL SO"),  # misspelt on the cameras
        ("Abilene Police Department", {"TX": 2}, "Abilene TX PD"),
        ("Ashland County Sheriff", {"OH": 3}, "Ashland County OH SO"),
        ("Washington State Patrol", {"WA": 2}, "Washington State Patrol"),
    ],
)
def test_an_operator_text_links_to_its_agency(index, operator, states, agency):
    decision = propose(index, operator, Counter(states))
    assert decision.state == "linked", decision
    assert name_of(decision.agency_id) == agency


@pytest.mark.parametrize(
    ("operator", "states", "candidates"),
    [
        # One text, cameras in two states: a moderator picks (the text can have one agency only).
        ("Richmond Police Department", {"CA": 30, "VA": 23}, {"Richmond CA PD", "Richmond VA PD"}),
        # The city, not its police: plausible, not certain.
        ("City of Beverly Hills", {"CA": 96}, {"Beverly Hills CA PD"}),
        # The data set lists the same department twice.
        ("Shelby Township Police Department", {"MI": 32}, {"Shelby Township PD MI", "Shelby Twp MI PD"}),
        # "Brownstown Twp" or Brownstown: doubtful.
        ("Brownstown Police Department", {"MI": 19}, {"Brownstown Twp PD MI"}),
    ],
)
def test_a_plausible_match_waits_for_a_moderator_with_its_candidates(index, operator, states, candidates):
    decision = propose(index, operator, Counter(states))
    assert decision.state == "queued", decision
    assert candidates <= {proposal.name for proposal in decision.candidates}


@pytest.mark.parametrize(
    ("operator", "states", "not_this"),
    [
        ("Marshall County Sheriff's Office", {"IN": 4}, "USMS"),
        ("US Marshals Service", {"IN": 1}, "Marshall County SO IN"),
        ("Washington County Sheriff's Office", {"OR": 9}, "Washington State Patrol"),
        ("Washington County Sheriff's Office", {"FL": 9}, "Washington County OR SO"),  # another state
        ("Lakewood Police Department", {"CO": 41}, "Lakewood OH PD"),
        ("Lakewood Police Department", {"OH": 41}, "Lakeland FL PD"),
        ("Lakeland Police Department", {"FL": 3}, "Lakewood OH PD"),
        ("University of Toledo Police Department", {"OH": 29}, "Toledo OH PD"),
        ("Toledo Police Department", {"OH": 95}, "University of Toledo OH PD"),
        ("Federal Way Police", {"WA": 26}, "FBI"),
        ("New York Police Department", {"NY": 28}, "New York State Police NY"),
        ("Orange County Sheriff", {"CA": 27}, "Orange County FL SO"),
        ("Flock Safety", {"GA": 2551}, "Flock Safety - Admins"),
        ("Saginaw Police Department", {"MI": 32}, "Saginaw TX PD"),
        ("Saginaw Police Department", {"MI": 32}, "Saginaw Valley State University PD (MI)"),
        ("Buffalo Police Department", {"NY": 101}, "Buffalo Grove IL PD"),
        ("Buffalo Police Department", {"NY": 101}, "Buffalo State University NY PD"),
        ("Minneapolis Police Department", {"MN": 43}, "Minneapolis KS PD"),
        ("Everett Police", {"WA": 30}, "Everett MA PD"),
        ("Abilene Police Department", {"TX": 2}, "Abilene KS PD"),
        ("Ashland County Sheriff", {"OH": 3}, "Ashland OH PD"),
        ("Anoka Police Department", {"MN": 2}, "Anoka County MN SO"),
        ("Barron Police Department", {"WI": 2}, "Barron County WI SO"),
        ("Hernando Police Department", {"MS": 1}, "Hernando County FL SO"),
        ("Pasco County Sheriff's Office", {"FL": 8}, "Pasco PD - WA"),
        ("Richfield Police Department", {"MN": 4}, "Richfield OH PD"),
    ],
)
def test_a_look_alike_is_not_proposed(index, operator, states, not_this):
    decision = propose(index, operator, Counter(states))
    assert not_this not in {proposal.name for proposal in decision.candidates}, decision
    assert name_of(decision.agency_id) != not_this


def test_a_text_that_names_its_state_is_matched_in_that_state_whatever_the_cameras_say(index):
    decision = propose(index, "Richfield, OH PD", Counter({"MN": 1}))
    assert name_of(decision.agency_id) == "Richfield OH PD"


def test_without_a_state_a_text_is_never_linked_without_review(index):
    decision = propose(index, "Amarillo Police Department", Counter())
    assert decision.state == "queued"
    assert [proposal.name for proposal in decision.candidates] == ["Amarillo TX PD"]


# The command on the database: links, the trigger that puts cameras under their agency, moderators kept.


def _agency(name: str, state: str, kind: str = "police") -> Agency:
    agency = Agency(name=name, state=state, kind=kind)
    db.session.add(agency)
    db.session.flush()
    return agency


def _cameras(operator: str, state_geoid: str, count: int = 1) -> list[Camera]:
    cameras = [make_camera(operator=operator) for _ in range(count)]
    # The cameras' state, as the areas' trigger sets it where boundaries are loaded.
    db.session.execute(
        text("UPDATE cameras SET state_geoid = :geoid WHERE id = ANY(:ids)"),
        {"geoid": state_geoid, "ids": [camera.id for camera in cameras]},
    )
    return cameras


def test_the_command_links_texts_and_their_cameras_and_keeps_a_moderators_decision(app_context):
    amarillo = _agency("Amarillo TX PD", "TX")
    richmond_ca = _agency("Richmond CA PD", "CA")
    richmond_va = _agency("Richmond VA PD", "VA")
    texas_cameras = _cameras("Amarillo Police Department", "48", 3)
    california = _cameras("Richmond Police Department", "06", 2)
    virginia = _cameras("Richmond Police Department", "51", 2)
    _cameras("Lowe's", "48")

    summary = match_operators()
    links = {(link.operator_key, link.state_geoid): link for link in db.session.scalars(select(OperatorLink))}
    assert links[("amarillo police department", "48")].state == "linked"
    assert links[("amarillo police department", "48")].agency_id == amarillo.id
    # One text, two states: each state's cameras are linked to that state's agency (issue 23 item 5).
    assert links[("richmond police department", "06")].agency_id == richmond_ca.id
    assert links[("richmond police department", "51")].agency_id == richmond_va.id
    assert links[("lowe's", "48")].state == "unmatched"
    assert (summary.texts["linked"], summary.cameras["linked"]) == (3, 7)
    assert (summary.texts["queued"], summary.cameras["queued"]) == (0, 0)
    db.session.expire_all()
    assert {db.session.get(Camera, camera.id).agency_id for camera in texas_cameras} == {amarillo.id}
    assert {db.session.get(Camera, camera.id).agency_id for camera in virginia} == {richmond_va.id}
    assert {db.session.get(Camera, camera.id).agency_id for camera in california} == {richmond_ca.id}
    events = db.session.scalars(select(ModerationEvent).where(ModerationEvent.target_type == "operator_link"))
    assert {event.target_id for event in events} == {link.id for link in links.values()}

    # A moderator decides Virginia's Richmond text otherwise; the next run keeps that decision.
    moderator = make_user(role="moderator")
    richmond = links[("richmond police department", "51")]
    richmond.state, richmond.agency_id, richmond.decided_by_user_id = ("unmatched", None, moderator.id)
    db.session.flush()
    again = match_operators()
    assert again.kept_decisions == 1
    assert again.changed == 0
    db.session.refresh(richmond)
    assert (richmond.state, richmond.agency_id) == ("unmatched", None)
    db.session.expire_all()
    assert {db.session.get(Camera, camera.id).agency_id for camera in virginia} == {None}
    assert {db.session.get(Camera, camera.id).agency_id for camera in california} == {richmond_ca.id}


def test_a_camera_reported_later_with_a_linked_text_gets_the_agency(app_context):
    amarillo = _agency("Amarillo TX PD", "TX")
    _cameras("Amarillo Police Department", "48")
    match_operators()
    later = make_camera(operator="  AMARILLO police department ")
    # Its position puts it in Texas (the boundaries trigger sets the state; here set by hand).
    db.session.execute(text("UPDATE cameras SET state_geoid = '48' WHERE id = :id"), {"id": later.id})
    db.session.refresh(later)
    assert later.agency_id == amarillo.id
