"""The CSV of each coverage list, written with the one CSV writer (formula cells neutralised). Every row
carries what is counted, the date of the figures, the denominators' source, the licence and the credit, as
the camera exports do, so a row copied out of the file keeps its provenance."""

import io

from webapp.coverage.area_figures import AREA_FIELDS, RATIOS
from webapp.kernel.csv_cells import csv_writer

METHOD_COLUMNS = ("counted", "as_of", "denominators", "licence", "attribution")


def _method_cells(method: dict) -> list:
    return [
        method["counted"],
        method["as_of"],
        " | ".join(method.get("denominators", [])),
        method["licence"],
        method["attribution"],
    ]


def _breakdown_cell(entries: list[dict], key: str) -> str:
    """ "flock-safety:12; other:3": the top entries of a breakdown in one cell."""
    parts = []
    for entry in entries:
        label = "other" if entry.get("other") else (entry[key] or "unknown")
        parts.append(f"{label}:{entry['cameras']}")
    return "; ".join(parts)


def areas_csv(areas: list[dict], method: dict) -> str:
    buffer = io.StringIO()
    writer = csv_writer(buffer)
    ratio_columns = [
        f"{ratio.name}{suffix}" for ratio in RATIOS for suffix in ("", "_rank", "_percentile", "_peers")
    ]
    writer.writerow(
        [
            *AREA_FIELDS,
            "below_population_floor",
            *ratio_columns,
            "top_vendors",
            "top_operators",
            *METHOD_COLUMNS,
        ]
    )
    for area in areas:
        ratio_cells = []
        for ratio in RATIOS:
            figure = area[ratio.name]
            ratio_cells += [_blank(figure["value"]), _blank(figure["rank"]), _blank(figure["percentile"])]
            ratio_cells.append(_blank(figure["peers"]))
        writer.writerow(
            [
                area["geoid"],
                area["kind"],
                area["name"],
                area["state_geoid"],
                _blank(area["population"]),
                _blank(area["road_miles"]),
                area["area_km2"],
                area["cameras"],
                area["imported"],
                area["reported"],
                "true" if area["below_population_floor"] else "false",
                *ratio_cells,
                _breakdown_cell(area["vendors"], "vendor"),
                _breakdown_cell(area["operators"], "operator"),
                *_method_cells(method),
            ]
        )
    return buffer.getvalue()


def timeline_csv(timeline: dict, method: dict) -> str:
    buffer = io.StringIO()
    writer = csv_writer(buffer)
    writer.writerow(
        ["area", "month", "reported", "osm_started", "verified", "removed", "cumulative", *METHOD_COLUMNS]
    )
    for month in timeline["months"]:
        writer.writerow(
            [
                timeline["area"],
                month["month"],
                month["reported"],
                month["osm_started"],
                month["verified"],
                month["removed"],
                month["cumulative"],
                *_method_cells(method),
            ]
        )
    # The cameras no month can be given to, as the last row (month "unknown").
    writer.writerow(
        [timeline["area"], "unknown", "", timeline["date_unknown"], "", "", "", *_method_cells(method)]
    )
    return buffer.getvalue()


def _blank(value):
    return "" if value is None else value
