"""A moderator's form or JSON body read into the calls of the agencies' moderation functions: the same
for the pages (webapp.agencies.moderation.routes) and the JSON API (webapp.agencies.moderation.api)."""

from flask_login import current_user

from webapp.agencies.moderation import agency_edits, operator_decisions, relations
from webapp.kernel.data.models import AgencySharing
from webapp.kernel.data.row_locks import seen_version


def agency_fields_from(values) -> agency_edits.AgencyFields:
    return agency_edits.agency_fields(
        values.get("name"),
        values.get("kind"),
        values.get("state"),
        values.get("wikidata_id"),
        values.get("aliases"),
        values.get("test_account", False),
    )


def decide_operator_from(link_id: int, decision: str, values):
    version = seen_version(values.get("version"))
    if decision == "link":
        return operator_decisions.link_to_agency(link_id, current_user, values.get("agency_id"), version)
    if decision == "create":
        return operator_decisions.create_agency_and_link(
            link_id, current_user, agency_fields_from(values), version
        )
    return operator_decisions.no_agency_fits(link_id, current_user, version)


def add_relation_from(from_agency_id, values) -> AgencySharing:
    return relations.add_relation(
        current_user, from_agency_id, values.get("to_agency_id"), values.get("source"), values.get("seen_on")
    )


def change_relation_from(relation_id: int, change: str, values) -> AgencySharing:
    version = seen_version(values.get("version"))
    reason = values.get("reason") if isinstance(values.get("reason"), str) else None
    if change == "correct":
        return relations.correct_relation(
            relation_id, current_user, version, values.get("source"), values.get("seen_on"), reason
        )
    return relations.retire_relation(
        relation_id, current_user, version, values.get("retired_on"), values.get("source"), reason
    )
