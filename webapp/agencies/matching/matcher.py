"""The agency behind an operator text: proposals with a score (`operator_matching` beside it runs them
over every operator text in the database for `flask agencies match`).

A proposal compares the two parts of a parsed name (`names` beside it) separately: the part that says
which body it is ("sylvania") must be nearly the same, and the part that says what kind of body it is must
agree (a sheriff is never a police department, a university's police never the town's, a state mismatch
never matches). Candidates are found through an index by state and by the first letters of each
distinctive word, so no text is compared with all 5,000 agencies.

A confident proposal links (state `linked`); a plausible one waits in the moderators' queue with its top
candidates (`queued`); the rest are `unmatched`. A moderator's decision (`decided_by_user_id` set) is never
changed by a later run.
"""

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from webapp.agencies.matching.names import ParsedName, parse
from webapp.kernel.vocabulary import OperatorLinkState

# Scores are 0-100. At or above LINK_SCORE (with a known state and a clear winner) a text links without
# review; from QUEUE_SCORE a moderator decides; below, nothing is proposed.
LINK_SCORE = 93.0
QUEUE_SCORE = 75.0
# The winner must lead the next agency by this much to link on its own.
LINK_MARGIN = 5.0
CANDIDATES_KEPT = 5
# A text whose cameras stand in several states has one state if this share of them is in it.
DOMINANT_STATE_SHARE = 0.9

# Words whose presence must agree on both sides: a campus, a school district, a transit police, a state
# agency, a prosecutor are bodies of their own beside the town's police.
_MUST_AGREE = frozenset(
    {"university", "college", "campus", "school", "schools", "isd", "transit", "airport", "state", "hp", "da"}
) | frozenset({"prosecutor", "constable", "us", "attorney", "hoa"})
# Words whose absence on one side makes a match doubtful, not impossible ("Brownstown Twp PD" and
# "Brownstown Police Department" are usually one body).
_SHOULD_AGREE = {"county": 12.0, "township": 10.0, "precinct": 10.0}
_UNKNOWN_KIND_PENALTY = 8.0
# Agencies a data set lists that run no cameras: vendor accounts, demos, trainings, duplicates.
_NOT_AN_OPERATOR = re.compile(
    r"\b(demo|training|test(ing)?|do ?n[o']?t use|dnu|delete|duplicate|not in use|inactive|flock)\b", re.I
)
# Operator texts that name no operator (the vendor, a placeholder).
_NO_OPERATOR = re.compile(
    r"^\W*(flock( safety)?|private|unknown|none|n/?a|enter operator name|test)\W*$", re.I
)


@dataclass(frozen=True)
class Entry:
    """One name of an agency the matcher can propose: its name or one of its aliases."""

    agency_id: int
    agency_name: str
    agency_state: str | None
    parsed: ParsedName


@dataclass(frozen=True)
class Proposal:
    agency_id: int
    name: str
    state: str | None
    score: float

    def as_json(self) -> dict:
        return {"agency_id": self.agency_id, "name": self.name, "state": self.state, "score": self.score}


@dataclass
class AgencyIndex:
    """Every agency name, by state (None: an agency of no state) and by the first three letters of each
    distinctive word; names with no distinctive word ("California Highway Patrol") under ""."""

    blocks: dict[str | None, dict[str, list[Entry]]] = field(default_factory=lambda: defaultdict(dict))

    def add(self, entry: Entry) -> None:
        by_prefix = self.blocks[entry.agency_state]
        for prefix in _prefixes(entry.parsed) or {""}:
            by_prefix.setdefault(prefix, []).append(entry)

    def candidates(self, parsed: ParsedName, states: Iterable[str | None]) -> list[Entry]:
        seen: dict[tuple[int, str], Entry] = {}
        prefixes = _prefixes(parsed) or {""}
        # No state known: every state's agencies may be proposed (none is linked without review).
        searched = {*states, None} if states else set(self.blocks)
        for state in searched:
            by_prefix = self.blocks.get(state, {})
            for prefix in prefixes:
                for entry in by_prefix.get(prefix, ()):
                    seen[(entry.agency_id, entry.parsed.key)] = entry
        return list(seen.values())


def _prefixes(parsed: ParsedName) -> set[str]:
    return {token[:3] for token in parsed.distinct if len(token) >= 2}


def build_index(rows: Iterable[tuple[int, str, str | None, str]]) -> AgencyIndex:
    """The index of (agency id, agency name, state, name or alias) rows; agencies that run no cameras
    (demo and training accounts, duplicates) are left out."""
    index = AgencyIndex()
    for agency_id, agency_name, state, alias in rows:
        if _NOT_AN_OPERATOR.search(agency_name):
            continue
        parsed = parse(alias)
        if parsed.tokens:
            index.add(Entry(agency_id, agency_name, state or parsed.state, parsed))
    return index


def score(operator: ParsedName, candidate: ParsedName, states: set[str]) -> float:
    """How sure it is that two parsed names are one agency, 0-100 (0: they cannot be)."""
    if candidate.state and states and candidate.state not in states:
        return 0.0
    if operator.kind and candidate.kind and operator.kind != candidate.kind:
        return 0.0
    if (operator.generic & _MUST_AGREE) != (candidate.generic & _MUST_AGREE):
        return 0.0
    if operator.distinct and candidate.distinct:
        value = float(fuzz.ratio(" ".join(sorted(operator.distinct)), " ".join(sorted(candidate.distinct))))
    elif operator.distinct or candidate.distinct:
        return 0.0
    else:
        # Nothing but what kind of body it is ("California Highway Patrol" once its state is taken out):
        # all of it must agree.
        value = float(fuzz.token_sort_ratio(" ".join(operator.tokens), " ".join(candidate.tokens)))
    for token, penalty in _SHOULD_AGREE.items():
        if (token in operator.generic) != (token in candidate.generic):
            value -= penalty
    if (operator.kind is None) != (candidate.kind is None):
        value -= _UNKNOWN_KIND_PENALTY
    return max(value, 0.0)


@dataclass(frozen=True)
class Decision:
    """What the matcher says about one operator text."""

    state: OperatorLinkState
    agency_id: int | None
    score: float | None
    candidates: list[Proposal]


def operator_states(camera_states: Counter) -> tuple[set[str], str | None]:
    """The states a text's cameras stand in, and the one state they stand in (if DOMINANT_STATE_SHARE of
    those with a known state do)."""
    known = Counter({state: count for state, count in camera_states.items() if state})
    total = sum(known.values())
    if not total:
        return set(), None
    state, count = known.most_common(1)[0]
    return set(known), (state if count >= DOMINANT_STATE_SHARE * total else None)


def propose(index: AgencyIndex, operator_text: str, camera_states: Counter | None = None) -> Decision:
    """The decision for one operator text, given the states its cameras stand in."""
    if _NO_OPERATOR.match(operator_text.strip()):
        return Decision(OperatorLinkState.UNMATCHED, None, None, [])
    parsed = parse(operator_text)
    if not parsed.tokens:
        return Decision(OperatorLinkState.UNMATCHED, None, None, [])
    states, dominant = operator_states(camera_states or Counter())
    if parsed.state:
        # The text names its state: that is the state, whatever the cameras' positions say.
        states, dominant = {parsed.state}, parsed.state
    best: dict[int, Proposal] = {}
    for entry in index.candidates(parsed, states):
        value = score(parsed, entry.parsed, states)
        if value >= QUEUE_SCORE and value > getattr(best.get(entry.agency_id), "score", -1):
            best[entry.agency_id] = Proposal(entry.agency_id, entry.agency_name, entry.agency_state, value)
    ranked = sorted(best.values(), key=lambda proposal: (-proposal.score, proposal.name))[:CANDIDATES_KEPT]
    if not ranked:
        return Decision(OperatorLinkState.UNMATCHED, None, None, [])
    top = ranked[0]
    runner_up = ranked[1].score if len(ranked) > 1 else 0.0
    state_known = dominant is not None and (top.state is None or top.state == dominant)
    if top.score >= LINK_SCORE and state_known and top.score - runner_up >= LINK_MARGIN:
        return Decision(OperatorLinkState.LINKED, top.agency_id, top.score, ranked)
    return Decision(OperatorLinkState.QUEUED, None, top.score, ranked)
