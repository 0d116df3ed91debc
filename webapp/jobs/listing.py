"""What moderators see of the queue: the recent jobs, newest first, with their state, progress, result or
failure message. Never a job's arguments: only its description (written by the code that queued it), its
function's name, and the short text a job returns."""

import contextlib
from dataclasses import asdict, dataclass
from datetime import datetime

from flask_babel import gettext as _
from redis.exceptions import RedisError
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus
from rq.registry import (
    DeferredJobRegistry,
    FailedJobRegistry,
    FinishedJobRegistry,
    ScheduledJobRegistry,
    StartedJobRegistry,
)

from webapp.jobs.queue import configured, connection, job_queue
from webapp.kernel.errors import Unavailable

# Per registry, the newest this many (the page shows at most LIST_LIMIT in all).
LIST_LIMIT = 100
MESSAGE_CHARS = 300


@dataclass(frozen=True)
class JobView:
    id: str
    description: str
    function: str
    status: str
    progress: dict | None
    retries_left: int | None
    enqueued_at: datetime | None
    started_at: datetime | None
    ended_at: datetime | None
    retry_at: datetime | None
    result: str | None
    message: str | None

    def as_json(self) -> dict:
        return {
            key: value.isoformat() if isinstance(value, datetime) else value
            for key, value in asdict(self).items()
        }


def _failure_message(job: Job) -> str | None:
    """The last line of the job's latest failure (the exception and its message), or None."""
    result = job.latest_result()
    if result is None or not result.exc_string:
        return None
    lines = [line for line in result.exc_string.strip().splitlines() if line.strip()]
    return lines[-1][:MESSAGE_CHARS] if lines else None


def _result_text(job: Job) -> str | None:
    value = job.return_value()
    return value[:MESSAGE_CHARS] if isinstance(value, str) else None


def _view(job: Job, status: JobStatus, retry_at: datetime | None) -> JobView:
    return JobView(
        id=job.id,
        description=job.description or "",
        function=job.func_name,
        status=status.value,
        progress=job.meta.get("progress"),
        retries_left=job.retries_left,
        enqueued_at=job.enqueued_at,
        started_at=job.started_at,
        ended_at=job.ended_at,
        retry_at=retry_at,
        result=_result_text(job) if status == JobStatus.FINISHED else None,
        message=_failure_message(job) if status in (JobStatus.FAILED, JobStatus.SCHEDULED) else None,
    )


def recent_jobs(limit: int = LIST_LIMIT) -> list[JobView]:
    """The jobs queued, running, waiting for a retry, done or failed, newest first."""
    redis = connection()
    queue = job_queue(redis)
    scheduled = ScheduledJobRegistry(queue=queue)
    ids = list(queue.get_job_ids(0, limit))
    for registry in (
        StartedJobRegistry(queue=queue),
        scheduled,
        DeferredJobRegistry(queue=queue),
        FinishedJobRegistry(queue=queue),
        FailedJobRegistry(queue=queue),
    ):
        ids.extend(registry.get_job_ids(0, limit - 1, desc=True))
    views = []
    for job in Job.fetch_many(list(dict.fromkeys(ids)), connection=redis):
        if job is None:  # expired between the two reads
            continue
        status = job.get_status(refresh=False)
        retry_at = None
        if status == JobStatus.SCHEDULED:
            with contextlib.suppress(NoSuchJobError):  # moved back to the queue meanwhile
                retry_at = scheduled.get_scheduled_time(job)
        views.append(_view(job, status, retry_at))
    views.sort(key=lambda view: view.enqueued_at.timestamp() if view.enqueued_at else 0, reverse=True)
    return views[:limit]


def listed_jobs() -> list[JobView]:
    """The recent jobs, or Unavailable when there is no queue or it does not answer."""
    if not configured():
        raise Unavailable(_("No job queue is configured (JOBS_REDIS_URL)."), code="no_job_queue")
    try:
        return recent_jobs()
    except RedisError as error:
        raise Unavailable(_("The job queue does not answer."), code="job_queue_down") from error
