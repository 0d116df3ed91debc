"""`make run`'s demo audit log: a small generated network log (webapp.searches.synthetic) imported once,
marked demo (search_logs.demo) so every page, JSON and CSV that shows it says it is generated, under an agency
whose name says the same. Never mistaken for a real log, never loaded twice."""

import tempfile
from datetime import date
from pathlib import Path

from sqlalchemy import select, text

from webapp.kernel.data.models import Agency
from webapp.kernel.extensions import db
from webapp.kernel.vocabulary import SearchLogKind
from webapp.searches.importer import LogSource, import_log_file
from webapp.searches.synthetic import OWNER_STATE, SyntheticLog, write_network_log

DEMO_AGENCY = "Sightline Demo City Police Department (generated demo data)"
DEMO_NOTES = "Generated for make run's demo audit log; not a real agency."
DEMO_SOURCE = LogSource(
    title="Generated demo network audit log (not a real records request)",
    url=None,
    received_on=date(2026, 1, 1),
)
DEMO_LOG = SyntheticLog(rows=3000, months=6, searching_agencies=80, seed=21, start=date(2025, 7, 1))


def demo_loaded() -> bool:
    return db.session.execute(text("SELECT EXISTS (SELECT 1 FROM search_logs WHERE demo)")).scalar_one()


def demo_agency() -> Agency:
    agency = db.session.scalars(select(Agency).where(Agency.name == DEMO_AGENCY)).first()
    if agency is None:
        agency = Agency(name=DEMO_AGENCY, kind="police", state=OWNER_STATE, notes=DEMO_NOTES)
        db.session.add(agency)
        db.session.flush()
    return agency


def load_demo_log(progress=None) -> int:
    """Generate and import the demo log; the searches stored (0 when the files were imported already)."""
    owner = demo_agency()
    stored = 0
    with tempfile.TemporaryDirectory(prefix="sightline-demo-log-") as folder:
        for path in write_network_log(Path(folder), DEMO_LOG):
            summary = import_log_file(
                path,
                owner=owner,
                kind=SearchLogKind.NETWORK,
                source=DEMO_SOURCE,
                demo=True,
                progress=progress,
            )
            stored += summary.stored
    return stored
