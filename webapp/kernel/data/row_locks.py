"""Locking the row a moderator changes (SELECT ... FOR UPDATE, read fresh from the database), so that two
moderators acting at once are serialised and the second sees what the first did; and the one check that the
row is still the version the moderator saw ("changed while you were editing it")."""

from collections.abc import Callable

from flask_babel import gettext as _
from sqlalchemy import select

from webapp.kernel.errors import AlreadyHandled, InvalidField
from webapp.kernel.extensions import db


def locked(model, row_id: int):
    """The row of `model` with this id, locked for this transaction; None when there is none."""
    return db.session.scalar(
        select(model).where(model.id == row_id).with_for_update().execution_options(populate_existing=True)
    )


def seen_version(raw) -> int:
    """The version of the row the moderator's form or script was loaded with (the `version` field), for
    refuse_stale_edit; InvalidField when it is missing or not a number."""
    try:
        return int(raw)
    except (TypeError, ValueError) as error:
        raise InvalidField(
            "version", _("The version of what you edited is missing."), "missing_field"
        ) from error


def refuse_stale_edit(row, seen_version: int, explain: Callable[[], tuple[str, dict]]) -> None:
    """AlreadyHandled (409, code "stale_edit") when `row` (a versioned model, locked) is no longer at the
    version the moderator's form or script was loaded with: nothing is saved. `explain()` is called only then,
    and returns the message (what changed meanwhile, what to do) and the answer's details (the row as it is
    now under "current")."""
    if row.version == seen_version:
        return
    message, details = explain()
    raise AlreadyHandled(message, code="stale_edit", details=details)
