"""The reasons searches gave, once per distinct text (`search_reasons`), what each version of the published
rule set says of each (`search_reason_classes`), and the versions applied (`search_rule_versions`).
webapp.searches.classification holds the rules; docs/searches-method.md publishes them."""

from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Index, Integer, LargeBinary, SmallInteger, func
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from webapp.kernel.extensions import db
from webapp.kernel.vocabulary import Limits


class SearchReason(db.Model):
    """A `Reason` text as stored: already masked (plates, dates of birth, case and report numbers, SSNs,
    phone numbers and e-mail addresses replaced by webapp.searches.redaction before it left the importer's
    memory), cut at SEARCH_REASON_CHARS. `digest` (BLAKE2b, 16 bytes, of the masked text) makes it unique."""

    __tablename__ = "search_reasons"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    digest: Mapped[bytes] = mapped_column(LargeBinary, nullable=False, unique=True)
    reason: Mapped[str] = mapped_column(nullable=False)

    __table_args__ = (
        CheckConstraint(f"char_length(reason) <= {Limits.SEARCH_REASON_CHARS}", name="search_reason_length"),
        CheckConstraint("octet_length(digest) = 16", name="search_reason_digest_length"),
    )


class SearchRuleVersion(db.Model):
    """A version of the rule set that has classified the reasons; the highest is in force."""

    __tablename__ = "search_rule_versions"

    version: Mapped[int] = mapped_column(SmallInteger, primary_key=True, autoincrement=False)
    applied_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, server_default=func.now()
    )


class SearchReasonClass(db.Model):
    """What one rule version says of one reason: its one category (an immigration category, first match
    wins; else no_reason, case_number_only, vague or other) and the tags that stack (protest, custody, ...).
    `immigration` says whether the category counts as immigration-related (HSI is ambiguous: not counted)."""

    __tablename__ = "search_reason_classes"

    rule_version: Mapped[int] = mapped_column(
        ForeignKey("search_rule_versions.version", ondelete="CASCADE"), primary_key=True
    )
    reason_id: Mapped[int] = mapped_column(
        ForeignKey("search_reasons.id", ondelete="CASCADE"), primary_key=True
    )
    category: Mapped[str] = mapped_column(nullable=False)
    immigration: Mapped[bool] = mapped_column(nullable=False)
    tags: Mapped[list[str]] = mapped_column(ARRAY(db.Text), nullable=False, server_default="{}")

    __table_args__ = (
        Index("ix_search_reason_classes_category", "rule_version", "category"),
        CheckConstraint("category ~ '^[a-z_]{1,40}$'", name="search_reason_class_category"),
    )
