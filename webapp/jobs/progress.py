"""A running job says how far it is; /moderate/jobs shows it."""

from rq import get_current_job


def report_progress(done: int, total: int | None, message: str) -> None:
    """Record `done` of `total` (None: unknown) and a short message on the running job; does nothing
    outside a job (the same function then serves a CLI command too)."""
    job = get_current_job()
    if job is None:
        return
    job.meta["progress"] = {"done": done, "total": total, "message": message}
    job.save_meta()
