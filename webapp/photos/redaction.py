"""Redaction of faces and license plates: the detector's suggested boxes, and baking a strong blur into the
display image and thumbnail a photo is published with, so that the unblurred pixels are gone (the pending
bytes go with their row; files of a photo already published are deleted once the transaction commits; see
webapp/photos/pending.py and webapp/photos/files.py).

Boxes are [x, y, w, h] in display-image pixels. Detection uses the Haar cascades that opencv-python-headless
4.x ships (5.x dropped them: the pin is `<5`).
"""

import functools
import io

import cv2
import numpy as np
from flask_babel import gettext as _
from PIL import Image, ImageFilter

from webapp.kernel.data.models import Photo
from webapp.photos.encoding import encode_derivatives
from webapp.photos.pending import photo_bytes, publish_files

FACE_CASCADE = "haarcascade_frontalface_default.xml"
PLATE_CASCADES = ("haarcascade_russian_plate_number.xml", "haarcascade_license_plate_rus_16stages.xml")
# Detection runs on a copy whose long side is at most this: plates and faces worth blurring stay several
# dozen pixels tall, and the cascades run about four times faster than on a 2048-px image.
DETECTION_LONG_SIDE = 1024
# Boxes are grown by this fraction on each side: a cascade's box hugs the face or plate too tightly.
BOX_MARGIN = 0.15
MAX_BOXES = 64
MIN_BOX_SIDE = 2


@functools.cache
def _cascade(name: str) -> cv2.CascadeClassifier:
    classifier = cv2.CascadeClassifier(cv2.data.haarcascades + name)
    if classifier.empty():
        raise RuntimeError(f"OpenCV has no Haar cascade {name}: opencv-python-headless must be 4.x")
    return classifier


def detect_boxes(image_data: bytes) -> list[list[int]]:
    """Suggested blur boxes for the faces and license plates the cascades find in an encoded image."""
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


def suggested_boxes(photo: Photo) -> list[list[int]]:
    """The photo's suggested boxes: those stored, or the detector's answer now (not stored: a page that
    shows them changes nothing)."""
    if photo.suggested_boxes is not None:
        return photo.suggested_boxes
    try:
        data = photo_bytes(photo, "display")
    except OSError:
        data = b""
    return detect_boxes(data) if data else []


def ensure_suggestions(photo: Photo) -> list[list[int]]:
    """The photo's suggested boxes, running the detector the first time and keeping its answer on the row."""
    if photo.suggested_boxes is None:
        photo.suggested_boxes = suggested_boxes(photo)
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


def bake_blur(photo: Photo, boxes: list[list[int]]) -> None:
    """Publish the photo's files with the boxes blurred in (as they are with no boxes), for the current
    transaction: the new files go again if it rolls back; the unblurred bytes go with the pending row (or,
    for a photo already in files, once it commits). FileNotFoundError when the photo's bytes are gone."""
    photo.blur_boxes = boxes
    if not boxes:
        publish_files(photo)
        return
    with Image.open(io.BytesIO(photo_bytes(photo, "display"))) as original:
        original.load()
        blurred = blur_regions(original.convert("RGB"), boxes)
    publish_files(photo, encode_derivatives(blurred))
