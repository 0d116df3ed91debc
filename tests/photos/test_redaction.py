"""Photo redaction: the detector's suggested boxes, the blur baked into display and thumbnail, and the
unblurred files deleted for good."""

import hashlib
import io

import pytest
from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont, ImageStat
from sqlalchemy import delete

from tests.factories import log_in, make_photo, make_sighting, make_user, pending_bytes, photo_bytes
from webapp.kernel.data.models import PendingPhoto
from webapp.kernel.data.transactions import commit, rollback
from webapp.kernel.errors import InvalidInput
from webapp.kernel.extensions import db
from webapp.moderation.photo_release import PhotoDecision
from webapp.moderation.sightings import verify_sighting
from webapp.photos import redaction
from webapp.photos.storage import photo_storage

BOX = (200, 150, 160, 80)  # where photo_bytes() draws its checkerboard
SECOND_BOX = (480, 330, 96, 60)  # a second one, drawn by two_checkerboards()


def plate_photo() -> tuple[bytes, tuple[int, int, int, int]]:
    """A street-coloured photo with a white license plate on it; returns the bytes and the plate's box."""
    image = Image.new("RGB", (800, 600), (90, 110, 100))
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf", 42)
    left, top, right, bottom = draw.textbbox((250, 300), "A123BC77", font=font)
    plate = (left - 12, top - 10, right + 12, bottom + 10)
    draw.rectangle(plate, fill="white", outline="black", width=3)
    draw.text((250, 300), "A123BC77", fill="black", font=font)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=92)
    return buffer.getvalue(), (plate[0], plate[1], plate[2] - plate[0], plate[3] - plate[1])


def covers(box, target, share: float = 0.9) -> bool:
    """Whether `box` covers at least `share` of `target` (both [x, y, w, h])."""
    overlap_w = min(box[0] + box[2], target[0] + target[2]) - max(box[0], target[0])
    overlap_h = min(box[1] + box[3], target[1] + target[3]) - max(box[1], target[1])
    return overlap_w > 0 and overlap_h > 0 and overlap_w * overlap_h >= share * target[2] * target[3]


def region_spread(data: bytes, box) -> float:
    """The standard deviation of the pixels inside a box: high for a checkerboard, low once blurred."""
    with Image.open(io.BytesIO(data)) as image:
        x, y, w, h = box
        return ImageStat.Stat(image.convert("L").crop((x, y, x + w, y + h))).stddev[0]


def every_file_hash() -> set[str]:
    storage = photo_storage()
    return {hashlib.sha256(storage.read(key)).hexdigest() for key in storage.keys()}  # noqa: SIM118 (a storage, not a dict)


def test_the_detector_suggests_a_box_over_a_licence_plate():
    data, plate = plate_photo()
    boxes = redaction.detect_boxes(data)
    assert any(covers(box, plate) for box in boxes), (boxes, plate)


def face_photo() -> tuple[bytes, tuple[int, int, int, int]]:
    """A drawn face (skin oval, hair, brows, eyes, nose, mouth, softly blurred like a photo) that the
    frontal-face cascade recognises; returns the bytes and the box of its eyes, nose and mouth."""
    image = Image.new("RGB", (640, 480), (120, 130, 140))
    draw = ImageDraw.Draw(image)
    cx, cy, w, h = 320, 240, 260, 338
    draw.ellipse((cx - w // 2, cy - h // 2, cx + w // 2, cy + h // 2), fill=(225, 190, 160))
    draw.chord((cx - w // 2, cy - h // 2, cx + w // 2, cy), 180, 360, fill=(60, 40, 30))
    eyes_y = cy - h // 12
    for eye_x in (cx - w // 5, cx + w // 5):
        draw.rectangle((eye_x - w // 7, eyes_y - h // 7, eye_x + w // 7, eyes_y - h // 9), fill=(70, 50, 40))
        draw.ellipse((eye_x - w // 9, eyes_y - h // 22, eye_x + w // 9, eyes_y + h // 22), fill=(40, 30, 30))
    draw.polygon(
        [(cx, eyes_y), (cx - w // 14, cy + h // 8), (cx + w // 14, cy + h // 8)], fill=(205, 165, 135)
    )
    draw.ellipse((cx - w // 5, cy + h // 4 - h // 30, cx + w // 5, cy + h // 4 + h // 30), fill=(150, 70, 70))
    image = image.filter(ImageFilter.GaussianBlur(3))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=92)
    features = (cx - w // 3, eyes_y - h // 8, 2 * w // 3, h // 8 + h // 4 + h // 30)
    return buffer.getvalue(), features


def test_the_detector_suggests_a_box_over_a_face():
    data, features = face_photo()
    boxes = redaction.detect_boxes(data)
    assert any(covers(box, features) for box in boxes), (boxes, features)


def test_the_detector_suggests_nothing_on_a_plain_picture():
    assert redaction.detect_boxes(photo_bytes(box=None)) == []
    assert redaction.detect_boxes(b"not an image") == []


def test_boxes_are_clipped_to_the_image_and_bad_ones_refused(app_context):
    assert redaction.clean_boxes([[-10, -10, 50, 50], [600, 400, 100, 100]], 640, 480) == [
        [0, 0, 40, 40],
        [600, 400, 40, 80],
    ]
    assert redaction.clean_boxes([[700, 10, 20, 20], [5, 5, 1, 1]], 640, 480) == []
    for bad in ("[1,2,3,4]", [[1, 2, 3]], [["a", 1, 2, 3]], [[float("nan"), 1, 2, 3]], [[0, 0, 5, 5]] * 65):
        with pytest.raises(ValueError):
            redaction.clean_boxes(bad, 640, 480)


def test_suggestions_are_computed_once_and_stored(app_context):
    sighting = make_sighting()
    data, plate = plate_photo()
    photo = make_photo(sighting, data)
    assert photo.suggested_boxes is None
    boxes = redaction.ensure_suggestions(photo)
    db.session.flush()
    assert any(covers(box, plate) for box in boxes)
    db.session.expire(photo)
    assert photo.suggested_boxes == boxes


def two_checkerboards() -> bytes:
    """photo_bytes()'s picture with a second checkerboard at SECOND_BOX."""
    with Image.open(io.BytesIO(photo_bytes(box=BOX))) as image:
        picture = image.convert("RGB")
    draw = ImageDraw.Draw(picture)
    x, y, w, h = SECOND_BOX
    for top in range(y, y + h, 6):
        for left in range(x, x + w, 6):
            if ((left - x) // 6 + (top - y) // 6) % 2:
                draw.rectangle([left, top, left + 5, top + 5], fill=(250, 250, 250))
            else:
                draw.rectangle([left, top, left + 5, top + 5], fill=(5, 5, 5))
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=95)
    return buffer.getvalue()


def test_verifying_bakes_the_blur_in_and_deletes_every_unblurred_file(app_context):
    moderator = make_user(role="moderator")
    sighting = make_sighting()
    original = two_checkerboards()
    photo = make_photo(sighting, original)
    old_hash, old_keys = photo.content_hash, (photo.display_key, photo.thumb_key)
    storage = photo_storage()
    old_thumb_hash = hashlib.sha256(pending_bytes(photo, "thumb")).hexdigest()
    for box in (BOX, SECOND_BOX):
        assert region_spread(original, box) > 100

    boxes = [list(BOX), list(SECOND_BOX)]
    verify_sighting(sighting.id, moderator, photo_decisions={photo.id: PhotoDecision(boxes=boxes)})
    commit()

    db.session.refresh(photo)
    assert photo.public
    assert photo.blur_boxes == boxes
    assert photo.content_hash != old_hash
    display = storage.read(photo.display_key)
    assert hashlib.sha256(display).hexdigest() == photo.content_hash
    # Inside each box the pixels changed: the checkerboards are gone. Outside, the gradient is unchanged.
    with Image.open(io.BytesIO(original)) as before, Image.open(io.BytesIO(display)) as after:
        for x, y, w, h in (BOX, SECOND_BOX):
            region = (x, y, x + w, y + h)
            changed = ImageChops.difference(before.convert("L").crop(region), after.convert("L").crop(region))
            assert ImageStat.Stat(changed).mean[0] > 60  # about half of each square flipped by ~120 levels
            assert region_spread(display, (x, y, w, h)) < 10
        outside = (20, 20, 120, 120)
        untouched = ImageChops.difference(before.convert("L").crop(outside), after.convert("L").crop(outside))
        assert ImageStat.Stat(untouched).mean[0] < 3
    # The thumbnail is blurred too (made from the blurred display image).
    with Image.open(io.BytesIO(storage.read(photo.thumb_key))) as thumb:
        scale = thumb.width / photo.width
        thumb_box = [round(value * scale) for value in BOX]
        assert (
            ImageStat.Stat(
                thumb.convert("L").crop(
                    (
                        thumb_box[0] + 2,
                        thumb_box[1] + 2,
                        thumb_box[0] + thumb_box[2] - 2,
                        thumb_box[1] + thumb_box[3] - 2,
                    )
                )
            ).stddev[0]
            < 10
        )
    for key in old_keys:
        assert not storage.exists(key)
    # The unblurred bytes were kept in the database while pending (issue 15): they went with the row.
    assert pending_bytes(photo, "display") is None and pending_bytes(photo, "thumb") is None
    remaining = every_file_hash()
    assert old_hash not in remaining
    assert old_thumb_hash not in remaining


def test_photos_without_a_decision_get_their_suggested_boxes_blurred(app_context):
    moderator = make_user(role="moderator")
    sighting = make_sighting()
    data, plate = plate_photo()
    photo = make_photo(sighting, data)
    verify_sighting(sighting.id, moderator)
    commit()
    db.session.refresh(photo)
    assert photo.public and photo.blur_boxes
    assert region_spread(photo_storage().read(photo.display_key), plate) < region_spread(data, plate) / 4


def test_a_dropped_photo_is_deleted_with_its_files(app_context):
    moderator = make_user(role="moderator")
    sighting = make_sighting()
    kept = make_photo(sighting, photo_bytes(box=BOX))
    dropped = make_photo(sighting, photo_bytes(box=(10, 10, 40, 40)))
    dropped_id, dropped_keys = dropped.id, (dropped.display_key, dropped.thumb_key)
    verify_sighting(
        sighting.id,
        moderator,
        photo_decisions={kept.id: PhotoDecision(boxes=[]), dropped_id: PhotoDecision(drop=True)},
    )
    commit()
    db.session.expire_all()
    assert [photo.id for photo in sighting.photos] == [kept.id]
    assert all(not photo_storage().exists(key) for key in dropped_keys)
    # No boxes: the photo is published as it was.
    assert photo_storage().exists(kept.display_key)
    assert db.session.get(type(kept), kept.id).public


def test_an_identical_upload_still_pending_keeps_its_file(app_context):
    """Two sightings may carry the same bytes (content-hash keys are shared): blurring one must not delete
    the bytes the other, still pending, points at (kept in the database since issue 15, so they become its
    file when it is published)."""
    moderator = make_user(role="moderator")
    data = photo_bytes(box=BOX)
    first, second = make_sighting(), make_sighting(lon=-87.7)
    photo = make_photo(first, data)
    twin = make_photo(second, data)
    verify_sighting(first.id, moderator, photo_decisions={photo.id: PhotoDecision(boxes=[list(BOX)])})
    commit()
    assert pending_bytes(twin) == data
    verify_sighting(second.id, moderator, photo_decisions={twin.id: PhotoDecision(boxes=[])})
    commit()
    assert photo_storage().exists(twin.display_key)
    assert photo_storage().read(twin.display_key) == data


def test_bad_boxes_are_a_clear_refusal_and_change_nothing(app_context):
    moderator = make_user(role="moderator")
    sighting = make_sighting()
    photo = make_photo(sighting)
    db.session.commit()
    with pytest.raises(InvalidInput, match="x, y, width, height"):
        verify_sighting(sighting.id, moderator, photo_decisions={photo.id: PhotoDecision(boxes=[[1, 2]])})
    rollback()
    db.session.refresh(sighting)
    assert sighting.status == "pending"
    assert pending_bytes(photo) is not None  # pending photos live in the database (issue 15)


def test_a_bad_box_on_one_photo_writes_no_file_for_the_others(app_context):
    moderator = make_user(role="moderator")
    sighting = make_sighting()
    good = make_photo(sighting, photo_bytes(box=BOX))
    bad = make_photo(sighting, photo_bytes(box=(5, 5, 30, 30)))
    db.session.commit()
    before = set(photo_storage().keys())
    decisions = {good.id: PhotoDecision(boxes=[list(BOX)]), bad.id: PhotoDecision(boxes=[["x"]])}
    with pytest.raises(InvalidInput, match=f"Photo {bad.id}"):
        verify_sighting(sighting.id, moderator, photo_decisions=decisions)
    rollback()
    assert set(photo_storage().keys()) == before


def test_a_photo_whose_file_is_gone_is_a_clear_409_not_a_500(client, app_context):
    moderator = make_user(role="moderator")
    sighting = make_sighting()
    photo = make_photo(sighting, photo_bytes(box=BOX))
    # Its bytes lost (a pending photo keeps them in the database since issue 15; before, in its file).
    db.session.execute(delete(PendingPhoto).where(PendingPhoto.photo_id == photo.id))
    db.session.commit()
    photo_storage().delete(photo.display_key)
    log_in(client, moderator)
    data = {
        "lat": "41.8781",
        "lon": "-87.6298",
        "photo_ids": str(photo.id),
        f"boxes-{photo.id}": "[[1, 1, 20, 20]]",
    }
    response = client.post(f"/moderate/sightings/{sighting.id}/verify", data=data)
    assert response.status_code == 409
    assert "drop the photo" in response.get_data(as_text=True)
    data[f"drop-{photo.id}"] = "1"
    assert client.post(f"/moderate/sightings/{sighting.id}/verify", data=data).status_code == 303


def test_the_command_suggests_boxes_ahead_of_review(app_context, runner):
    data, plate = plate_photo()
    pending = make_photo(make_sighting(), data)
    handled = make_photo(make_sighting(status="rejected", reject_reason="spam"), data)
    result = runner.invoke(args=["moderation", "suggest-boxes"])
    assert result.exit_code == 0, result.output
    assert "1 photos looked at" in result.output
    db.session.refresh(pending)
    db.session.refresh(handled)
    assert any(covers(box, plate) for box in pending.suggested_boxes)
    assert handled.suggested_boxes is None
    again = runner.invoke(args=["moderation", "suggest-boxes"])
    assert "0 photos looked at" in again.output
