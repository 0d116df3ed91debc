"""A gunicorn worker killed with SIGKILL in the middle of a photo upload leaves no half-written sighting, and
once `flask maintenance sweep` has run, no file that no row references."""

import contextlib
import os
import signal
import socket
import threading
import time

import pytest
from sqlalchemy import create_engine, text

from bench.load import multipart_body
from bench.server import GunicornServer
from tests.support import photo_samples
from tests.support.database import migrated_scratch_database

ROUNDS = 12
PHOTOS_PER_REQUEST = 5


def _request_body() -> tuple[bytes, str]:
    """Five photos of their own (identical photos would share content-hash names across rounds), at 12 MP so
    that processing them takes a while and kills land mid-pipeline."""
    return _multipart_with_photos(
        [photo_samples.jpeg(4000, 3000, metadata=False) for _ in range(PHOTOS_PER_REQUEST)]
    )


def _multipart_with_photos(photos: list[bytes]) -> tuple[bytes, str]:
    fields = {
        "lat": "41.8801",
        "lon": "-87.6301",
        "directions": "90",
        "vendor": "flock-safety",
        "mount": "pole",
    }
    body, content_type = multipart_body(fields, photos[0])
    boundary = content_type.split("boundary=")[1]
    extra = b"".join(
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="photos"; filename="p{index}.jpg"\r\n'
            "Content-Type: image/jpeg\r\n\r\n"
        ).encode()
        + photo
        + b"\r\n"
        for index, photo in enumerate(photos[1:], start=1)
    )
    closing = f"--{boundary}--\r\n".encode()
    return body[: -len(closing)] + extra + closing, content_type


def _send_and_kill(
    server: GunicornServer, body: bytes, content_type: str, kill_after: float | None
) -> int | None:
    """Send the request and SIGKILL the worker `kill_after` seconds after the body is out (None: never).

    Returns the answer's status, or None when the connection died without one."""
    (worker,) = server.worker_pids()
    with socket.create_connection(("127.0.0.1", server.port), timeout=60) as connection:
        head = (
            f"POST /api/v1/sightings HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: {content_type}\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
        ).encode()
        connection.sendall(head + body)
        killer = threading.Timer(kill_after, _kill, args=(worker,)) if kill_after is not None else None
        if killer:
            killer.start()
        answer = b""
        try:
            while chunk := connection.recv(65536):
                answer += chunk
        except ConnectionResetError:
            pass
        if killer:
            killer.join()
    if answer.startswith(b"HTTP/1.1 "):
        return int(answer[9:12])
    return None


def _kill(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):  # the request may have finished first
        os.kill(pid, signal.SIGKILL)


def _wait_for_new_worker(server: GunicornServer, old: int) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        workers = server.worker_pids()
        if workers and workers != [old]:
            try:
                with socket.create_connection(("127.0.0.1", server.port), timeout=2):
                    return
            except OSError:
                pass
        time.sleep(0.1)
    raise AssertionError("gunicorn did not replace the killed worker within 30 s")


@pytest.mark.slow
def test_sigkill_mid_upload_leaves_no_half_sighting_and_no_orphan_after_sweep(app_with, own_database):
    with migrated_scratch_database("sightline_kill") as database_url:
        app = app_with(SQLALCHEMY_DATABASE_URI=database_url)
        acknowledged = 0
        with GunicornServer(
            database_url, extra_env={"RATELIMIT_ENABLED": "false"}, extra_args=("--workers", "1")
        ) as server:
            app.config["UPLOAD_DIR"] = server.upload_dir
            # One request left alone says how long the whole pipeline takes; the kills then land evenly from
            # "still reading the body" to "storing the last photo".
            timing_request = _request_body()
            started = time.monotonic()
            assert _send_and_kill(server, *timing_request, kill_after=None) == 201
            acknowledged += 1
            whole_request = time.monotonic() - started
            for round_number in range(ROUNDS):
                (worker,) = server.worker_pids()
                kill_after = whole_request * round_number / ROUNDS
                status = _send_and_kill(server, *_request_body(), kill_after=kill_after)
                if status == 201:
                    acknowledged += 1
                else:
                    assert status is None, f"round {round_number}: answered {status}"
                _wait_for_new_worker(server, worker)

            engine = create_engine(database_url)
            with engine.connect() as connection:
                stored = connection.execute(text("SELECT count(*) FROM sightings")).scalar_one()
                photo_rows = connection.execute(text("SELECT count(*) FROM photos")).scalar_one()
            engine.dispose()
            assert stored == acknowledged, (
                "a sighting was stored without an acknowledgement, or lost after one"
            )
            assert photo_rows == acknowledged * PHOTOS_PER_REQUEST
            assert acknowledged < ROUNDS, "no kill landed before the answer: the test proved nothing"

            files_before_sweep = [path for path in server.upload_dir.rglob("*") if path.is_file()]
            result = app.test_cli_runner().invoke(args=["maintenance", "sweep", "--grace", "0"])
            assert result.exit_code == 0, result.output
            with app.app_context():
                from webapp.maintenance.sweep import referenced_keys
                from webapp.photos.storage import photo_storage

                on_disk = set(photo_storage().keys(include_incoming=True))
                assert on_disk == referenced_keys()
            print(
                f"kill test: {acknowledged} of {ROUNDS + 1} requests answered 201; "
                f"{len(files_before_sweep)} files before the sweep, {len(on_disk)} after "
                f"(whole request {whole_request:.2f} s)"
            )
            leftovers = [path for path in server.upload_dir.rglob("*") if path.is_file()]
            assert len(leftovers) == len(on_disk)
