"""The moderators' view of the job queue: /moderate/jobs (a page) and /api/v1/moderation/jobs (JSON)."""

from flask import Blueprint, jsonify, render_template
from flask_babel import gettext as _
from redis.exceptions import RedisError

from webapp.jobs.listing import JobView, recent_jobs
from webapp.jobs.queue import configured
from webapp.kernel.access import moderator_required
from webapp.kernel.errors import Unavailable

bp = Blueprint("jobs", __name__)


def _jobs() -> list[JobView]:
    if not configured():
        raise Unavailable(_("No job queue is configured (JOBS_REDIS_URL)."), code="no_job_queue")
    try:
        return recent_jobs()
    except RedisError as error:
        raise Unavailable(_("The job queue does not answer."), code="job_queue_down") from error


@bp.get("/moderate/jobs")
@moderator_required
def page():
    # Without a queue (JOBS_REDIS_URL empty) the page says so rather than failing: nothing runs as a job then.
    return render_template("jobs/list.html", configured=configured(), jobs=_jobs() if configured() else [])


@bp.get("/api/v1/moderation/jobs")
@moderator_required
def as_json():
    return jsonify(jobs=[job.as_json() for job in _jobs()])
