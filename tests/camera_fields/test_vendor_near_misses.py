"""Issue 23 item 3: near-misses of a known vendor are that vendor (one rule for submit, import and
moderation: webapp/camera_fields/vendors.py); other companies with a like name stay vendors of their own."""

import pytest

from tests.factories import make_sighting
from webapp.camera_fields.vendors import normalise_vendor
from webapp.kernel.data.models import Camera
from webapp.kernel.extensions import db


# The spellings the OpenStreetMap file holds beside the known vendors (../shared/data, brand/manufacturer).
@pytest.mark.parametrize(
    ("raw", "slug"),
    [
        ("floc", "flock-safety"),
        ("floc-safety", "flock-safety"),
        ("flow-safety", "flock-safety"),
        ("Flow Safety", "flock-safety"),
        ("Flock Saftey", "flock-safety"),
        ("rektor", "rekor"),
        ("Genetek", "genetec"),
        ("Vigilent", "motorola-vigilant"),
        ("Avigilion", "avigilon"),
    ],
)
def test_a_near_miss_of_a_known_vendor_is_that_vendor(raw, slug):
    assert normalise_vendor(raw) == slug


# Real companies whose names are close to a known vendor's: never merged into it.
@pytest.mark.parametrize(
    ("raw", "slug"),
    [
        ("uniview-technologies", "uniview-technologies"),  # beside LiveView Technologies
        ("Ubiquiti Inc.", "ubiquiti"),  # beside Ubicquia
        ("Axon", "axon"),  # beside Axis
        ("avis", "avis"),
        ("Mobotix", "mobotix"),  # beside Motorola
        ("Verra Mobility", "verra-mobility"),  # beside Verkada
        ("FLIR", "flir"),  # beside Flock
        ("Flux Safety", "flux-safety"),
        ("Obvio", "obvio"),
        ("Hikvision", "hikvision"),
    ],
)
def test_another_company_with_a_like_name_stays_its_own_vendor(raw, slug):
    assert normalise_vendor(raw) == slug


def test_a_moderator_typing_a_near_miss_gets_the_known_vendor(moderator_client, app_context):
    sighting = make_sighting(vendor="unknown")
    response = moderator_client.post(
        f"/moderate/sightings/{sighting.id}/verify",
        data={"lat": "41.8781", "lon": "-87.6298", "directions": "90", "vendor": "floc-safety"},
    )
    assert response.status_code == 303, response.get_data(as_text=True)
    db.session.refresh(sighting)
    assert db.session.get(Camera, sighting.camera_id).vendor == "flock-safety"
