"""`flask agencies match`: a proposal (`matcher` beside it) for every distinct operator text that cameras
carry in each state ("Richmond Police Department" in Virginia is not the one in California), written as
operator links in one statement, with one audit event per link that changed. A moderator's decision
(`decided_by_user_id` set) is never changed by a later run."""

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import text

from webapp.agencies.matching.matcher import AgencyIndex, Decision, build_index, propose
from webapp.agencies.us_states import state_of_geoid
from webapp.kernel.data.audit import record_event
from webapp.kernel.extensions import db
from webapp.kernel.vocabulary import AuditAction, OperatorLinkState


def load_index() -> AgencyIndex:
    rows = db.session.execute(
        text(
            """
            SELECT a.id, a.name, a.state, a.name FROM agencies a WHERE NOT a.test_account
            UNION
            SELECT a.id, a.name, a.state, al.alias
            FROM agency_aliases al JOIN agencies a ON a.id = al.agency_id WHERE NOT a.test_account
            """
        )
    ).all()
    return build_index(rows)


# A link's key: the operator text (lower-cased, trimmed) and the state its cameras stand in ('' for none).
LinkKey = tuple[str, str]


@dataclass
class OperatorTexts:
    """Each distinct operator text in each state: a spelling and its cameras."""

    spelling: dict[LinkKey, str] = field(default_factory=dict)
    cameras: Counter = field(default_factory=Counter)

    def states(self, key: LinkKey) -> Counter:
        """The matcher's view of where the text's cameras stand (USPS codes)."""
        return Counter({state_of_geoid(key[1] or None): self.cameras[key]})


def load_operator_texts() -> OperatorTexts:
    rows = db.session.execute(
        text(
            """
            SELECT lower(btrim(operator)) AS key, coalesce(state_geoid, '') AS state_geoid,
                   min(btrim(operator)) AS spelling, count(*) AS n
            FROM cameras WHERE btrim(coalesce(operator, '')) <> ''
            GROUP BY 1, 2
            """
        )
    ).all()
    texts = OperatorTexts()
    for row in rows:
        texts.spelling[(row.key, row.state_geoid)] = row.spelling
        texts.cameras[(row.key, row.state_geoid)] += row.n
    return texts


@dataclass
class MatchSummary:
    texts: Counter = field(default_factory=Counter)  # by state
    cameras: Counter = field(default_factory=Counter)
    kept_decisions: int = 0  # texts a moderator decided, left as they are
    changed: int = 0

    def lines(self) -> list[str]:
        lines = [
            f"{state}: {self.texts[state]:,} operator texts, {self.cameras[state]:,} cameras"
            for state in OperatorLinkState
        ]
        lines.append(
            f"moderators' decisions kept: {self.kept_decisions:,}; links written or changed: {self.changed:,}"
        )
        return lines


_UPSERT_LINKS = text(
    """
    INSERT INTO operator_links (operator_key, state_geoid, operator, state, agency_id, score, candidates)
    SELECT r.key, r.state_geoid, r.operator, r.state, r.agency_id, r.score, CAST(r.candidates AS jsonb)
    FROM unnest(CAST(:keys AS text[]), CAST(:state_geoids AS text[]), CAST(:operators AS text[]),
                CAST(:states AS text[]), CAST(:agency_ids AS bigint[]), CAST(:scores AS double precision[]),
                CAST(:candidates AS text[]))
         AS r(key, state_geoid, operator, state, agency_id, score, candidates)
    ON CONFLICT (operator_key, state_geoid) DO UPDATE SET
        state = EXCLUDED.state, agency_id = EXCLUDED.agency_id, score = EXCLUDED.score,
        candidates = EXCLUDED.candidates, updated_at = now()
    WHERE operator_links.decided_by_user_id IS NULL
    RETURNING operator_key, state_geoid, id
    """
)


def match_operators(progress: Callable[[str], None] | None = None) -> MatchSummary:
    """Decide every distinct operator text cameras carry and write its link (the caller commits). Only
    links that change are written, and each change is one audit event of the system."""
    say = progress or (lambda _message: None)
    index = load_index()
    texts = load_operator_texts()
    say(
        f"{len({key for key, _state in texts.cameras}):,} distinct operator texts in {len(texts.cameras):,} "
        f"text and state pairs on {sum(texts.cameras.values()):,} cameras"
    )
    existing = {
        (row.operator_key, row.state_geoid): row
        for row in db.session.execute(
            text(
                "SELECT id, operator_key, state_geoid, state, agency_id, score, candidates, "
                "decided_by_user_id FROM operator_links"
            )
        )
    }
    summary = MatchSummary()
    changed: dict[LinkKey, Decision] = {}
    for key, cameras in texts.cameras.items():
        current = existing.get(key)
        if current is not None and current.decided_by_user_id is not None:
            summary.kept_decisions += 1
            summary.texts[current.state] += 1
            summary.cameras[current.state] += cameras
            continue
        decision = propose(index, texts.spelling[key], texts.states(key))
        summary.texts[decision.state] += 1
        summary.cameras[decision.state] += cameras
        candidates = [proposal.as_json() for proposal in decision.candidates] or None
        if current is None or (current.state, current.agency_id, current.candidates) != (
            decision.state,
            decision.agency_id,
            candidates,
        ):
            changed[key] = decision
    if changed:
        _write_links(changed, texts, existing)
    summary.changed = len(changed)
    return summary


def _write_links(changed: dict[LinkKey, "Decision"], texts: OperatorTexts, existing: dict) -> None:
    keys = list(changed)
    decisions = [changed[key] for key in keys]
    rows = db.session.execute(
        _UPSERT_LINKS,
        {
            "keys": [key for key, _state in keys],
            "state_geoids": [state for _key, state in keys],
            "operators": [texts.spelling[key][:200] for key in keys],
            "states": [decision.state.value for decision in decisions],
            "agency_ids": [decision.agency_id for decision in decisions],
            "scores": [decision.score for decision in decisions],
            "candidates": [
                json.dumps([proposal.as_json() for proposal in decision.candidates])
                if decision.candidates
                else None
                for decision in decisions
            ],
        },
    ).all()
    for row in rows:
        key = (row.operator_key, row.state_geoid)
        before = existing.get(key)
        decision = changed[key]
        record_event(
            None,
            AuditAction.MATCH_OPERATOR,
            "operator_link",
            row.id,
            from_status=before.state if before else None,
            to_status=decision.state.value,
            reason=f"{texts.spelling[key][:200]} -> agency {decision.agency_id}"
            if decision.agency_id
            else texts.spelling[key][:200],
        )
    db.session.flush()
