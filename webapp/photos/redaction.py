"""Redaction of faces and licence plates: the detector's suggested boxes, and baking a strong blur into the
stored display image and thumbnail so that the unblurred pixels are gone (the old files are deleted by the
caller once the database agrees; see webapp/moderate/actions.py).

Boxes are [x, y, w, h] in display-image pixels. Detection uses the Haar cascades that opencv-python-headless
4.x ships (5.x dropped them: the pin is `<5`).
"""

import functools
import hashlib
import io

import cv2
import numpy as np
from flask_babel import gettext as _
from PIL import Image, ImageFilter

from webapp.models import Photo
from webapp.photos.storage import photo_storage

FACE_CASCADE = "haarcascade_frontalface_default.xml"
PLATE_CASCADES = ("haarcascade_russian_plate_number.xml", "haarcascade_license_plate_rus_16stages.xml")
# Detection runs on a copy whose long side is at most this: plates and faces worth blurring stay several
# dozen pixels tall, and the cascades run about four times faster than on a 2048-px image.
DETECTION_LONG_SIDE = 1024
# Boxes are grown by this fraction on each side: a cascade's box hugs the face or plate too tightly.
BOX_MARGIN = 0.15
MAX_BOXES = 64
MIN_BOX_SIDE = 2
THUMB_LONG_SIDE = 400
DISPLAY_QUALITY = 85
THUMB_QUALITY = 80


@functools.cache
def _cascade(name: str) -> cv2.CascadeClassifier:
    classifier = cv2.CascadeClassifier(cv2.data.haarcascades + name)
    if classifier.empty():
        raise RuntimeError(f"OpenCV has no Haar cascade {name}: opencv-python-headless must be 4.x")
    return classifier


def detect_boxes(image_data: bytes) -> list[list[int]]:
    """Suggested blur boxes for the faces and licence plates the cascades find in an encoded image."""
    pixels = cv2.imdecode(np.frombuffer(image_data, dtype=np.uint8), cv2.IMREAD_GRAYSCALE)
    if pixels is None:
        return []
    height, width = pixels.shape
    scale = min(1.0, DETECTION_LONG_SIDE / max(width, height))
    small = cv2.resize(pixels, (round(width * scale), round(height * scale))) if scale < 1 else pixels
    small = cv2.equalizeHist(small)
    found = []
    face_min = max(16, min(small.shape) // 40)
    found += list(_cascade(FACE_CASCADE).detectMultiScale(small, 1.1, 5, minSize=(face_min, face_min)))
    # Few neighbours: a missed plate is published, a needless box only costs the moderator a click.
    for name in PLATE_CASCADES:
        found += list(_cascade(name).detectMultiScale(small, 1.1, 3, minSize=(30, 10)))
    boxes = []
    for x, y, w, h in found:
        grow_x, grow_y = w * BOX_MARGIN, h * BOX_MARGIN
        box = [(x - grow_x) / scale, (y - grow_y) / scale, (w + 2 * grow_x) / scale, (h + 2 * grow_y) / scale]
        boxes.append(box)
    return _merge_overlapping(clean_boxes(boxes, width, height))


def _merge_overlapping(boxes: list[list[int]]) -> list[list[int]]:
    """Two cascades often find the same plate: keep one box that covers both."""
    merged: list[list[int]] = []
    for box in sorted(boxes):
        for kept in merged:
            if _overlap(kept, box):
                left, top = min(kept[0], box[0]), min(kept[1], box[1])
                right = max(kept[0] + kept[2], box[0] + box[2])
                bottom = max(kept[1] + kept[3], box[1] + box[3])
                kept[:] = [left, top, right - left, bottom - top]
                break
        else:
            merged.append(list(box))
    return merged[:MAX_BOXES]


def _overlap(a: list[int], b: list[int]) -> bool:
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


def ensure_suggestions(photo: Photo) -> list[list[int]]:
    """The photo's suggested boxes, running the detector the first time (the caller commits)."""
    if photo.suggested_boxes is None:
        try:
            data = photo_storage().read(photo.display_key)
        except OSError:
            data = b""
        photo.suggested_boxes = detect_boxes(data) if data else []
    return photo.suggested_boxes


def clean_boxes(boxes, width: int, height: int) -> list[list[int]]:
    """Boxes as whole pixels clipped to the image; ValueError (a message for the moderator) when the input
    is not a list of [x, y, w, h] numbers."""
    if boxes is None:
        return []
    if not isinstance(boxes, list | tuple):
        raise ValueError(_("Blur boxes must be a list of [x, y, width, height]."))
    if len(boxes) > MAX_BOXES:
        raise ValueError(_("At most %(count)s blur boxes per photo.", count=MAX_BOXES))
    cleaned = []
    for box in boxes:
        if not isinstance(box, list | tuple) or len(box) != 4:
            raise ValueError(_("Each blur box is [x, y, width, height]."))
        try:
            x, y, w, h = (float(value) for value in box)
        except (TypeError, ValueError) as error:
            raise ValueError(_("Each blur box is [x, y, width, height].")) from error
        if not all(np.isfinite([x, y, w, h])):
            raise ValueError(_("Each blur box is [x, y, width, height]."))
        left, top = max(0, round(x)), max(0, round(y))
        right, bottom = min(width, round(x + w)), min(height, round(y + h))
        if right - left >= MIN_BOX_SIDE and bottom - top >= MIN_BOX_SIDE:
            cleaned.append([left, top, right - left, bottom - top])
    return cleaned


def blur_regions(image: Image.Image, boxes: list[list[int]]) -> Image.Image:
    """A copy of the image with each box destroyed: pixelated to a handful of blocks, then blurred, so
    nothing of a face or a plate can be read back out of it."""
    result = image.copy()
    for x, y, w, h in boxes:
        region = result.crop((x, y, x + w, y + h))
        # At most 6 blocks across the short side: a plate's characters or a face's features are gone.
        blocks = max(1, min(w, h) // 6) if min(w, h) >= 6 else 1
        block_w, block_h = max(1, w // blocks), max(1, h // blocks)
        coarse = region.resize((max(1, w // block_w), max(1, h // block_h)), Image.Resampling.BOX)
        region = coarse.resize((w, h), Image.Resampling.NEAREST)
        region = region.filter(ImageFilter.GaussianBlur(radius=max(2, min(w, h) / 4)))
        result.paste(region, (x, y))
    return result


def _encode(image: Image.Image, quality: int) -> tuple[bytes, str]:
    image.info = {}  # no comment, EXIF or ICC profile is carried over into the file
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality, optimize=True)
    data = buffer.getvalue()
    return data, hashlib.sha256(data).hexdigest()


def storage_key(content_hash: str) -> str:
    """`ab/cd/abcd...ef.jpg`, the layout webapp/photos/pipeline.py writes uploads in."""
    return f"{content_hash[:2]}/{content_hash[2:4]}/{content_hash}.jpg"


def bake_blur(photo: Photo, boxes: list[list[int]]) -> tuple[list[str], list[str]]:
    """Blur the boxes into new display and thumbnail files and point the photo at them.

    Returns (keys written, keys now obsolete). Writing happens now; the caller deletes the obsolete files
    after its commit (and the written ones if the commit fails). With no boxes nothing changes.
    """
    photo.blur_boxes = boxes
    if not boxes:
        return [], []
    storage = photo_storage()
    with Image.open(io.BytesIO(storage.read(photo.display_key))) as original:
        original.load()
        blurred = blur_regions(original.convert("RGB"), boxes)
    display_data, display_hash = _encode(blurred, DISPLAY_QUALITY)
    thumb = blurred.copy()
    thumb.thumbnail((THUMB_LONG_SIDE, THUMB_LONG_SIDE), Image.Resampling.BICUBIC)
    thumb_data, thumb_hash = _encode(thumb, THUMB_QUALITY)
    display_key, thumb_key = storage_key(display_hash), storage_key(thumb_hash)
    written = []
    for key, data in ((display_key, display_data), (thumb_key, thumb_data)):
        if not storage.exists(key):
            storage.put(key, data)
            written.append(key)
    obsolete = [key for key in (photo.display_key, photo.thumb_key) if key not in (display_key, thumb_key)]
    photo.content_hash = display_hash
    photo.display_key = display_key
    photo.thumb_key = thumb_key
    photo.width, photo.height = blurred.size
    return written, obsolete
