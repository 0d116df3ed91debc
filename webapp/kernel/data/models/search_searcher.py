"""The searching agencies as audit logs name them (`Org Name`): an agency's name is not personal, so the text
is kept as written. Its agency comes from the agencies matcher through `operator_links` (the same key,
`lower(btrim(name))`): one moderator decision covers a text whether cameras or searches carry it.
`named_state` and `named_federal` are what the name itself says (webapp.agencies.matching.names), used
when no agency is linked yet."""

from sqlalchemy import CheckConstraint, Integer
from sqlalchemy.orm import Mapped, mapped_column

from webapp.kernel.extensions import db
from webapp.kernel.vocabulary import Limits


class SearchSearcher(db.Model):
    __tablename__ = "search_searchers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # The operator_links key: lower(btrim(name)).
    name_key: Mapped[str] = mapped_column(nullable=False, unique=True)
    name: Mapped[str] = mapped_column(nullable=False)
    named_state: Mapped[str | None]
    named_federal: Mapped[bool] = mapped_column(nullable=False)

    __table_args__ = (
        CheckConstraint("name_key = lower(btrim(name))", name="search_searcher_key"),
        CheckConstraint(
            f"char_length(name) BETWEEN 0 AND {Limits.OPERATOR_CHARS}", name="search_searcher_name_length"
        ),
        CheckConstraint("named_state ~ '^[A-Z]{2}$'", name="search_searcher_state_code"),
    )
