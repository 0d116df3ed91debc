"""Identical uploads share one content-hash file: cleaning up after one report never deletes a file another
report's row still references."""

from tests.factories import make_photo, make_sighting
from webapp.photos.files import delete_unreferenced, referenced_among
from webapp.photos.storage import photo_storage


def test_only_files_no_row_references_are_deleted(app_context):
    kept = make_photo(make_sighting())
    storage = photo_storage()
    storage.put("ab/cd/abcd-orphan.jpg", b"bytes of a file no row references")
    keys = [kept.display_key, kept.thumb_key, "ab/cd/abcd-orphan.jpg"]

    assert referenced_among(keys) == {kept.display_key, kept.thumb_key}
    assert delete_unreferenced(keys) == ["ab/cd/abcd-orphan.jpg"]
    assert storage.exists(kept.display_key) and storage.exists(kept.thumb_key)
    assert not storage.exists("ab/cd/abcd-orphan.jpg")
