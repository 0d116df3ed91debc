"""Issue 15: no exact time of a report anywhere. The schema holds no time column in the tables of reports,
their photos, flags and receipts; a report with photos sent through a real gunicorn leaves no log line and no
file or folder time under UPLOAD_DIR until a moderator verifies it, and then only the times of the
verification; the hourly summary counts it."""

import http.cookiejar
import os
import re
import signal
import time
import urllib.error
import urllib.request
from pathlib import Path

from sqlalchemy import create_engine, text

from bench.load import multipart_body
from bench.server import GunicornServer
from tests.support import photo_samples
from tests.support.database import migrated_scratch_database
from webapp.accounts.service import create_user
from webapp.kernel.data.transactions import commit
from webapp.kernel.extensions import db

TIME_TYPES = {"timestamp", "timestamptz", "time", "timetz", "interval"}
# The tables that hold what a member of the public did: reports (with their receipts), photos, flags.
REPORT_TABLES = {"sightings", "photos", "pending_photos", "flags"}


def test_no_table_of_reports_photos_flags_or_receipts_has_a_time_column(app_context):
    columns = db.session.execute(
        text(
            "SELECT table_name, column_name, udt_name FROM information_schema.columns "
            "WHERE table_schema = 'public'"
        )
    ).all()
    assert {table for table, _, _ in columns} >= REPORT_TABLES  # the introspection sees the real schema
    # Any table that refers to one of them holds report data too (a new table of photos, of receipts ...).
    referring = set(
        db.session.scalars(
            text(
                "SELECT DISTINCT conrelid::regclass::text FROM pg_constraint "
                "WHERE contype = 'f' AND confrelid::regclass::text = ANY(:tables)"
            ),
            {"tables": list(REPORT_TABLES)},
        )
    )
    tables = REPORT_TABLES | (referring - {"moderation_events"})
    timed = [
        f"{table}.{column} ({kind})"
        for table, column, kind in columns
        if table in tables and kind in TIME_TYPES
    ]
    assert timed == []
    # The days that stand in for them are there.
    day_columns = {(table, column) for table, column, kind in columns if kind == "date"}
    assert {("sightings", "reported_on"), ("flags", "flagged_on")} <= day_columns


def test_a_flag_writes_no_time_anywhere(client, app_context):
    """A flag keeps its day only: no audit event (whose time and id would date it), and the camera it hid
    the photos of keeps its own updated_at."""
    from tests.factories import make_camera
    from webapp.kernel.data.models import Camera, Flag, ModerationEvent

    camera = make_camera()
    commit_time = db.session.get(Camera, camera.id).updated_at
    events_before = db.session.scalar(text("SELECT count(*) FROM moderation_events"))
    # Two clients: the second "personal information" flag hides the photos (issue 13's policy).
    for address in ("198.51.100.31", "198.51.100.32"):
        response = client.post(
            f"/cameras/{camera.id}/flag",
            data={"reason": "personal_information", "text": "x"},
            environ_base={"REMOTE_ADDR": address},
        )
        assert response.status_code == 303
    flag = db.session.scalars(
        db.select(Flag).where(Flag.camera_id == camera.id).order_by(Flag.id.desc())
    ).first()
    db.session.expire_all()
    camera = db.session.get(Camera, camera.id)
    assert camera.photos_hidden and flag.hid_photos
    assert camera.updated_at == commit_time
    assert db.session.scalar(text("SELECT count(*) FROM moderation_events")) == events_before
    assert db.session.scalar(db.select(ModerationEvent).where(ModerationEvent.actor_id.is_(None))) is None


def times_under(root: Path) -> dict[str, tuple[float, float]]:
    """(modification, change) time of every file and folder under root, root itself included."""
    if not root.exists():
        return {}
    found = {}
    for path in [root, *root.rglob("*")]:
        status = path.stat()
        found[str(path.relative_to(root))] = (status.st_mtime, status.st_ctime)
    return found


def csrf_token(opener, url: str) -> str:
    with opener.open(url, timeout=30) as response:
        page = response.read().decode()
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def test_a_report_leaves_no_log_line_and_no_file_time_until_it_is_verified(app_with, tmp_path, own_database):
    with migrated_scratch_database("sightline_report_time") as database_url:
        app = app_with(SQLALCHEMY_DATABASE_URI=database_url)
        with app.app_context():
            create_user("time_moderator", "a long enough password", "moderator")
            commit()
            db.engine.dispose()
        environment = {
            "WEB_CONCURRENCY": "1",
            "LOG_LEVEL": "debug",
            "RATELIMIT_ENABLED": "false",
            "TILE_URL": "",
        }
        with GunicornServer(
            database_url, extra_env=environment, log_path=tmp_path / "gunicorn.out"
        ) as server:
            base = f"http://127.0.0.1:{server.port}"
            upload_dir = server.upload_dir
            # Published photos of earlier reports are already on disk: their times must not change either.
            before = times_under(upload_dir)
            marker = f"NOTE{os.getpid()}x{time.time_ns()}"
            body, content_type = multipart_body(
                {
                    "lat": "41.88",
                    "lon": "-87.63",
                    "directions": "90",
                    "vendor": "flock-safety",
                    "notes": marker,
                },
                photo_samples.jpeg(800, 600, metadata=False),
            )
            submission_began = time.time()
            request = urllib.request.Request(  # noqa: S310 (http on 127.0.0.1)
                f"{base}/api/v1/sightings", data=body, headers={"Content-Type": content_type}
            )
            with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
                assert response.status == 201
            # The moderator reviews it meanwhile: the review pages and the pending photo come from the
            # database, and write nothing to disk either.
            opener = urllib.request.build_opener(
                urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
            )
            token = csrf_token(opener, f"{base}/login")
            login = urllib.parse.urlencode(
                {"csrf_token": token, "login": "time_moderator", "password": "a long enough password"}
            ).encode()
            opener.open(f"{base}/login", data=login, timeout=30).read()
            engine = create_engine(database_url)
            with engine.connect() as connection:
                sighting_id, content_hash = connection.execute(
                    text("SELECT s.id, p.content_hash FROM sightings s JOIN photos p ON p.sighting_id = s.id")
                ).one()
            engine.dispose()
            review = opener.open(f"{base}/moderate/sightings/{sighting_id}", timeout=30).read().decode()
            assert content_hash in review
            with opener.open(f"{base}/moderate/photos/{content_hash}/display.jpg", timeout=30) as photo:
                assert photo.read().startswith(b"\xff\xd8")
            time.sleep(1.1)  # file times have a resolution the verification must be told apart from

            assert times_under(upload_dir) == before, (
                "a file or folder under UPLOAD_DIR changed before verification"
            )
            assert not any(max(times) >= submission_began for times in times_under(upload_dir).values()), (
                "a time under UPLOAD_DIR is the report's"
            )

            token = csrf_token(opener, f"{base}/moderate/sightings/{sighting_id}")
            verification_began = time.time()
            verify = urllib.request.Request(  # noqa: S310
                f"{base}/api/v1/moderation/sightings/{sighting_id}/verify",
                data=b'{"photos": {}}',
                headers={"Content-Type": "application/json", "X-CSRFToken": token},
            )
            with opener.open(verify, timeout=60) as response:
                assert response.status == 200
            verification_ended = time.time()

            after = times_under(upload_dir)
            files = [path for path in upload_dir.rglob("*") if path.is_file()]
            assert len(files) == 2  # the display image and the thumbnail, published
            changed = {path: times for path, times in after.items() if before.get(path) != times}
            assert changed, "verification wrote no file"
            for path, (modified, status_changed) in changed.items():
                # Filesystem clocks tick in coarse steps (ext4: the kernel's jiffy): allow 20 ms around.
                for moment in (modified, status_changed):
                    assert verification_began - 0.02 <= moment <= verification_ended + 0.02, path

            server.process.send_signal(signal.SIGTERM)
            server.process.wait(timeout=30)
            output = server.log_path.read_text()

    assert "POST /login 302" in output  # the access log works for ordinary routes
    report_lines = [line for line in output.splitlines() if "/api/v1/sightings" in line or marker in line]
    # Not even a summary line: reports are counted by UTC day, and a worker that stops drops the day in
    # progress rather than write a line whose time would bound the report (webapp.kernel.http.route_summary).
    assert report_lines == []
    assert marker not in output


def test_a_pending_photo_is_served_to_moderators_from_the_database_one_variant_of_one_photo(
    client, app_context
):
    """The bounded-cost rule: the review route reads one bytea column of one row, never a whole row or a
    sighting's photos."""
    from sqlalchemy import event

    from tests.factories import log_in, make_photo, make_sighting, make_user, pending_bytes, photo_bytes

    sighting = make_sighting()
    photos = [make_photo(sighting, photo_bytes(box=(10 * n, 10, 40, 40))) for n in range(1, 4)]
    log_in(client, make_user(role="moderator"))
    statements = []

    def seen(conn, cursor, statement, parameters, context, executemany):
        statements.append(" ".join(statement.split()))

    connection = db.session.connection()
    event.listen(connection, "before_cursor_execute", seen)
    try:
        response = client.get(f"/moderate/photos/{photos[1].content_hash}/thumb.jpg")
    finally:
        event.remove(connection, "before_cursor_execute", seen)
    assert response.status_code == 200
    assert response.data == pending_bytes(photos[1], "thumb")
    assert response.headers["Cache-Control"] == "private, no-store"
    reads = [statement for statement in statements if "pending_photos" in statement]
    assert len(reads) == 1, statements
    (read,) = reads
    assert read.startswith(
        "SELECT pending_photos.thumb FROM pending_photos WHERE pending_photos.photo_id ="
    ), read


def test_a_report_counter_lasts_one_window_and_holds_no_address(app_with):
    """What the rate limiter keeps of a report: a keyed counter named by its window (one full hour, UTC) that
    expires at the window's end, whenever the report came (the privacy statement says so), nothing after it,
    and never the address. tests/kernel/test_ratelimit_windows.py reads the same in a real Redis."""
    from webapp.kernel.http.ratelimit import limiter

    app = app_with(RATELIMIT_ENABLED=True, RATELIMIT_SUBMIT="7 per hour")
    address = "10.77.1.23"
    sent = time.time()
    answer = app.test_client().post(
        "/api/v1/sightings", data={"directions": "90"}, environ_base={"REMOTE_ADDR": address}
    )
    assert answer.status_code == 400  # refused, and counted all the same
    storage = limiter.storage
    keys = [key for key in storage.storage if "/submit/" in key]
    assert keys, list(storage.storage)
    for key in keys:
        assert address not in key
        window = int(key.rsplit("/", 1)[1])
        assert int(sent // 3600) <= window <= int(time.time() // 3600)
        assert abs(storage.expirations[key] - (window + 1) * 3600) < 0.01
