"""The background job behind a moderator's upload: the core import (webapp.searches.importer) of the one
uploaded file, with its progress reported to the job (the upload's page shows it). The file is deleted when
the job ends, whatever happened: it holds what the import never keeps. A file the import refuses (a domain
error: not an audit log, no Reason column, ...) is the job's answer, not a failure to retry."""

import re
from datetime import date
from pathlib import Path

from flask_babel import gettext as _
from rq.exceptions import NoSuchJobError
from rq.job import Job

from webapp.jobs import JobsUnavailable, enqueue, report_progress
from webapp.jobs.queue import connection
from webapp.kernel.data.transactions import commit, rollback
from webapp.kernel.errors import DomainError, NotFound, Unavailable
from webapp.kernel.vocabulary import SearchLogKind
from webapp.searches.importer import LogSource, find_owner, import_log_file
from webapp.searches.log_upload import remove_upload

JOB_PATH = "webapp.searches.upload_jobs.import_uploaded_log"


def import_uploaded_log(path: str, provenance: dict) -> dict:
    """Returns what the upload's page shows: the import's summary lines, or the reason it was refused."""
    upload = Path(path)
    try:
        if not upload.is_file():
            return {
                "refused": _(
                    "The uploaded file is no longer there (an earlier attempt removed it): upload it again."
                )
            }
        report_progress(0, None, f"{provenance['file_name']}: reading")
        try:
            summary = import_log_file(
                upload,
                owner=find_owner(provenance["agency"]),
                kind=SearchLogKind(provenance["kind"]),
                source=LogSource(
                    title=provenance["title"],
                    url=provenance["url"],
                    received_on=date.fromisoformat(provenance["received"]),
                ),
                progress=lambda message: report_progress(0, None, message),
            )
            commit()
        except DomainError as error:
            rollback()
            return {"refused": error.message}
        report_progress(1, 1, "done")
        return {"lines": summary.lines(), "file_id": summary.file_id, "stored": summary.stored}
    finally:
        remove_upload(upload)


JOB_ID = re.compile(r"^[0-9a-f]{32}$")


def queue_upload(path: Path, provenance: dict) -> str:
    """The job's id; when no job queue is configured, the file is removed and Unavailable (503) says so."""
    try:
        return enqueue(
            JOB_PATH,
            str(path),
            provenance,
            description=f"Import the search log file {provenance['file_name']} ({provenance['kind']})",
            unique_key=f"search-log-upload:{path.parent.name}",
        )
    except JobsUnavailable:
        remove_upload(path)
        raise Unavailable(_("No job queue is running, so the import cannot start: ask an admin.")) from None


def upload_status(job_id: str) -> dict:
    """What the upload's page shows of its job: queued, started, finished or failed; its last progress; its
    answer (the import's summary, or why the file was refused)."""
    if not JOB_ID.match(job_id):
        raise NotFound(_("No such upload."))
    try:
        job = Job.fetch(job_id, connection=connection())
    except JobsUnavailable:
        raise Unavailable(_("No job queue is running, so the import cannot start: ask an admin.")) from None
    except NoSuchJobError:
        raise NotFound(_("No such upload (finished uploads are forgotten after a day).")) from None
    if job.func_name != JOB_PATH:
        raise NotFound(_("No such upload."))
    status = job.get_status().value
    return {
        "id": job_id,
        "status": status,
        "description": job.description,
        "progress": job.meta.get("progress"),
        "result": job.return_value() if status == "finished" else None,
        "done": status in ("finished", "failed", "stopped", "canceled"),
    }
