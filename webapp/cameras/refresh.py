"""The refresh from OpenStreetMap by the product itself: the US ALPRs fetched from the Overpass API
(webapp.cameras.overpass, configured in webapp.kernel.config) and imported as a complete file through the same
path as `flask cameras import --complete` (webapp.cameras.osm_import): cameras OpenStreetMap no longer has are
queued as gone for a moderator, never removed, and an answer that would queue many is refused.

`flask cameras refresh` runs it by hand; `refresh_job` is what the job scheduler runs every OSM_REFRESH_EVERY,
inside the app context the worker provides."""

from collections.abc import Callable

from flask import current_app

from webapp.cameras.after_import import queue_agency_matching
from webapp.cameras.osm_files import ImportSummary, summary_lines
from webapp.cameras.osm_import import import_camera_file
from webapp.cameras.osm_reconcile import Completeness
from webapp.cameras.overpass import OverpassSettings, fetch_cameras
from webapp.kernel.data.transactions import commit, rollback


def refresh_cameras(
    progress: Callable[[str], None] | None = None,
    on_parsed: Callable[[ImportSummary, int], None] | None = None,
    on_batch: Callable[[int], None] | None = None,
    allow_many_gone: bool = False,
) -> ImportSummary:
    """Fetch the cameras from Overpass and import them in the current transaction (the caller commits).
    Raises OverpassUnavailable, or ImportRefused, before anything is written."""
    settings = OverpassSettings.from_config(current_app.config)
    camera_file = fetch_cameras(settings, progress)
    if progress:
        progress(f"{settings.host} answered {len(camera_file.items):,} elements; importing")
    return import_camera_file(
        camera_file,
        f"Overpass API ({settings.host})",
        on_parsed=on_parsed,
        on_batch=on_batch,
        complete=Completeness(),
        allow_many_gone=allow_many_gone,
    )


def refresh_job(progress: Callable[[str], None] | None = None) -> list[str]:
    """The scheduled refresh: fetch, import and commit; the summary's lines. On any failure nothing is
    written and the error propagates to the job runner, which reports it."""
    try:
        summary = refresh_cameras(progress)
    except BaseException:
        rollback()
        raise
    commit()
    # New operator texts wait for the matcher, as after `flask cameras import` (the job runs this in a worker,
    # so the queue is there).
    queue_agency_matching()
    return summary_lines(summary)
