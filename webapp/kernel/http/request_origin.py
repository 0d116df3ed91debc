"""Which site a state-changing request comes from: every POST (PUT, PATCH, DELETE) that a browser sends from
another site is refused with a 403, form or API, logged in or not.

Browsers say where a request comes from in `Sec-Fetch-Site` (modern browsers, on HTTPS and localhost) and
`Origin`. Neither is sent by non-browser clients (apps, scripts, curl), which therefore keep working; a
browser cannot be made to leave them out or forge them. Our pages send `Referrer-Policy: no-referrer`, under
which browsers send `Origin: null` even for our own forms: a null Origin therefore counts as "unknown", which
the CSRF token settles for forms; the views with no token (the submission API) refuse it
(`this_site_only`). This replaces Flask-WTF's HTTPS Referer check, which refuses every form under that policy.
"""

from functools import wraps

from flask import Flask, request
from flask_babel import gettext as _
from werkzeug.exceptions import Forbidden

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
# "none": the user started the request themself (typed or bookmarked), not a page.
SAME_SITE_FETCHES = frozenset({"same-origin", "none"})


def own_origin() -> str:
    """scheme://host[:port] as the browser sees this site (behind the trusted proxies: the proxy's scheme)."""
    return f"{request.scheme}://{request.host}".lower()


def from_another_site(null_origin_is_foreign: bool = False) -> bool:
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        return fetch_site.strip().lower() not in SAME_SITE_FETCHES
    origin = request.headers.get("Origin")
    if origin is None:
        return False
    if origin.strip() == "null":
        return null_origin_is_foreign
    return origin.strip().rstrip("/").lower() != own_origin()


def _refuse() -> None:
    raise Forbidden(
        _("This request was sent from another website, so it was refused. Use the form on this site.")
    )


def refuse_other_sites() -> None:
    if request.method not in SAFE_METHODS and from_another_site():
        _refuse()


def this_site_only(view):
    """For a view that takes POSTs without a CSRF token: a browser's request must come from this site's own
    pages, a null Origin included (a page of another site can make its Origin null)."""

    @wraps(view)
    def guarded(*args, **kwargs):
        if request.method not in SAFE_METHODS and from_another_site(null_origin_is_foreign=True):
            _refuse()
        return view(*args, **kwargs)

    return guarded


def init_origin_checks(app: Flask) -> None:
    app.before_request(refuse_other_sites)
