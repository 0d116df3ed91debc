"""docs/api.md and the app agree: every /api/ and /tiles/ route is documented, and every documented route
exists with that method."""

import re
from pathlib import Path

API_DOC = Path(__file__).resolve().parents[2] / "docs" / "api.md"
# `GET /api/v1/cameras?bbox=...` or `POST /api/v1/moderation/sightings/<id>/verify` inside backticks.
DOCUMENTED_ROUTE = re.compile(r"`(GET|POST|PUT|PATCH|DELETE) (/(?:api|tiles)/[^`?\s]*)[^`]*`")
PLACEHOLDER = re.compile(r"<[^<>]+>|\{[^{}]+\}")
ANY_CONVERTER = re.compile(r"<any\(([^)]*)\):[^>]+>")


def normalised(path: str) -> str:
    """A path with every parameter, however written (<int:id>, <id>, {z}), as {}."""
    return PLACEHOLDER.sub("{}", path)


def app_routes(app) -> set[tuple[str, str]]:
    routes = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith(("/api/", "/tiles/")):
            continue
        # <any(geojson, csv, kml):format> is documented as one path per choice.
        match = ANY_CONVERTER.search(rule.rule)
        choices = [choice.strip() for choice in match.group(1).split(",")] if match else [None]
        for choice in choices:
            path = rule.rule if choice is None else rule.rule.replace(match.group(0), choice)
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                routes.add((method, normalised(path)))
    return routes


def documented_routes() -> set[tuple[str, str]]:
    text = API_DOC.read_text(encoding="utf-8")
    return {(method, normalised(path)) for method, path in DOCUMENTED_ROUTE.findall(text)}


def test_the_doc_parser_reads_the_documented_forms():
    assert normalised("/api/v1/sightings/<receipt>") == normalised("/api/v1/sightings/<string:receipt>")
    assert normalised("/tiles/{z}/{x}/{y}.pbf") == normalised("/tiles/<z>/<x>/<y>.pbf")
    found = DOCUMENTED_ROUTE.findall("see `GET /api/v1/cameras?bbox=W,S,E,N` and `POST /api/v1/x/<id>/go`")
    assert found == [("GET", "/api/v1/cameras"), ("POST", "/api/v1/x/<id>/go")]


def test_every_api_and_tile_route_is_documented(app):
    missing = app_routes(app) - documented_routes()
    assert not missing, f"routes missing from docs/api.md: {sorted(missing)}"


def test_every_documented_route_exists(app):
    unknown = documented_routes() - app_routes(app)
    assert not unknown, f"docs/api.md documents routes the app does not have: {sorted(unknown)}"


def test_the_open_data_and_tile_routes_are_documented():
    routes = documented_routes()
    for route in [
        ("GET", "/api/v1/cameras"),
        ("GET", "/api/v1/cameras/count"),
        ("GET", "/api/v1/cameras.geojson"),
        ("GET", "/api/v1/cameras.csv"),
        ("GET", "/api/v1/cameras.kml"),
        ("GET", "/tiles/{}/{}/{}.pbf"),
    ]:
        assert route in routes
