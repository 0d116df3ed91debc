"""The moderators' view of the job queue: /moderate/jobs (its JSON is in webapp.jobs.api)."""

from flask import render_template

from webapp.jobs.blueprint import bp
from webapp.jobs.listing import listed_jobs
from webapp.jobs.queue import configured
from webapp.kernel.http.access import moderator_required


@bp.get("/moderate/jobs")
@moderator_required
def page():
    # Without a queue (JOBS_REDIS_URL empty) the page says so rather than failing: nothing runs as a job then.
    jobs = listed_jobs() if configured() else []
    return render_template("jobs/list.html", configured=configured(), jobs=jobs)
