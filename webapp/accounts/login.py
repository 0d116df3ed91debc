"""Checking a login attempt: throttled, with the same work done whether or not the account exists, and the
second factor checked for accounts that have one."""

from flask_babel import gettext as _

from webapp.accounts import throttle, two_factor
from webapp.accounts.known_devices import is_known_device
from webapp.accounts.service import check_password, check_password_of_nobody, find_user
from webapp.kernel.data.models import User


class LoginFailed(Exception):
    """Wrong login, password or code (deliberately not saying which)."""


class LoginThrottled(Exception):
    def __init__(self, retry_after: int):
        minutes = max(1, -(-retry_after // 60))
        super().__init__(_("Too many failed logins. Try again in %(minutes)s minutes.", minutes=minutes))
        self.retry_after = retry_after


def authenticate(login: str, password: str, code: str = "") -> User:
    """The account for these credentials, or LoginFailed / LoginThrottled. An account locked by failures
    (from any number of clients) still lets its owner's known device in (webapp.accounts.throttle)."""
    login = (login or "").strip()
    password = password or ""
    user = find_user(login) if login else None
    wait = throttle.seconds_until_allowed(login, known_device=is_known_device(user))
    if wait:
        raise LoginThrottled(wait)
    if user is None:
        check_password_of_nobody(password)
    accepted = user is not None and check_password(user, password) and user.is_active
    if accepted and user.has_two_factor:
        accepted = two_factor.account_code_matches(user, code)
    if not accepted:
        throttle.record_failure(login)
        raise LoginFailed(_("Wrong login, password or code."))
    return user
