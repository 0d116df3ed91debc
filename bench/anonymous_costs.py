"""The cost of the most expensive anonymous requests we know of: CPU seconds and peak memory of the app's
process for one request each (issue 20).

    .venv/bin/python -m bench.anonymous_costs

Each request runs in a fresh Python process of its own (the app through Flask's test client, on a scratch
database migrated with the real migrations and seeded with 20,000 demo cameras), after one warm-up request of
the same kind, so imports and first-request work are not counted. CPU is the process's user + system time
(getrusage) around the request: PostgreSQL's own CPU is not in it. Peak memory is the growth of the process's
peak RSS (VmHWM, reset through /proc/self/clear_refs just before the request). Rate limits are off (the
figures are one request's cost; the limits decide how many a client may send).
"""

import io
import json
import subprocess
import sys
import textwrap
from pathlib import Path

CASES = {
    "five 50 MP greyscale PNGs, POST /api/v1/sightings": "grey",
    "one 23 MP RGBA PNG (near the largest with alpha the budget admits), POST /api/v1/sightings": "rgba",
    "five 12 MP HEIC photos, POST /api/v1/sightings": "heic",
    "a failed login (argon2id check), POST /login": "login",
    "a 2000 x 2000 map image of the default view (the US), GET /map.png": "map",
}

MEASURE = textwrap.dedent(
    """
    import io, json, resource, sys, time
    from pathlib import Path
    from tests.support.database import test_config
    from webapp import create_app
    from bench.anonymous_costs import prepared, request_for

    url, folder, case = sys.argv[1:4]
    app = create_app(test_config(url, Path(folder), TILE_URL=""))
    client = app.test_client()

    def status_kib(field):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])

    def cpu():
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return usage.ru_utime + usage.ru_stime

    request_for(client, case, prepared(case, warm_up=True), warm_up=True)
    ready = prepared(case, warm_up=False)  # the photos are made before the measurement starts
    Path("/proc/self/clear_refs").write_text("5")
    before, started, wall = status_kib("VmRSS"), cpu(), time.perf_counter()
    status = request_for(client, case, ready)
    print(json.dumps({
        "status": status,
        "cpu_seconds": round(cpu() - started, 2),
        "wall_seconds": round(time.perf_counter() - wall, 2),
        "peak_growth_mb": round((status_kib("VmHWM") - before) / 1024, 1),
    }))
    """
)

REPORT = {"lat": "41.88", "lon": "-87.63", "directions": "90", "vendor": "flock-safety"}


def _png(image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG", compress_level=9)
    return buffer.getvalue()


def prepared(case: str, warm_up: bool) -> list[bytes]:
    """The photos a request sends (none for the other cases)."""
    from PIL import Image

    from bench.photos import encoded, photo_like_picture
    from tests.support import photo_samples

    if case not in ("grey", "rgba", "heic"):
        return []
    if warm_up:
        return [photo_samples.jpeg(64, 48)]
    if case == "grey":
        return [_png(Image.linear_gradient("L").resize((7071, 7071)))] * 5
    if case == "rgba":
        return [photo_samples.large_rgba_png(4800, 4800, gps=None)]
    return [encoded(photo_like_picture(), "HEIF")] * 5


def request_for(client, case: str, photos: list[bytes], warm_up: bool = False) -> int:
    if photos:
        files = [(io.BytesIO(data), f"photo-{number}") for number, data in enumerate(photos)]
        return client.post("/api/v1/sightings", data={**REPORT, "photos": files}).status_code
    if case == "login":
        answer = client.post("/login", data={"login": "nobody_here", "password": "a wrong password"})
        return answer.status_code
    size = 300 if warm_up else 2000  # another size: the measured image is not the warm-up's cached one
    return client.get(f"/map.png?width={size}&height={size}").status_code  # the default view: the US


def main() -> None:
    import tempfile

    from tests.support.database import PROJECT_ROOT, migrated_scratch_database, test_config
    from webapp import create_app
    from webapp.cameras.demo_seed import seed_demo_cameras
    from webapp.kernel.data.transactions import commit

    with migrated_scratch_database("sightline_bench") as url, tempfile.TemporaryDirectory() as folder:
        with create_app(test_config(url, Path(folder))).app_context():
            seed_demo_cameras(20_000, 7)
            commit()
        print("| request | status | CPU (s) | wall (s) | peak memory growth (MB) |")
        print("|---|---|---|---|---|")
        for label, case in CASES.items():
            result = subprocess.run(
                [sys.executable, "-c", MEASURE, url, folder, case],
                cwd=PROJECT_ROOT,
                capture_output=True,
                text=True,
                timeout=600,
            )
            if result.returncode != 0:
                raise SystemExit(f"{label}: {result.stderr}")
            figures = json.loads(result.stdout.strip().splitlines()[-1])
            print(
                f"| {label} | {figures['status']} | {figures['cpu_seconds']} | {figures['wall_seconds']} "
                f"| {figures['peak_growth_mb']} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
