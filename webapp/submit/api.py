"""The JSON submission API for apps: POST /api/v1/sightings and the receipt's status. Exempt from CSRF (no
cookie is involved: the API never looks at a session), limited by the same budget as the HTML form. A
browser's post from another site is refused (webapp.kernel.http.request_origin): no site can make its visitors
file reports."""

from flask import jsonify, request, url_for
from flask_babel import gettext as _

from webapp.kernel.data.transactions import commit
from webapp.kernel.errors import NotFound, names_fields
from webapp.kernel.extensions import csrf
from webapp.kernel.http.ratelimit import submit_limit
from webapp.kernel.http.request_origin import this_site_only
from webapp.kernel.http.uploads import photo_parts
from webapp.submit.blueprint import api_bp as bp
from webapp.submit.submission import status_for_receipt, submit_sighting

csrf.exempt(bp)


@bp.post("/sightings")
@this_site_only
@submit_limit
@names_fields
def create_sighting():
    result = submit_sighting(request.form, photo_parts(request.files.getlist("photos")))
    commit()
    response = jsonify(
        receipt=result.receipt,
        status=result.status,
        status_url=url_for("submit_api.sighting_status", receipt=result.receipt),
        nearby_cameras=[camera.as_json() for camera in result.nearby_cameras],
    )
    response.status_code = 201
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/sightings/<receipt>")
def sighting_status(receipt: str):
    status = status_for_receipt(receipt)
    if status is None:
        raise NotFound(_("No report has this receipt."), code="unknown_receipt")
    answer = {"status": status.status}
    if status.reject_reason is not None:
        answer["reason"] = status.reject_reason
    response = jsonify(answer)
    response.headers["Cache-Control"] = "no-store"
    return response
