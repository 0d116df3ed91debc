"""Text from outside is plain text: no NUL and no other control character (tab and line breaks aside) in any
field of any request, refused with a 400 before a view sees it.

PostgreSQL refuses NUL in text outright: let through, it turned a report or a moderator's note into a 500
whose log line carried the submitted text. Other control characters have no business in a camera's operator,
a flag or a reason (they hide text in spreadsheets and terminals). The guard reads every query argument,
form field and JSON string of a request, so a field added later is covered too; the domain's own checks
(camera_fields.rules.parse_text, flags, moderation reasons) use the same rule for callers outside a request.

A view marked @reads_own_body reads its body itself, under a cap of its own (an uploaded route or area, read
only up to its limit): the guard then checks its query string only, never parsing a body the view would
refuse as too large.
"""

import re

from flask import Flask, current_app, request
from flask_babel import gettext as _

from webapp.kernel.errors import InvalidField

# Control characters other than tab and line breaks (C0, DEL and the C1 block).
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# JSON nests no deeper than this in any body the app accepts; deeper bodies are refused rather than walked.
MAX_JSON_DEPTH = 20


def has_control_characters(value: str) -> bool:
    return CONTROL_CHARACTERS.search(value) is not None


def refuse_control_characters(value: str | None, field: str) -> None:
    """InvalidField (400) when `value` holds a control character."""
    if value and has_control_characters(value):
        raise InvalidField(
            field, _("The field %(field)s may only hold plain text (no control characters).", field=field)
        )


def _json_strings(value, path: str, depth: int = 0):
    if depth > MAX_JSON_DEPTH:
        raise InvalidField(path or "body", _("The JSON body nests too deeply."))
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield path or "body", str(key)
            yield from _json_strings(item, f"{path}.{key}" if path else str(key), depth + 1)
    elif isinstance(value, list):
        for item in value:
            yield from _json_strings(item, path, depth + 1)


def reads_own_body(view):
    """Mark a view that reads (and bounds) its own request body: the guard leaves the body to it."""
    view.reads_own_body = True
    return view


def _request_texts():
    view = current_app.view_functions.get(request.endpoint) if request.endpoint else None
    own_body = bool(getattr(view, "reads_own_body", False))
    for source in (request.args,) if own_body else (request.args, request.form):
        for name, values in source.lists():
            yield "parameter", name
            for value in values:
                yield name, value
    if request.is_json and not own_body:
        yield from _json_strings(request.get_json(silent=True), "")


def refuse_control_characters_in_request() -> None:
    for field, value in _request_texts():
        refuse_control_characters(value, field)


def init_text_input_guard(app: Flask) -> None:
    app.before_request(refuse_control_characters_in_request)
