"""The bytes of a photo that is not public yet: kept inside PostgreSQL, never as files, so that nothing on
disk carries the time it was uploaded (a file's modification and change times would). Written files appear
only when a moderator publishes the photo (webapp/moderation/photo_release.py), with the time of that
decision; the row goes in the same transaction. A rejected or dropped photo's row goes with it (cascade),
so an unverified report leaves no orphan file at all."""

from sqlalchemy import BigInteger, ForeignKey, LargeBinary
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.kernel.extensions import db


class PendingPhoto(db.Model):
    __tablename__ = "pending_photos"

    photo_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("photos.id", ondelete="CASCADE"), primary_key=True
    )
    # The display JPEG and the thumbnail, exactly the bytes that become the files (content-hash names).
    # Read one column of one row at a time (webapp/photos/pending.py): a row holds up to a few megabytes.
    display: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)
    thumb: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)

    photo = relationship("Photo")
