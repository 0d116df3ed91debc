"""The body of a drawn or uploaded area or route, read with a cap: a JSON body, or the `file` part of a
multipart form. Nothing larger than COVERAGE_UPLOAD_BYTES is read: a Content-Length over the cap is refused
before reading, and a body without one is read only up to the cap, so a 50 MB upload costs at most 5 MB."""

from flask import request
from flask_babel import gettext as _
from werkzeug.exceptions import RequestEntityTooLarge

from webapp.kernel.errors import DomainError, InvalidInput
from webapp.kernel.vocabulary import Limits

# Room for a multipart form's boundaries and headers around the file.
FORM_OVERHEAD_BYTES = 64 * 1024


class UploadTooLarge(DomainError):
    status = 413
    code = "payload_too_large"


def _too_large() -> UploadTooLarge:
    return UploadTooLarge(
        _(
            "The upload is larger than %(mb)d MB, the most an area or a route may be. Simplify the track "
            "or the polygon (fewer points) and send it again.",
            mb=Limits.COVERAGE_UPLOAD_BYTES // (1024 * 1024),
        )
    )


def uploaded_document() -> bytes:
    """The document sent: the `file` part of a multipart form, or else the whole body. Raises
    UploadTooLarge (413) past the cap and InvalidInput when nothing was sent."""
    limit = Limits.COVERAGE_UPLOAD_BYTES
    multipart = request.mimetype == "multipart/form-data"
    allowed = limit + (FORM_OVERHEAD_BYTES if multipart else 0)
    if request.content_length is not None and request.content_length > allowed:
        raise _too_large()
    if multipart:
        # Werkzeug stops parsing with a 413 once the form passes this (also without a Content-Length).
        request.max_content_length = allowed
        try:
            part = request.files.get("file")
        except RequestEntityTooLarge:
            raise _too_large() from None
        if part is None:
            raise InvalidInput(
                _("Send the route or area as a file in the form field `file`."), code="no_file"
            )
        data = part.stream.read(limit + 1)
    else:
        data = request.stream.read(limit + 1)
    if len(data) > limit:
        raise _too_large()
    if not data.strip():
        raise InvalidInput(_("The request has no route or area in it."), code="empty_body")
    return data
