"""The public flag form's target (rate-limited) and the moderators' flag queue."""

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from webapp.auth.roles import moderator_required
from webapp.errors import error_response
from webapp.extensions import db
from webapp.flags.service import FLAG_REASON_LABELS, close_flag, count_open_flags, flag_camera, open_flags
from webapp.moderate.actions import ModerationError
from webapp.ratelimit import limiter

bp = Blueprint("flags", __name__)


def _flag_limit() -> str:
    return current_app.config["RATELIMIT_FLAG"]


@bp.post("/cameras/<int:camera_id>/flag")
@limiter.limit(
    _flag_limit, scope="flag", error_message=lambda: _("You have sent many flags. Please try later.")
)
def flag(camera_id: int):
    try:
        flag_camera(camera_id, request.form.get("reason", ""), request.form.get("text"))
    except ModerationError as error:
        db.session.rollback()
        return error_response(error.status, str(error))
    flash(_("Thank you: a moderator will look at this camera."))
    return redirect(url_for("cameras.camera_page", camera_id=camera_id), 303)


@bp.get("/moderate/flags")
@moderator_required
def queue():
    return render_template(
        "flags/queue.html", flags=open_flags(), open_count=count_open_flags(), reasons=FLAG_REASON_LABELS
    )


@bp.post("/moderate/flags/<int:flag_id>/<any(resolve, dismiss):decision>")
@moderator_required
def close(flag_id: int, decision: str):
    try:
        close_flag(flag_id, current_user, decision, request.form.get("note"))
    except ModerationError as error:
        db.session.rollback()
        return error_response(error.status, str(error))
    flash(_("Flag resolved.") if decision == "resolve" else _("Flag dismissed."))
    return redirect(url_for("flags.queue"), 303)
