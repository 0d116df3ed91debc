"""The small built-in set of areas that ships with the app: the 52 state boundaries (50 states, DC, Puerto
Rico), heavily simplified, with population and road miles: what `flask areas import` loads without a path.
`make run` loads the full states and counties of data/ instead, which replace it when imported. Built by
scripts/build_builtin_areas.py from data/us-states-metrics.geojson.gz."""

from pathlib import Path

BUILTIN_STATES_FILE = Path(__file__).with_name("builtin_states.geojson.gz")
BUILTIN_DATASET = "built-in states"

# Where the shipped files come from (data/SOURCES.md): the boundaries are the Census Bureau's; the
# population and road miles were published with them by FoggedLens/deflockhopper_maps, which names neither
# their source nor their year.
SHARED_SOURCE = (
    "Boundaries: US Census Bureau cartographic boundary files (public domain). Population and road miles: as "
    "published with those boundaries in FoggedLens/deflockhopper_maps (public/geo, commit 7fb26fb, "
    "2026-04-12), which does not state their source or year."
)
BUILTIN_SOURCE = SHARED_SOURCE.replace(
    "Boundaries: US Census Bureau", "Boundaries: simplified (about 500 m) from US Census Bureau", 1
)

# Known files and the source sentence each carries; any other file needs --source.
KNOWN_SOURCES = {
    "us-states-metrics.geojson.gz": SHARED_SOURCE,
    "us-counties-metrics.geojson.gz": SHARED_SOURCE,
    BUILTIN_STATES_FILE.name: BUILTIN_SOURCE,
}
