"""The live SQL functions and triggers are the ones the newest file of each group in migrations/sql defines
(so that folder can be read as the database's definition), and each rule is spelled out in one function."""

import re
from pathlib import Path

import pytest
from sqlalchemy import text

from webapp.kernel.extensions import db
from webapp.kernel.vocabulary import (
    CAMERA_STATUSES,
    LINKING_OPERATOR_STATES,
    OPERATOR_LINK_STATES,
    CameraStatus,
)

SQL = Path(__file__).resolve().parents[2] / "migrations" / "sql"
FUNCTION = re.compile(r"CREATE OR REPLACE FUNCTION (\w+)\(.*?\bAS \$\$(.*?)\$\$;", re.DOTALL)
TRIGGER = re.compile(r"CREATE OR REPLACE TRIGGER (\w+) (.*?);$", re.DOTALL | re.MULTILINE)


def newest_files() -> list[Path]:
    """The live file of every group: the one named after the highest revision."""
    folders = sorted(path for path in SQL.iterdir() if path.is_dir())
    return [max(folder.glob("*.sql"), key=lambda path: path.stem) for folder in folders]


def defined() -> tuple[dict[str, str], dict[str, str]]:
    functions, triggers = {}, {}
    for path in newest_files():
        source = path.read_text(encoding="utf-8")
        for name, body in FUNCTION.findall(source):
            assert name not in functions, f"{name} is defined in two groups"
            functions[name] = body
        for name, definition in TRIGGER.findall(source):
            triggers[name] = " ".join(definition.split())
    return functions, triggers


def test_every_live_function_and_trigger_is_the_one_its_newest_file_defines(app_context):
    functions, triggers = defined()
    live_functions = dict(
        db.session.execute(
            text(
                "SELECT p.proname, p.prosrc FROM pg_proc AS p "
                "JOIN pg_namespace AS n ON n.oid = p.pronamespace WHERE n.nspname = 'public' "
                "AND NOT EXISTS (SELECT 1 FROM pg_depend AS d "
                "WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')"
            )
        ).all()
    )
    assert live_functions.keys() == functions.keys()
    for name, body in functions.items():
        assert live_functions[name] == body, f"{name}: the live body differs from its file"
    live_triggers = {
        name: " ".join(definition.replace("public.", "").split()).removeprefix(f"CREATE TRIGGER {name} ")
        for name, definition in db.session.execute(
            text("SELECT tgname, pg_get_triggerdef(oid) FROM pg_trigger WHERE NOT tgisinternal")
        )
    }
    assert live_triggers == triggers


def test_the_citable_rule_is_spelled_out_in_one_function_body(app_context):
    # "not demo" written out, however the column is qualified (every other body calls camera_citable()).
    spelling_out = db.session.scalars(
        text(r"SELECT proname FROM pg_proc WHERE prosrc ~* 'not\s+(\w+\.)?demo\M' ORDER BY 1")
    ).all()
    assert spelling_out == ["camera_citable"]
    linking = db.session.scalars(
        text("SELECT proname FROM pg_proc WHERE prosrc ~ '''confirmed''' ORDER BY 1")
    ).all()
    assert linking == ["operator_link_active"]


@pytest.mark.parametrize("status", CAMERA_STATUSES)
@pytest.mark.parametrize("demo", [False, True])
def test_the_citable_function_says_verified_and_not_demo(app_context, status, demo):
    citable = db.session.scalar(
        text("SELECT camera_citable(:status, :demo)"), {"status": status, "demo": demo}
    )
    assert citable is (status == CameraStatus.VERIFIED and not demo)


@pytest.mark.parametrize("state", OPERATOR_LINK_STATES)
def test_the_linking_states_are_the_vocabularys(app_context, state):
    active = db.session.scalar(text("SELECT operator_link_active(:state)"), {"state": state})
    assert active is (state in LINKING_OPERATOR_STATES)
