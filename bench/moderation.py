"""Times the moderators' work on a realistic database: the review queue, one sighting's review page, and the
verify and merge actions (row locks, blur baked into a photo, density triggers, commit).

    .venv/bin/python -m bench.moderation [--pending 2000] [--runs 20]

A scratch database gets the shipped camera file (bench.server.prepared_database: ~62,000 US cameras, or
5,000 demo cameras when the file is missing), then --pending pending sightings, each 30 m from a random
verified camera (so every queue item has duplicate candidates), a tenth of them with a 1600 x 1200 photo.
Requests go through the app in-process (Flask's test client, a logged-in moderator): what is measured is
the app and PostGIS, not a network. Medians of --runs requests each.
"""

import argparse
import hashlib
import io
import logging
import math
import random
import statistics
import tempfile
import time
from pathlib import Path

from PIL import Image, ImageDraw

from bench.server import prepared_database
from webapp import create_app
from webapp.kernel.extensions import db

PHOTO_SHARE = 10  # one sighting in this many has a photo
PASSWORD = "bench moderator password"


def photo_with_a_plate(rng: random.Random) -> bytes:
    image = Image.linear_gradient("L").resize((1600, 1200)).convert("RGB")
    draw = ImageDraw.Draw(image)
    x, y = rng.randrange(100, 1300), rng.randrange(100, 1000)
    draw.rectangle((x, y, x + 220, y + 60), fill="white", outline="black", width=3)
    for offset in range(12, 200, 26):
        draw.rectangle((x + offset, y + 12, x + offset + 14, y + 48), fill="black")
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def add_pending_sightings(count: int, seed: int = 11) -> list[int]:
    """Pending sightings 30 m east of random verified cameras; every tenth with a stored photo."""
    from geoalchemy2.shape import to_shape
    from sqlalchemy import func, select

    from webapp.kernel.data.models import Camera, Photo, Sighting
    from webapp.photos.encoding import storage_key
    from webapp.photos.pending import keep_pending

    rng = random.Random(seed)
    cameras = db.session.scalars(
        select(Camera).where(Camera.status == "verified").order_by(func.random()).limit(count)
    ).all()
    ids = []
    for index, camera in enumerate(cameras):
        position = to_shape(camera.geom)
        lon = position.x + 30 / (111_320 * math.cos(math.radians(position.y)))
        sighting = Sighting(
            geom=func.ST_SetSRID(func.ST_MakePoint(lon, position.y), 4326),
            vendor=camera.vendor,
            directions=[rng.randrange(360)],
            receipt_hash=hashlib.sha256(f"bench-{seed}-{index}".encode()).hexdigest(),
        )
        db.session.add(sighting)
        db.session.flush()
        if index % PHOTO_SHARE == 0:
            data = photo_with_a_plate(rng)
            with Image.open(io.BytesIO(data)) as image:
                thumb = image.copy()
            thumb.thumbnail((400, 400))
            buffer = io.BytesIO()
            thumb.save(buffer, "JPEG", quality=80)
            keys = [storage_key(hashlib.sha256(content).hexdigest()) for content in (data, buffer.getvalue())]
            photo = Photo(
                sighting_id=sighting.id,
                content_hash=hashlib.sha256(data).hexdigest(),
                width=1600,
                height=1200,
                display_key=keys[0],
                thumb_key=keys[1],
            )
            db.session.add(photo)
            # As a report leaves it: the bytes in the database until a moderator publishes the photo.
            keep_pending(photo, data, buffer.getvalue())
        ids.append(sighting.id)
    db.session.commit()
    return ids


def timed(work, runs: int) -> tuple[float, float, float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), min(times), max(times)


def report(label: str, stats: tuple[float, float, float]) -> None:
    median, fastest, slowest = stats
    print(f"{label}: median {median:.0f} ms (min {fastest:.0f}, max {slowest:.0f})")


def check(response, status: int):
    if response.status_code != status:
        raise SystemExit(f"unexpected {response.status_code}: {response.get_data(as_text=True)[:300]}")
    return response


def main(argv: list | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pending", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--cameras-file", default=None)
    options = parser.parse_args(argv)
    runs = options.runs

    with (
        prepared_database("moderation", options.cameras_file) as (url, dataset),
        tempfile.TemporaryDirectory() as uploads,
    ):
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": url,
                "UPLOAD_DIR": Path(uploads),
                "TILE_URL": "",
                "WTF_CSRF_ENABLED": False,
                "RATELIMIT_ENABLED": False,
                "SECRET_KEY": "bench",
            }
        )
        # A line per request would drown the figures (create_app sets the access log to INFO).
        logging.getLogger("sightline.access").setLevel(logging.WARNING)
        with app.app_context():
            from sqlalchemy import func, select

            from webapp.accounts.service import create_user
            from webapp.kernel.data.models import Camera, Photo, Sighting

            create_user("bench_mod", PASSWORD, "moderator")
            db.session.commit()
            pending = add_pending_sightings(options.pending)
            cameras = db.session.scalar(select(func.count(Camera.id)))
            with_photo = db.session.scalars(
                select(Sighting.id).join(Photo, Photo.sighting_id == Sighting.id).order_by(Sighting.id)
            ).all()
            without_photo = sorted(set(pending) - set(with_photo))
            nearest_camera = {
                sighting_id: db.session.scalar(
                    select(Camera.id)
                    .where(Camera.status == "verified")
                    .order_by(
                        Camera.geom.op("<->")(
                            select(Sighting.geom).where(Sighting.id == sighting_id).scalar_subquery()
                        )
                    )
                    .limit(1)
                )
                for sighting_id in without_photo[: 2 * runs]
            }
            db.session.remove()
        print(f"data: {dataset} ({cameras:,} cameras), {len(pending):,} pending sightings, ", end="")
        print(f"{len(with_photo)} with a photo")

        client = app.test_client()
        check(client.post("/login", data={"login": "bench_mod", "password": PASSWORD}), 302)

        queue = timed(lambda: check(client.get("/moderate"), 200), runs)
        report("GET /moderate (20 items, candidates within 100 m each)", queue)
        filtered = timed(
            lambda: check(client.get("/moderate?bbox=-88,41.6,-87.5,42.1&photos=with"), 200), runs
        )
        report("GET /moderate?bbox=Chicago&photos=with", filtered)

        first_views = iter(with_photo)
        first = timed(lambda: check(client.get(f"/moderate/sightings/{next(first_views)}"), 200), runs)
        report("GET /moderate/sightings/<id>, first view (runs the face/plate detector on its photo)", first)
        again = timed(lambda: check(client.get(f"/moderate/sightings/{with_photo[0]}"), 200), runs)
        report("GET /moderate/sightings/<id>, later views (boxes stored)", again)

        to_verify = iter(with_photo[:runs])
        verify = timed(
            lambda: check(
                client.post(f"/api/v1/moderation/sightings/{next(to_verify)}/verify", json={}), 200
            ),
            runs,
        )
        report("verify with one photo (suggested boxes blurred, files swapped, triggers, commit)", verify)
        with app.app_context():
            from sqlalchemy import func, select

            from webapp.kernel.data.models import Photo

            blurred = db.session.scalar(
                select(func.count(Photo.id)).where(
                    Photo.sighting_id.in_(with_photo[:runs]), func.jsonb_array_length(Photo.blur_boxes) > 0
                )
            )
            db.session.remove()
        print(f"  of those {runs} photos, {blurred} had suggested boxes (blurred and re-encoded)")
        merges = iter(list(nearest_camera.items())[:runs])

        def merge_one():
            sighting_id, camera_id = next(merges)
            check(
                client.post(
                    f"/api/v1/moderation/sightings/{sighting_id}/merge", json={"camera_id": camera_id}
                ),
                200,
            )

        merge = timed(merge_one, runs)
        report("merge without photo (confirmation +1, direction added)", merge)
        with app.app_context():
            db.engine.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
