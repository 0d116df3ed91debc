"""audit actions: moderation_events.action is one of a known list (CHECK moderation_action_known)

The actions were free strings written by about thirty calls; they are now webapp.kernel.vocabulary
AuditAction, and the database refuses any other, however the row is written (the app, a migration, psql).
The list is written out here as it stood at this revision (a migration never imports the app's vocabulary:
a later change to it would rewrite history); tests/kernel/test_audit_actions.py holds the live constraint
equal to the enum. A new action takes a migration that replaces the constraint.

Revision ID: 0020
Revises: 0018
"""

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None

ACTIONS = (
    "verify", "create", "merge", "confirm", "reject", "reopen",
    "correct", "hide", "remove", "restore", "redact_photo", "drop_photo", "show_photos",
    "link_osm", "osm_agrees", "osm_differs", "osm_gone", "keep_ours", "take_osm", "keep_camera", "merged_into",
    "dismiss_link",
    "resolve", "dismiss",
    "set_role",
    "create_agency", "edit_agency", "add_sharing", "correct_sharing", "retire_sharing", "match_operator",
    "confirm_operator", "unmatch_operator",
    "import_search_log",
)  # fmt: skip
KNOWN = "action IN (" + ", ".join(f"'{action}'" for action in ACTIONS) + ")"


def upgrade():
    unknown = (
        op.get_bind()
        .execute(sa.text(f"SELECT DISTINCT action FROM moderation_events WHERE NOT ({KNOWN}) ORDER BY 1"))  # noqa: S608 - KNOWN is this module's constant
        .scalars()
        .all()
    )
    if unknown:
        raise RuntimeError(
            f"moderation_events holds actions this revision does not know: {', '.join(unknown)}. The audit log "
            "is append-only: add them to ACTIONS here and to AuditAction (webapp/kernel/vocabulary.py)"
        )
    op.create_check_constraint("moderation_action_known", "moderation_events", KNOWN)


def downgrade():
    op.drop_constraint("moderation_action_known", "moderation_events", type_="check")
