"""`flask agencies match` as a job: queued after every camera import (webapp.cameras.after_import), so the
cameras of operators seen for the first time are linked to their agencies with nothing run by hand. It
decides every operator text again and writes only the links that change: safe to run twice."""

from webapp.agencies.matching.operator_matching import match_operators
from webapp.jobs import report_progress
from webapp.kernel.data.transactions import commit, rollback


def match_operators_job() -> str:
    try:
        summary = match_operators(progress=lambda message: report_progress(0, None, message))
        commit()
    except BaseException:
        rollback()
        raise
    return "; ".join(summary.lines())
