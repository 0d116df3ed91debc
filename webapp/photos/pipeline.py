"""The photo pipeline: accept an upload by its content (never its name), refuse what is too big or not an
image, apply the EXIF orientation, and re-encode a display image and a thumbnail that carry no metadata at
all (no EXIF, XMP, ICC profile or comment). It works on bytes in memory and never touches the disk; writing
the results is the caller's job (webapp/photos/files.py).
"""

import functools
import io
import warnings

from flask_babel import gettext as _
from PIL import Image, ImageCms, ImageOps

from webapp.kernel.errors import DomainError
from webapp.kernel.uploads import photo_too_large_message
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


# Bytes Pillow holds per pixel by mode (RGB is kept as 4 bytes, like RGBA); every other mode takes 4.
_BYTES_PER_PIXEL = {"1": 1, "L": 1, "P": 1, "I;16": 2, "I;16L": 2, "I;16B": 2, "I;16N": 2}


def decoded_bytes(image: Image.Image) -> int:
    """The memory an opened image takes once decoded: pixels x bytes per pixel of its mode."""
    width, height = image.size
    return width * height * _BYTES_PER_PIXEL.get(image.mode, 4)


def derivatives_of(image: Image.Image, max_pixels: int) -> Derivatives:
    """Decode an image from open_for_processing() and re-encode it into a display JPEG (long side <= 2048
    px) and a thumbnail, both without any metadata. Closes the image. Raises PhotoRejected."""
    try:
        with image:
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
