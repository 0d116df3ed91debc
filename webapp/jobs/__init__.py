"""The job runner: work that must not run inside a request or be forgotten (export files after a change, the
OpenStreetMap refresh, the agency matcher after an import), on RQ and the Redis of JOBS_REDIS_URL.

What other packages call:

    from webapp import jobs
    jobs.enqueue("webapp.opendata.export_jobs.write_export_files", description="Write the export files",
                 unique_key="exports")            # -> the job's id
    jobs.report_progress(done, total, "message")  # inside a job: shown on /moderate/jobs
    with jobs.exclusive("exports"): ...           # one holder at a time across every worker

A job is a module-level function named by its dotted path (a package enqueues another's job without
importing it). It runs in the app context of a worker that built the app once, owns its transaction as a CLI
command does (kernel.data.transactions.commit()), and must be idempotent: a job that fails or whose process
dies is retried (JOB_RETRIES times, with backoff), then shown as failed with its message. Its arguments and
its result are shown to moderators and kept in Redis: never personal data.
"""

from webapp.jobs.locks import exclusive
from webapp.jobs.progress import report_progress
from webapp.jobs.queue import JobsUnavailable, configured, enqueue

__all__ = ["JobsUnavailable", "configured", "enqueue", "exclusive", "report_progress"]
