"""The real data the repository ships in data/ (data/SOURCES.md), for the tests that read real files."""

from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "data"
CAMERAS = DATA / "deflockhopper-maps-cameras-us.json.gz"
STATES = DATA / "us-states-metrics.geojson.gz"
COUNTIES = DATA / "us-counties-metrics.geojson.gz"
AGENCIES = DATA / "news-observer-private-eyes"
