"""An account: reporters (optional for reporting), moderators and admins."""

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import BigInteger, CheckConstraint, DateTime, Index, func, text
from sqlalchemy.orm import Mapped, mapped_column

from webapp.extensions import db
from webapp.models.vocabulary import ROLES, sql_in


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    login: Mapped[str] = mapped_column(nullable=False)
    password_hash: Mapped[str] = mapped_column(nullable=False)
    role: Mapped[str] = mapped_column(nullable=False, server_default="reporter")
    active: Mapped[bool] = mapped_column(nullable=False, server_default=text("true"))
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, server_default=func.now()
    )

    __table_args__ = (
        CheckConstraint(sql_in("role", ROLES), name="user_role_known"),
        CheckConstraint("login ~ '^[A-Za-z0-9_.-]{3,64}$'", name="user_login_shape"),
        Index("ux_users_login_lower", func.lower(text("login")), unique=True),
    )

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_moderator(self) -> bool:
        return self.role in ("moderator", "admin")

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"
