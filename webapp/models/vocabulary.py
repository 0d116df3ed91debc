"""The closed vocabularies the database enforces with CHECK constraints (statuses, mounts, roles)."""

CAMERA_STATUSES = ("verified", "hidden", "removed")
CAMERA_SOURCES = ("report", "osm")
SIGHTING_STATUSES = ("pending", "accepted", "merged", "rejected")
MOUNTS = ("pole", "traffic_signal", "overpass", "building", "other")
ROLES = ("reporter", "moderator", "admin")
OSM_TYPES = ("node", "way", "relation")
FLAG_REASONS = ("does_not_exist", "wrong_place", "personal_information", "spam", "other")
FLAG_STATUSES = ("open", "resolved", "dismissed")


def sql_in(column: str, values: tuple[str, ...]) -> str:
    """A CHECK expression that keeps `column` inside `values` (NULL allowed: use NOT NULL for that)."""
    quoted = ", ".join(f"'{value}'" for value in values)
    return f"{column} IN ({quoted})"
