"""`flask searches reclassify`: apply this code's rule version (webapp.searches.classification) to every
stored reason and every log. Only distinct reasons are classified (a city's 17 million searches hold far
fewer reasons), and each log's category counts are rebuilt from its reason counts, never from its searches;
the classes of earlier versions stay, so a figure can be compared across versions."""

from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import text

from webapp.kernel.errors import InvalidInput
from webapp.kernel.extensions import db
from webapp.searches import classification
from webapp.searches.importer import write_classes

BATCH = 50_000


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
        db.session.execute(text("DELETE FROM search_counts WHERE log_id = ANY(:logs)"), {"logs": logs})
        count_rows = db.session.execute(
            text(
                """
                INSERT INTO search_counts (log_id, month, searcher_id, category, search_type_id, searches,
                                           multi_network)
                SELECT r.log_id, r.month, r.searcher_id, k.category, r.search_type_id, sum(r.searches),
                       sum(r.multi_network)
                FROM search_reason_counts r
                JOIN search_reason_classes k ON k.reason_id = r.reason_id AND k.rule_version = :v
                WHERE r.log_id = ANY(:logs)
                GROUP BY 1, 2, 3, 4, 5
                """
            ),
            {"v": version, "logs": logs},
        ).rowcount
        db.session.execute(
            text("DELETE FROM search_searcher_months WHERE log_id = ANY(:logs)"), {"logs": logs}
        )
        db.session.execute(
            text(
                """
                INSERT INTO search_searcher_months (log_id, month, searcher_id, searches, immigration,
                                                    multi_network)
                SELECT r.log_id, r.month, r.searcher_id, sum(r.searches),
                       coalesce(sum(r.searches) FILTER (WHERE k.immigration), 0), sum(r.multi_network)
                FROM search_reason_counts r
                JOIN search_reason_classes k ON k.reason_id = r.reason_id AND k.rule_version = :v
                WHERE r.log_id = ANY(:logs)
                GROUP BY 1, 2, 3
                """
            ),
            {"v": version, "logs": logs},
        )
        db.session.execute(
            text("UPDATE search_logs SET rule_version = :v WHERE id = ANY(:logs)"),
            {"v": version, "logs": logs},
        )
        say(f"{len(logs)} logs' category counts rebuilt ({count_rows:,} rows)")
    db.session.flush()
    return Reclassified(version, classified, len(logs), count_rows)
