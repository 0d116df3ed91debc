"""`make run`'s supervisor (scripts/serve) for real, on free ports: Redis, the job worker with its scheduler
and gunicorn come up (a page answers 200, the worker registers and its scheduled export check writes the
export files), and one SIGINT stops every process it started."""

import contextlib
import os
import signal
import socket
import subprocess
import urllib.request
from pathlib import Path

from tests.support.jobs import wait_for

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _descendants(pid: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError, IndexError):
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"


def _stop_everything(supervisor: subprocess.Popen, children: set[int]) -> str:
    """Kill the supervisor and everything it started (each child leads a process group of its own), so that
    no process outlives a failed test holding the output pipe open; what the supervisor printed."""
    for pid in {supervisor.pid, *children, *_descendants(supervisor.pid)}:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pid, signal.SIGKILL)
    try:
        return supervisor.communicate(timeout=10)[0]
    except subprocess.TimeoutExpired:
        return "(nothing: its output pipe stayed open)"


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (http to 127.0.0.1)
            return response.status == 200
    except OSError:
        return False


def test_serve_runs_redis_gunicorn_and_the_worker_and_one_sigint_stops_them_all(database_url, tmp_path):
    import redis

    web_port, redis_port = _free_port(), _free_port()
    exports = tmp_path / "exports"
    environment = {
        **os.environ,
        "HOST": "127.0.0.1",
        "PORT": str(web_port),
        "SIGHTLINE_REDIS_PORT": str(redis_port),
        "SIGHTLINE_REDIS_DIR": str(tmp_path / "redis"),
        "DATABASE_URL": database_url,
        "EXPORT_DIR": str(exports),
        "UPLOAD_DIR": str(tmp_path / "uploads"),
        "SECRET_KEY": "serve-test-key",
        "WEB_CONCURRENCY": "1",
        "EXPORT_CHECK_EVERY": "1",
    }
    for name in ("RATELIMIT_STORAGE_URI", "RATELIMIT_SALT_URI", "JOBS_REDIS_URL"):
        environment.pop(name, None)
    # A process started with SIGINT ignored (a job put in the background by a shell without job control, as
    # `cmd &` in a script, or nohup's caller) passes that on to its children, and a shell that starts with a
    # signal ignored cannot trap it: the supervisor would never hear the Ctrl-C this test sends. A handled
    # signal is reset to its default in a child at exec, so the supervisor starts with SIGINT as a terminal
    # gives it, however the test suite was started.
    inherited = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        supervisor = subprocess.Popen(
            [PROJECT_ROOT / "scripts" / "serve"],
            cwd=PROJECT_ROOT,
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
    finally:
        signal.signal(signal.SIGINT, inherited)
    children: set[int] = set()
    try:
        wait_for(lambda: _answers(f"http://127.0.0.1:{web_port}/privacy"), seconds=120)
        jobs = redis.Redis(port=redis_port, db=2)
        wait_for(lambda: jobs.scard("rq:workers") == 1, seconds=60)
        # The scheduler's export check ran in the worker and queued the files' writing, which ran too.
        wait_for(lambda: (exports / "manifest.json").is_file(), seconds=60)
        children = _descendants(supervisor.pid)
        assert len(children) >= 4  # redis-server, the worker, gunicorn's arbiter and its worker
        supervisor.send_signal(signal.SIGINT)
        output, _ = supervisor.communicate(timeout=60)
    except BaseException as error:
        error.add_note(f"scripts/serve printed:\n{_stop_everything(supervisor, children)}")
        raise
    assert "serve: stopped" in output, output
    wait_for(lambda: not any(_alive(pid) for pid in children), seconds=10)
    assert not _answers(f"http://127.0.0.1:{web_port}/privacy")
