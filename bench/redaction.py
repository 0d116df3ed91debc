"""Times photo redaction (webapp/photos/redaction.py) on display-sized photos (2048 x 1536, what the
submission pipeline stores):

    .venv/bin/python -m bench.redaction [--runs 10]

- suggesting boxes: the face and plate Haar cascades as the review page runs them (on a copy whose long
  side is 1024 px), and in the same run on the full 2048-px image, with the ratio between the two and the
  share of the drawn plates each one found;
- baking the blur: three boxes blurred into the display image, re-encoded, thumbnail made (what verifying
  does per photo, storage writes excluded).

The photo is built in memory, the same on every run: gradients, dark posts and seeded sensor-like noise,
with three white license plates drawn on it.
"""

import argparse
import io
import statistics
import time

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from webapp.photos import redaction

WIDTH, HEIGHT = 2048, 1536
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
PLATES = ((300, 900, 42), (1100, 1000, 40), (1500, 700, 36))  # x, y, font size


def street_picture(seed: int = 7) -> Image.Image:
    """Gradients, dark posts and seeded sensor-like noise (the same picture on every run)."""
    base = Image.merge(
        "RGB",
        (
            Image.linear_gradient("L").resize((WIDTH, HEIGHT)),
            Image.radial_gradient("L").resize((WIDTH, HEIGHT)),
            Image.linear_gradient("L").rotate(90).resize((WIDTH, HEIGHT)),
        ),
    )
    draw = ImageDraw.Draw(base)
    for left in range(0, WIDTH, WIDTH // 30):
        draw.rectangle((left, HEIGHT // 5, left + 20, HEIGHT // 5 + 300), fill=(40, 40, 40))
    noise = np.random.default_rng(seed).integers(0, 256, (HEIGHT, WIDTH), dtype=np.uint8)
    grain = Image.fromarray(noise).filter(ImageFilter.GaussianBlur(1)).convert("RGB")
    return Image.blend(base, grain, 0.18)


def street_photo() -> tuple[bytes, list[list[int]]]:
    picture = street_picture()
    draw = ImageDraw.Draw(picture)
    boxes = []
    for x, y, size in PLATES:
        font = ImageFont.truetype(FONT, size)
        left, top, right, bottom = draw.textbbox((x, y), "A123BC77", font=font)
        plate = [left - 12, top - 10, right + 12, bottom + 10]
        draw.rectangle(plate, fill="white", outline="black", width=3)
        draw.text((x, y), "A123BC77", fill="black", font=font)
        boxes.append([plate[0], plate[1], plate[2] - plate[0], plate[3] - plate[1]])
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=85)
    return buffer.getvalue(), boxes


def detect_full_size(data: bytes) -> list:
    """The same cascades without the downscaled copy (the naive way)."""
    pixels = cv2.equalizeHist(cv2.imdecode(np.frombuffer(data, dtype=np.uint8), cv2.IMREAD_GRAYSCALE))
    found = list(
        redaction._cascade(redaction.FACE_CASCADE).detectMultiScale(pixels, 1.1, 5, minSize=(32, 32))
    )
    for name in redaction.PLATE_CASCADES:
        found += list(redaction._cascade(name).detectMultiScale(pixels, 1.1, 3, minSize=(60, 20)))
    return [[int(value) for value in box] for box in found]


def found_share(found: list, plates: list) -> float:
    def covered(plate):
        return any(
            box[0] <= plate[0] + plate[2] // 4
            and box[1] <= plate[1] + plate[3] // 4
            and box[0] + box[2] >= plate[0] + plate[2] * 3 // 4
            and box[1] + box[3] >= plate[1] + plate[3] * 3 // 4
            for box in found
        )

    return sum(covered(plate) for plate in plates) / len(plates)


def bake(data: bytes, boxes: list) -> tuple[bytes, bytes]:
    """bake_blur() without the storage: blur, re-encode the display image, make and encode the thumbnail."""
    with Image.open(io.BytesIO(data)) as original:
        blurred = redaction.blur_regions(original.convert("RGB"), boxes)
    display, _ = redaction._encode(blurred, redaction.DISPLAY_QUALITY)
    thumb = blurred.copy()
    thumb.thumbnail((redaction.THUMB_LONG_SIDE, redaction.THUMB_LONG_SIDE))
    thumb_data, _ = redaction._encode(thumb, redaction.THUMB_QUALITY)
    return display, thumb_data


def timed(work, runs: int) -> tuple[float, float, float, object]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = work()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), min(times), max(times), result


def main(argv: list | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    runs = parser.parse_args(argv).runs
    data, plates = street_photo()
    print(
        f"photo: {WIDTH} x {HEIGHT} JPEG, {len(data) / 1e6:.1f} MB, {len(plates)} plates drawn; "
        f"{runs} runs each"
    )

    timed(lambda: redaction.detect_boxes(data), 1)  # load the cascades once
    ours = timed(lambda: redaction.detect_boxes(data), runs)
    naive = timed(lambda: detect_full_size(data), runs)
    print(
        f"suggest boxes (1024-px copy): median {ours[0]:.0f} ms (min {ours[1]:.0f}, max {ours[2]:.0f}), "
        f"{len(ours[3])} boxes, plates found {found_share(ours[3], plates):.0%}"
    )
    print(
        f"suggest boxes (full 2048 px): median {naive[0]:.0f} ms (min {naive[1]:.0f}, max {naive[2]:.0f}), "
        f"{len(naive[3])} boxes, plates found {found_share(naive[3], plates):.0%}"
    )
    print(f"ratio full / downscaled: {naive[0] / ours[0]:.1f}x")
    baked = timed(lambda: bake(data, plates), runs)
    print(
        f"bake blur (3 boxes, display + thumbnail): median {baked[0]:.0f} ms "
        f"(min {baked[1]:.0f}, max {baked[2]:.0f}), display {len(baked[3][0]) / 1e6:.2f} MB"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
