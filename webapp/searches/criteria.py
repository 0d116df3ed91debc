"""What a searches answer is asked for, as plain values the queries take: a period, a category (or every
immigration category), a searching agency, and for the rows behind a figure the state relation and the search
type. webapp.searches.filters makes them from a request's arguments."""

from dataclasses import dataclass, replace
from datetime import date

from webapp.searches.classification import IMMIGRATION_CATEGORIES, is_immigration

IMMIGRATION = "immigration"


@dataclass(frozen=True)
class SearchFilters:
    month_from: date | None = None
    month_to: date | None = None
    category: str | None = None
    searcher: int | None = None
    # Only the rows behind a figure narrow by these (the answers list them instead).
    relation: str | None = None
    search_type: str | None = None

    def as_args(self) -> dict:
        """The filters as query-string arguments (for links that keep them)."""
        args = {
            "from": self.month_from.strftime("%Y-%m") if self.month_from else None,
            "to": self.month_to.strftime("%Y-%m") if self.month_to else None,
            "category": self.category,
            "searcher": self.searcher,
            "relation": self.relation,
            "search_type": self.search_type,
        }
        return {name: value for name, value in args.items() if value is not None}

    def narrowed(self, **changes) -> "SearchFilters":
        """These filters and one more (the rows behind one figure of a list)."""
        return replace(self, **changes)

    def month_only(self, month: date) -> "SearchFilters":
        return replace(self, month_from=month, month_to=month)


def categories_for(category: str) -> list[str]:
    """The rule set's categories a `category` filter stands for (`immigration`: every counted one)."""
    if category == IMMIGRATION:
        return [name for name in IMMIGRATION_CATEGORIES if is_immigration(name)]
    return [category]
