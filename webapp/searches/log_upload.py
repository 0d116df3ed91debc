"""A moderator's upload of an audit log from the web: the multipart form read by this module, the file
streamed to a capped file in SEARCH_LOG_UPLOAD_DIR (never into memory, never past SEARCH_LOG_UPLOAD_BYTES),
its provenance checked, then the import queued as a background job (webapp.jobs) whose progress the upload's
page shows.

The view reads its own body (kernel.http.text_input.reads_own_body): Flask's form parsing would hold the file
in memory under the photos' cap. So the CSRF token is checked here, on the parsed form, with Flask-WTF's own
validate_csrf. The file holds what the import never keeps (plates, names, case numbers): it lives only until
the job has read it (the job deletes it, whatever happens) or the form is refused (deleted at once)."""

import os
import re
import uuid
from datetime import date
from pathlib import Path

from flask import current_app, request
from flask_babel import gettext as _
from flask_wtf.csrf import validate_csrf
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.formparser import FormDataParser
from wtforms.validators import ValidationError

from webapp.kernel.errors import DomainError, InvalidField, NotAllowed
from webapp.kernel.http.text_input import refuse_control_characters
from webapp.kernel.vocabulary import SEARCH_LOG_KINDS, Limits

FORM_OVERHEAD_BYTES = 64 * 1024
FORM_FIELD_BYTES = 16 * 1024
FORM_PARTS_MAX = 20
FORMATS = {".csv": "csv", ".xlsx": "xlsx"}
URL_MAX_CHARS = 1000
UNSAFE_NAME = re.compile(r"[^\w.\- ()]+")


class LogTooLarge(DomainError):
    status = 413
    code = "payload_too_large"


def _too_large(cap: int) -> LogTooLarge:
    return LogTooLarge(
        _(
            "The file is larger than %(mb)d MB, the most one upload may be. Split the log into several files "
            "(one per month, as vendors export them) or import it with `flask searches import`.",
            mb=cap // (1024 * 1024),
        )
    )


class _CappedFile:
    """A file on disk that refuses to grow past `cap` bytes (werkzeug writes each part through it)."""

    def __init__(self, path: Path, cap: int):
        self.path, self.cap, self.written = path, cap, 0
        self.handle = open(path, "wb")  # noqa: SIM115 (closed by read_upload)

    def write(self, data: bytes) -> int:
        self.written += len(data)
        if self.written > self.cap:
            raise _too_large(self.cap)
        return self.handle.write(data)

    def seek(self, *args):
        return self.handle.seek(*args)

    def read(self, *args):
        return b""

    def close(self):
        self.handle.close()


def upload_folder() -> Path:
    configured = current_app.config.get("SEARCH_LOG_UPLOAD_DIR")
    folder = Path(configured) if configured else Path(current_app.config["UPLOAD_DIR"]) / "search-logs"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


def _parse(spooled: list) -> tuple[dict, dict]:
    cap = current_app.config["SEARCH_LOG_UPLOAD_BYTES"]
    if request.mimetype != "multipart/form-data":
        raise InvalidField("file", _("Send the log as a file in a multipart form (the upload page does)."))
    if request.content_length is not None and request.content_length > cap + FORM_OVERHEAD_BYTES:
        raise _too_large(cap)
    request.max_content_length = cap + FORM_OVERHEAD_BYTES
    folder = upload_folder()

    def stream_factory(total_content_length, content_type, filename=None, content_length=None):
        if spooled:
            raise InvalidField("file", _("Send one file per upload."))
        # A folder of its own, so the file keeps its name (the import records it as the source's file name).
        own = folder / uuid.uuid4().hex
        own.mkdir(mode=0o700)
        spooled.append(_CappedFile(own / "upload.part", cap))
        return spooled[-1]

    parser = FormDataParser(
        stream_factory=stream_factory,
        max_form_memory_size=FORM_FIELD_BYTES,
        max_form_parts=FORM_PARTS_MAX,
        silent=False,
    )
    try:
        _stream, form, files = parser.parse(
            request.stream, request.mimetype, request.content_length, request.mimetype_params
        )
    except RequestEntityTooLarge:
        raise _too_large(cap) from None
    finally:
        for part in spooled:
            part.close()
    return form, files


def _text(form, name: str, most: int, required: bool = True) -> str | None:
    value = (form.get(name) or "").strip()
    refuse_control_characters(value, name)
    if required and not value:
        raise InvalidField(name, _("%(field)s is required.", field=name), code="missing_field")
    if len(value) > most:
        raise InvalidField(name, _("%(field)s may be at most %(n)d characters.", field=name, n=most))
    return value or None


def _received(form) -> str:
    raw = _text(form, "received", 10)
    try:
        received = date.fromisoformat(raw)
    except ValueError:
        raise InvalidField("received", _("received must be a date as YYYY-MM-DD.")) from None
    if received > date.today():
        raise InvalidField("received", _("received cannot be in the future."))
    return received.isoformat()


def _provenance(form, file_name: str) -> dict:
    kind = _text(form, "kind", 20)
    if kind not in SEARCH_LOG_KINDS:
        raise InvalidField("kind", _("kind must be one of %(allowed)s.", allowed=", ".join(SEARCH_LOG_KINDS)))
    url = _text(form, "url", URL_MAX_CHARS, required=False)
    if url and not re.match(r"^https?://\S+$", url):
        raise InvalidField("url", _("url must be a web address starting with http:// or https://."))
    return {
        "kind": kind,
        "agency": _text(form, "agency", Limits.AGENCY_NAME_CHARS),
        "title": _text(form, "title", Limits.SEARCH_LOG_TITLE_CHARS),
        "url": url,
        "received": _received(form),
        "file_name": file_name,
    }


def read_upload() -> tuple[Path, dict]:
    """The uploaded file (moved to its final name) and its provenance; on any refusal nothing stays on
    disk."""
    spooled = []
    try:
        form, files = _parse(spooled)
        try:
            validate_csrf(form.get("csrf_token"))
        except ValidationError as error:
            raise NotAllowed(
                _("The form has expired or did not come from this site: reload it and send it again."),
                code="csrf",
            ) from error
        part = files.get("file")
        if part is None or not spooled or not part.filename:
            raise InvalidField("file", _("Choose the audit log file (CSV or XLSX)."), code="missing_field")
        file_name = UNSAFE_NAME.sub("_", os.path.basename(part.filename))[:200]
        suffix = Path(file_name).suffix.lower()
        if suffix not in FORMATS:
            raise InvalidField("file", _("The file must be a CSV or an XLSX audit log (.csv or .xlsx)."))
        if spooled[0].written == 0:
            raise InvalidField("file", _("The file is empty."))
        provenance = _provenance(form, file_name)
        final = spooled[0].path.with_name(file_name)
        spooled[0].path.rename(final)
        return final, provenance
    except BaseException:
        for part in spooled:
            remove_upload(part.path)
        raise


def remove_upload(path: Path) -> None:
    """The uploaded file and its folder, gone."""
    path.unlink(missing_ok=True)
    if path.parent != upload_folder() and path.parent.exists():
        path.parent.rmdir()
