"""Issue 23, item 11: a county page has the CSV of its citable cameras (streamed, the full export's columns);
a state or county named as the map's search names it leads to its coverage page; a route's answer holds the
route as read, so the map can draw an uploaded one."""

import csv
import io
import json

from tests.support.coverage_fixtures import ROUTE, SQUARE, STATE, load_testland, place_cameras


def test_a_county_page_offers_the_csv_of_its_citable_cameras(client, app_context, tmp_path):
    load_testland(tmp_path)
    cameras = place_cameras()
    page = client.get(f"/coverage/areas/{SQUARE}").get_data(as_text=True)
    assert f'href="/coverage/areas/{SQUARE}/cameras.csv"' in page
    answer = client.get(f"/coverage/areas/{SQUARE}/cameras.csv")
    assert answer.status_code == 200 and answer.mimetype == "text/csv"
    assert answer.headers["Content-Disposition"] == f'attachment; filename="sightline-cameras-{SQUARE}.csv"'
    rows = list(csv.DictReader(io.StringIO(answer.get_data(as_text=True))))
    # A, B and C: never the demo or the hidden camera of Square County.
    assert sorted(int(row["id"]) for row in rows) == sorted(cameras[name].id for name in ("A", "B", "C"))
    assert client.get(f"/coverage/areas/{STATE}/cameras.csv").status_code == 404


def test_a_place_name_leads_to_its_coverage_page(client, app_context, tmp_path):
    load_testland(tmp_path)
    found = client.get("/coverage/place?name=Square County, Testland")
    assert found.status_code == 303 and found.headers["Location"] == f"/coverage/areas/{SQUARE}"
    assert client.get("/coverage/place?name=Testland").headers["Location"] == f"/coverage/areas/{STATE}"
    assert client.get("/coverage/place?name=Atlantis").status_code == 404


def test_the_route_answer_holds_the_route_as_read(client, app_context, tmp_path):
    load_testland(tmp_path)
    place_cameras()
    answer = client.post(
        "/api/v1/coverage/route",
        data=json.dumps({"type": "LineString", "coordinates": ROUTE}),
        content_type="application/geo+json",
    ).get_json()
    assert answer["route"] == {"type": "MultiLineString", "coordinates": [[list(point) for point in ROUTE]]}
