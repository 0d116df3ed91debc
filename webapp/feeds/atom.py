"""A feed's entries written as Atom (RFC 4287) with feedgen. Every date is a UTC day written as midnight
(Atom requires a date-time): no time of day appears anywhere in a feed."""

from datetime import UTC, date, datetime, time

from feedgen.feed import FeedGenerator
from flask import request, url_for
from flask_babel import gettext as _

from webapp.camera_fields.vendors import vendor_name
from webapp.feeds.entries import Change, Place
from webapp.opendata.licence import ATTRIBUTION

KIND_TITLES = {
    "verified": lambda: _("Camera verified"),
    "moved": lambda: _("Camera moved"),
    "removed": lambda: _("Camera taken down"),
}


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=UTC)


def _entry_text(change: Change) -> str:
    return _(
        "%(what)s on %(day)s: %(vendor)s camera at %(lat)s, %(lon)s.",
        what=KIND_TITLES[change.kind](),
        day=change.day.isoformat(),
        vendor=vendor_name(change.vendor),
        lat=change.lat,
        lon=change.lon,
    )


def atom_feed(place: Place, changes: list[Change], page_url: str | None) -> bytes:
    feed = FeedGenerator()
    self_url = request.url
    feed.id(self_url)
    feed.title(_("Sightline: ALPR cameras in %(place)s", place=place.title))
    feed.subtitle(_("Cameras verified, moved or taken down, newest first (dates are days, UTC)."))
    feed.author({"name": "Sightline"})
    feed.link(href=self_url, rel="self", type="application/atom+xml")
    if page_url:
        feed.link(href=page_url, rel="alternate", type="text/html")
    feed.rights(ATTRIBUTION)
    feed.generator("Sightline")
    feed.language(request.accept_languages.best or "en")
    # An empty feed is as of today (a day, never a time).
    feed.updated(_midnight(changes[0].day if changes else datetime.now(UTC).date()))
    for change in changes:
        entry = feed.add_entry(order="append")
        camera_url = url_for("cameras.camera_page", camera_id=change.camera_id, _external=True)
        entry.id(f"{camera_url}#change-{change.id}")
        entry.title(f"{KIND_TITLES[change.kind]()}: {vendor_name(change.vendor)}")
        entry.link(href=camera_url, rel="alternate", type="text/html")
        entry.updated(_midnight(change.day))
        entry.published(_midnight(change.day))
        entry.content(_entry_text(change), type="text")
    return feed.atom_str(pretty=False)
