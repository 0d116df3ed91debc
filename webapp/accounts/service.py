"""Accounts: creation, password hashing (argon2id) and role changes. Functions flush; the caller commits."""

import contextlib
import re
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select

from webapp.kernel.data.audit import record_event
from webapp.kernel.data.models import User
from webapp.kernel.errors import InvalidInput
from webapp.kernel.extensions import db
from webapp.kernel.vocabulary import ROLES, AuditAction, Limits, Role

_hasher = PasswordHasher()
MIN_PASSWORD_LENGTH = 10
# The shape the database's CHECK constraint (user_login_shape) holds every login to.
LOGIN_SHAPE = re.compile(rf"[A-Za-z0-9_.-]{{3,{Limits.LOGIN_CHARS}}}", re.ASCII)


class AccountError(InvalidInput):
    """A request about accounts that cannot be carried out; the message says why."""


def find_user(login: str) -> User | None:
    if not LOGIN_SHAPE.fullmatch(login):
        return None  # no account has such a login (and NUL would not even reach PostgreSQL)
    return db.session.scalar(select(User).where(func.lower(User.login) == login.lower()))


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise AccountError(f"unknown role {role!r}; choose one of {', '.join(ROLES)}")


def create_user(login: str, password: str, role: str = Role.REPORTER) -> User:
    _check_role(role)
    if not LOGIN_SHAPE.fullmatch(login):
        raise AccountError(
            f"a login is 3 to {Limits.LOGIN_CHARS} letters, digits, dots, underscores or hyphens"
        )
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"the password must have at least {MIN_PASSWORD_LENGTH} characters")
    if find_user(login) is not None:
        raise AccountError(f"a user called {login!r} already exists")
    user = User(login=login, password_hash=_hasher.hash(password), role=role)
    db.session.add(user)
    db.session.flush()
    return user


def check_password(user: User, password: str) -> bool:
    try:
        _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    return True


@cache
def _hash_nobody_has() -> str:
    return _hasher.hash("a password of an account that does not exist")


def check_password_of_nobody(password: str) -> None:
    """Spend the time a real check takes, so that response times do not tell which logins exist."""
    with contextlib.suppress(VerificationError, InvalidHashError):
        _hasher.verify(_hash_nobody_has(), password)


def set_role(user: User, role: str, actor: User | None = None) -> None:
    """Change a role and log it as a moderation event (actor None: the command line)."""
    _check_role(role)
    if actor is not None and actor.id == user.id:
        raise AccountError("you cannot change your own role; ask another admin")
    if user.role == role:
        return
    record_event(actor, AuditAction.SET_ROLE, "user", user.id, from_status=user.role, to_status=role)
    user.role = role


def list_users() -> list[User]:
    return list(db.session.scalars(select(User).order_by(func.lower(User.login))))
