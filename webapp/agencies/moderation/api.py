"""The moderators' JSON for agencies under /api/v1/moderation/agencies: the queue of operator texts and
their decisions, creating and editing agencies, adding, correcting and retiring sharing relations (the
pages are in webapp.agencies.moderation.routes, on the same blueprint). Only moderators (401/403)."""

from flask import jsonify, request
from flask_login import current_user

from webapp.agencies.moderation import agency_edits, operator_decisions
from webapp.agencies.moderation.blueprint import bp
from webapp.agencies.moderation.form_values import (
    add_relation_from,
    agency_fields_from,
    change_relation_from,
    decide_operator_from,
)
from webapp.kernel.data.models import Agency, AgencySharing
from webapp.kernel.data.row_locks import seen_version
from webapp.kernel.data.transactions import commit
from webapp.kernel.http.access import moderator_required
from webapp.moderation.request_parsing import json_body

API = "/api/v1/moderation/agencies"


def _agency_json(agency: Agency) -> dict:
    return {"id": agency.id, "version": agency.version, **agency_edits.fields_of(agency).snapshot()}


def _relation_json(relation: AgencySharing) -> dict:
    return {
        "id": relation.id,
        "version": relation.version,
        "from_agency_id": relation.from_agency_id,
        "to_agency_id": relation.to_agency_id,
        "source": relation.source,
        "seen_on": relation.seen_on.isoformat(),
        "recorded_by": relation.recorded_by,
        "retired_on": relation.retired_on.isoformat() if relation.retired_on else None,
        "retired_source": relation.retired_source,
    }


@bp.get(f"{API}/operators")
@moderator_required
def operator_queue_json():
    items, total = operator_decisions.queued_texts()
    return jsonify(
        total=total,
        operators=[
            {
                **operator_decisions.link_state(item.link),
                "cameras": item.cameras,
                "states": {item.state: item.cameras} if item.state else {},
            }
            for item in items
        ],
    )


@bp.post(f"{API}/operators/<id:link_id>/<any(link, create, unmatched):decision>")
@moderator_required
def decide_operator_json(link_id: int, decision: str):
    link = decide_operator_from(link_id, decision, json_body(request))
    commit()
    return jsonify(operator_decisions.link_state(link))


@bp.post(API)
@moderator_required
def create_agency_json():
    agency = agency_edits.create_agency(current_user, agency_fields_from(json_body(request)))
    commit()
    return jsonify(_agency_json(agency)), 201


@bp.post(f"{API}/<id:agency_id>")
@moderator_required
def edit_agency_json(agency_id: int):
    body = json_body(request)
    agency = agency_edits.edit_agency(
        agency_id, current_user, agency_fields_from(body), seen_version(body.get("version"))
    )
    commit()
    return jsonify(_agency_json(agency))


@bp.post(f"{API}/sharing")
@moderator_required
def add_relation_json():
    body = json_body(request)
    relation = add_relation_from(body.get("from_agency_id"), body)
    commit()
    return jsonify(_relation_json(relation)), 201


@bp.post(f"{API}/sharing/<id:relation_id>/<any(correct, retire):change>")
@moderator_required
def change_relation_json(relation_id: int, change: str):
    relation = change_relation_from(relation_id, change, json_body(request))
    commit()
    return jsonify(_relation_json(relation))
