"""What the public agency pages and API accept in their addresses, checked once: a search text, a state
(USPS code), a kind, a page number, a direction. Each refusal is a 400 that says what is allowed."""

from collections.abc import Mapping
from dataclasses import dataclass

from flask_babel import gettext as _

from webapp.agencies.us_states import STATES
from webapp.kernel.errors import InvalidField
from webapp.kernel.query_args import whole_number
from webapp.kernel.vocabulary import AgencyKind

# Cameras carry their state's FIPS code (state_geoid), agencies its USPS code (the normaliser's table).
FIPS_BY_USPS = {code: fips for code, fips, _name in STATES}
USPS_BY_FIPS = {fips: code for code, fips, _name in STATES}
NAME_BY_USPS = {code: name.title().replace(" Of ", " of ") for code, _fips, name in STATES}
QUERY_MAX_CHARS = 100
# Deep pages cost an OFFSET each; nobody reads past this many pages of one list (the exports hold it all).
MAX_PAGE = 1000


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


def parse_query(raw: str | None) -> str | None:
    text = (raw or "").strip()
    if not text:
        return None
    if len(text) > QUERY_MAX_CHARS:
        raise InvalidField("q", _("Search for at most %(n)d characters.", n=QUERY_MAX_CHARS))
    return text


def parse_state_code(raw: str | None, field: str = "state") -> str | None:
    code = (raw or "").strip().upper()
    if not code:
        return None
    if code not in NAME_BY_USPS:
        raise InvalidField(
            field, _("%(field)s must be a state's two-letter USPS code, for example NC.", field=field)
        )
    return code


def parse_kind(raw: str | None) -> str | None:
    kind = (raw or "").strip().lower()
    if not kind:
        return None
    if kind not in {value.value for value in AgencyKind}:
        allowed = ", ".join(value.value for value in AgencyKind)
        raise InvalidField("kind", _("kind must be one of %(allowed)s.", allowed=allowed))
    return kind


def parse_filters(args: Mapping) -> AgencyFilters:
    return AgencyFilters(
        parse_query(args.get("q")), parse_state_code(args.get("state")), parse_kind(args.get("kind"))
    )


def parse_page(raw: str | None) -> int:
    return whole_number(raw, "page", 1, 1, MAX_PAGE)


def parse_direction(raw: str | None, default: str = Direction.BOTH, allow_both: bool = True) -> str:
    value = (raw or "").strip() or default
    allowed = [Direction.SHARES_WITH, Direction.RECEIVES_FROM] + ([Direction.BOTH] if allow_both else [])
    if value not in allowed:
        raise InvalidField(
            "direction", _("direction must be one of %(allowed)s.", allowed=", ".join(allowed))
        )
    return value
