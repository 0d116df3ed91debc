"""The cost of reading hostile uploaded areas and routes (webapp/coverage/shapes.py): the review's probe and
the costliest 5 MiB documents we could think of, each read in a fresh process.

    .venv/bin/python -m bench.shapes

For each document: its size, the CPU seconds of reading it (`read_route`, the reading thread's CPU time, so
other work on the machine does not count), the growth of the process's peak RSS while reading, and the outcome
(read, or the refusal's message). The probe (a GPX of 12,000 namespace declarations in a comment, the one of
tests/coverage/test_shapes_hostile.py) is read three times in one process, since its cost used to grow from
one request to the next. No database is needed.
"""

import resource
import subprocess
import sys
import time

CAP = 5 * 1024 * 1024


def _filled(head: bytes, unit: bytes, tail: bytes) -> bytes:
    return head + unit * ((CAP - len(head) - len(tail)) // len(unit)) + tail


def _documents() -> dict:
    from tests.coverage.test_shapes_hostile import gpx_with_namespaces_in_a_comment

    return {
        "probe: 12,000 namespaces in a comment (x3)": gpx_with_namespaces_in_a_comment,
        "GPX of empty track points": lambda: _filled(
            b"<gpx><trk><trkseg>", b'<trkpt lat="1" lon="2"/>', b"</trkseg></trk></gpx>"
        ),
        "XML: a 4 MB text, then 299,000 empty elements": lambda: (
            b"<gpx><a>" + b" " * (CAP - 299_000 * 4 - 20) + b"</a>" + b"<a/>" * 299_000 + b"</gpx>"
        ),
        "KML: one 5 MB <coordinates>": lambda: _filled(
            b"<kml><Placemark><LineString><coordinates>",
            b"-99.5,40.5 ",
            b"</coordinates></LineString></Placemark></kml>",
        ),
        "GeoJSON: features without geometry": lambda: _filled(
            b'{"type":"FeatureCollection","features":[',
            b'{"type":"Feature","geometry":null},',
            b'{"type":"Feature","geometry":{"type":"LineString","coordinates":[[1,2],[3,4]]}}]}',
        ),
        "GeoJSON: empty arrays": lambda: _filled(
            b'{"type":"MultiLineString","coordinates":[', b"[],", b"[[1,2],[3,4]]]}"
        ),
    }


def _measure(name: str) -> None:
    """Runs in its own process: read one document and print a table row."""
    from webapp import create_app
    from webapp.coverage import shapes

    document = _documents()[name]()
    runs = 3 if name.startswith("probe") else 1
    app = create_app({"SECRET_KEY": "bench"})
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    seconds = []
    with app.test_request_context():
        for _ in range(runs):
            started = time.thread_time()
            try:
                shapes.read_route(document)
                outcome = "read"
            except shapes.InvalidInput as refusal:
                outcome = f"400: {refusal.message[:60]}"
            seconds.append(time.thread_time() - started)
    grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    cpu = " / ".join(f"{value:.3f}" for value in seconds)
    print(f"| {name} | {len(document) / 1e6:.2f} MB | {cpu} | +{grown:.0f} MB | {outcome} |", flush=True)


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--one":
        _measure(sys.argv[2])
        return
    print("| document | size | CPU s | peak RSS | outcome |\n|---|---|---|---|---|", flush=True)
    for name in _documents():
        subprocess.run([sys.executable, "-m", "bench.shapes", "--one", name], check=True)


if __name__ == "__main__":
    main()
