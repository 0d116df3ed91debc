"""The moderators' view of the job queue as JSON: /api/v1/moderation/jobs."""

from flask import jsonify

from webapp.jobs.blueprint import bp
from webapp.jobs.listing import listed_jobs
from webapp.kernel.http.access import moderator_required


@bp.get("/api/v1/moderation/jobs")
@moderator_required
def as_json():
    return jsonify(jobs=[job.as_json() for job in listed_jobs()])
