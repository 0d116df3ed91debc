"""What the data sets leave out about an agency, inferred and marked for moderators to review:

- its state, where the data set gives none: from its name (a state named in it, a county name known in one
  state only, a known regional body: NCRIC is California's) or else from where its linked cameras stand
  (`agencies.state_basis` says which; never over a state a data set or a moderator gave);
- a vendor portal's test or demo account ("Demo", "Test Demo 1234", "DNU", "Flock Safety PD Test Org"):
  `agencies.test_account`, left out of every count and list.

A moderator's correction (an `edit_agency` audit event that changed the state or the mark) is never undone
by a later run. `flask agencies import` and `flask agencies match` run `mark_agencies()`."""

import re
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import text

from webapp.agencies.matching.names import parse
from webapp.agencies.us_states import state_of_geoid
from webapp.kernel.extensions import db

# Portals' test, demo and "do not use" accounts, by their names.
_TEST_ACCOUNT = re.compile(
    r"\bdemo\b|\btest(ing)?\b|^\s*dnu\b|\bsandbox\b|\bdo not use\b|\btraining\s*-\s*demo\b", re.IGNORECASE
)
# Regional bodies whose names carry no state (lower-cased name -> USPS code).
REGIONAL_BODIES = {
    "ncric": "CA",
    "northern california regional intelligence center": "CA",
    "cal fire": "CA",
    "calfire": "CA",
    "cal fire law enforcement": "CA",
}
_COUNTY = re.compile(r"\b([a-z][a-z .'-]*?)\s+(county|parish|borough)\b")
# The linked cameras must stand in one state this much of the time for it to be the agency's.
CAMERA_STATE_SHARE = 0.9
CAMERA_STATE_MIN = 3


def is_test_account(name: str) -> bool:
    return bool(_TEST_ACCOUNT.search(name))


def shows_its_state(name: str, state: str | None) -> bool:
    """Whether the name already says its state ("Centralia PD (WA)", "Sylvania OH PD"), so a list need not
    add it again (the code as a word of its own, in capitals)."""
    return bool(state) and re.search(rf"(?<![A-Za-z]){state}(?![A-Za-z])", name) is not None


def _county_states() -> dict[str, set[str]]:
    """Each county name ("yuba county") and the USPS codes of the states that have a county so named."""
    found: dict[str, set[str]] = defaultdict(set)
    rows = db.session.execute(
        text("SELECT lower(split_part(name, ',', 1)) AS name, state_geoid FROM areas WHERE kind = 'county'")
    )
    for row in rows:
        code = state_of_geoid(row.state_geoid)
        if code:
            found[row.name].add(code)
    return found


def state_from_name(name: str, counties: dict[str, set[str]]) -> str | None:
    parsed = parse(name)
    if parsed.state:
        return parsed.state
    lowered = " ".join(name.lower().split())
    if lowered in REGIONAL_BODIES:
        return REGIONAL_BODIES[lowered]
    for match in _COUNTY.finditer(lowered):
        words = match.group(1).split()
        # "Yuba County", but also "Sheriff of Yuba County": try the longest run of words before "County".
        for start in range(len(words)):
            states = counties.get(" ".join([*words[start:], match.group(2)]), set())
            if len(states) == 1:
                return next(iter(states))
    return None


@dataclass
class MarkSummary:
    states_from_names: int = 0
    states_from_cameras: int = 0
    test_accounts: int = 0

    def line(self) -> str:
        return (
            f"agencies: states inferred from names {self.states_from_names:,}, from their cameras "
            f"{self.states_from_cameras:,}; test accounts marked {self.test_accounts:,}"
        )


# Agencies a moderator corrected (their state or the test-account mark): left as they are.
_CORRECTED = """
    SELECT DISTINCT target_id FROM moderation_events
    WHERE target_type = 'agency' AND changes @> CAST(:field AS jsonb)
"""


def _corrected(field: str) -> set[int]:
    return set(db.session.scalars(text(_CORRECTED), {"field": f'[{{"field": "{field}"}}]'}))


def mark_agencies() -> MarkSummary:
    """Infer missing states and mark test accounts (the caller commits)."""
    summary = MarkSummary()
    state_kept = _corrected("state") | _corrected("state_basis")
    mark_kept = _corrected("test_account")
    counties = _county_states()
    agencies = db.session.execute(text("SELECT id, name, kind, state, test_account FROM agencies")).all()
    for agency in agencies:
        if agency.id not in mark_kept and not agency.test_account and is_test_account(agency.name):
            db.session.execute(
                text("UPDATE agencies SET test_account = true WHERE id = :id"), {"id": agency.id}
            )
            summary.test_accounts += 1
        if agency.state or agency.kind == "federal" or agency.id in state_kept:
            continue
        if state := state_from_name(agency.name, counties):
            _set_state(agency.id, state, "name")
            summary.states_from_names += 1
    for agency_id, state in _states_from_cameras(state_kept).items():
        _set_state(agency_id, state, "cameras")
        summary.states_from_cameras += 1
    db.session.flush()
    return summary


def _set_state(agency_id: int, state: str, basis: str) -> None:
    db.session.execute(
        text("UPDATE agencies SET state = :state, state_basis = :basis WHERE id = :id AND state IS NULL"),
        {"id": agency_id, "state": state, "basis": basis},
    )


def _states_from_cameras(kept: set[int]) -> dict[int, str]:
    """Agencies with no state whose linked cameras stand in one state (CAMERA_STATE_SHARE of them)."""
    rows = db.session.execute(
        text(
            """
            SELECT c.agency_id, c.state_geoid, count(*) AS n,
                   (sum(count(*)) OVER (PARTITION BY c.agency_id))::bigint AS total
            FROM cameras AS c JOIN agencies AS a ON a.id = c.agency_id
            WHERE a.state IS NULL AND a.kind <> 'federal' AND c.state_geoid IS NOT NULL
            GROUP BY 1, 2
            """
        )
    ).all()
    found = {}
    for row in rows:
        code = state_of_geoid(row.state_geoid)
        enough = row.total >= CAMERA_STATE_MIN and row.n >= CAMERA_STATE_SHARE * row.total
        if code and enough and row.agency_id not in kept:
            found[row.agency_id] = code
    return found
