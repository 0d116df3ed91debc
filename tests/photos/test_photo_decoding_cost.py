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
from PIL import Image
from sqlalchemy import func, select

from tests.support import photo_samples as samples
from tests.support.database import PROJECT_ROOT
from webapp.kernel.data.models import Sighting
from webapp.kernel.extensions import db
from webapp.photos.exif_position import read_exif_position
from webapp.photos.pipeline import decode_slot

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


def test_decoded_bytes_are_capped_per_photo(app_with, app_context):
    # A 1600 x 1200 RGBA PNG: 7.3 MiB decoded, as much again to shrink it (alpha is premultiplied into a
    # copy), then 29.3 MiB of display-size RGB copies: 44 MiB in all.
    client = app_with(PHOTO_MAX_DECODED_BYTES=30 * 1024 * 1024).test_client()
    before = db.session.scalar(select(func.count(Sighting.id)))
    photos = [(io.BytesIO(samples.png(800, 600)), "a.png"), (io.BytesIO(samples.png(1600, 1200)), "b.png")]
    response = client.post("/api/v1/sightings", data={**REPORT, "photos": photos})
    assert response.status_code == 413
    answer = response.get_json()
    assert answer["error"] == "photos_too_large_to_decode"
    assert answer["message"].startswith("Photo 2: ")
    assert "44 MB" in answer["message"] and "at most 30 MB" in answer["message"]
    assert db.session.scalar(select(func.count(Sighting.id))) == before
    # Photos are decoded one at a time: two that fit each fit together.
    two = [(io.BytesIO(samples.png(800, 600)), f"{name}.png") for name in "ab"]
    assert client.post("/api/v1/sightings", data={**REPORT, "photos": two}).status_code == 201


def test_the_cap_counts_bytes_per_pixel_after_conversion(app_with, app_context):
    # Greyscale decodes at 1 byte a pixel and colour at 4, but both become display-size RGB copies:
    # 1.8 + 29.3 MiB against 7.3 + 29.3 MiB for the same 1600 x 1200 pixels.
    client = app_with(PHOTO_MAX_DECODED_BYTES=34 * 1024 * 1024).test_client()
    grey = [(io.BytesIO(samples.png(1600, 1200, mode="L")), "grey.png")]
    colour = [(io.BytesIO(samples.png(1600, 1200, mode="RGB")), "colour.png")]
    assert client.post("/api/v1/sightings", data={**REPORT, "photos": grey}).status_code == 201
    assert client.post("/api/v1/sightings", data={**REPORT, "photos": colour}).status_code == 413
    # 31 MiB is too little for the greyscale one, though its decode alone (1.8 MiB) would fit.
    client = app_with(PHOTO_MAX_DECODED_BYTES=31 * 1024 * 1024).test_client()
    grey = [(io.BytesIO(samples.png(1600, 1200, mode="L")), "grey.png")]
    assert client.post("/api/v1/sightings", data={**REPORT, "photos": grey}).status_code == 413


FIVE_GREYSCALE = textwrap.dedent(
    """
    import io, json, sys, time
    from pathlib import Path
    from tests.support.database import test_config
    from tests.support.photo_samples import jpeg
    from webapp import create_app

    url, folder = sys.argv[1:3]
    app = create_app(test_config(url, Path(folder)))
    client = app.test_client()
    fields = {"lat": "41.88", "lon": "-87.63", "directions": "90", "vendor": "flock-safety"}
    photos = [path.read_bytes() for path in sorted(Path(folder).glob("grey-*.png"))]

    def rss_kib(field):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])

    warm = client.post("/api/v1/sightings", data={**fields, "photos": [(io.BytesIO(jpeg(64, 48)), "w.jpg")]})
    assert warm.status_code == 201, warm.get_json()
    Path("/proc/self/clear_refs").write_text("5")  # reset the peak to the current RSS
    before = rss_kib("VmRSS")
    started = time.perf_counter()
    files = [(io.BytesIO(data), f"grey-{number}.png") for number, data in enumerate(photos)]
    response = client.post("/api/v1/sightings", data={**fields, "photos": files})
    print(json.dumps({
        "status": response.status_code,
        "answer": response.get_json(),
        "seconds": time.perf_counter() - started,
        "peak_growth_mb": (rss_kib("VmHWM") - before) / 1024,
        "upload_kb": sum(len(data) for data in photos) / 1024,
    }))
    """
)


def test_five_50_megapixel_greyscale_pngs_stay_far_below_their_colour_size(
    database_url, tmp_path, committing_db
):
    """Issue 20, finding 4: five 50 MP greyscale PNGs (74 KB each) took +541 MB: the budget counted them at a
    byte a pixel, then each became a full-size RGB copy (200 MB) before it was shrunk. The subprocess commits
    its reports for real (committing_db empties the tables afterwards)."""
    side = 7071  # 49,999,041 pixels: under PHOTO_MAX_PIXELS (50 MP)
    grey = Image.linear_gradient("L").resize((side, side))
    for number in range(5):
        grey.save(tmp_path / f"grey-{number}.png", optimize=False, compress_level=9)
    del grey
    result = subprocess.run(
        [sys.executable, "-c", FIVE_GREYSCALE, database_url, str(tmp_path)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    measured = json.loads(result.stdout.strip().splitlines()[-1])
    assert measured["upload_kb"] < 5 * 1024, measured  # small on disk
    assert measured["status"] == 201, measured  # accepted: each is shrunk in greyscale, one at a time
    assert measured["peak_growth_mb"] < 200, measured


def test_a_process_decodes_at_most_the_configured_number_of_photos_at_once(app_with, app_context):
    app = app_with(PHOTO_MAX_CONCURRENT_DECODES=1, PHOTO_DECODE_WAIT_SECONDS=0)
    photos = [(io.BytesIO(samples.png(320, 240)), "a.png")]
    with app.app_context(), decode_slot():  # another request's decode holds the one slot
        busy = app.test_client().post("/api/v1/sightings", data={**REPORT, "photos": photos})
    assert busy.status_code == 503
    assert "busy" in busy.get_json()["message"]
    photos = [(io.BytesIO(samples.png(320, 240)), "a.png")]
    assert app.test_client().post("/api/v1/sightings", data={**REPORT, "photos": photos}).status_code == 201


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
