"""Moderators create and edit agencies (name, kind, state, Wikidata id, aliases), each change one audit
event with its fields from -> to; and the small agency search the moderator forms use to pick one."""

import re
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, or_, select

from webapp.agencies.matching.names import normalized
from webapp.agencies.us_states import STATE_CODES
from webapp.kernel.data.audit import field_changes, record_event
from webapp.kernel.data.models import Agency, AgencyAlias, User
from webapp.kernel.data.row_locks import locked, refuse_stale_edit
from webapp.kernel.errors import InvalidField, NotFound
from webapp.kernel.extensions import db
from webapp.kernel.vocabulary import AGENCY_KINDS, AuditAction, Limits

SEARCH_RESULTS = 20
_WIKIDATA = re.compile(r"^Q[1-9][0-9]*$")


@dataclass(frozen=True)
class AgencyFields:
    name: str
    kind: str
    state: str | None
    wikidata_id: str | None
    aliases: tuple[str, ...] = ()
    test_account: bool = False
    # How the state was inferred (`agency_marks` beside it); a moderator's save makes it theirs (None).
    state_basis: str | None = None

    def snapshot(self) -> dict:
        return {
            "name": self.name,
            "kind": self.kind,
            "state": self.state,
            "state_basis": self.state_basis,
            "test_account": self.test_account,
            "wikidata_id": self.wikidata_id,
            "aliases": sorted(self.aliases),
        }


def agency_fields(
    name, kind, state=None, wikidata_id=None, aliases: list | tuple | str | None = None, test_account=False
) -> AgencyFields:
    """Checked agency fields from a form or a JSON body (InvalidField names the wrong one)."""
    name = " ".join(str(name or "").split())
    if not name:
        raise InvalidField("name", _("Give the agency's name."), "missing_field")
    if len(name) > Limits.AGENCY_NAME_CHARS:
        raise InvalidField("name", _("The name is too long."))
    kind = str(kind or "").strip()
    if kind not in AGENCY_KINDS:
        raise InvalidField("kind", _("Choose what kind of agency it is."))
    state = str(state or "").strip().upper() or None
    if state is not None and state not in STATE_CODES:
        raise InvalidField("state", _("The state must be a two-letter USPS code (for example OH)."))
    wikidata_id = str(wikidata_id or "").strip() or None
    if wikidata_id is not None and not _WIKIDATA.match(wikidata_id):
        raise InvalidField("wikidata_id", _("A Wikidata id looks like Q123456."))
    if isinstance(aliases, str):
        aliases = aliases.splitlines()
    if aliases is not None and not isinstance(aliases, list | tuple):
        raise InvalidField("aliases", _("Aliases must be a list of names."))
    cleaned = tuple(
        dict.fromkeys(" ".join(str(alias).split()) for alias in aliases or () if str(alias).strip())
    )
    if any(len(alias) > Limits.AGENCY_NAME_CHARS for alias in cleaned):
        raise InvalidField("aliases", _("An alias is too long."))
    marked = test_account in (True, "1", "on", "true")
    return AgencyFields(name, kind, state, wikidata_id, cleaned, marked)


def fields_of(agency: Agency) -> AgencyFields:
    aliases = tuple(alias.alias for alias in agency.aliases if alias.alias != agency.name)
    return AgencyFields(
        agency.name,
        agency.kind,
        agency.state,
        agency.wikidata_id,
        aliases,
        agency.test_account,
        agency.state_basis,
    )


def _set_aliases(agency: Agency, names: tuple[str, ...]) -> None:
    """The agency's aliases become its name and `names`, each under its normalised key."""
    wanted = {}
    for alias in (agency.name, *names):
        key = normalized(alias)
        if key:
            wanted.setdefault(key, alias)
    agency.aliases = [alias for alias in agency.aliases if alias.normalized in wanted]
    present = {alias.normalized for alias in agency.aliases}
    for key, alias in wanted.items():
        if key not in present:
            agency.aliases.append(AgencyAlias(normalized=key, alias=alias))
        else:
            next(row for row in agency.aliases if row.normalized == key).alias = alias


def create_agency(moderator: User, fields: AgencyFields) -> Agency:
    agency = Agency(
        name=fields.name,
        kind=fields.kind,
        state=fields.state,
        wikidata_id=fields.wikidata_id,
        test_account=fields.test_account,
    )
    db.session.add(agency)
    _set_aliases(agency, fields.aliases)
    db.session.flush()
    record_event(
        moderator,
        AuditAction.CREATE_AGENCY,
        "agency",
        agency.id,
        to_status=agency.kind,
        changes=field_changes({}, fields.snapshot()),
    )
    return agency


def lock_agency(agency_id: int) -> Agency:
    agency = locked(Agency, agency_id)
    if agency is None:
        raise NotFound(_("No such agency."))
    return agency


def check_agency_version(agency: Agency, seen_version: int) -> None:
    refuse_stale_edit(
        agency,
        seen_version,
        lambda: (
            _(
                "Agency %(id)s changed while you were editing it (version %(seen)s, now %(now)s). Nothing "
                "was saved: reload the page and edit again from the current values.",
                id=agency.id,
                seen=seen_version,
                now=agency.version,
            ),
            {"current": {"version": agency.version, **fields_of(agency).snapshot()}},
        ),
    )


def edit_agency(agency_id: int, moderator: User, fields: AgencyFields, seen_version: int) -> Agency:
    agency = lock_agency(agency_id)
    check_agency_version(agency, seen_version)
    changes = field_changes(fields_of(agency).snapshot(), fields.snapshot())
    if not changes:
        return agency
    agency.name, agency.kind, agency.state, agency.wikidata_id = (
        fields.name,
        fields.kind,
        fields.state,
        fields.wikidata_id,
    )
    agency.test_account, agency.state_basis = fields.test_account, None
    _set_aliases(agency, fields.aliases)
    db.session.flush()
    record_event(moderator, AuditAction.EDIT_AGENCY, "agency", agency.id, changes=changes)
    return agency


def search_agencies(query: str, state: str | None = None, limit: int = SEARCH_RESULTS) -> list[Agency]:
    """Agencies whose name or an alias contains the words of `query` (at least two characters)."""
    query = " ".join(str(query or "").split())[: Limits.AGENCY_NAME_CHARS]
    if len(query) < 2:
        return []
    key = normalized(query) or query.lower()
    alias_match = select(AgencyAlias.agency_id).where(AgencyAlias.normalized.contains(key))
    statement = select(Agency).where(
        or_(func.lower(Agency.name).contains(query.lower()), Agency.id.in_(alias_match))
    )
    if state:
        statement = statement.where(Agency.state == state.upper())
    return list(db.session.scalars(statement.order_by(Agency.name, Agency.id).limit(limit)))
