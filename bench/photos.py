"""Times the whole photo pipeline (webapp/photos/pipeline.py: sniff, open, decode, orientation, resize,
re-encode display image and thumbnail, hash) for a 12-megapixel JPEG and a 12-megapixel HEIC.

    .venv/bin/python -m bench.photos [--runs 10]

For each format it reports the median (and min/max) of --runs runs of the real pipeline, and in the same
run the same work with a naive full-size decode (no JPEG draft mode), and the ratio naive / pipeline.
Draft mode exists for JPEG only: for HEIC the two do the same work, so the ratio stays near 1.
The photos are built in memory with Pillow and pillow-heif: a 4000 x 3000 picture with gradients, shapes
and sensor-like noise, so that it compresses like a photo (a few MB), not like a flat test card.
Target: at most 400 ms per 12 MP JPEG on the project's 2-core machine.
"""

import argparse
import io
import os
import statistics
import time

from PIL import Image, ImageDraw, ImageFilter

from webapp.photos.pipeline import process_photo

WIDTH, HEIGHT = 4000, 3000
MAX_PIXELS = 50_000_000
JPEG_TARGET_MS = 400


def photo_like_picture(width: int = WIDTH, height: int = HEIGHT) -> Image.Image:
    """Gradients, shapes and noise: detail at every scale, like a street photo."""
    base = Image.merge(
        "RGB",
        (
            Image.linear_gradient("L").resize((width, height)),
            Image.radial_gradient("L").resize((width, height)),
            Image.linear_gradient("L").rotate(90).resize((width, height)),
        ),
    )
    draw = ImageDraw.Draw(base)
    step = max(width, height) // 40
    for index in range(0, width, step):
        draw.rectangle((index, height // 3, index + step // 2, height // 3 + step * 3), fill=(40, 40, 40))
        draw.line((index, 0, width - index, height), fill=(200, 180, 20), width=5)
    noise = Image.frombytes("L", (width // 2, height // 2), os.urandom(width * height // 4)).resize(
        (width, height)
    )
    noise = noise.filter(ImageFilter.GaussianBlur(1))
    return Image.blend(base, Image.merge("RGB", (noise, noise, noise)), 0.18)


def encoded(picture: Image.Image, image_format: str) -> bytes:
    if image_format == "HEIF":
        from pillow_heif import register_heif_opener

        register_heif_opener()
    buffer = io.BytesIO()
    picture.save(buffer, image_format, quality=90)
    return buffer.getvalue()


def median_ms(work, runs: int) -> tuple[float, float, float]:
    """(median, min, max) in milliseconds of `runs` timed calls, after one untimed warm-up call."""
    work()
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings), min(timings), max(timings)


def spread(timings: tuple[float, float, float]) -> str:
    return f"median {timings[0]:.0f} ms (min {timings[1]:.0f}, max {timings[2]:.0f})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    arguments = parser.parse_args()

    picture = photo_like_picture()
    print(
        f"photo pipeline, {WIDTH} x {HEIGHT} = {WIDTH * HEIGHT / 1e6:.0f} MP, median of {arguments.runs} runs"
    )
    jpeg_median = None
    for image_format, label in (("JPEG", "JPEG"), ("HEIF", "HEIC")):
        data = encoded(picture, image_format)
        result = process_photo(data, MAX_PIXELS)
        pipeline = median_ms(lambda data=data: process_photo(data, MAX_PIXELS), arguments.runs)
        naive = median_ms(lambda data=data: process_photo(data, MAX_PIXELS, use_draft=False), arguments.runs)
        display, thumb = result.display, result.thumb
        print(
            f"{label}: {len(data) / 1e6:.1f} MB in, display {display.width} x {display.height} "
            f"({len(display.data) / 1e3:.0f} kB) + thumbnail {thumb.width} x {thumb.height}"
        )
        print(f"  pipeline:                {spread(pipeline)}")
        print(f"  naive full-size decode:  {spread(naive)}")
        print(f"  naive / pipeline: {naive[0] / pipeline[0]:.2f}x")
        if label == "JPEG":
            jpeg_median = pipeline[0]
    verdict = "met" if jpeg_median <= JPEG_TARGET_MS else "MISSED"
    print(f"target <= {JPEG_TARGET_MS} ms per 12 MP JPEG: {verdict} ({jpeg_median:.0f} ms)")
    return 0 if jpeg_median <= JPEG_TARGET_MS else 1


if __name__ == "__main__":
    raise SystemExit(main())
