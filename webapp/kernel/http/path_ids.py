"""Record ids in URLs, one rule for every route: `<id:camera_id>` matches 1 to 2^63-1, the range of
PostgreSQL's bigint (every id column), written in at most 19 digits. Anything else is a 404 before any SQL
runs, so a huge id is never a 500 nor a "bigint out of range" error in the database server's log."""

from flask import Flask
from werkzeug.routing import IntegerConverter

BIGINT_MAX = 2**63 - 1


class RecordIdConverter(IntegerConverter):
    regex = r"\d{1,19}"

    def __init__(self, map, *args, **kwargs) -> None:
        super().__init__(map, min=1, max=BIGINT_MAX)


def init_path_ids(app: Flask) -> None:
    """Before any blueprint: rules find their converters when they are added."""
    app.url_map.converters["id"] = RecordIdConverter
