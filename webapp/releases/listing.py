"""Reading releases: the list (newest first) with what changed and a suggested citation, one release's files,
the latest release's figure for a state, county or agency ("cite this" on the live pages)."""

from dataclasses import dataclass
from pathlib import Path

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import select

from webapp.kernel.data.models import DataRelease, ReleaseFigure
from webapp.kernel.errors import DomainError, NotFound
from webapp.kernel.extensions import db
from webapp.releases.datapackage import PUBLISHER
from webapp.releases.making import datapackage_of, releases_folder

FIGURE_KINDS = ("state", "county", "agency")


class Withdrawn(DomainError):
    status = 410
    code = "release_withdrawn"


def citation(release: DataRelease) -> dict:
    """The suggested citation: title, publisher, release number, date, URL and the datapackage's hash."""
    url = url_for("releases.release_page", number=release.number, _external=True)
    title = f"Sightline: ALPR cameras, coverage and agencies, release {release.number}"
    text = (
        f"{PUBLISHER} ({release.released_on.year}). {title} [data set], {release.released_on.isoformat()}. "
        f"{url} (datapackage.json sha256:{release.datapackage_sha256})"
    )
    return {
        "title": title,
        "publisher": PUBLISHER,
        "release": release.number,
        "date": release.released_on.isoformat(),
        "url": url,
        "hash": f"sha256:{release.datapackage_sha256}",
        "text": text,
    }


def release_summary(release: DataRelease) -> dict:
    return {
        "number": release.number,
        "date": release.released_on.isoformat(),
        "cameras": release.cameras,
        "changes": release.changes,
        "withdrawn": None
        if release.withdrawn_on is None
        else {"date": release.withdrawn_on.isoformat(), "reason": release.withdrawn_reason},
        "datapackage": url_for("releases.release_file", number=release.number, file_name="datapackage.json"),
        "datapackage_sha256": release.datapackage_sha256,
        "citation": citation(release),
    }


def all_releases() -> list[DataRelease]:
    return list(db.session.scalars(select(DataRelease).order_by(DataRelease.number.desc())))


def release_by_number(number: int) -> DataRelease:
    release = db.session.get(DataRelease, number)
    if release is None:
        raise NotFound(_("There is no release %(number)s.", number=number))
    return release


def release_files(release: DataRelease) -> list[dict]:
    """The files of a release as its datapackage.json lists them, each with its download URL."""
    resources = datapackage_of(release)["resources"]
    for resource in resources:
        resource["url"] = url_for("releases.release_file", number=release.number, file_name=resource["path"])
    return resources


def release_file_path(release: DataRelease, file_name: str) -> Path:
    """A file of a release; 410 for a withdrawn release, 404 for a name the release does not hold."""
    if release.withdrawn_on is not None:
        raise Withdrawn(
            _(
                "Release %(number)s was withdrawn on %(date)s: %(reason)s",
                number=release.number,
                date=release.withdrawn_on.isoformat(),
                reason=release.withdrawn_reason,
            )
        )
    names = {"datapackage.json"} | {resource["path"] for resource in datapackage_of(release)["resources"]}
    if file_name not in names:
        raise NotFound(_("Release %(number)s has no file %(name)s.", number=release.number, name=file_name))
    return releases_folder() / release.folder / file_name


def latest_release() -> DataRelease | None:
    return db.session.scalars(
        select(DataRelease)
        .where(DataRelease.withdrawn_on.is_(None))
        .order_by(DataRelease.number.desc())
        .limit(1)
    ).first()


@dataclass(frozen=True)
class CitedFigure:
    release: dict
    cameras: int


def figure_in_latest_release(kind: str, key: str) -> CitedFigure | None:
    """How many cameras a state, county or agency had in the latest release (None before the first)."""
    release = latest_release()
    if release is None or kind not in FIGURE_KINDS:
        return None
    figure = db.session.get(ReleaseFigure, (release.number, kind, str(key)))
    return CitedFigure(citation(release), figure.cameras if figure else 0)
