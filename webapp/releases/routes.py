"""The /data page (every release, what changed, how to cite it) and one release's page (its files)."""

from flask import render_template

from webapp.releases.blueprint import bp
from webapp.releases.listing import all_releases, release_by_number, release_files, release_summary


@bp.get("/data")
def data_page():
    releases = [release_summary(release) for release in all_releases()]
    return render_template("releases/index.html", releases=releases)


@bp.get("/data/releases/<id:number>")
def release_page(number: int):
    release = release_by_number(number)
    files = release_files(release) if release.withdrawn_on is None else []
    return render_template("releases/release.html", release=release_summary(release), files=files)
