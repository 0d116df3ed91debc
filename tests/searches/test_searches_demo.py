"""`make run`'s demo audit log (flask searches seed-demo --if-empty): a small generated network log imported
once, under an agency whose name says it is generated, marked demo on the pages that show it."""

from sqlalchemy import text

from webapp.kernel.extensions import db
from webapp.searches.demo import DEMO_AGENCY, DEMO_LOG


def test_the_demo_log_is_loaded_once_and_marked(runner, client, app_context):
    first = runner.invoke(args=["searches", "seed-demo", "--if-empty"])
    assert first.exit_code == 0, first.output
    assert f"{DEMO_LOG.rows:,} generated searches" in first.output
    again = runner.invoke(args=["searches", "seed-demo", "--if-empty"])
    assert again.exit_code == 0 and "nothing done" in again.output
    logs = db.session.execute(
        text(
            "SELECT l.demo, l.searches, a.name FROM search_logs AS l "
            "JOIN agencies AS a ON a.id = l.owner_agency_id"
        )
    ).all()
    assert [tuple(log) for log in logs] == [(True, DEMO_LOG.rows, DEMO_AGENCY)]
    listing = client.get("/searches").get_data(as_text=True)
    assert DEMO_AGENCY in listing and 'data-testid="demo-mark"' in listing
    owner = client.get("/api/v1/searches/logs").get_json()["logs"][0]["owner"]["id"]
    answer = client.get(f"/api/v1/agencies/{owner}/searched-by").get_json()
    assert answer["log"]["demo"] is True and answer["sources"]["demo"] is True
    assert answer["total"] == DEMO_LOG.rows and answer["immigration"] > 0
