"""What the public agency pages and API accept in their addresses, checked once: a search text, a state
(USPS code), a kind, a page number, a direction, a place, the network's filters. Each refusal is a 400 that
says what is allowed. The queries never see a request: they take the plain values made here
(webapp.agencies.public.criteria, NetworkFilters)."""

from collections.abc import Mapping

from flask_babel import gettext as _

from webapp.agencies.public.criteria import AgencyFilters, Direction
from webapp.agencies.public.network import NETWORK_DEFAULT_NODES, NETWORK_MAX_NODES, NetworkFilters
from webapp.agencies.us_states import NAME_BY_USPS
from webapp.kernel.errors import InvalidField
from webapp.kernel.http.query_args import whole_number
from webapp.kernel.vocabulary import AgencyKind

QUERY_MAX_CHARS = 100
# An id above every camera's and every agency's: `after` is where a page of cameras starts.
AFTER_MAX = 2**62
# Deep pages cost an OFFSET each; nobody reads past this many pages of one list (the exports hold it all).
MAX_PAGE = 1000


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


def parse_relations_args(args: Mapping) -> tuple[str, int]:
    """The direction (shares with, by default, or receives from) and the page of an agency's relations."""
    direction = parse_direction(args.get("direction"), Direction.SHARES_WITH, allow_both=False)
    return direction, parse_page(args.get("page"))


def parse_place_args(args: Mapping) -> tuple[str | None, str | None]:
    """The county (its GEOID, or its name with the state) and the state (USPS code) a query string names."""
    county = args.get("county") if (args.get("county") or "").strip() else None
    return county, parse_state_code(args.get("state"))


def parse_network_filters(args) -> NetworkFilters:
    return NetworkFilters(
        direction=parse_direction(args.get("direction")),
        kind=parse_kind(args.get("kind")),
        state=parse_state_code(args.get("state")),
        federal_only=args.get("federal") in ("1", "true", "on"),
        hops=whole_number(args.get("hops"), "hops", 1, 1, 2),
        limit=whole_number(args.get("limit"), "limit", NETWORK_DEFAULT_NODES, 2, NETWORK_MAX_NODES),
    )
