"""GET /api/v1/releases (newest first), one release with its files, and a release's files (immutable: cached
for a year, with the sha256 as ETag)."""

from flask import jsonify, send_file

from webapp.kernel.http.public_answers import json_answer, licensed, public_answer
from webapp.releases.blueprint import bp
from webapp.releases.listing import (
    all_releases,
    release_by_number,
    release_file_path,
    release_files,
    release_summary,
)
from webapp.releases.making import datapackage_of

IMMUTABLE_SECONDS = 365 * 24 * 3600


@bp.get("/api/v1/releases")
def releases_json():
    return json_answer({"releases": [release_summary(release) for release in all_releases()]})


@bp.get("/api/v1/releases/<id:number>")
def release_json(number: int):
    release = release_by_number(number)
    summary = release_summary(release)
    if release.withdrawn_on is None:
        summary["files"] = release_files(release)
    return licensed(jsonify(summary))


@bp.get("/api/v1/releases/<id:number>/<path:file_name>")
def release_file(number: int, file_name: str):
    release = release_by_number(number)
    path = release_file_path(release, file_name)
    resources = {resource["path"]: resource for resource in datapackage_of(release)["resources"]}
    resource = resources.get(file_name)
    response = send_file(
        path,
        mimetype=resource["mediatype"] if resource else "application/json",
        as_attachment=resource is not None,
        download_name=file_name,
        conditional=True,
        etag=resource["hash"].removeprefix("sha256:") if resource else release.datapackage_sha256,
        max_age=IMMUTABLE_SECONDS,
    )
    response.headers["Sightline-Release"] = str(release.number)
    return public_answer(response, IMMUTABLE_SECONDS, immutable=True)
