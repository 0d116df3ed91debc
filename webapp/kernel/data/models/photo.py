"""A photo of a sighting. Only derivatives are stored (display size and thumbnail, no metadata): in the
database while the photo is pending (models/pending_photo.py), as files once it is public. No time is kept:
the sighting's day is all anyone may know of when it arrived."""

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.kernel.extensions import db


class Photo(db.Model):
    __tablename__ = "photos"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    sighting_id: Mapped[int] = mapped_column(ForeignKey("sightings.id", ondelete="CASCADE"), index=True)
    # SHA-256 of the stored display derivative; storage keys are derived from content hashes too.
    # Indexed: the photo route looks photos up by it, so public URLs carry no row id.
    content_hash: Mapped[str] = mapped_column(nullable=False, index=True)
    width: Mapped[int] = mapped_column(nullable=False)
    height: Mapped[int] = mapped_column(nullable=False)
    display_key: Mapped[str] = mapped_column(nullable=False)
    thumb_key: Mapped[str] = mapped_column(nullable=False)
    # Public only after a moderator verified the sighting (with any blur baked in).
    public: Mapped[bool] = mapped_column(nullable=False, server_default=text("false"))
    # Boxes proposed by the face/plate detector (NULL until it has run), then the ones a moderator baked
    # in: [[x, y, w, h], ...] in display-image pixels.
    suggested_boxes: Mapped[list | None] = mapped_column(JSONB(none_as_null=True))
    blur_boxes: Mapped[list] = mapped_column(JSONB, nullable=False, server_default=text("'[]'"))

    sighting = relationship("Sighting", back_populates="photos")

    __table_args__ = (
        CheckConstraint("width > 0 AND height > 0", name="photo_size_positive"),
        CheckConstraint("content_hash ~ '^[0-9a-f]{64}$'", name="photo_content_hash_sha256"),
    )
