"""The normaliser on real names: The News & Observer's agency names (a USPS code anywhere, PD / SO / DA) and
operator texts as cameras carry them (spelled out, parentheses, "City of")."""

import pytest

from webapp.agencies.matching.names import normalized, parse
from webapp.agencies.us_states import state_of_geoid


@pytest.mark.parametrize(
    ("name", "state", "kind", "distinct"),
    [
        ("Sylvania OH PD", "OH", "police", ("sylvania",)),
        ("Ashland County OH SO", "OH", "sheriff", ("ashland",)),
        ("18th Judicial District DA's Office- LA PD", "LA", "other", ("18th", "judicial")),
        ("Brownstown Twp PD MI", "MI", "police", ("brownstown",)),
        ("LA - Greenwood PD", "LA", "police", ("greenwood",)),
        ("LA County CA Sheriff", "CA", "sheriff", ("los", "angeles")),
        ("Riverside County CA SD", "CA", "sheriff", ("riverside",)),
        ("Washington County OR SO", "OR", "sheriff", ("washington",)),
        ("Washington State Patrol", "WA", "state", ()),
        ("California Highway Patrol (CHP)", "CA", "state", ()),
        ("Indiana State Police IN PD", "IN", "state", ()),
        ("Ohio DPS", "OH", "state", ()),
        ("Texas Department of Public Safety", "TX", "state", ()),
        ("Augusta KS DPS", "KS", "police", ("augusta",)),
        ("Kansas City MO PD", "MO", "police", ("kansas",)),
        ("Virginia Beach VA PD", "VA", "police", ("virginia", "beach")),
        ("Justice IL PD", "IL", "police", ("justice",)),
        ("Georgia State University GA PD", "GA", "police", ()),
        ("Sringfield IL (PD)", "IL", "police", ("sringfield",)),
        ("Orange County (CA) DA Office", "CA", "other", ("orange",)),
        ("Lake County Indiana Sheriff", "IN", "sheriff", ("lake",)),
        ("Oregon Police Department", None, "police", ("oregon",)),
        ("Police (Framingham)", None, "police", ("framingham",)),
        ("dayton, oh police dept", "OH", "police", ("dayton",)),
        ("la crosse police", None, "police", ("la", "crosse")),
    ],
)
def test_a_name_is_read_into_its_place_its_state_and_its_kind(name, state, kind, distinct):
    parsed = parse(name)
    assert (parsed.state, parsed.kind, parsed.distinct) == (state, kind, distinct)


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("FBI", "federal"),
        ("ATF Louisville KY", "federal"),
        ("USMS", "federal"),
        ("US Marshals Service", "federal"),
        ("US Postal Inspection Service", "federal"),
        ("US - GSA Inspector General", "federal"),
        ("Fort Eustis VA US Army", "federal"),
        ("Langley VA US Air Force", "federal"),
        ("United States Border Patrol", "federal"),
        ("Homeland Security Investigations", "federal"),
        ("Marshall County SO IN", "sheriff"),
        ("Tombstone Marshals Office (AZ)", "police"),
        ("Federal Way Police", "police"),
        ("Fort Worth TX PD", "police"),
        ("TX Board of Criminal Justice - Inspector General", "state"),
        ("Illinois Attorney General", "state"),
        ("Georgia Bureau of Investigation", "state"),
        ("Missouri Department of Conservation", "state"),
        ("NYC Department of Transportation", None),
        ("Harbour View HOA", "private"),
        ("Lakeshore Homes Association (LHA)", "private"),
        ("Lowe's", "private"),
        ("The Home Depot", "private"),
        ("Simon Property Group", "private"),
        ("Flock Safety - Admins", "private"),
        ("Cobb County GA DA", "other"),
        ("Burlington County NJ Prosecutor's Office", "other"),
        ("Louisiana State University", "other"),
    ],
)
def test_the_kind_of_agency_is_inferred_from_its_name(name, kind):
    assert parse(name).kind == kind


@pytest.mark.parametrize(
    "spellings",
    [
        ("Ashland County OH SO", "Ashland County Sheriff's Office", "Ashland County Sheriffs Office",
         "Ashland County Sheriff Office", "ASHLAND COUNTY SHERIFF", "Ashland Co. Sheriff’s Dept"),
        ("Sylvania OH PD", "Sylvania Police Department", "City of Sylvania Police Dept.",
         "Sylvania City Police"),
        ("Bloomfield Twp MI PD", "Bloomfield Township Police Department"),
        ("Cobb County GA DA", "Cobb County District Attorney's Office", "Cobb County DAs Office"),
        ("Albion MI DPS", "Albion Department of Public Safety"),
        ("St. Johns County FL SO", "Saint Johns County Sheriff's Office", "St Johns County Sheriff"),
    ],
)  # fmt: skip
def test_abbreviations_and_their_spelled_out_forms_have_one_normalised_key(spellings):
    assert len({normalized(spelling) for spelling in spellings}) == 1, [normalized(s) for s in spellings]


def test_an_acronym_in_parentheses_is_an_alias_not_part_of_the_name():
    parsed = parse("Alabama Law Enforcement Agency (ALEA)")
    assert parsed.aliases == ("ALEA",)
    assert "alea" not in parsed.tokens
    assert parsed.state == "AL"


def test_a_camera_state_geoid_gives_the_usps_code():
    assert state_of_geoid("06") == "CA"
    assert state_of_geoid("39095") == "OH"  # a county's GEOID starts with its state's
    assert state_of_geoid(None) is None
