"""Agencies, sharing relations, portal figures and policies for tests, made through the ORM as the importer
and moderators leave them; cameras are put under an agency the way production does it, by an operator link
(the trigger of migration 0008 sets cameras.agency_id). Each function flushes and returns its row.

`newsroom_world()` builds a small, hand-checkable world:

| agency | kind | state | shares with | cameras (verified, Testland's Square County unless said) |
| --- | --- | --- | --- | --- |
| Sylvania OH PD | police | OH | FBI, Toledo PD, USPIS; State Patrol (retired 2024-02-01) | 3 (2 flock) |
| Toledo PD | police | OH | FBI | 1 (Second County) + 1 hidden + 1 demo |
| Ashland County OH SO | sheriff | OH | Toledo PD | 0 |
| FBI | federal | - | - | 0 |
| USPIS | federal | - | - | 0 |
| Ohio State Patrol | state | OH | - | 0 |

Sylvania's policy prohibits immigration enforcement (it shares with two federal agencies); Toledo's does
not say so (it shares with the FBI too). Sylvania's portal claims 12 owned cameras, retention "30 days".
"""

from datetime import date

from tests.factories import make_camera
from webapp.kernel.data.models import (
    Agency,
    AgencyAlias,
    AgencyPolicy,
    AgencyPortalFigures,
    AgencySharing,
    DataSource,
    OperatorLink,
)
from webapp.kernel.extensions import db

NEWS_OBSERVER_KEY = "news-observer-private-eyes"


def make_data_source(**fields) -> DataSource:
    fields.setdefault("key", NEWS_OBSERVER_KEY)
    fields.setdefault("title", "Private Eyes (data)")
    fields.setdefault("publisher", "The News & Observer")
    fields.setdefault("url", "https://github.com/mcclatchy-southeast/private_eyes")
    fields.setdefault("licence", "MIT")
    fields.setdefault("attribution", "The News & Observer")
    fields.setdefault("collected_from", date(2023, 7, 27))
    fields.setdefault("collected_to", date(2024, 4, 26))
    source = DataSource(**fields)
    db.session.add(source)
    db.session.flush()
    return source


def make_agency(
    name: str,
    kind: str = "police",
    state: str | None = None,
    source: DataSource | None = None,
    aliases: tuple[str, ...] = (),
    **fields,
) -> Agency:
    if source is not None:
        fields.setdefault("source_id", source.id)
        fields.setdefault("source_key", name)
    agency = Agency(name=name, kind=kind, state=state, **fields)
    db.session.add(agency)
    db.session.flush()
    for alias in aliases:
        db.session.add(AgencyAlias(agency_id=agency.id, normalized=alias.lower(), alias=alias))
    db.session.flush()
    return agency


def share(
    giver: Agency,
    receiver: Agency,
    source: DataSource | None = None,
    seen_on: date = date(2024, 4, 26),
    retired_on: date | None = None,
    retired_source: str | None = None,
    text: str | None = None,
    **fields,
) -> AgencySharing:
    """`giver` shares its ALPR data with `receiver` (imported from `source`, or a moderator's when
    `recorded_by_user_id` is given)."""
    fields.setdefault("recorded_by", "moderator" if fields.get("recorded_by_user_id") else "import")
    relation = AgencySharing(
        from_agency_id=giver.id,
        to_agency_id=receiver.id,
        data_source_id=source.id if source else None,
        source=text or "agency_access20240426.csv",
        seen_on=seen_on,
        retired_on=retired_on,
        retired_source=retired_source,
        **fields,
    )
    db.session.add(relation)
    db.session.flush()
    return relation


def _portal_row(model, agency: Agency, source: DataSource, accessed_on: date, **fields):
    fields.setdefault("accessed_on", accessed_on)
    row = model(agency_id=agency.id, data_source_id=source.id, **fields)
    db.session.add(row)
    db.session.flush()
    return row


def portal_figures(agency: Agency, source: DataSource, **fields) -> AgencyPortalFigures:
    return _portal_row(AgencyPortalFigures, agency, source, date(2024, 4, 26), **fields)


def policy(agency: Agency, source: DataSource, **fields) -> AgencyPolicy:
    return _portal_row(AgencyPolicy, agency, source, date(2023, 7, 28), **fields)


def link_operator(operator: str, agency: Agency, state: str = "linked") -> OperatorLink:
    """Every camera with this operator text (now or later) is under `agency` (set by the database)."""
    link = OperatorLink(
        operator_key=operator.strip().lower(), operator=operator, state=state, agency_id=agency.id
    )
    db.session.add(link)
    db.session.flush()
    return link


def newsroom_world() -> dict:
    """The world in the module docstring; Testland's boundaries must be loaded first for the counties."""
    source = make_data_source()
    sylvania = make_agency("Sylvania OH PD", "police", "OH", source, aliases=("Sylvania Police Department",))
    toledo = make_agency("Toledo PD", "police", "OH", source)
    ashland = make_agency("Ashland County OH SO", "sheriff", "OH", source)
    fbi = make_agency("FBI", "federal", None, source)
    uspis = make_agency("US Postal Inspection Service", "federal", None, source)
    patrol = make_agency("Ohio State Patrol", "state", "OH", source)
    share(sylvania, fbi, source)
    share(sylvania, toledo, source)
    share(sylvania, uspis, source)
    share(
        sylvania,
        patrol,
        source,
        seen_on=date(2023, 8, 1),
        retired_on=date(2024, 2, 1),
        retired_source="https://example.org/sylvania-ended-sharing",
    )
    share(toledo, fbi, source)
    share(ashland, toledo, source)
    portal_figures(
        sylvania,
        source,
        retention_text="30 days",
        retention_days=30,
        owned_cameras=12,
        searches_30d=332,
        url="https://transparency.flocksafety.com/sylvania-oh-pd",
    )
    policy(
        sylvania,
        source,
        prohibited_uses="Immigration enforcement, traffic enforcement, Personal use.",
        prohibits_immigration_enforcement=True,
        url="https://transparency.flocksafety.com/sylvania-oh-pd",
    )
    policy(toledo, source, prohibited_uses="Personal use.", prohibits_immigration_enforcement=False)
    link_operator("Sylvania Police Department", sylvania)
    link_operator("Toledo Police", toledo)
    cameras = {
        "s1": make_camera(-99.5, 40.5, operator="Sylvania Police Department", vendor="flock-safety"),
        "s2": make_camera(-99.45, 40.6, operator="sylvania police department ", vendor="flock-safety"),
        "s3": make_camera(-99.4, 40.7, operator="Sylvania Police Department", vendor="motorola-vigilant"),
        "t1": make_camera(-98.5, 40.5, operator="Toledo Police", vendor="genetec"),
        "t_hidden": make_camera(-98.4, 40.5, operator="Toledo Police", status="hidden"),
        "t_demo": make_camera(-98.3, 40.5, operator="Toledo Police", demo=True),
    }
    # The trigger set cameras.agency_id in the database; the ORM objects must read it again.
    db.session.expire_all()
    return {
        "source": source,
        "sylvania": sylvania,
        "toledo": toledo,
        "ashland": ashland,
        "fbi": fbi,
        "uspis": uspis,
        "patrol": patrol,
        "cameras": cameras,
    }
