"""Generated junk against every parameter the public can send: the submission API, the bbox API, the vector
tiles and the exports. Whatever arrives, the answer is never a 5xx."""

import io
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

FUZZ = settings(
    max_examples=120,
    deadline=None,
    # The client fixture is reused across examples on purpose: every example is one more request to one app.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

numbers_as_text = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.sampled_from(
        ["", " ", "nan", "NaN", "inf", "-inf", "1e309", "0x1A", "1,5", "٣", "１２", "--1", "1e-400"]
    ),
)
junk_text = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1000, max_size=3000),
    st.sampled_from(
        ["<script>alert(1)</script>", "\x00", "' OR 1=1 --", "%00", "../../etc/passwd", "\ud7ff"]
    ),
)
field_value = st.one_of(numbers_as_text, junk_text)
SUBMISSION_FIELDS = ("lat", "lon", "directions", "vendor", "mount", "operator", "notes", "observed_month")


def _no_server_error(response) -> None:
    assert response.status_code < 500, response.get_data(as_text=True)[:500]


@pytest.mark.slow
@FUZZ
@given(
    fields=st.dictionaries(st.sampled_from(SUBMISSION_FIELDS), field_value, max_size=len(SUBMISSION_FIELDS)),
    photo=st.one_of(st.none(), st.binary(max_size=2048)),
)
def test_submission_api_never_answers_5xx(client, fields, photo):
    data = dict(fields)
    if photo is not None:
        data["photos"] = (io.BytesIO(photo), "junk.jpg")
    _no_server_error(client.post("/api/v1/sightings", data=data, content_type="multipart/form-data"))


@pytest.mark.slow
@FUZZ
@given(bbox=st.one_of(st.lists(numbers_as_text, max_size=6).map(",".join), junk_text))
def test_bbox_api_never_answers_5xx(client, bbox):
    _no_server_error(client.get(f"/api/v1/cameras?bbox={quote(bbox, safe='')}"))


@pytest.mark.slow
@FUZZ
@given(z=field_value, x=field_value, y=field_value)
def test_tiles_never_answer_5xx(client, z, x, y):
    path = "/tiles/{}/{}/{}.pbf".format(*(quote(part, safe="") or "0" for part in (z, x, y)))
    _no_server_error(client.get(path))


@pytest.mark.slow
@FUZZ
@given(
    export=st.sampled_from(["geojson", "csv", "kml"]),
    query=st.dictionaries(
        st.sampled_from(["bbox", "vendor", "limit", "format", "since"]), field_value, max_size=3
    ),
)
def test_exports_never_answer_5xx(client, exports_written, export, query):
    query_string = "&".join(f"{quote(name)}={quote(value, safe='')}" for name, value in query.items())
    response = client.get(f"/api/v1/cameras.{export}?{query_string}")
    _no_server_error(response)
    response.close()


def test_the_fuzzed_routes_exist_and_answer_good_input(client):
    """Without this, a renamed route would turn every fuzz test above into a pass on 404s."""
    good_submission = {
        "lat": "41.88",
        "lon": "-87.63",
        "directions": "90",
        "vendor": "flock-safety",
        "mount": "pole",
    }
    assert client.post("/api/v1/sightings", data=good_submission).status_code == 201
    assert client.get("/api/v1/cameras?bbox=-87.7,41.8,-87.6,41.9").status_code == 200
    assert client.get("/tiles/10/262/380.pbf").status_code in (200, 204)
    for export in ("geojson", "csv", "kml"):
        response = client.get(f"/api/v1/cameras.{export}")
        assert response.status_code == 200
        response.close()
