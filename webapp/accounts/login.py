"""Checking a login attempt: throttled, with the same work done whether or not the account exists."""

from flask_babel import gettext as _

from webapp.accounts import throttle
from webapp.accounts.service import check_password, check_password_of_nobody, find_user
from webapp.kernel.models import User


class LoginFailed(Exception):
    """Wrong login or password (deliberately not saying which)."""


class LoginThrottled(Exception):
    def __init__(self, retry_after: int):
        minutes = max(1, -(-retry_after // 60))
        super().__init__(_("Too many failed logins. Try again in %(minutes)s minutes.", minutes=minutes))
        self.retry_after = retry_after


def authenticate(login: str, password: str) -> User:
    """The account for these credentials, or LoginFailed / LoginThrottled."""
    login = (login or "").strip()
    password = password or ""
    wait = throttle.seconds_until_allowed(login)
    if wait:
        raise LoginThrottled(wait)
    user = find_user(login) if login else None
    if user is None:
        check_password_of_nobody(password)
    if user is None or not check_password(user, password) or not user.is_active:
        throttle.record_failure(login)
        raise LoginFailed(_("Wrong login or password."))
    return user
