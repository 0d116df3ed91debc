"""Factories for the rows tests need: cameras, sightings, users. Each flushes and returns the row."""

import hashlib
import secrets
from datetime import date

from geoalchemy2.shape import from_shape
from shapely.geometry import Point

from webapp.extensions import db
from webapp.models import Camera, Sighting, User
from webapp.users.accounts import create_user

DEFAULT_PASSWORD = "correct horse battery"


def point(lon: float, lat: float):
    return from_shape(Point(lon, lat), srid=4326)


def make_camera(lon: float = -87.6298, lat: float = 41.8781, **fields) -> Camera:
    fields.setdefault("vendor", "flock-safety")
    fields.setdefault("source", "report")
    fields.setdefault("status", "verified")
    fields.setdefault("directions", [90])
    fields.setdefault("first_seen_month", date(2026, 3, 1))
    fields.setdefault("last_confirmed_month", date(2026, 3, 1))
    camera = Camera(geom=point(lon, lat), **fields)
    db.session.add(camera)
    db.session.flush()
    return camera


def make_sighting(
    lon: float = -87.6298, lat: float = 41.8781, receipt: str | None = None, **fields
) -> Sighting:
    """A pending sighting; `sighting.receipt` holds the secret (only its hash is stored)."""
    receipt = receipt or secrets.token_urlsafe(24)
    fields.setdefault("vendor", "flock-safety")
    fields.setdefault("directions", [180])
    sighting = Sighting(
        geom=point(lon, lat), receipt_hash=hashlib.sha256(receipt.encode()).hexdigest(), **fields
    )
    db.session.add(sighting)
    db.session.flush()
    sighting.receipt = receipt
    return sighting


def make_user(login: str | None = None, role: str = "reporter", password: str = DEFAULT_PASSWORD) -> User:
    return create_user(login or f"user_{secrets.token_hex(4)}", password, role)
