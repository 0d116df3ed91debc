"""What the /submit form offers besides the shared vocabulary: compass points, the vendors in the order
the form lists them, and the values to show again after a refusal."""

from flask_babel import lazy_gettext as _l

from webapp.camera_fields.vendors import VENDORS

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
