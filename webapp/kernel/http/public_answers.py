"""Public API answers, written one way by every package: the data's licence in a `Link` header, the caching
of an answer that is the same for everyone, JSON, GeoJSON and CSV downloads.

The open data is under the Open Database License (webapp/opendata/licence.py says why and writes the
attribution): every answer that carries camera data says so in its headers. An answer that is the same for
everyone is `Cache-Control: public` (webapp.kernel.http.sessions then sets no cookie on it), kept a minute
unless its route says otherwise; `max_age=0` is a live answer that caches must revalidate every time, cheaply,
with an ETag of its body. An answer to a posted shape is for that request only (`no-store`).
"""

import hashlib

from flask import Response, jsonify, request

LICENCE = "ODbL-1.0"
LICENCE_URL = "https://opendatacommons.org/licenses/odbl/1-0/"
ANSWER_MAX_AGE = 60


def licensed(response: Response) -> Response:
    response.headers["Link"] = f'<{LICENCE_URL}>; rel="license"'
    return response


def public_answer(
    response: Response, max_age: int = ANSWER_MAX_AGE, *, licence: bool = True, immutable: bool = False
) -> Response:
    """The same answer for everyone: browsers and caches may keep it `max_age` seconds (0: revalidate each
    time against an ETag of the body, and answer 304 when it still holds; the body is read, so not for a
    streamed answer)."""
    if licence:
        licensed(response)
    response.cache_control.public = True
    response.cache_control.max_age = max_age
    if immutable:
        response.cache_control.immutable = True
    if max_age == 0:
        response.cache_control.must_revalidate = True
        response.set_etag(hashlib.blake2b(response.get_data(), digest_size=16).hexdigest())
        return response.make_conditional(request)
    return response


def not_stored(response: Response) -> Response:
    """An answer to this request only (a drawn or uploaded shape): no cache keeps it."""
    response.headers["Cache-Control"] = "no-store"
    return response


def attachment(response: Response, filename: str) -> Response:
    """A download: the browser saves it under `filename`."""
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def json_answer(payload: dict, max_age: int = ANSWER_MAX_AGE, *, licence: bool = True) -> Response:
    return public_answer(jsonify(payload), max_age, licence=licence)


def geojson_answer(payload: dict, max_age: int = ANSWER_MAX_AGE, *, licence: bool = True) -> Response:
    response = jsonify(payload)
    response.mimetype = "application/geo+json"
    return public_answer(response, max_age, licence=licence)


def csv_answer(body: str, filename: str, max_age: int = ANSWER_MAX_AGE, *, licence: bool = True) -> Response:
    """A CSV file (written by webapp.kernel.csv_cells) as a download."""
    return public_answer(attachment(Response(body, mimetype="text/csv"), filename), max_age, licence=licence)
