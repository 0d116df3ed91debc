"""An account: reporters (optional for reporting), moderators and admins."""

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import BigInteger, CheckConstraint, DateTime, Index, Text, func, text
from sqlalchemy.orm import Mapped, mapped_column

from webapp.kernel.extensions import db
from webapp.kernel.vocabulary import ROLES, Limits, Role, role_rank, sql_in


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    login: Mapped[str] = mapped_column(nullable=False)
    password_hash: Mapped[str] = mapped_column(nullable=False)
    role: Mapped[str] = mapped_column(nullable=False, server_default=Role.REPORTER.value)
    active: Mapped[bool] = mapped_column(nullable=False, server_default=text("true"))
    # Carried by every session of the account (get_id); raising it ends them all, wherever a copy of the
    # signed cookie is (webapp.kernel.http.sessions).
    session_version: Mapped[int] = mapped_column(nullable=False, server_default=text("1"))
    # The second factor's secret, encrypted (webapp.accounts.two_factor); None: the account has none.
    totp_secret: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, server_default=func.now()
    )

    __table_args__ = (
        CheckConstraint(sql_in("role", ROLES), name="user_role_known"),
        CheckConstraint("session_version >= 1", name="user_session_version_positive"),
        CheckConstraint("length(totp_secret) <= 200", name="user_totp_secret_length"),
        CheckConstraint(f"login ~ '^[A-Za-z0-9_.-]{{3,{Limits.LOGIN_CHARS}}}$'", name="user_login_shape"),
        Index("ux_users_login_lower", func.lower(text("login")), unique=True),
    )

    def get_id(self) -> str:
        """What the session stores: the account and the session version it was opened under."""
        return f"{self.id}.{self.session_version}"

    @property
    def is_active(self) -> bool:
        return self.active

    def has_role(self, role: Role) -> bool:
        """Whether this account may do what `role` may (roles are ordered: reporter < moderator < admin)."""
        return role_rank(self.role) >= role.rank

    @property
    def has_two_factor(self) -> bool:
        return self.totp_secret is not None

    @property
    def is_moderator(self) -> bool:
        return self.has_role(Role.MODERATOR)

    @property
    def is_admin(self) -> bool:
        return self.has_role(Role.ADMIN)
