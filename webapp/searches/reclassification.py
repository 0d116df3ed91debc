"""`flask searches reclassify`: apply this code's rule version (webapp.searches.classification) to every
stored reason and every log. Only distinct reasons are classified (a city's 17 million searches hold far
fewer reasons); then each log's category counts are rebuilt by reading its searches once (one scan and one
aggregate per log: a rollup by reason kept for this alone took a fifth of the disk, migration 0023). The
classes of earlier versions stay, so a figure can be compared across versions."""

from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import text

from webapp.kernel.errors import InvalidInput
from webapp.kernel.extensions import db
from webapp.searches import classification
from webapp.searches.importer import LOG_ROLLUPS, write_classes

BATCH = 50_000
RECOUNT_WORK_MEM = "256MB"


@dataclass(frozen=True)
class Reclassified:
    version: int
    reasons: int
    logs: int
    count_rows: int


def reclassify(progress: Callable[[str], None] | None = None) -> Reclassified:
    say = progress or (lambda _message: None)
    version = classification.RULE_VERSION
    stored = db.session.execute(text("SELECT max(version) FROM search_rule_versions")).scalar()
    if stored is not None and stored > version:
        raise InvalidInput(
            _(
                "The stored searches are classified under rule version %(stored)s, newer than this code's "
                "version %(code)s: update the code instead.",
                stored=stored,
                code=version,
            )
        )
    db.session.execute(
        text("INSERT INTO search_rule_versions (version) VALUES (:v) ON CONFLICT DO NOTHING"), {"v": version}
    )
    classified = 0
    last_id = 0
    while True:
        batch = db.session.execute(
            text(
                """
                SELECT r.id, r.reason FROM search_reasons r
                WHERE r.id > :after AND NOT EXISTS (
                    SELECT 1 FROM search_reason_classes c WHERE c.reason_id = r.id AND c.rule_version = :v)
                ORDER BY r.id LIMIT :batch
                """
            ),
            {"after": last_id, "v": version, "batch": BATCH},
        ).all()
        if not batch:
            break
        classified += write_classes(version, [(row.id, row.reason) for row in batch])
        last_id = batch[-1].id
        say(f"{classified:,} reasons classified under version {version}")
    logs = [
        row.id
        for row in db.session.execute(
            text("SELECT id FROM search_logs WHERE rule_version <> :v"), {"v": version}
        )
    ]
    count_rows = 0
    if logs:
        # One hash aggregate of a log's searches by month, searcher, reason and type (about 3 million
        # groups at 17 million searches) stays in memory instead of spilling to disk.
        db.session.execute(text(f"SET LOCAL work_mem = '{RECOUNT_WORK_MEM}'"))
        for number, log_id in enumerate(logs, 1):
            count_rows += _recount(log_id, version)
            say(f"{number} of {len(logs)} logs' category counts rebuilt from their searches")
        db.session.execute(
            text("UPDATE search_logs SET rule_version = :v WHERE id = ANY(:logs)"),
            {"v": version, "logs": logs},
        )
        say(f"{len(logs)} logs' category counts rebuilt ({count_rows:,} rows)")
    db.session.flush()
    return Reclassified(version, classified, len(logs), count_rows)


def _recount(log_id: int, version: int) -> int:
    """Rebuild one log's category counts (search_counts, and through its triggers the answers' rollups)
    and its searcher x month counts under `version`, reading its searches once; the rows of search_counts."""
    for table in ("search_counts", "search_searcher_months"):
        db.session.execute(text(f"DELETE FROM {table} WHERE log_id = :log_id"), {"log_id": log_id})  # noqa: S608 (this module's table names)
    db.session.execute(text(LOG_ROLLUPS), {"log_id": log_id, "version": version})
    return db.session.execute(
        text("SELECT count(*) FROM search_counts WHERE log_id = :log_id"), {"log_id": log_id}
    ).scalar_one()
