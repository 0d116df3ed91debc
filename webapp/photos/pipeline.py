"""The photo pipeline: accept an upload by its content (never its name), refuse what is too big or not an
image, apply the EXIF orientation, and re-encode a display image and a thumbnail that carry no metadata at
all (no EXIF, XMP, ICC profile or comment). It works on bytes in memory and never touches the disk; writing
the results is the caller's job (webapp/photos/storage.py).
"""

import functools
import hashlib
import io
import math
import warnings
from dataclasses import dataclass

from flask_babel import gettext as _
from PIL import ExifTags, Image, ImageCms, ImageOps

ACCEPTED_TYPES = "JPEG, PNG, WebP, HEIC/HEIF"
DISPLAY_LONG_SIDE = 2048
THUMB_LONG_SIDE = 400
DISPLAY_QUALITY = 85
THUMB_QUALITY = 80
# JPEG draft mode lets libjpeg decode at 1/2, 1/4 or 1/8 scale, several times faster than a full decode.
# We accept a reduced decode while its long side stays at least this large (a 12 MP photo then becomes a
# 2016-px display image instead of a 2048-px one); smaller photos are decoded whole.
DRAFT_MIN_LONG_SIDE = 1800

# Pillow warns about images over 89 megapixels and refuses those over 179; open_image() refuses anything over
# PHOTO_MAX_PIXELS (50 MP by default) itself, with a clear message, so the warning is only noise in the logs.
warnings.filterwarnings("ignore", category=Image.DecompressionBombWarning)

# ISO-BMFF brands of HEIC/HEIF still images (AVIF shares the container but not the codec: refused).
_HEIF_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1"}


class PhotoRejected(Exception):
    """A photo we will not store; `status` and `code` become the HTTP answer, `message` tells the user why."""

    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Derivative:
    data: bytes
    width: int
    height: int
    content_hash: str

    @property
    def key(self) -> str:
        return storage_key(self.content_hash)


@dataclass(frozen=True)
class ProcessedPhoto:
    display: Derivative
    thumb: Derivative


def storage_key(content_hash: str) -> str:
    """`ab/cd/abcd...ef.jpg`: content-hash names, spread over folders so none grows huge."""
    return f"{content_hash[:2]}/{content_hash[2:4]}/{content_hash}.jpg"


@functools.cache
def _register_heif() -> None:
    from pillow_heif import register_heif_opener

    register_heif_opener()


def sniff_format(data: bytes) -> str | None:
    """The Pillow format name for the bytes' signature, or None when they are not a type we accept."""
    if data.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    if data[4:8] == b"ftyp":
        box_size = int.from_bytes(data[:4], "big")
        brands = {data[8:12]} | {data[i : i + 4] for i in range(16, min(box_size, len(data), 256), 4)}
        if b"avif" not in brands and brands & _HEIF_BRANDS:
            return "HEIF"
    return None


def open_image(data: bytes, max_pixels: int) -> Image.Image:
    """Open (lazily: headers only) an image of an accepted type; bombs are refused before any decoding."""
    if not data:
        raise PhotoRejected(400, "empty_photo", _("The photo is an empty file."))
    image_format = sniff_format(data)
    if image_format is None:
        raise PhotoRejected(
            415,
            "unsupported_media_type",
            _("This file is not a photo we accept. Accepted types: %(types)s.", types=ACCEPTED_TYPES),
        )
    if image_format == "HEIF":
        _register_heif()
    try:
        image = Image.open(io.BytesIO(data), formats=[image_format])
    except Image.DecompressionBombError:
        raise _too_many_pixels(max_pixels) from None
    except Exception as error:  # any decoder error on hostile input is a refusal, never a 500
        raise _damaged() from error
    width, height = image.size
    if width < 1 or height < 1:
        raise _damaged()
    if width * height > max_pixels:
        image.close()
        raise _too_many_pixels(max_pixels, width, height)
    return image


def process_photo(
    data: bytes, max_pixels: int, max_bytes: int | None = None, use_draft: bool = True
) -> ProcessedPhoto:
    """Re-encode one upload into a display JPEG (long side <= 2048 px) and a thumbnail, both without any
    metadata. Raises PhotoRejected for anything we will not store. `use_draft=False` decodes at full size
    (the benchmark's naive baseline)."""
    if max_bytes is not None and len(data) > max_bytes:
        raise PhotoRejected(
            413,
            "photo_too_large",
            _("Each photo may be at most %(mb)d MB.", mb=max_bytes // (1024 * 1024)),
        )
    image = open_image(data, max_pixels)
    try:
        with image:
            if use_draft and image.format == "JPEG":
                _decode_reduced(image)
            image.load()
            # Keep the colour profile only long enough to convert to sRGB; it is never written out.
            icc_profile = image.info.get("icc_profile") if image.mode == "RGB" else None
            upright = _apply_orientation(image)
            display = _flatten_to_rgb(upright)
    except PhotoRejected:
        raise
    except Image.DecompressionBombError:
        raise _too_many_pixels(max_pixels) from None
    except Exception as error:  # truncated or corrupt pixel data, whatever the decoder raises
        raise _damaged() from error

    display.thumbnail((DISPLAY_LONG_SIDE, DISPLAY_LONG_SIDE), Image.Resampling.BICUBIC)
    if icc_profile:
        display = _to_srgb(display, icc_profile)
    thumb = display.copy()
    thumb.thumbnail((THUMB_LONG_SIDE, THUMB_LONG_SIDE), Image.Resampling.BICUBIC)
    return ProcessedPhoto(
        display=_encode(display, DISPLAY_QUALITY),
        thumb=_encode(thumb, THUMB_QUALITY),
    )


def _decode_reduced(image: Image.Image) -> None:
    width, height = image.size
    scale = DRAFT_MIN_LONG_SIDE / max(width, height)
    if scale < 1:
        # draft() picks the largest reduction whose result is still at least the requested size.
        image.draft("RGB", (max(1, int(width * scale)), max(1, int(height * scale))))


def _apply_orientation(image: Image.Image) -> Image.Image:
    try:
        return ImageOps.exif_transpose(image)
    except Exception:  # malformed EXIF: orientation is cosmetic, the pixels are still good
        return image.copy()


def _flatten_to_rgb(image: Image.Image) -> Image.Image:
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        image = image.point(lambda value: value * (1 / 256)).convert("L")
    if image.mode == "P":
        image = image.convert("RGBA" if "transparency" in image.info else "RGB")
    if image.mode in ("RGBA", "LA", "PA"):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image if image.mode == "RGB" else image.convert("RGB")


@functools.cache
def _srgb_profile() -> ImageCms.ImageCmsProfile:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


def _to_srgb(image: Image.Image, icc_profile: bytes) -> Image.Image:
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
        return ImageCms.profileToProfile(image, source, _srgb_profile(), outputMode="RGB")
    except Exception:  # an unusable profile: keep the pixels as they are
        return image


def _encode(image: Image.Image, quality: int) -> Derivative:
    # Pillow copies some metadata (a JPEG comment, for one) from image.info when saving: empty it first,
    # and pass no exif/icc_profile/xmp, so the file holds pixels and nothing else.
    image.info = {}
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality, optimize=True)
    data = buffer.getvalue()
    return Derivative(
        data=data, width=image.width, height=image.height, content_hash=hashlib.sha256(data).hexdigest()
    )


def _damaged() -> PhotoRejected:
    return PhotoRejected(
        422,
        "unreadable_photo",
        _("The photo could not be read: the file is damaged or incomplete. Please try another photo."),
    )


def _too_many_pixels(max_pixels: int, width: int | None = None, height: int | None = None) -> PhotoRejected:
    limit = _("The limit is %(mp)d megapixels.", mp=max_pixels // 1_000_000)
    if width and height:
        message = _(
            "The photo is %(width)d × %(height)d pixels, too large to process.", width=width, height=height
        )
    else:
        message = _("The photo has too many pixels to process.")
    return PhotoRejected(422, "too_many_pixels", f"{message} {limit}")


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
