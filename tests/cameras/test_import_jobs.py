"""After `flask cameras import` commits, the agency matcher is queued as a job (once, however many imports
ask) and links the new cameras' operators to their agencies when a worker runs it."""

import json

from rq.job import Job
from sqlalchemy import select

from tests.support.agencies import make_agency
from tests.support.jobs import job_state, run_queued_jobs
from webapp.jobs.queue import connection
from webapp.kernel.data.models import OperatorLink
from webapp.kernel.data.transactions import commit
from webapp.kernel.extensions import db


def _overpass_file(tmp_path, operator: str):
    document = {
        "version": 0.6,
        "elements": [
            {
                "type": "node",
                "id": 900001,
                "lat": 35.78,
                "lon": -78.64,
                "tags": {
                    "man_made": "surveillance",
                    "surveillance:type": "ALPR",
                    "manufacturer": "Flock Safety",
                    "operator": operator,
                },
            }
        ],
    }
    path = tmp_path / "cameras.json"
    path.write_text(json.dumps(document))
    return path


def test_an_import_queues_the_matcher_which_links_the_new_operator(app, runner, job_queue, tmp_path):
    with app.app_context():
        agency_id = make_agency("Raleigh Police Department", state="NC").id
        commit()
    result = runner.invoke(
        args=["cameras", "import", str(_overpass_file(tmp_path, "Raleigh Police Department"))]
    )
    assert result.exit_code == 0, result.output
    (line,) = [line for line in result.output.splitlines() if line.startswith("agencies:")]
    job_id = line.split("job ")[1].split(";")[0]
    assert job_state(app, job_id) == "queued"
    # A second import before the worker ran: the same job, not a second one.
    again = runner.invoke(
        args=["cameras", "import", str(_overpass_file(tmp_path, "Raleigh Police Department"))]
    )
    assert f"job {job_id};" in again.output

    run_queued_jobs(app)
    assert job_state(app, job_id) == "finished"
    with app.app_context():
        result = Job.fetch(job_id, connection=connection()).return_value()
        links = db.session.scalars(select(OperatorLink)).all()
    # The matcher decided the new text (a close match waits for a moderator, with the agency proposed).
    assert "links written or changed: 1" in result
    assert [(link.state, [c["agency_id"] for c in link.candidates]) for link in links] == [
        ("queued", [agency_id])
    ]


def test_without_a_job_queue_the_import_says_what_to_run(app, runner, tmp_path):
    result = runner.invoke(args=["cameras", "import", str(_overpass_file(tmp_path, "Somewhere PD"))])
    assert result.exit_code == 0, result.output
    assert "run `flask agencies match`" in result.output
