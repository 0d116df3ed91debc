"""The one rule for transactions: domain functions change rows and flush; the route or CLI command that owns
the request commits, with commit() below, once, at the end. Nothing else commits.

Work outside the database that must follow the transaction registers here: after_commit() runs once the
commit succeeded (deleting photo files nobody references any more), on_rollback() when it did not (deleting
files written for rows that will never exist). A request that ends without committing rolls back, so its
on_rollback work runs too.
"""

from collections.abc import Callable

from flask import Flask, request

from webapp.kernel.extensions import db

_AFTER_COMMIT = "sightline_after_commit"
_ON_ROLLBACK = "sightline_on_rollback"


def after_commit(callback: Callable[[], None]) -> None:
    """Run `callback` after the current transaction commits (never if it rolls back)."""
    db.session.info.setdefault(_AFTER_COMMIT, []).append(callback)


def on_rollback(callback: Callable[[], None]) -> None:
    """Run `callback` if the current transaction rolls back (never if it commits)."""
    db.session.info.setdefault(_ON_ROLLBACK, []).append(callback)


def commit() -> None:
    """Commit the request's transaction, then run its after-commit work; roll back (and run the rollback
    work) if the commit fails, and raise."""
    session = db.session
    try:
        session.commit()
    except BaseException:
        rollback()
        raise
    session.info.pop(_ON_ROLLBACK, None)
    for callback in session.info.pop(_AFTER_COMMIT, []):
        callback()


def rollback() -> None:
    """Roll back, then run the rollback work. Safe to call when nothing is pending, or when the database
    is gone (the rollback itself may fail then; the files still go)."""
    session = db.session
    try:
        session.rollback()
    except Exception:  # noqa: S110 (a dead connection cannot roll back; the server already has)
        pass
    finally:
        session.info.pop(_AFTER_COMMIT, None)
        for callback in session.info.pop(_ON_ROLLBACK, []):
            callback()


def _pending_work() -> int:
    return len(db.session.info.get(_ON_ROLLBACK, ())) + len(db.session.info.get(_AFTER_COMMIT, ()))


def init_transactions(app: Flask) -> None:
    # Counted at the start: a request shares its session with whoever pushed the app context (a test, a
    # command), and must only roll back the work it registered itself and did not commit.
    @app.before_request
    def _count_pending_work():
        request.environ["sightline.pending_work"] = _pending_work()

    @app.teardown_request
    def _uncommitted_work_is_rolled_back(_error=None):
        if _pending_work() > request.environ.get("sightline.pending_work", 0):
            rollback()
