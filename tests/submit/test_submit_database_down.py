"""The database unreachable when a submission is stored: a 503 with the usual JSON error, and nothing on disk
(photos of a report are kept in the database until a moderator publishes them: issue 15)."""

import socket
from pathlib import Path

from tests.support import photo_samples as samples
from tests.support.submissions import submission


def closed_port() -> int:
    """A local TCP port nobody listens on: connecting to it is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_submission_with_the_database_down_answers_503_and_leaves_no_file(app_with):
    url = f"postgresql+psycopg://postgres@127.0.0.1:{closed_port()}/sightline"
    app = app_with(SQLALCHEMY_DATABASE_URI=url)
    response = app.test_client().post(
        "/api/v1/sightings",
        data=submission([samples.jpeg(), samples.png()]),
        content_type="multipart/form-data",
    )
    assert response.status_code == 503
    assert response.get_json()["error"] == "unavailable"
    assert response.headers["Retry-After"]
    uploads = Path(app.config["UPLOAD_DIR"])
    assert [path for path in uploads.rglob("*") if path.is_file()] == []
    # Until issue 15 the photos were written before the commit failed, so their folders existed. Now a
    # report writes nothing to disk at all, not even a folder (whose times would be the report's).
    assert not any(path.is_dir() for path in uploads.rglob("*"))
