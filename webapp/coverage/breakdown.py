"""Vendor and operator breakdowns: the top N by cameras, the rest summed as "other". One rule for every
figure that lists vendors or operators (areas, drawn polygons, routes, the map's view panel)."""

from collections.abc import Iterable

from flask_babel import gettext as _

from webapp.camera_fields.vendors import vendor_name
from webapp.kernel.query_args import whole_number
from webapp.kernel.vocabulary import Limits

OTHER = "other"


def parse_top(raw: str | None, default: int = Limits.BREAKDOWN_TOP_DEFAULT) -> int:
    """The `top` query parameter: 1..BREAKDOWN_TOP_MAX entries before "other"."""
    return whole_number(raw, "top", default, 1, Limits.BREAKDOWN_TOP_MAX)


def top_with_other(counts: Iterable[tuple[str, int]], top: int) -> tuple[list[tuple[str, int]], int]:
    """(key, cameras) of the `top` largest (ties by key, keys summed first), and the cameras of the rest.
    Keys with no camera are left out."""
    merged: dict[str, int] = {}
    for key, n in counts:
        merged[key] = merged.get(key, 0) + n
    ordered = sorted(((key, n) for key, n in merged.items() if n), key=lambda item: (-item[1], item[0]))
    return ordered[:top], sum(n for _key, n in ordered[top:])


def vendor_rows(head: list[tuple[str, int]], rest: int) -> list[dict]:
    """The answer's vendor entries: the top ones as given, then "other" when `rest` is not zero."""
    rows = [{"vendor": slug, "name": vendor_name(slug), "cameras": n} for slug, n in head]
    if rest:
        rows.append({"vendor": OTHER, "other": True, "name": _("Other vendors"), "cameras": rest})
    return rows


def operator_rows(head: list[tuple[str | None, int]], rest: int) -> list[dict]:
    """Operators as reported (free text); None or '' is "unknown", an operator like any other. The rest is
    `{"operator": null, "other": true}`, so that no operator's own name can be mistaken for it."""
    rows = [
        {"operator": operator or None, "name": operator or _("Unknown operator"), "cameras": n}
        for operator, n in head
    ]
    if rest:
        rows.append({"operator": None, "other": True, "name": _("Other operators"), "cameras": rest})
    return rows


def vendor_breakdown(counts: Iterable[tuple[str, int]], top: int) -> list[dict]:
    return vendor_rows(*top_with_other(counts, top))


def operator_breakdown(counts: Iterable[tuple[str | None, int]], top: int) -> list[dict]:
    return operator_rows(*top_with_other(((operator or "", n) for operator, n in counts), top))
