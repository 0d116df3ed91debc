"""Uploaded files are held in memory, never in a temporary file, and each is capped while it streams in.

Werkzeug spools any upload above 500 KB to a temporary file on disk; the original photo (with its EXIF GPS)
must never reach the disk, so file parts go to a size-capped in-memory buffer instead. A part that grows past
PHOTO_MAX_BYTES stops the parse at once with a 413: a 25 MB photo is refused after 20 MB, not read whole.
MAX_CONTENT_LENGTH (checked by Werkzeug against Content-Length before anything is read) caps the request.
"""

import io

from flask import Request, current_app
from flask_babel import gettext as _
from werkzeug.datastructures import FileStorage
from werkzeug.exceptions import RequestEntityTooLarge


def photo_too_large_message(max_bytes: int) -> str:
    return _("Each photo may be at most %(mb)d MB.", mb=max_bytes // (1024 * 1024))


class CappedMemoryFile(io.BytesIO):
    def __init__(self, max_bytes: int):
        super().__init__()
        self.max_bytes = max_bytes

    def write(self, data) -> int:
        if self.tell() + len(data) > self.max_bytes:
            raise RequestEntityTooLarge(photo_too_large_message(self.max_bytes))
        return super().write(data)


class InMemoryUploadRequest(Request):
    def _get_file_stream(self, total_content_length, content_type, filename=None, content_length=None):
        return CappedMemoryFile(current_app.config["PHOTO_MAX_BYTES"])


def photo_parts(files: list[FileStorage]) -> list[bytes]:
    """The bytes of each uploaded photo. A part without a file name and without content is what a browser
    sends for an empty file input: it is no photo, whereas a named empty file is one (and is refused)."""
    photos = []
    for part in files:
        data = part.stream.getvalue() if isinstance(part.stream, io.BytesIO) else part.read()
        if not part.filename and not data:
            continue
        photos.append(data)
    return photos
