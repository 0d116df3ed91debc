"""Putting a job on the queue: by dotted path, bounded retries with backoff, and at most one job per
`unique_key` queued, waiting for a retry or running."""

import uuid

from flask import current_app
from redis import Redis
from rq import Queue, Retry
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus

QUEUE_NAME = "sightline"
UNIQUE_PREFIX = "sightline:jobs:unique:"
# A job that is still to run or running: another with its unique_key would be the same work twice.
ALIVE = {JobStatus.QUEUED, JobStatus.STARTED, JobStatus.DEFERRED, JobStatus.SCHEDULED}
# Seconds before each retry of a failed job (its count is JOB_RETRIES, at most this many waits).
RETRY_BACKOFF = (10, 60, 300, 900)


class JobsUnavailable(RuntimeError):
    """No job queue is configured (JOBS_REDIS_URL is empty)."""


def configured() -> bool:
    return bool(current_app.config.get("JOBS_REDIS_URL"))


def connection() -> Redis:
    """The Redis client of JOBS_REDIS_URL, one per URL and app."""
    url = current_app.config.get("JOBS_REDIS_URL")
    if not url:
        raise JobsUnavailable("no job queue: set JOBS_REDIS_URL (make run does)")
    clients = current_app.extensions.setdefault("sightline_jobs_redis", {})
    if url not in clients:
        clients[url] = Redis.from_url(url)
    return clients[url]


def job_queue(redis: Redis | None = None) -> Queue:
    return Queue(QUEUE_NAME, connection=redis or connection())


def _alive(redis: Redis, job_id: bytes | None) -> bool:
    if job_id is None:
        return False
    try:
        return Job.fetch(job_id.decode(), connection=redis).get_status() in ALIVE
    except NoSuchJobError:
        return False


def enqueue(
    func_path: str,
    *args,
    description: str,
    unique_key: str | None = None,
    result_ttl: int | None = None,
    **kwargs,
) -> str:
    """Queue `func_path(*args, **kwargs)` and return the job's id. With `unique_key`, while a job with that
    key is queued, waiting for a retry or running, no second one is queued: its id is returned instead.
    `description` is what moderators see; `result_ttl` (seconds) overrides how long a finished job is kept
    (0: not kept). Arguments are stored in Redis and must hold no personal data."""
    if "." not in func_path:
        raise ValueError(f"{func_path!r}: name a function by its dotted path (package.module.function)")
    redis = connection()
    config = current_app.config
    retries = config["JOB_RETRIES"]
    options = {
        "job_id": uuid.uuid4().hex,
        "description": description,
        "timeout": config["JOB_TIMEOUT"],
        "result_ttl": config["JOB_KEEP_SECONDS"] if result_ttl is None else result_ttl,
        "failure_ttl": config["JOB_KEEP_FAILED_SECONDS"],
        "retry": Retry(max=retries, interval=list(RETRY_BACKOFF[:retries])) if retries else None,
        "meta": {"unique_key": unique_key} if unique_key else {},
    }
    if unique_key is None:
        return job_queue(redis).enqueue_call(func_path, args=args, kwargs=kwargs, **options).id
    key = UNIQUE_PREFIX + unique_key
    # The check and the enqueue under one short lock: two callers at once queue one job.
    with redis.lock(key + ":lock", timeout=10, blocking_timeout=10):
        existing = redis.get(key)
        if _alive(redis, existing):
            return existing.decode()
        job = job_queue(redis).enqueue_call(func_path, args=args, kwargs=kwargs, **options)
        redis.set(key, job.id, ex=config["JOB_TIMEOUT"] + config["JOB_KEEP_FAILED_SECONDS"])
        return job.id
