"""Where a photo's EXIF GPS tags say it was taken: only to suggest the pin while reporting, never stored."""

import math

from PIL import ExifTags

from webapp.photos.pipeline import PhotoRejected, open_image


def read_exif_position(data: bytes, max_pixels: int) -> tuple[float, float] | None:
    """The (lon, lat) a photo's EXIF GPS tags claim, or None when there is none or it makes no sense.

    Only headers are read, no pixels. Cameras and editors write all kinds of malformed GPS (zero
    denominators, which Pillow returns as NaN, strings where numbers belong, two values instead of three):
    any of it means "no position", never an error.
    """
    try:
        image = open_image(data, max_pixels)
    except PhotoRejected:
        return None
    try:
        with image:
            gps = image.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    except Exception:  # a broken EXIF block is no reason to refuse anything: it only has no position
        return None
    lat = _degrees(gps.get(ExifTags.GPS.GPSLatitude), gps.get(ExifTags.GPS.GPSLatitudeRef), b"NS")
    lon = _degrees(gps.get(ExifTags.GPS.GPSLongitude), gps.get(ExifTags.GPS.GPSLongitudeRef), b"EW")
    if lat is None or lon is None or abs(lat) > 90 or abs(lon) > 180:
        return None
    if lat == 0 and lon == 0:  # "Null Island": a receiver without a fix, not a place
        return None
    return lon, lat


def _degrees(value, reference, positive_negative: bytes) -> float | None:
    """Degrees from an EXIF (degrees, minutes, seconds) triple and its N/S or E/W reference letter."""
    if not isinstance(value, tuple | list) or len(value) != 3:
        return None
    try:
        degrees, minutes, seconds = (float(part) for part in value)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    if not all(math.isfinite(part) and part >= 0 for part in (degrees, minutes, seconds)):
        return None
    if minutes >= 60 or seconds >= 60:
        return None
    if isinstance(reference, str):
        reference = reference.encode("ascii", "replace")
    if not isinstance(reference, bytes):
        return None
    reference = reference.strip(b"\x00 ").upper()
    if len(reference) != 1 or reference not in positive_negative:
        return None
    total = degrees + minutes / 60 + seconds / 3600
    return -total if reference == positive_negative[1:] else total
