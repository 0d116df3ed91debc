"""The public flag form's target (rate-limited) and the moderators' flag queue."""

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from webapp.flags.blueprint import bp
from webapp.flags.service import (
    close_flag,
    count_open_flags,
    count_open_personal_information_flags,
    flag_camera,
    open_flags,
)
from webapp.kernel.data.transactions import commit
from webapp.kernel.http.access import has_role, moderator_required
from webapp.kernel.http.quiet_routes import quiet
from webapp.kernel.http.ratelimit import client_key, limiter
from webapp.kernel.vocabulary import FLAG_REASON_LABELS, Role


@bp.app_context_processor
def _moderator_alert():
    """The menu tells moderators, on every page, how many "personal information" flags wait for them."""

    def personal_information_flags() -> int:
        return count_open_personal_information_flags() if has_role(current_user, Role.MODERATOR) else 0

    return {"personal_information_flags": personal_information_flags}


def _flag_limit() -> str:
    return current_app.config["RATELIMIT_FLAG"]


@bp.post("/cameras/<id:camera_id>/flag")
@quiet  # a flag's log line would carry its exact time
@limiter.limit(
    _flag_limit, scope="flag", error_message=lambda: _("You have sent many flags. Please try later.")
)
def flag(camera_id: int):
    flag_camera(camera_id, request.form.get("reason", ""), request.form.get("text"), client=client_key())
    commit()
    flash(_("Thank you: a moderator will look at this camera."))
    return redirect(url_for("cameras.camera_page", camera_id=camera_id), 303)


@bp.get("/moderate/flags")
@moderator_required
def queue():
    return render_template(
        "flags/queue.html", flags=open_flags(), open_count=count_open_flags(), reasons=FLAG_REASON_LABELS
    )


@bp.post("/moderate/flags/<id:flag_id>/<any(resolve, dismiss):decision>")
@moderator_required
def close(flag_id: int, decision: str):
    close_flag(flag_id, current_user, decision, request.form.get("note"))
    commit()
    flash(_("Flag resolved.") if decision == "resolve" else _("Flag dismissed."))
    return redirect(url_for("flags.queue"), 303)
