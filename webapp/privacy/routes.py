"""The privacy statement: what Sightline stores, for how long, what it never stores, who sees what.

Each mechanical claim on the page is checked by a test (tests/app/test_privacy_claims.py).
"""

from flask import render_template

from webapp.kernel.vocabulary import Limits
from webapp.privacy.blueprint import bp


@bp.get("/privacy")
def statement():
    return render_template("privacy/statement.html", rejected_retention_days=Limits.REJECTED_RETENTION_DAYS)
