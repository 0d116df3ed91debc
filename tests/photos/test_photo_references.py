"""Identical uploads share one content-hash file: cleaning up after one report never deletes a file another
report's row still references."""

from tests.factories import make_photo, make_sighting, pending_bytes, publish
from webapp.photos.files import delete_unreferenced, referenced_among
from webapp.photos.storage import photo_storage


def test_only_files_no_row_references_are_deleted(app_context):
    # Published: only a published photo has files (a pending one's bytes are in the database, issue 15).
    kept = publish(make_photo(make_sighting()))
    storage = photo_storage()
    storage.put("ab/cd/abcd-orphan.jpg", b"bytes of a file no row references")
    keys = [kept.display_key, kept.thumb_key, "ab/cd/abcd-orphan.jpg"]

    assert referenced_among(keys) == {kept.display_key, kept.thumb_key}
    assert delete_unreferenced(keys) == ["ab/cd/abcd-orphan.jpg"]
    assert storage.exists(kept.display_key) and storage.exists(kept.thumb_key)
    assert not storage.exists("ab/cd/abcd-orphan.jpg")


def test_a_pending_photo_needs_no_file_so_its_key_is_free_once_no_published_photo_uses_it(app_context):
    pending = make_photo(make_sighting())
    storage = photo_storage()
    storage.put(pending.display_key, b"a file left by an earlier publication of the same bytes")
    assert referenced_among([pending.display_key]) == set()
    assert delete_unreferenced([pending.display_key]) == [pending.display_key]
    twin = publish(make_photo(make_sighting(), pending_bytes(pending)))
    assert referenced_among([pending.display_key]) == {twin.display_key}
