"""What the /submit form offers besides the shared vocabulary: compass points, the vendors in the order
the form lists them, the values to show again after a refusal, and the camera a report confirms."""

from flask_babel import lazy_gettext as _l

from webapp.camera_fields.vendors import VENDORS
from webapp.cameras.profiles import CameraPage, public_camera

COMPASS_POINTS = (
    (0, _l("N")),
    (45, _l("NE")),
    (90, _l("E")),
    (135, _l("SE")),
    (180, _l("S")),
    (225, _l("SW")),
    (270, _l("W")),
    (315, _l("NW")),
)


def vendor_choices():
    """Known vendors first, alphabetically, and "unknown" last: it is the safe answer when unsure."""
    known = sorted((vendor for vendor in VENDORS if vendor.slug != "unknown"), key=lambda vendor: vendor.name)
    return known + [vendor for vendor in VENDORS if vendor.slug == "unknown"]


def form_values(form) -> dict:
    """The submitted values to show again after a refusal (Jinja escapes them on output)."""
    return {
        "lat": form.get("lat", ""),
        "lon": form.get("lon", ""),
        "directions": [value for value in form.getlist("directions") if value],
        "vendor": form.get("vendor", ""),
        "mount": form.get("mount", ""),
        "operator": form.get("operator", ""),
        "notes": form.get("notes", ""),
        "observed_month": form.get("observed_month", ""),
        "camera_id": form.get("camera_id", ""),
    }


def camera_to_confirm(raw: str | None) -> CameraPage | None:
    """The public camera a "?camera=<id>" link asks to confirm; None for anything else (no error: the form
    then starts empty, as it would without the link)."""
    raw = (raw or "").strip()
    if not raw.isascii() or not raw.isdigit() or len(raw) > 18:
        return None
    return public_camera(int(raw))


def confirmation_values(camera: CameraPage) -> dict:
    """The form's starting values for a confirmation: the pin at the camera, the camera chosen, its vendor.
    Which way it faces stays the submitter's to say."""
    return {
        "lat": f"{camera.lat:.6f}",
        "lon": f"{camera.lon:.6f}",
        "vendor": camera.vendor,
        "directions": [],
        "camera_id": str(camera.id),
    }
