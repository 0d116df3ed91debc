"""Two moderators acting on the same sighting at the same time: exactly one wins, the other is told
"already handled" (409). Real transactions on separate connections, committed for real."""

import threading
import time

from sqlalchemy import func, select, text

from tests.factories import log_in, make_camera, make_sighting, make_user
from webapp.kernel.data.models import Camera, ModerationEvent, Sighting
from webapp.kernel.extensions import db

ROUNDS = 50
# Each round pairs two actions; the list cycles so every combination races several times.
PAIRS = [
    ("verify", "verify"),
    ("merge", "merge"),
    ("verify", "merge"),
    ("merge", "reject"),
    ("reject", "verify"),
    ("reject", "reject"),
]
RESULT_STATUS = {"verify": "accepted", "merge": "merged", "reject": "rejected"}


def body_for(action: str, camera_id: int) -> dict:
    if action == "merge":
        return {"camera_id": camera_id}
    if action == "reject":
        return {"reason": "spam"}
    return {}


def race(clients, sighting_id: int, actions: tuple[str, str], camera_id: int) -> list[tuple[str, int, dict]]:
    barrier = threading.Barrier(len(clients))
    results: list = [None] * len(clients)

    def act(index: int) -> None:
        action = actions[index]
        barrier.wait()
        response = clients[index].post(
            f"/api/v1/moderation/sightings/{sighting_id}/{action}", json=body_for(action, camera_id)
        )
        results[index] = (action, response.status_code, response.get_json())

    threads = [threading.Thread(target=act, args=(index,)) for index in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_fifty_simultaneous_pairs_exactly_one_wins_each_time(app, committing_db):
    with app.app_context():
        make_user("mod_anna", role="moderator")
        make_user("mod_ben", role="moderator")
        camera_id = make_camera().id
        db.session.commit()
    clients = [app.test_client(), app.test_client()]
    for client, login in zip(clients, ("mod_anna", "mod_ben"), strict=True):
        log_in(client, login)

    winners = []
    for round_number in range(ROUNDS):
        with app.app_context():
            sighting_id = make_sighting(lon=-87.6298 + round_number * 1e-5).id
            db.session.commit()
        pair = PAIRS[round_number % len(PAIRS)]
        results = race(clients, sighting_id, pair, camera_id)
        statuses = sorted(status for _, status, _ in results)
        assert statuses == [200, 409], (round_number, results)
        winner = next(result for result in results if result[1] == 200)
        loser = next(result for result in results if result[1] == 409)
        assert loser[2]["error"] == "already_handled"
        assert "already handled" in loser[2]["message"]
        with app.app_context():
            sighting = db.session.get(Sighting, sighting_id)
            assert sighting.status == RESULT_STATUS[winner[0]], (round_number, results)
            logged = db.session.scalars(
                select(ModerationEvent.action).where(
                    ModerationEvent.target_type == "sighting", ModerationEvent.target_id == sighting_id
                )
            ).all()
            assert logged == [{"verify": "verify", "merge": "merge", "reject": "reject"}[winner[0]]]
        winners.append(winner[0])

    with app.app_context():
        # No lost and no double update: the counts add up to exactly the winning actions.
        merged = winners.count("merge")
        verified = winners.count("verify")
        assert db.session.get(Camera, camera_id).confirmations == 1 + merged
        assert db.session.scalar(select(func.count(Camera.id))) == 1 + verified
        statuses = dict(
            db.session.execute(select(Sighting.status, func.count()).group_by(Sighting.status)).all()
        )
        assert statuses == {
            status: winners.count(action) for action, status in RESULT_STATUS.items() if winners.count(action)
        }
        assert "pending" not in statuses


def test_the_second_moderator_waits_for_the_first_and_is_told_already_handled(app, committing_db):
    """A deterministic interleaving: another transaction holds the sighting's row lock; the request waits
    for it, then sees the committed change and answers 409 instead of applying its own action."""
    with app.app_context():
        make_user("mod_carl", role="moderator")
        sighting_id = make_sighting().id
        db.session.commit()
    client = app.test_client()
    log_in(client, "mod_carl")

    with app.app_context(), db.engine.connect() as other_moderator:
        transaction = other_moderator.begin()
        other_moderator.execute(
            text("SELECT id FROM sightings WHERE id = :id FOR UPDATE"), {"id": sighting_id}
        )
        outcome = {}
        request = threading.Thread(
            target=lambda: outcome.update(
                response=client.post(
                    f"/api/v1/moderation/sightings/{sighting_id}/reject", json={"reason": "spam"}
                )
            )
        )
        request.start()
        time.sleep(0.5)
        assert request.is_alive(), "the request did not wait for the row lock"
        other_moderator.execute(
            text("UPDATE sightings SET status = 'rejected', reject_reason = 'by the other' WHERE id = :id"),
            {"id": sighting_id},
        )
        transaction.commit()
        request.join(timeout=10)
    assert outcome["response"].status_code == 409
    with app.app_context():
        assert db.session.get(Sighting, sighting_id).reject_reason == "by the other"
