"""A second factor for accounts: TOTP (RFC 6238, 6 digits, 30-second steps: any authenticator app), enrolled
by showing the secret and its otpauth:// URI as text and verifying one code. Admins can require it for
moderators and admins (REQUIRE_TOTP_FOR_MODERATORS; webapp.kernel.http.access enforces it).

The secret is stored encrypted (AES-GCM, the account's id as associated data) with a key derived from
SECRET_KEY by HKDF, so a database dump alone does not give it away; a new SECRET_KEY makes every stored secret
unreadable, and those accounts enrol again (`flask users reset-two-factor LOGIN`). A code is accepted once
(webapp.accounts.throttle.use_once), within one step either side of the server's clock.
"""

import base64
import hmac
import os
import time
from functools import cache

import pyotp
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app
from flask_babel import gettext as _

from webapp.accounts import throttle
from webapp.kernel.data.models import User
from webapp.kernel.errors import InvalidInput
from webapp.kernel.vocabulary import Role

_VERSION = "v1"
_NONCE_BYTES = 12
DIGITS = 6


class TwoFactorError(InvalidInput):
    """A second-factor change that cannot be made; the message says why."""


@cache
def _key_for(secret_key: str) -> bytes:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"sightline totp secret v1")
    return hkdf.derive(secret_key.encode())


def _cipher() -> AESGCM:
    return AESGCM(_key_for(str(current_app.secret_key)))


def seal(secret: str, user_id: int) -> str:
    nonce = os.urandom(_NONCE_BYTES)
    sealed = _cipher().encrypt(nonce, secret.encode(), f"user:{user_id}".encode())
    return f"{_VERSION}:{base64.urlsafe_b64encode(nonce + sealed).decode()}"


def unseal(stored: str, user_id: int) -> str | None:
    """The secret, or None when it cannot be read (another SECRET_KEY, another account's row)."""
    version, _colon, body = stored.partition(":")
    if version != _VERSION:
        return None
    try:
        raw = base64.urlsafe_b64decode(body.encode())
        return _cipher().decrypt(raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], f"user:{user_id}".encode()).decode()
    except (InvalidTag, ValueError):
        return None


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(secret: str, user: User) -> str:
    """The otpauth:// URI an authenticator app reads (typed in or pasted: no QR code is drawn)."""
    issuer = current_app.config.get("SITE_NAME") or "Sightline"
    return pyotp.TOTP(secret).provisioning_uri(name=user.login, issuer_name=issuer)


def code_matches(secret: str, code: str, user_id: int) -> bool:
    """Whether `code` is the secret's code for this 30-second step or the one either side, and was not used
    before (each code works once)."""
    code = "".join((code or "").split())
    if len(code) != DIGITS or not code.isdigit():
        return False
    totp = pyotp.TOTP(secret)
    step = totp.timecode(time.time())
    for candidate in (step - 1, step, step + 1):
        if hmac.compare_digest(totp.generate_otp(candidate), code):
            return throttle.use_once(f"totp:{user_id}:{candidate}", seconds=120)
    return False


def account_code_matches(user: User, code: str) -> bool:
    secret = unseal(user.totp_secret, user.id) if user.totp_secret else None
    return secret is not None and code_matches(secret, code, user.id)


def required_for(user: User) -> bool:
    """Whether the site requires this account to have a second factor."""
    return bool(current_app.config.get("REQUIRE_TOTP_FOR_MODERATORS")) and user.has_role(Role.MODERATOR)


def enable(user: User, secret: str, code: str) -> None:
    """Store `secret` (encrypted) as the account's second factor once `code` proves the app has it.
    Flushes; the route commits."""
    if not secret:  # the session that held the secret is gone (logged in again elsewhere, expired)
        raise TwoFactorError(_("Open the two-step login page again: it shows a new secret."))
    if not code_matches(secret, code, user.id):
        raise TwoFactorError(
            _("That code is not right. Check your app's clock, and type the code it shows now.")
        )
    user.totp_secret = seal(secret, user.id)


def disable(user: User, code: str) -> None:
    """Remove the account's second factor, given a current code. Flushes; the route commits."""
    if required_for(user):
        raise TwoFactorError(_("This site requires a second factor for moderators: it cannot be turned off."))
    if not account_code_matches(user, code):
        raise TwoFactorError(
            _("That code is not right. Check your app's clock, and type the code it shows now.")
        )
    user.totp_secret = None
