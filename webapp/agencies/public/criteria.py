"""What a reader asks the public agency queries for, as plain values: the direction of an agency's
relations and the criteria of an agency search. The queries take these; webapp.agencies.public.filters makes
them from a request's arguments."""

from dataclasses import dataclass


class Direction:
    """Which relations of an agency: those where it shares its data, or those where it receives."""

    SHARES_WITH = "shares_with"
    RECEIVES_FROM = "receives_from"
    BOTH = "both"


@dataclass(frozen=True)
class AgencyFilters:
    query: str | None = None
    state: str | None = None
    kind: str | None = None

    def as_args(self) -> dict:
        """The filters as query-string arguments (for links that keep them)."""
        return {
            name: value
            for name, value in (("q", self.query), ("state", self.state), ("kind", self.kind))
            if value
        }
