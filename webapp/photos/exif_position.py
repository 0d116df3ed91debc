"""Where a photo's EXIF GPS tags say it was taken: only to suggest the pin while reporting, never stored.

The EXIF block is found by walking the file's metadata structure, never by opening the image: Pillow's
getexif() on a PNG decodes every pixel to look for a trailing eXIf chunk (a 190 KB PNG of 7000 x 7000 took
half a second and 180 MB). Only the formats that carry GPS in a metadata block are read: JPEG (its APP1
segment), PNG (eXIf), WebP (EXIF) and HEIC/HEIF (the Exif item, through libheif, which decodes nothing until
pixels are asked for). The block itself is parsed by Pillow's TIFF reader (Image.Exif), which reads tags only.
"""

import io
import math
import struct

from PIL import ExifTags, Image

from webapp.photos.pipeline import sniff_format

# Structures walked before giving up: a real file has a few dozen; a crafted one cannot make us loop long.
MAX_BLOCKS = 100_000
_EXIF_HEADER = b"Exif\x00\x00"
# JPEG markers that stand alone, without a length (SOI, TEM, RST0-7).
_STANDALONE_MARKERS = {0xD8, 0x01, *range(0xD0, 0xD8)}
_START_OF_SCAN, _END_OF_IMAGE, _APP1 = 0xDA, 0xD9, 0xE1


def read_exif_position(data: bytes) -> tuple[float, float] | None:
    """The (lon, lat) a photo's EXIF GPS tags claim, or None when there is none or it makes no sense.

    No pixel is decoded. Cameras and editors write all kinds of malformed GPS (zero denominators, which
    Pillow returns as NaN, strings where numbers belong, two values instead of three): any of it means "no
    position", never an error.
    """
    try:
        block = exif_block(data)
        if not block:
            return None
        exif = Image.Exif()
        exif.load(block)
        gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    except Exception:  # a broken file or EXIF block is no reason to refuse anything: it only has no position
        return None
    lat = _degrees(gps.get(ExifTags.GPS.GPSLatitude), gps.get(ExifTags.GPS.GPSLatitudeRef), b"NS")
    lon = _degrees(gps.get(ExifTags.GPS.GPSLongitude), gps.get(ExifTags.GPS.GPSLongitudeRef), b"EW")
    if lat is None or lon is None or abs(lat) > 90 or abs(lon) > 180:
        return None
    if lat == 0 and lon == 0:  # "Null Island": a receiver without a fix, not a place
        return None
    return lon, lat


def exif_block(data: bytes) -> bytes | None:
    """The raw EXIF (TIFF) block of a JPEG, PNG, WebP or HEIF file, found without decoding the image."""
    readers = {"JPEG": _jpeg_exif, "PNG": _png_exif, "WEBP": _webp_exif, "HEIF": _heif_exif}
    reader = readers.get(sniff_format(data) or "")
    return reader(data) if reader else None


def _jpeg_exif(data: bytes) -> bytes | None:
    position = 2
    for _ in range(MAX_BLOCKS):
        if position + 4 > len(data) or data[position] != 0xFF:
            return None
        marker = data[position + 1]
        if marker == 0xFF:  # fill byte before a marker
            position += 1
            continue
        if marker in (_START_OF_SCAN, _END_OF_IMAGE):
            return None  # metadata segments all come before the image data
        if marker in _STANDALONE_MARKERS:
            position += 2
            continue
        (length,) = struct.unpack_from(">H", data, position + 2)
        segment = data[position + 4 : position + 2 + length]
        if marker == _APP1 and segment.startswith(_EXIF_HEADER):
            return segment
        position += 2 + length
    return None


def _png_exif(data: bytes) -> bytes | None:
    position = 8
    for _ in range(MAX_BLOCKS):
        if position + 8 > len(data):
            return None
        length, kind = struct.unpack_from(">I4s", data, position)
        if kind == b"eXIf":
            return data[position + 8 : position + 8 + length]
        if kind == b"IEND":
            return None
        position += 12 + length  # length, type, data, CRC: IDAT is skipped, never inflated
    return None


def _webp_exif(data: bytes) -> bytes | None:
    position = 12
    for _ in range(MAX_BLOCKS):
        if position + 8 > len(data):
            return None
        kind, length = struct.unpack_from("<4sI", data, position)
        if kind == b"EXIF":
            return data[position + 8 : position + 8 + length]
        position += 8 + length + (length & 1)
    return None


def _heif_exif(data: bytes) -> bytes | None:
    from pillow_heif import open_heif

    return open_heif(io.BytesIO(data)).info.get("exif")


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
