"""Screenshots of the product for the docs: the map (national and street level), the report form, coverage,
a camera page and the embeddable map, at 1280 and 360 px wide, in English and Spanish.

    make screenshots    (or .venv/bin/python -m scripts.screenshots [--lang en es] [--out docs/screenshots])

Serves the app with gunicorn on a scratch database (`sightline_bench_screenshots` on the local PostGIS) with
the built-in states and the demo cameras of `flask cameras seed-demo --seed 1`, and no basemap (TILE_URL
empty: no request leaves the machine). Debian's Chromium takes each page; Pillow quantises the PNGs to a small
palette so that all of them weigh a few hundred KB. A page that answers 404 (a route not built yet) is
skipped with a message. Spanish pages are asked for with `?lang=es`.
"""

import argparse
import io
import subprocess
import urllib.error
import urllib.request
from pathlib import Path

from PIL import Image
from sqlalchemy import create_engine, text

from bench.server import PROJECT_ROOT, GunicornServer, flask, scratch_database

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
WIDTHS = {1280: 800, 360: 740}
PALETTE_COLOURS = 64

# What each page waits for before the picture is taken (a JS expression that becomes true).
READY = {
    "map": "(document.querySelector('.sightline-count') || {dataset: {}}).dataset.count",
    "coverage": "document.getElementById('timeline-chart').dataset.ready === 'true'",
    "camera": "document.getElementById('camera-map').dataset.ready === 'true'",
}


def busiest_camera(database_url: str) -> tuple[int, float, float]:
    """The demo camera with the most verified neighbours within 500 m: its page shows a map worth seeing."""
    engine = create_engine(database_url)
    with engine.connect() as connection:
        row = connection.execute(
            text(
                """SELECT c.id, ST_Y(c.geom) AS lat, ST_X(c.geom) AS lon FROM cameras c
                   WHERE c.status = 'verified'
                   ORDER BY (SELECT count(*) FROM cameras n WHERE n.status = 'verified'
                             AND ST_DWithin(n.geom::geography, c.geom::geography, 500)) DESC, c.id
                   LIMIT 1"""
            )
        ).one()
    engine.dispose()
    return row.id, row.lat, row.lon


def pages(camera: tuple[int, float, float]) -> dict[str, tuple[str, str]]:
    """name -> (path, fragment); the fragment goes after ?lang=."""
    camera_id, lat, lon = camera
    return {
        "map": ("/", "#4/39.50000/-98.35000/density"),
        "map-street": ("/", f"#16/{lat:.5f}/{lon:.5f}/density"),
        "submit": ("/submit", ""),
        "coverage": ("/coverage", ""),
        "camera": (f"/cameras/{camera_id}", ""),
        "embed": ("/embed", f"#14/{lat:.5f}/{lon:.5f}"),
    }


def answers(url: str) -> bool:
    try:
        urllib.request.urlopen(url, timeout=30).read()  # noqa: S310 (our own server on 127.0.0.1)
        return True
    except urllib.error.HTTPError as error:
        if error.code == 404:
            return False
        raise


def small_png(png: bytes) -> bytes:
    """The screenshot quantised to a small palette (text and flat colours survive; it is a tenth the size)."""
    with Image.open(io.BytesIO(png)) as image:
        quantised = image.convert("RGB").quantize(colors=PALETTE_COLOURS, method=Image.Quantize.MEDIANCUT)
        out = io.BytesIO()
        quantised.save(out, "PNG", optimize=True)
        return out.getvalue()


def wait_until(page, expression: str, timeout_s: float = 20) -> None:
    for _ in range(int(timeout_s * 10)):
        if page.evaluate(f"!!({expression})"):
            return
        page.wait_for_timeout(100)
    print(f"screenshots: {page.url} never got ready ({expression}); taken as it is")


def take(base: str, names: dict, languages: list[str], out: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    written = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        for name, (path, fragment) in names.items():
            if not answers(base + path):
                print(f"screenshots: {path} answers 404 here, skipped ({name})")
                continue
            for language in languages:
                for width, height in WIDTHS.items():
                    phone = width < 600
                    context = browser.new_context(
                        viewport={"width": width, "height": height}, is_mobile=phone, has_touch=phone
                    )
                    page = context.new_page()
                    query = "" if language == "en" else f"?lang={language}"
                    page.goto(base + path + query + fragment)
                    page.wait_for_load_state("networkidle")
                    if expression := READY.get(name.split("-")[0]):
                        wait_until(page, expression)
                    page.wait_for_timeout(500)  # the last tiles are drawn
                    target = out / f"{name}-{width}-{language}.png"
                    target.write_bytes(small_png(page.screenshot()))
                    written.append(target)
                    context.close()
        browser.close()
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", nargs="+", default=["en", "es"])
    parser.add_argument("--out", default=str(PROJECT_ROOT / "docs" / "screenshots"))
    arguments = parser.parse_args()
    out = Path(arguments.out)
    out.mkdir(parents=True, exist_ok=True)
    with scratch_database("screenshots") as url:
        flask(url, "areas", "import", stdout=subprocess.DEVNULL)
        flask(url, "cameras", "seed-demo", "--count", "3000", "--seed", "1", stdout=subprocess.DEVNULL)
        camera = busiest_camera(url)
        with GunicornServer(url, extra_env={"TILE_URL": "", "RATELIMIT_ENABLED": "false"}) as server:
            written = take(f"http://127.0.0.1:{server.port}", pages(camera), arguments.lang, out)
    total = sum(path.stat().st_size for path in written)
    for path in written:
        print(f"{path.relative_to(PROJECT_ROOT)}  {path.stat().st_size // 1024} KB")
    print(f"screenshots: {len(written)} files, {total // 1024} KB in all")


if __name__ == "__main__":
    main()
