"""The privacy statement: what Sightline stores, for how long, what it never stores, who sees what.

Each mechanical claim on the page is checked by a test (tests/test_privacy_claims.py).
"""

from flask import Blueprint, render_template

from webapp.kernel.vocabulary import Limits

bp = Blueprint("privacy", __name__)


@bp.get("/privacy")
def statement():
    return render_template("privacy/statement.html", rejected_retention_days=Limits.REJECTED_RETENTION_DAYS)
