"""The citable cameras of one answer, to download in every format: a state, a county, an agency's cameras, a
map view (bbox) or a drawn area kept by its hash (webapp.feeds). At most MAX_SELECTION cameras: a larger
selection is refused with a pointer to the full exports and the releases, so a request's cost is bounded."""

from collections.abc import Iterator
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import text

from webapp.geo.bbox import BoundingBox
from webapp.geo.public_cameras import CITABLE, EXPORT_BATCH_ROWS, PUBLIC_COLUMNS
from webapp.kernel.errors import DomainError
from webapp.kernel.extensions import db

MAX_SELECTION = 100_000


class SelectionTooLarge(DomainError):
    status = 413
    code = "selection_too_large"


@dataclass(frozen=True)
class Selection:
    """Which cameras: `name` goes into the file name, `condition` is SQL on `cameras` with `parameters`."""

    name: str
    condition: str
    parameters: dict


def state_selection(geoid: str) -> Selection:
    return Selection(f"state-{geoid}", "state_geoid = :geoid", {"geoid": geoid})


def county_selection(geoid: str) -> Selection:
    return Selection(f"county-{geoid}", "county_geoid = :geoid", {"geoid": geoid})


def agency_selection(agency_id: int) -> Selection:
    return Selection(f"agency-{agency_id}", "agency_id = :agency_id", {"agency_id": agency_id})


def view_selection(bbox: BoundingBox) -> Selection:
    return Selection(
        "view",
        "geom && ST_MakeEnvelope(:west, :south, :east, :north, 4326)",
        {"west": bbox.west, "south": bbox.south, "east": bbox.east, "north": bbox.north},
    )


def drawn_area_selection(area_hash: str) -> Selection:
    return Selection(
        f"area-{area_hash[:12]}",
        "ST_Intersects(geom, (SELECT geom FROM feed_areas WHERE hash = :hash))",
        {"hash": area_hash},
    )


def count_selected(selection: Selection) -> int:
    """How many citable cameras the selection holds; SelectionTooLarge past MAX_SELECTION."""
    count = db.session.scalar(
        text(
            f"SELECT count(*) FROM (SELECT 1 FROM cameras WHERE {CITABLE} AND {selection.condition} "
            "LIMIT :cap) AS selected"
        ),
        {**selection.parameters, "cap": MAX_SELECTION + 1},
    )
    if count > MAX_SELECTION:
        raise SelectionTooLarge(
            _(
                "More than %(limit)s cameras: download the full export (/api/v1/cameras.csv) or a release "
                "(/data) instead.",
                limit=f"{MAX_SELECTION:,}",
            )
        )
    return count


def selected_cameras(selection: Selection) -> Iterator[list[dict]]:
    """The selection's citable cameras in id order, in batches (count_selected first: it bounds them)."""
    result = db.session.execute(
        text(f"SELECT {PUBLIC_COLUMNS} FROM cameras WHERE {CITABLE} AND {selection.condition} ORDER BY id"),
        selection.parameters,
        execution_options={"stream_results": True},
    ).mappings()
    for batch in result.partitions(EXPORT_BATCH_ROWS):
        yield [dict(row) for row in batch]
