"""Audit actions are one vocabulary (webapp.kernel.vocabulary.AuditAction) held by the database too: the
CHECK constraint moderation_action_known lists exactly the enum's values, an unknown action is refused by
PostgreSQL however it is written, and every writer of the audit log names its action from the enum."""

import ast
import re
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from tests.factories import make_user
from webapp.kernel.data.audit import record_event
from webapp.kernel.extensions import db
from webapp.kernel.vocabulary import AuditAction

WEBAPP = Path(__file__).resolve().parents[2] / "webapp"


def constraint_actions() -> list[str]:
    definition = db.session.scalar(
        text(
            "SELECT pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conname = 'moderation_action_known' AND conrelid = 'moderation_events'::regclass"
        )
    )
    assert definition is not None, "moderation_events has no CHECK moderation_action_known"
    return re.findall(r"'([^']*)'", definition)


def test_the_database_constraint_lists_exactly_the_enum(app_context):
    listed = constraint_actions()
    assert len(listed) == len(set(listed))
    assert set(listed) == {action.value for action in AuditAction}


def test_the_database_refuses_an_unknown_action(app_context):
    user = make_user(role="moderator")
    with pytest.raises(IntegrityError, match="moderation_action_known"), db.session.begin_nested():
        db.session.execute(
            text(
                "INSERT INTO moderation_events (actor_id, action, target_type, target_id) "
                "VALUES (:actor, 'approve', 'camera', 1)"
            ),
            {"actor": user.id},
        )
    # A known action goes in the same way.
    db.session.execute(
        text(
            "INSERT INTO moderation_events (actor_id, action, target_type, target_id) "
            "VALUES (:actor, :action, 'camera', 1)"
        ),
        {"actor": user.id, "action": AuditAction.HIDE},
    )


def test_record_event_refuses_an_action_outside_the_enum(app_context):
    with pytest.raises(ValueError, match="approve"):
        record_event(None, "approve", "camera", 1)


def literal_actions(source: str, name: str) -> list[str]:
    """`record_event(actor, "some_action", ...)` calls in a module: an action written as a free string."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, ast.Call)
            and getattr(node.func, "id", getattr(node.func, "attr", None)) == "record_event"
            and len(node.args) > 1
            and isinstance(node.args[1], ast.Constant)
        ):
            found.append(f"{name}:{node.lineno}: {node.args[1].value!r}")
    return found


def test_the_free_string_check_finds_one():
    source = (
        'record_event(moderator, AuditAction.HIDE, "camera", 1)\n'
        'audit.record_event(None, "hide", "camera", 1)\n'
    )
    assert literal_actions(source, "example.py") == ["example.py:2: 'hide'"]


def test_every_writer_names_its_action_from_the_enum():
    written = [
        call
        for path in sorted(WEBAPP.rglob("*.py"))
        for call in literal_actions(path.read_text(), str(path.relative_to(WEBAPP)))
    ]
    assert written == []
