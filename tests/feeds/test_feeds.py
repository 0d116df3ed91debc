"""Atom feeds (issue 22): a state's, county's, agency's or drawn area's cameras verified, moved or taken down,
newest first, valid Atom, no time finer than a day, cheap to ask again (ETag, 304)."""

import re

import feedparser
import pytest
from sqlalchemy import text

from tests.factories import make_camera
from tests.support.agencies import make_agency
from tests.support.coverage_fixtures import SECOND, SQUARE, STATE, load_testland, place_cameras, rectangle
from webapp.kernel.extensions import db

# Every date-time in a feed is a day at midnight UTC; anything else would time a moderator's or an
# importer's act.
DATE_TIME = re.compile(rb"\d{4}-\d{2}-\d{2}T(\d{2}:\d{2}:\d{2})")


@pytest.fixture
def testland(app_context, tmp_path):
    load_testland(tmp_path)
    return place_cameras()


def _feed(client, url: str):
    answer = client.get(url)
    assert answer.status_code == 200, answer.get_data(as_text=True)
    assert answer.mimetype == "application/atom+xml"
    times = set(DATE_TIME.findall(answer.data))
    assert times == {b"00:00:00"}, f"a time of day in the feed: {times}"
    parsed = feedparser.parse(answer.data)
    assert not parsed.bozo, parsed.bozo_exception
    assert parsed.version == "atom10"
    # RFC 4287: a feed and each entry have an id, a title and an updated date; the feed an author.
    assert parsed.feed.id and parsed.feed.title and parsed.feed.updated and parsed.feed.author
    for entry in parsed.entries:
        assert entry.id and entry.title and entry.updated and entry.link
    return answer, parsed


def test_a_county_feed_shows_a_newly_verified_camera_and_its_move_and_removal(client, testland):
    _answer, before = _feed(client, f"/feeds/counties/{SQUARE}.atom")
    assert len(before.entries) == 3  # A, B and C; never the demo or the hidden camera
    camera = make_camera(-99.3, 40.3, vendor="motorola-vigilant")
    _answer, parsed = _feed(client, f"/feeds/counties/{SQUARE}.atom")
    assert len(parsed.entries) == 4
    newest = parsed.entries[0]
    assert newest.title == "Camera verified: Motorola Solutions (Vigilant)" or newest.title.startswith(
        "Camera verified"
    )
    assert newest.link.endswith(f"/cameras/{camera.id}")

    db.session.execute(
        text("UPDATE cameras SET geom = ST_SetSRID(ST_MakePoint(-99.31, 40.31), 4326) WHERE id = :id"),
        {"id": camera.id},
    )
    db.session.execute(text("UPDATE cameras SET status = 'removed' WHERE id = :id"), {"id": camera.id})
    _answer, parsed = _feed(client, f"/feeds/counties/{SQUARE}.atom")
    assert [entry.title.split(":")[0] for entry in parsed.entries[:3]] == [
        "Camera taken down",
        "Camera moved",
        "Camera verified",
    ]
    _answer, state = _feed(client, f"/feeds/states/{STATE}.atom")
    # Square's, and the one camera each of Second and Tiny County
    assert len(state.entries) == len(parsed.entries) + 2
    _answer, second = _feed(client, f"/feeds/counties/{SECOND}.atom")
    assert len(second.entries) == 1


def test_a_hidden_camera_drops_out_and_an_unchanged_feed_answers_304(client, testland):
    answer, parsed = _feed(client, f"/feeds/counties/{SQUARE}.atom")
    assert answer.headers["Cache-Control"] == "public, max-age=60"
    again = client.get(f"/feeds/counties/{SQUARE}.atom", headers={"If-None-Match": answer.headers["ETag"]})
    assert again.status_code == 304
    db.session.execute(text("UPDATE cameras SET status = 'hidden' WHERE id = :id"), {"id": testland["A"].id})
    changed = client.get(f"/feeds/counties/{SQUARE}.atom", headers={"If-None-Match": answer.headers["ETag"]})
    assert changed.status_code == 200
    assert len(feedparser.parse(changed.data).entries) == len(parsed.entries) - 1


def test_agency_and_drawn_area_feeds(client, testland):
    agency = make_agency("Testland Sheriff", state="TL")
    inside = make_camera(-99.5, 40.5)
    # The agency is linked after the camera was verified, as `flask agencies match` does after an import.
    db.session.execute(
        text("UPDATE cameras SET agency_id = :agency WHERE id = :id"), {"agency": agency.id, "id": inside.id}
    )
    _answer, parsed = _feed(client, f"/feeds/agencies/{agency.id}.atom")
    assert [entry.link.rsplit("/", 1)[1] for entry in parsed.entries] == [str(inside.id)]

    drawn = {"type": "Feature", "properties": {}, "geometry": rectangle(-99.6, 40.4, -99.4, 40.6)}
    followed = client.post("/feeds/areas", json=drawn)
    assert followed.status_code == 201, followed.get_data(as_text=True)
    url = followed.get_json()["feed"]
    assert client.post("/feeds/areas", json=drawn).get_json()["feed"] == url  # the same area, the same feed
    make_camera(-99.0, 40.2)  # outside the drawn area
    _answer, parsed = _feed(client, url.replace("http://localhost", ""))
    assert str(inside.id) in {entry.link.rsplit("/", 1)[1] for entry in parsed.entries}
    assert all(
        -99.6 <= float(entry.content[0].value.split(" at ")[1].split(", ")[1].rstrip(".")) <= -99.4
        for entry in parsed.entries
    )


def test_unknown_places_are_404_and_a_bad_polygon_is_400(client, testland):
    assert client.get("/feeds/counties/00000.atom").status_code == 404
    assert client.get("/feeds/agencies/999999.atom").status_code == 404
    assert client.get("/feeds/areas/0123456789abcdef0123456789abcdef.atom").status_code == 404
    bow_tie = {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}
    assert client.post("/feeds/areas", json=bow_tie).status_code == 400


def test_a_program_keeps_an_area_without_a_token_and_another_site_cannot(app_with, db_session):
    """POST /feeds/areas takes a program's post as the coverage API does (no CSRF token); a browser's post
    from another site is refused by its origin."""
    client = app_with(WTF_CSRF_ENABLED=True).test_client()
    drawn = {"type": "Feature", "properties": {}, "geometry": rectangle(-99.6, 40.4, -99.4, 40.6)}
    assert client.post("/feeds/areas", json=drawn).status_code == 201
    refused = client.post(
        "/feeds/areas", json=drawn, headers={"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"}
    )
    assert refused.status_code == 403
