"""One small upload cannot force a full decode: a 190 KB PNG of 7000 x 7000 RGBA pixels (196 MB decoded),
sent to the EXIF helper or, with a junk second photo, to the submission API, costs little time and memory,
measured in a subprocess of its own (peak RSS from /proc). A report's photos are all checked before any is
decoded, and together they may take at most PHOTO_MAX_DECODED_BYTES once decoded."""

import io
import json
import subprocess
import sys
import textwrap

import pytest
from sqlalchemy import func, select

from tests.support import photo_samples as samples
from tests.support.database import PROJECT_ROOT
from webapp.kernel.extensions import db
from webapp.kernel.models import Sighting
from webapp.photos.exif_position import read_exif_position

# Far below the 196 MB a decode takes; the request's own copies of a 190 KB upload are a few MB.
MAX_PEAK_GROWTH_MB = 40
MAX_SECONDS = 0.3
REPORT = {"lat": "41.88", "lon": "-87.63", "directions": "90", "vendor": "flock-safety"}

MEASURE = textwrap.dedent(
    """
    import io, json, sys, time
    from pathlib import Path
    from tests.support.database import test_config
    from tests.support.photo_samples import jpeg
    from webapp import create_app

    url, png_path, route = sys.argv[1:4]
    app = create_app(test_config(url, Path(sys.argv[4])))
    client = app.test_client()
    png = Path(png_path).read_bytes()
    fields = {"lat": "41.88", "lon": "-87.63", "directions": "90", "vendor": "flock-safety"}

    def send(photo, junk=None):
        if route == "position":
            return client.post("/submit/photo-position", data={"photo": (io.BytesIO(photo), "p.png")})
        files = [(io.BytesIO(photo), "a.png")] + ([(io.BytesIO(junk), "b.jpg")] if junk else [])
        return client.post("/api/v1/sightings", data={**fields, "photos": files})

    def rss_kib(field):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])

    send(jpeg(64, 48), b"junk" if route == "api" else None)  # warm-up: imports, first request
    Path("/proc/self/clear_refs").write_text("5")  # reset the peak to the current RSS
    before = rss_kib("VmRSS")
    started = time.perf_counter()
    response = send(png, b"this is not a photo" if route == "api" else None)
    elapsed = time.perf_counter() - started
    print(json.dumps({
        "status": response.status_code,
        "answer": response.get_json(),
        "seconds": elapsed,
        "peak_growth_mb": (rss_kib("VmHWM") - before) / 1024,
    }))
    """
)


@pytest.fixture(scope="module")
def large_png(tmp_path_factory):
    path = tmp_path_factory.mktemp("png") / "large.png"
    path.write_bytes(samples.large_rgba_png())
    assert path.stat().st_size < 250_000
    return path


def measure(database_url, tmp_path, large_png, route: str) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", MEASURE, database_url, str(large_png), route, str(tmp_path)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_exif_helper_reads_the_position_without_decoding_the_pixels(database_url, tmp_path, large_png):
    measured = measure(database_url, tmp_path, large_png, "position")
    assert measured["status"] == 200
    assert measured["answer"] == {"found": True, "lon": -87.63, "lat": 41.88}
    assert measured["seconds"] < MAX_SECONDS, measured
    assert measured["peak_growth_mb"] < MAX_PEAK_GROWTH_MB, measured


def test_a_junk_second_photo_is_refused_before_the_first_is_decoded(database_url, tmp_path, large_png):
    measured = measure(database_url, tmp_path, large_png, "api")
    assert measured["status"] == 415
    assert measured["answer"]["message"].startswith("Photo 2:")
    assert measured["seconds"] < MAX_SECONDS, measured
    assert measured["peak_growth_mb"] < MAX_PEAK_GROWTH_MB, measured


def test_decoded_bytes_are_capped_per_report(app_with, app_context):
    # Two 1600 x 1200 PNGs: 7.3 MiB each once decoded (4 bytes a pixel), 14.6 MiB together.
    client = app_with(PHOTO_MAX_DECODED_BYTES=10 * 1024 * 1024).test_client()
    photos = [(io.BytesIO(samples.png(1600, 1200)), f"{name}.png") for name in "ab"]
    before = db.session.scalar(select(func.count(Sighting.id)))
    response = client.post("/api/v1/sightings", data={**REPORT, "photos": photos})
    assert response.status_code == 413
    answer = response.get_json()
    assert answer["error"] == "photos_too_large_to_decode"
    assert "15 MB" in answer["message"] and "at most 10 MB" in answer["message"]
    assert db.session.scalar(select(func.count(Sighting.id))) == before
    # One of them alone fits.
    one = [(io.BytesIO(samples.png(1600, 1200)), "a.png")]
    assert client.post("/api/v1/sightings", data={**REPORT, "photos": one}).status_code == 201


def test_the_cap_counts_bytes_per_pixel_not_pixels(app_with, app_context):
    # The same pixel count passes in greyscale (1 byte a pixel) and not in colour (4 bytes).
    client = app_with(PHOTO_MAX_DECODED_BYTES=4 * 1024 * 1024).test_client()
    grey = [(io.BytesIO(samples.png(1600, 1200, mode="L")), "grey.png")]
    colour = [(io.BytesIO(samples.png(1600, 1200, mode="RGB")), "colour.png")]
    assert client.post("/api/v1/sightings", data={**REPORT, "photos": grey}).status_code == 201
    assert client.post("/api/v1/sightings", data={**REPORT, "photos": colour}).status_code == 413


def test_the_exif_helper_is_rate_limited(app_with):
    client = app_with(RATELIMIT_ENABLED=True, RATELIMIT_PHOTO_POSITION="2/hour").test_client()
    address = {"REMOTE_ADDR": "203.0.113.201"}

    def ask():
        data = {"photo": (io.BytesIO(samples.jpeg(gps=(41.88, -87.63))), "p.jpg")}
        return client.post("/submit/photo-position", data=data, environ_base=address)

    assert [ask().status_code for _ in range(2)] == [200, 200]
    refused = ask()
    assert refused.status_code == 429
    assert refused.get_json()["error"] == "rate_limited"
    assert refused.headers["Retry-After"]


@pytest.mark.parametrize(
    "build",
    [samples.jpeg, samples.png, samples.webp, samples.heic, lambda: samples.large_rgba_png(64, 64)],
    ids=["jpeg", "png", "webp", "heic", "png-exif-after-pixels"],
)
def test_each_format_gives_its_position_from_its_metadata_block(build):
    data = build() if build is not samples.jpeg else build(gps=(41.88, -87.63))
    assert read_exif_position(data) == (pytest.approx(-87.63, abs=1e-5), pytest.approx(41.88, abs=1e-5))


@pytest.mark.parametrize(
    "data",
    [
        samples.large_rgba_png(64, 64, gps=None),
        samples.large_rgba_png(64, 64)[:60],  # cut inside a chunk
        b"\xff\xd8\xff\xe1\xff\xff" + b"\x00" * 10,  # a segment longer than the file
        b"\xff\xd8" + b"\xff\x01" * 200_000,  # a long run of markers without data
        b"RIFF\x10\x00\x00\x00WEBPEXIF\xff\xff\xff\xff",
    ],
    ids=["png-without-gps", "truncated-png", "jpeg-overlong-segment", "jpeg-marker-run", "webp-overlong"],
)
def test_broken_metadata_means_no_position(data):
    assert read_exif_position(data) is None
