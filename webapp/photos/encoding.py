"""The one way a stored photo is written: a display JPEG (long side at most 2048 px) and a thumbnail, each
holding pixels and nothing else, named by the hash of its content. Used by the upload pipeline and by
redaction, so a blurred photo is encoded exactly as an uploaded one."""

import hashlib
import io
from dataclasses import dataclass

from PIL import Image

DISPLAY_LONG_SIDE = 2048
THUMB_LONG_SIDE = 400
DISPLAY_QUALITY = 85
THUMB_QUALITY = 80


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
class Derivatives:
    display: Derivative
    thumb: Derivative


def storage_key(content_hash: str) -> str:
    """`ab/cd/abcd...ef.jpg`: content-hash names, spread over folders so none grows huge."""
    return f"{content_hash[:2]}/{content_hash[2:4]}/{content_hash}.jpg"


def encode_jpeg(image: Image.Image, quality: int) -> Derivative:
    # Pillow copies some metadata (a JPEG comment, for one) from image.info when saving: empty it first,
    # and pass no exif/icc_profile/xmp, so the file holds pixels and nothing else.
    image.info = {}
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality, optimize=True)
    data = buffer.getvalue()
    return Derivative(
        data=data, width=image.width, height=image.height, content_hash=hashlib.sha256(data).hexdigest()
    )


def encode_derivatives(image: Image.Image) -> Derivatives:
    """The display copy (scaled down to DISPLAY_LONG_SIDE if larger) and the thumbnail of an RGB image."""
    display = image.copy()
    display.thumbnail((DISPLAY_LONG_SIDE, DISPLAY_LONG_SIDE), Image.Resampling.BICUBIC)
    thumb = display.copy()
    thumb.thumbnail((THUMB_LONG_SIDE, THUMB_LONG_SIDE), Image.Resampling.BICUBIC)
    return Derivatives(display=encode_jpeg(display, DISPLAY_QUALITY), thumb=encode_jpeg(thumb, THUMB_QUALITY))
