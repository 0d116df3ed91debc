"""Logs hold no client address, no receipt and no request body: real gunicorn, started with the project's
gunicorn.conf.py at debug level, serves a few requests (one URL carrying a receipt, a body carrying a marker,
a malformed request that gunicorn itself reports, a forwarded address, a rate-limited submission), and
everything it printed is searched.
"""

import io
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest
from flask_migrate import upgrade
from PIL import Image

from tests.conftest import create_scratch_database, drop_database, test_config
from webapp import create_app

PROJECT_ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).parent / "gunicorn"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.linear_gradient("L").resize((320, 240)).convert("RGB").save(buffer, "JPEG")
    return buffer.getvalue()


def multipart(fields: dict[str, str], photo: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="photos"; filename="camera.jpg"\r\n'
        "Content-Type: image/jpeg\r\n\r\n".encode()
        + photo
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def fetch(url: str, data: bytes | None = None, headers: dict | None = None) -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=data, headers=headers or {})  # noqa: S310 (http on 127.0.0.1)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def raw_request(port: int, head: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(head)
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    return answer


@pytest.fixture
def gunicorn_output(tmp_path):
    """Start gunicorn on a scratch database; yield (base URL, a function returning all its output so far)."""
    database_url = create_scratch_database("sightline_logs")
    process = None
    log_path = tmp_path / "gunicorn.out"
    try:
        with create_app(test_config(database_url, tmp_path)).app_context():
            upgrade()
        port = free_port()
        environment = {
            **os.environ,
            "DATABASE_URL": database_url,
            "SECRET_KEY": "log-test-secret",
            "UPLOAD_DIR": str(tmp_path / "uploads"),
            "BIND": f"127.0.0.1:{port}",
            "WEB_CONCURRENCY": "1",
            "LOG_LEVEL": "debug",
            # One report an hour: the second one is refused, and Flask-Limiter logs the breach with its key.
            "RATELIMIT_ENABLED": "true",
            "RATELIMIT_SUBMIT": "1 per hour",
            "TILE_URL": "",
        }
        with open(log_path, "wb") as log:
            process = subprocess.Popen(
                [GUNICORN, "-c", "gunicorn.conf.py", "webapp:create_app()"],
                cwd=PROJECT_ROOT,
                env=environment,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, log_path.read_text()
            try:
                if fetch(f"{base}/privacy")[0] == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "gunicorn did not answer within 60 s"
            time.sleep(0.2)
        yield base, process, log_path
    finally:
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        drop_database(database_url)


def test_gunicorn_output_holds_no_address_receipt_or_body(gunicorn_output):
    base, process, log_path = gunicorn_output
    port = int(base.rsplit(":", 1)[1])
    receipt = secrets.token_urlsafe(24)  # 32 characters, the real receipt format
    marker = f"BODYMARKER{secrets.token_hex(8)}"
    forwarded = "203.0.113.77"

    assert fetch(f"{base}/api/v1/sightings/{receipt}")[0] == 404
    assert fetch(f"{base}/submit/status?receipt={receipt}")[0] in {200, 404}
    assert fetch(f"{base}/no/such/page/{receipt}", headers={"X-Forwarded-For": forwarded})[0] == 404
    body, content_type = multipart(
        {"lat": "41.8801", "lon": "-87.6301", "directions": "90", "vendor": "flock-safety", "notes": marker},
        jpeg(),
    )
    status, answer = fetch(f"{base}/api/v1/sightings", data=body, headers={"Content-Type": content_type})
    assert status == 201, answer
    issued_receipt = answer.decode().split('"receipt":"')[1].split('"')[0]
    assert fetch(f"{base}/api/v1/sightings/{issued_receipt}")[0] == 200
    status, answer = fetch(f"{base}/api/v1/sightings", data=body, headers={"Content-Type": content_type})
    assert status == 429, answer
    # A request gunicorn itself rejects: its own message names the client and quotes the request line.
    answer = raw_request(
        port, f"GET /api/v1/sightings/{receipt}?{marker} HTTP/9.9\r\nHost: x\r\n\r\n".encode()
    )
    assert answer.startswith(b"HTTP/1.1 400")

    process.send_signal(signal.SIGTERM)
    process.wait(timeout=30)
    output = log_path.read_text()

    # The output is not empty: the app's access lines and gunicorn's own messages are all there.
    assert "GET /api/v1/sightings/<receipt> 404" in output
    assert "POST /api/v1/sightings 201" in output
    assert "POST /api/v1/sightings 429" in output
    assert "Invalid request (client and request not logged)" in output
    assert "Booting worker" in output
    for secret in ("127.0.0.1", forwarded, receipt, issued_receipt, marker):
        assert secret not in output, f"{secret!r} found in the log:\n{output}"
