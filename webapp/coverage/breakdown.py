"""Vendor and operator breakdowns: the top N by cameras, the rest summed as "other". One rule for every
figure that lists vendors or operators (areas, drawn polygons, routes, the map's view panel).

Operators are grouped by the agency their text is linked to where there is one ("California Highway Patrol
(CHP)" and "California Highway Patrol" are one agency's cameras): such a key is AGENCY_MARK and the agency's
id (`operator_key()`, or `operator_key_of()` in a query), shown under the agency's name."""

from collections.abc import Iterable

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, Text, cast, func, text

from webapp.camera_fields.vendors import vendor_name
from webapp.kernel.extensions import db
from webapp.kernel.http.query_args import whole_number
from webapp.kernel.vocabulary import Limits

OTHER = "other"
# No operator text holds a control character (webapp.kernel.http.text_input refuses them): the mark cannot
# clash.
AGENCY_MARK = "\x01"


def operator_key_of(counts) -> ColumnElement[str]:
    """operator_key() in SQL, of rows of area_camera_counts (`counts`: its columns or an alias's): the agency
    of the text's link in the area's state (the SQL function operator_link_agency), else the text."""
    agency = func.operator_link_agency(counts.c.operator, func.left(counts.c.geoid, 2))
    return func.coalesce(func.chr(ord(AGENCY_MARK), type_=Text).concat(cast(agency, Text)), counts.c.operator)


def operator_key(operator: str | None, agency_id: int | None) -> str:
    """The grouping key of cameras with this text under this agency (None: not linked)."""
    return f"{AGENCY_MARK}{agency_id}" if agency_id is not None else (operator or "")


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


def _agency_names(keys: list[str | None]) -> dict[int, str]:
    ids = [int(key[1:]) for key in keys if key and key.startswith(AGENCY_MARK)]
    if not ids:
        return {}
    rows = db.session.execute(
        text("SELECT id, name FROM agencies WHERE id = ANY(CAST(:ids AS bigint[]))"), {"ids": ids}
    )
    return {row.id: row.name for row in rows}


def operator_rows(head: list[tuple[str | None, int]], rest: int) -> list[dict]:
    """Operators: an agency (its name and `agency_id`) where their texts are linked to one, else the text
    as reported; None or '' is "unknown", an operator like any other. The rest is `{"operator": null,
    "other": true}`, so that no operator's own name can be mistaken for it."""
    names = _agency_names([operator for operator, _n in head])
    rows = []
    for operator, n in head:
        if operator and operator.startswith(AGENCY_MARK):
            agency_id = int(operator[1:])
            name = names.get(agency_id, str(agency_id))
            rows.append({"operator": name, "agency_id": agency_id, "name": name, "cameras": n})
        else:
            rows.append(
                {"operator": operator or None, "name": operator or _("Unknown operator"), "cameras": n}
            )
    if rest:
        rows.append({"operator": None, "other": True, "name": _("Other operators"), "cameras": rest})
    return rows


def vendor_breakdown(counts: Iterable[tuple[str, int]], top: int) -> list[dict]:
    return vendor_rows(*top_with_other(counts, top))


def operator_breakdown(counts: Iterable[tuple[str | None, int]], top: int) -> list[dict]:
    return operator_rows(*top_with_other(((operator or "", n) for operator, n in counts), top))
