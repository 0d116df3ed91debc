"""Group decisions race as single ones do: two moderators deciding the same group of three reports at the
same time (or one the group, the other one of its reports), 50 times: exactly one wins, the other is told
"already handled" (409), and no report is decided twice or lost. Real transactions, committed for real."""

import threading

from sqlalchemy import func, select

from tests.factories import log_in, make_camera, make_sighting, make_user
from webapp.kernel.data.models import Camera, ModerationEvent, Sighting
from webapp.kernel.extensions import db

ROUNDS = 50
PAIRS = [
    ("group_verify", "group_verify"),
    ("group_merge", "group_reject"),
    ("group_verify", "group_merge"),
    ("group_reject", "single_verify"),
    ("single_merge", "group_verify"),
    ("group_reject", "group_reject"),
]


def request_for(action: str, ids: list[int], camera_id: int) -> tuple[str, dict]:
    scope, decision = action.split("_")
    body = {"merge": {"camera_id": camera_id}, "reject": {"reason": "spam"}, "verify": {}}[decision]
    if scope == "group":
        return f"/api/v1/moderation/groups/{decision}", {"sightings": ids, **body}
    # A single decision on the group's middle report.
    return f"/api/v1/moderation/sightings/{ids[1]}/{decision}", body


def test_fifty_races_on_groups_exactly_one_wins_each_time(app, committing_db):
    with app.app_context():
        make_user("mod_gina", role="moderator")
        make_user("mod_hal", role="moderator")
        camera_id = make_camera(-100.0, 40.0).id
        db.session.commit()
    clients = [app.test_client(), app.test_client()]
    for client, login in zip(clients, ("mod_gina", "mod_hal"), strict=True):
        log_in(client, login)

    expected_confirmations = 1
    for round_number in range(ROUNDS):
        with app.app_context():
            lon = -87.6298 + round_number * 0.01  # each group its own spot, about 800 m apart
            ids = [make_sighting(lon + index * 1e-5, 41.8781).id for index in range(3)]
            db.session.commit()
        actions = PAIRS[round_number % len(PAIRS)]
        barrier = threading.Barrier(2)
        results: list = [None, None]

        def act(index: int, actions=actions, ids=ids, barrier=barrier, results=results) -> None:
            url, body = request_for(actions[index], ids, camera_id)
            barrier.wait()
            response = clients[index].post(url, json=body)
            results[index] = (actions[index], response.status_code, response.get_json())

        threads = [threading.Thread(target=act, args=(index,)) for index in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        assert sorted(status for _, status, _ in results) == [200, 409], (round_number, results)
        winner = next(result for result in results if result[1] == 200)[0]
        loser = next(result for result in results if result[1] == 409)
        assert loser[2]["error"] == "already_handled"

        with app.app_context():
            statuses = [db.session.get(Sighting, sighting_id).status for sighting_id in ids]
            decided = db.session.scalars(
                select(ModerationEvent.action).where(
                    ModerationEvent.target_type == "sighting", ModerationEvent.target_id.in_(ids)
                )
            ).all()
            if winner.startswith("group"):
                decision = winner.split("_")[1]
                expected = {
                    "verify": ["accepted", "merged", "merged"],
                    "merge": ["merged"] * 3,
                    "reject": ["rejected"] * 3,
                }[decision]
                assert statuses == expected, (round_number, results)
                assert len(decided) == 3  # one decision per report, none twice
                if decision == "merge":
                    expected_confirmations += 3
            else:
                decision = winner.split("_")[1]
                assert statuses[0] == statuses[2] == "pending", (round_number, results)
                assert statuses[1] == {"verify": "accepted", "merge": "merged"}[decision]
                assert len(decided) == 1
                if decision == "merge":
                    expected_confirmations += 1

    with app.app_context():
        assert db.session.get(Camera, camera_id).confirmations == expected_confirmations
        counted = dict(
            db.session.execute(select(Sighting.status, func.count()).group_by(Sighting.status)).all()
        )
        assert sum(counted.values()) == ROUNDS * 3
