"""The /submit pages: the report form (CSRF-protected, no account needed), the receipt, the status page, and
the two small JSON helpers the form's script calls: duplicate candidates near the pin, and a photo's EXIF
position.

A report is answered with a redirect to the receipt page (Post/Redirect/Get), so reloading the answer never
files the report twice. The receipt never travels in a URL: a path or query string lands in proxies' logs,
the browser's history and Referer headers. It is held in the signed session cookie (this browser only) until
the reporter says they have kept it or sends another report; the status check sends it in a POST body."""

from flask import current_app, jsonify, redirect, render_template, request, session, url_for
from flask_babel import format_number
from flask_babel import gettext as _
from flask_login import current_user

from webapp.camera_fields.rules import DIRECTION_UNKNOWN
from webapp.camera_fields.vendors import vendor_name
from webapp.geo.nearby import cameras_near
from webapp.kernel.data.transactions import commit, rollback
from webapp.kernel.errors import DomainError, answers_json, names_fields
from webapp.kernel.http.ratelimit import photo_position_limit, submit_limit
from webapp.kernel.http.uploads import photo_parts, photo_too_large_message
from webapp.kernel.vocabulary import MOUNT_LABELS, SIGHTING_STATUS_LABELS, Limits
from webapp.photos.exif_position import read_exif_position
from webapp.submit.blueprint import bp
from webapp.submit.form_options import (
    COMPASS_POINTS,
    camera_to_confirm,
    confirmation_values,
    form_values,
    vendor_choices,
)
from webapp.submit.submission import (
    nearby_of_receipt,
    parse_coordinates,
    status_for_receipt,
    submit_sighting,
)

# The session key of the receipt between the report and the reporter's "I have kept it".
RECEIPT_KEY = "submit_receipt"


@bp.after_request
def _never_cached(response):
    # Receipts and half-filled reports must not stay in a shared or back-button cache.
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("")
def form():
    # "I saw this camera too" (a camera page) links here with ?camera=<id>: the form starts at that camera.
    confirming = camera_to_confirm(request.args.get("camera"))
    values = confirmation_values(confirming) if confirming else {}
    return _render_form(values, None, confirming)


@bp.post("")
@submit_limit
def submit():
    submitter_id = current_user.id if current_user.is_authenticated else None
    # A refused report shows the form again with what was typed and why, not an error page.
    try:
        result = submit_sighting(request.form, photo_parts(request.files.getlist("photos")), submitter_id)
        commit()
    except DomainError as refusal:
        rollback()
        return _render_form(form_values(request.form), refusal), refusal.status
    session[RECEIPT_KEY] = result.receipt
    return redirect(url_for("submit.receipt"), 303)


@bp.get("/receipt")
def receipt():
    held = session.get(RECEIPT_KEY)
    found = status_for_receipt(held) if held else None
    return render_template(
        "submit/receipt.html",
        receipt=held if found else None,
        nearby_cameras=nearby_of_receipt(held) if found else [],
        vendor_name=vendor_name,
    )


@bp.post("/receipt/forget")
def forget_receipt():
    session.pop(RECEIPT_KEY, None)
    return redirect(url_for("submit.form"), 303)


@bp.get("/status")
def status_form():
    return render_template("submit/status.html", looked_up=False, status=None, labels=SIGHTING_STATUS_LABELS)


@bp.post("/status")
def status():
    receipt = (request.form.get("receipt") or "").strip()
    found = status_for_receipt(receipt)
    return render_template(
        "submit/status.html", looked_up=True, status=found, labels=SIGHTING_STATUS_LABELS
    ), 200 if found else 404


@bp.get("/nearby")
@answers_json
@names_fields
def nearby():
    """Verified cameras within 50 m of the pin, for the live "is it one of these?" list."""
    lon, lat = parse_coordinates(request.args)
    cameras = cameras_near(lon, lat, Limits.DUPLICATE_RADIUS_M)
    return jsonify(
        radius_m=Limits.DUPLICATE_RADIUS_M,
        cameras=[dict(camera.as_json(), vendor_name=vendor_name(camera.vendor)) for camera in cameras],
    )


@bp.post("/photo-position")
@photo_position_limit
@answers_json
def photo_position():
    """Where a photo's EXIF says it was taken, to suggest the pin. Nothing is stored or logged; the form shows
    the suggestion and the user decides where the pin goes. The EXIF block is read without decoding the
    image, and the route is rate-limited like every other anonymous POST."""
    photos = photo_parts(request.files.getlist("photo"))
    position = read_exif_position(photos[0]) if photos else None
    if position is None:
        return jsonify(found=False, lon=None, lat=None)
    lon, lat = position
    return jsonify(
        found=True, lon=round(lon, Limits.COORDINATE_DIGITS), lat=round(lat, Limits.COORDINATE_DIGITS)
    )


def _script_messages() -> dict:
    """Texts submit.js shows, translated here; it fills in the %(...)s placeholders itself."""
    config = current_app.config
    return {
        "duplicate": _("%(vendor)s, %(distance)s m away, facing %(directions)s"),
        "noDirections": _("direction unknown"),
        "tooManyPhotos": _("At most %(count)d photos per report.", count=config["PHOTO_MAX_COUNT"]),
        "photoTooLarge": photo_too_large_message(config["PHOTO_MAX_BYTES"]),
        "locationFailed": _("Your location is not available; place the pin by hand."),
        "pinTitle": _("The camera's position: move it with the arrow keys"),
        "nearbyCamera": _("Camera on the map: %(description)s"),
        "notesCount": _("%(count)s of %(max)s characters."),
        "notesTooLong": _(
            "%(count)s characters: notes may hold at most %(max)s. "
            "Shorten them before sending; nothing is cut."
        ),
        "sendFailed": _(
            "The report could not be sent (%(status)s). Your answers and photos are still here: try again."
        ),
        "keptAfterRefusal": _(
            "Nothing was stored. Your answers and photos are still in the form: correct and send again."
        ),
    }


def _render_form(values: dict, refusal: DomainError | None, confirming=None):
    return render_template(
        "submit/form.html",
        confirming=confirming,
        values=values,
        refusal=refusal,
        vendors=vendor_choices(),
        mounts=MOUNT_LABELS,
        compass_points=COMPASS_POINTS,
        max_photos=current_app.config["PHOTO_MAX_COUNT"],
        max_photo_mb=current_app.config["PHOTO_MAX_BYTES"] // (1024 * 1024),
        refusal_message=refusal.message if refusal else None,
        script_messages=_script_messages(),
        missing_photos_hint=_("Photos are not kept after a refusal: please attach them again."),
        direction_unknown=DIRECTION_UNKNOWN,
        notes_max=format_number(Limits.NOTES_CHARS),
    )
