"""The mechanical claims of the privacy statement (docs/privacy.md, /privacy), each checked against the real
schema and the real app."""

import re
from pathlib import Path

from sqlalchemy import text

from webapp.kernel.extensions import db

ADDRESS_TYPES = {"inet", "cidr", "macaddr", "macaddr8"}
ADDRESS_NAMES = re.compile(r"(^|_)(ip|ips|addr|address|remote|client|user_agent|useragent|forwarded)($|_)")
SUBMITTER_ADDRESS = "203.0.113.77"
FORWARDED_ADDRESS = "198.51.100.23"


def _tables() -> list[str]:
    return list(
        db.session.scalars(
            text(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = 'public' AND table_type = 'BASE TABLE' "
                "AND table_name NOT IN ('spatial_ref_sys', 'alembic_version') ORDER BY table_name"
            )
        )
    )


def test_no_column_in_the_schema_can_hold_a_client_address(app_context):
    columns = db.session.execute(
        text(
            "SELECT table_name, column_name, udt_name FROM information_schema.columns "
            "WHERE table_schema = 'public' AND table_name NOT IN ('spatial_ref_sys', 'alembic_version')"
        )
    ).all()
    tables = {table for table, _, _ in columns}
    # The introspection must see the real schema, or the claim below would hold vacuously.
    assert {"cameras", "sightings", "photos", "users", "moderation_events", "flags"} <= tables
    offending = [
        f"{table}.{column} ({kind})"
        for table, column, kind in columns
        if kind in ADDRESS_TYPES or ADDRESS_NAMES.search(column)
    ]
    assert offending == []


def test_a_submission_leaves_its_address_in_no_row(client, app_context):
    response = client.post(
        "/api/v1/sightings",
        data={
            "lat": "41.8801",
            "lon": "-87.6301",
            "directions": "90",
            "vendor": "flock-safety",
            "mount": "pole",
        },
        environ_base={"REMOTE_ADDR": SUBMITTER_ADDRESS},
        headers={"X-Forwarded-For": FORWARDED_ADDRESS, "User-Agent": "DistinctiveAgent/9.9"},
    )
    assert response.status_code == 201, response.get_data(as_text=True)
    assert db.session.execute(text("SELECT count(*) FROM sightings")).scalar_one() >= 1

    for table in _tables():
        for needle in (SUBMITTER_ADDRESS, FORWARDED_ADDRESS, "DistinctiveAgent"):
            # A row cast to text holds every column of the row.
            holding = db.session.execute(
                text(f'SELECT count(*) FROM "{table}" AS row WHERE row::text LIKE :needle'),  # noqa: S608 (table names from the schema, not input)
                {"needle": f"%{needle}%"},
            ).scalar_one()
            assert holding == 0, f"{table} holds {needle}"


# Each claim on /privacy about time (issue 15), with the tests that check it: the claim must be on the page
# and every test must exist, so that neither can go without the other.
TIME_CLAIMS = {
    "claim-no-time": [
        "tests.app.test_no_report_time:test_no_table_of_reports_photos_flags_or_receipts_has_a_time_column",
        "tests.app.test_no_report_time:test_a_report_leaves_no_log_line_and_no_file_time_until_it_is_verified",
        "tests.app.test_no_report_time:test_a_flag_writes_no_time_anywhere",
        "tests.kernel.test_route_summary:test_a_report_through_the_app_is_counted_and_logged_only_in_the_summary",
        "tests.app.test_migrations:test_0004_turns_report_times_into_days_on_a_database_with_rows_and_comes_back_down",
    ],
    "claim-database-log": [
        "tests.app.test_compose:test_the_database_service_runs_with_statement_and_connection_logging_off",
        "tests.app.test_compose:test_the_local_cluster_runs_with_the_same_settings",
        "tests.app.test_compose:test_the_local_servers_log_gets_no_line_for_a_client_error_or_a_checkpoint",
    ],
    "claim-rate-limits": [
        "tests.app.test_no_report_time:test_a_report_counter_lasts_one_window_and_holds_no_address"
    ],
}


def test_every_time_claim_is_on_the_page_and_backed_by_tests(client):
    import importlib

    page = client.get("/privacy").get_data(as_text=True)
    for claim, tests in TIME_CLAIMS.items():
        assert f'id="{claim}"' in page, claim
        for reference in tests:
            module, name = reference.split(":")
            assert callable(getattr(importlib.import_module(module), name, None)), reference
    statement = (Path(__file__).resolve().parents[2] / "docs" / "privacy.md").read_text()
    assert "## Time: what each place keeps, and for how long" in statement
