"""The photo pipeline: accept an upload by its content (never its name), refuse what is too big or not an
image, apply the EXIF orientation, and re-encode a display image and a thumbnail that carry no metadata at
all (no EXIF, XMP, ICC profile or comment). It works on bytes in memory and never touches the disk; writing
the results is the caller's job (webapp/photos/files.py).
"""

import functools
import io
import threading
import warnings
from contextlib import contextmanager

from flask import current_app, has_app_context
from flask_babel import gettext as _
from PIL import ExifTags, Image, ImageCms

from webapp.kernel.errors import DomainError, Unavailable
from webapp.kernel.http.uploads import photo_too_large_message
from webapp.photos.encoding import DISPLAY_LONG_SIDE, Derivatives, encode_derivatives

ACCEPTED_TYPES = "JPEG, PNG, WebP, HEIC/HEIF"
# JPEG draft mode lets libjpeg decode at 1/2, 1/4 or 1/8 scale, several times faster than a full decode.
# We accept a reduced decode while its long side stays at least this large (a 12 MP photo then becomes a
# 2016-px display image instead of a 2048-px one); smaller photos are decoded whole.
DRAFT_MIN_LONG_SIDE = 1800

# Pillow warns about images over 89 megapixels and refuses those over 179; open_image() refuses anything over
# PHOTO_MAX_PIXELS (50 MP by default) itself, with a clear message, so the warning is only noise in the logs.
warnings.filterwarnings("ignore", category=Image.DecompressionBombWarning)

# ISO-BMFF brands of HEIC/HEIF still images (AVIF shares the container but not the codec: refused).
_HEIF_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1"}


class PhotoRejected(DomainError):
    """A photo we will not store; the message tells the user why."""

    def __init__(self, status: int, code: str, message: str):
        super().__init__(message, code=code, status=status)


@functools.cache
def register_heif() -> None:
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
        register_heif()
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


def open_for_processing(
    data: bytes, max_pixels: int, max_bytes: int | None = None, use_draft: bool = True
) -> Image.Image:
    """Check one upload and open it, headers only: its size, its type by content, its pixel count; a JPEG
    set to decode at the reduced size it will be decoded at. Nothing is decoded yet, so every photo of a
    request can be checked before any is decoded. Raises PhotoRejected."""
    if max_bytes is not None and len(data) > max_bytes:
        raise PhotoRejected(413, "photo_too_large", photo_too_large_message(max_bytes))
    image = open_image(data, max_pixels)
    if use_draft and image.format == "JPEG":
        try:
            _decode_reduced(image)
        except Exception as error:
            image.close()
            raise _damaged() from error
    return image


# Bytes Pillow holds per pixel by mode (RGB is kept as 4 bytes, like RGBA; "1" as one byte); others take 4.
_BYTES_PER_PIXEL = {"1": 1, "L": 1, "P": 1, "I;16": 2, "I;16L": 2, "I;16B": 2, "I;16N": 2}
# Copies of the display-size image alive at once after the decode (RGBA, its white background and mask, the
# upright or sRGB copy, the encoder's copy and its thumbnail's), at 4 bytes a pixel: 4 x 4 bytes, rounded up.
_DISPLAY_COPIES_BYTES_PER_PIXEL = 16
# Modes that take a second full-size copy to shrink (measured: +208 MB to shrink a 49 MP RGBA image).
_COPIED_WHOLE_TO_SHRINK = {"1", "RGBA", "LA", "PA", "La", "RGBa"}


def display_size(width: int, height: int) -> tuple[int, int]:
    """The size an image of width x height is shrunk to before anything else (long side DISPLAY_LONG_SIDE)."""
    scale = min(1.0, DISPLAY_LONG_SIDE / max(width, height))
    return max(1, round(width * scale)), max(1, round(height * scale))


def decoded_bytes(image: Image.Image) -> int:
    """The memory processing an opened image takes at its peak, from its headers: the decode itself (pixels x
    bytes per pixel of its mode, at the reduced size a JPEG is set to decode at), a full-size copy where
    shrinking makes one (Pillow premultiplies an alpha channel into a copy before resizing; a 1-bit image
    becomes greyscale first), then the display-size copies (in RGB(A), 4 bytes a pixel, whatever the
    source's mode)."""
    width, height = image.size
    decoded = width * height * _BYTES_PER_PIXEL.get(image.mode, 4)
    if image.mode in _COPIED_WHOLE_TO_SHRINK:
        decoded *= 2
    display_width, display_height = display_size(width, height)
    return decoded + display_width * display_height * _DISPLAY_COPIES_BYTES_PER_PIXEL


_decode_slots: dict[int, threading.BoundedSemaphore] = {}
_decode_slots_lock = threading.Lock()


@contextmanager
def decode_slot():
    """At most PHOTO_MAX_CONCURRENT_DECODES photos are decoded at once in a process (a worker's threads
    share it); a request that waits longer than PHOTO_DECODE_WAIT_SECONDS for its turn is refused (503)."""
    config = current_app.config if has_app_context() else {}
    count = max(1, int(config.get("PHOTO_MAX_CONCURRENT_DECODES", 1)))
    with _decode_slots_lock:
        slot = _decode_slots.setdefault(count, threading.BoundedSemaphore(count))
    if not slot.acquire(timeout=float(config.get("PHOTO_DECODE_WAIT_SECONDS", 30))):
        raise Unavailable(_("The server is busy processing other photos. Please try again in a minute."))
    try:
        yield
    finally:
        slot.release()


def derivatives_of(image: Image.Image, max_pixels: int) -> Derivatives:
    """Decode an image from open_for_processing() and re-encode it into a display JPEG (long side <= 2048
    px) and a thumbnail, both without any metadata. Closes the image. Raises PhotoRejected.

    The decoded image is shrunk to the display size in its own mode (one byte a pixel for greyscale) and
    closed before it is converted to RGB, so no full-size colour copy of a greyscale or palette image is
    ever made (decoded_bytes() counts what this takes)."""
    try:
        with decode_slot():
            try:
                image.load()
                # Keep the colour profile only long enough to convert to sRGB; it is never written out.
                icc_profile = image.info.get("icc_profile") if image.mode == "RGB" else None
                orientation = _orientation(image)
                shrunk = _shrink(image)
            finally:
                image.close()  # frees the decoded pixels now (leaving a `with` block only closes the file)
        display = _apply_orientation(_flatten_to_rgb(shrunk), orientation)
    except (PhotoRejected, Unavailable):
        raise
    except Image.DecompressionBombError:
        raise _too_many_pixels(max_pixels) from None
    except Exception as error:  # truncated or corrupt pixel data, whatever the decoder raises
        raise _damaged() from error

    if icc_profile:
        display = _to_srgb(display, icc_profile)
    return encode_derivatives(display)


def process_photo(
    data: bytes, max_pixels: int, max_bytes: int | None = None, use_draft: bool = True
) -> Derivatives:
    """Re-encode one upload into a display JPEG and a thumbnail, both without any metadata. Raises
    PhotoRejected for anything we will not store. `use_draft=False` decodes at full size (the benchmark's
    naive baseline)."""
    return derivatives_of(open_for_processing(data, max_pixels, max_bytes, use_draft), max_pixels)


def _decode_reduced(image: Image.Image) -> None:
    width, height = image.size
    scale = DRAFT_MIN_LONG_SIDE / max(width, height)
    if scale < 1:
        # draft() picks the largest reduction whose result is still at least the requested size.
        image.draft("RGB", (max(1, int(width * scale)), max(1, int(height * scale))))


# EXIF orientation -> the transposition that makes the image upright (as ImageOps.exif_transpose does).
_UPRIGHT = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


def _orientation(image: Image.Image) -> int:
    try:
        return int(image.getexif().get(ExifTags.Base.Orientation, 1))
    except Exception:  # malformed EXIF: orientation is cosmetic, the pixels are still good
        return 1


def _shrink(image: Image.Image) -> Image.Image:
    """The decoded image at display size, in its own mode (a copy: the caller closes the original)."""
    if image.mode == "1":
        image = image.convert("L")  # one byte a pixel either way; resizing bilevel pixels would be nearest
    size = display_size(*image.size)
    if size == image.size:
        return image.copy()
    # Palette images are resized by nearest neighbour (Pillow's rule for "P"); every other mode bicubically,
    # after a box reduction by a whole factor that keeps 3x the final size (several times faster, the same
    # result to the eye).
    return image.resize(size, Image.Resampling.BICUBIC, reducing_gap=3.0)


def _apply_orientation(image: Image.Image, orientation: int) -> Image.Image:
    method = _UPRIGHT.get(orientation)
    return image.transpose(method) if method is not None else image


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
