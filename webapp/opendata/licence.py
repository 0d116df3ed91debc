"""The licence and attribution every open-data answer carries.

Rows imported from OpenStreetMap are under the Open Database License; since the database mixes them with
community reports, the whole export is offered under the ODbL too (its share-alike terms require it).
"""

# The licence's name and address are webapp.kernel.http.public_answers' (every public answer's Link header).
from webapp.kernel.http.public_answers import LICENCE as LICENCE
from webapp.kernel.http.public_answers import LICENCE_URL as LICENCE_URL
from webapp.kernel.vocabulary import CameraSource

OSM_ATTRIBUTION = "© OpenStreetMap contributors, https://www.openstreetmap.org/copyright"
REPORT_ATTRIBUTION = "© Sightline contributors"
ATTRIBUTION = (
    f"{REPORT_ATTRIBUTION}. Rows with source 'osm' are derived from OpenStreetMap: {OSM_ATTRIBUTION}. "
    f"Licensed under the Open Database License {LICENCE_URL}"
)


def row_attribution(source: str) -> str:
    return OSM_ATTRIBUTION if source == CameraSource.OSM else REPORT_ATTRIBUTION
