"""What follows a committed camera import: the agency matcher, queued as a job (the export files follow by
themselves, webapp.opendata.export_jobs)."""

from webapp.jobs import configured, enqueue

MATCH_JOB = "webapp.agencies.matching.matching_job.match_operators_job"


def queue_agency_matching() -> str | None:
    """Queue the agency matcher (once, however many imports ask); its job id, or None without a job queue
    (then `flask agencies match` does the same by hand)."""
    if not configured():
        return None
    return enqueue(
        MATCH_JOB,
        description="Link the cameras' operators to agencies (after an import)",
        unique_key="agencies-match",
    )
