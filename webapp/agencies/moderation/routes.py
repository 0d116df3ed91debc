"""Moderators' pages and JSON for agencies: the queue of operator texts (confirm, pick, create, none fits),
creating and editing agencies, and adding, correcting and retiring sharing relations. Only moderators may
use them (the HTML pages send others to log in or answer 403; the JSON answers 401/403)."""

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from webapp.agencies.moderation import agency_edits, operator_decisions, relations
from webapp.agencies.moderation.blueprint import bp
from webapp.agencies.us_states import STATES
from webapp.kernel.access import moderator_required
from webapp.kernel.errors import InvalidField, NotFound
from webapp.kernel.extensions import db
from webapp.kernel.models import Agency, AgencySharing
from webapp.kernel.transactions import commit
from webapp.kernel.vocabulary import AGENCY_KIND_LABELS
from webapp.moderation.request_parsing import json_body

API = "/api/v1/moderation/agencies"


def _version(raw) -> int:
    try:
        return int(raw)
    except (TypeError, ValueError) as error:
        raise InvalidField(
            "version", _("The version of what you edited is missing."), "missing_field"
        ) from error


def _agency_or_404(agency_id: int) -> Agency:
    agency = db.session.get(Agency, agency_id)
    if agency is None:
        raise NotFound(_("No such agency."))
    return agency


def _fields_from(values) -> agency_edits.AgencyFields:
    return agency_edits.agency_fields(
        values.get("name"),
        values.get("kind"),
        values.get("state"),
        values.get("wikidata_id"),
        values.get("aliases"),
        values.get("test_account", False),
    )


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


# The queue of operator texts.


@bp.get("/moderate/agencies/operators")
@moderator_required
def operator_queue():
    items, total = operator_decisions.queued_texts()
    search_for = request.args.get("link", type=int)
    results = agency_edits.search_agencies(request.args.get("q", "")) if search_for else []
    return render_template(
        "agencies/moderate/operators.html",
        items=items,
        total=total,
        search_for=search_for,
        query=request.args.get("q", ""),
        results=results,
        kinds=AGENCY_KIND_LABELS,
        states=STATES,
    )


@bp.post("/moderate/agencies/operators/<id:link_id>/<any(link, create, unmatched):decision>")
@moderator_required
def decide_operator(link_id: int, decision: str):
    _decide_operator(link_id, decision, request.form)
    commit()
    flash(_("Saved: the decision is in the audit history."))
    return redirect(url_for("agencies_moderation.operator_queue"), 303)


def _decide_operator(link_id: int, decision: str, values):
    version = _version(values.get("version"))
    if decision == "link":
        return operator_decisions.link_to_agency(link_id, current_user, values.get("agency_id"), version)
    if decision == "create":
        return operator_decisions.create_agency_and_link(link_id, current_user, _fields_from(values), version)
    return operator_decisions.no_agency_fits(link_id, current_user, version)


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
    link = _decide_operator(link_id, decision, json_body(request))
    commit()
    return jsonify(operator_decisions.link_state(link))


# Agencies.


@bp.get("/moderate/agencies/new")
@moderator_required
def new_agency():
    return render_template(
        "agencies/moderate/agency_form.html", agency=None, kinds=AGENCY_KIND_LABELS, states=STATES
    )


@bp.post("/moderate/agencies")
@moderator_required
def create_agency():
    agency = agency_edits.create_agency(current_user, _fields_from(request.form))
    commit()
    flash(_("Agency created."))
    return redirect(url_for("agencies_moderation.edit_agency_form", agency_id=agency.id), 303)


@bp.get("/moderate/agencies/<id:agency_id>")
@moderator_required
def edit_agency_form(agency_id: int):
    agency = _agency_or_404(agency_id)
    return render_template(
        "agencies/moderate/agency_form.html",
        agency=agency,
        fields=agency_edits.fields_of(agency),
        relations=relations.relations_of(agency.id),
        kinds=AGENCY_KIND_LABELS,
        states=STATES,
    )


@bp.post("/moderate/agencies/<id:agency_id>")
@moderator_required
def edit_agency(agency_id: int):
    agency_edits.edit_agency(
        agency_id, current_user, _fields_from(request.form), _version(request.form.get("version"))
    )
    commit()
    flash(_("Agency saved."))
    return redirect(url_for("agencies_moderation.edit_agency_form", agency_id=agency_id), 303)


@bp.post(API)
@moderator_required
def create_agency_json():
    agency = agency_edits.create_agency(current_user, _fields_from(json_body(request)))
    commit()
    return jsonify(_agency_json(agency)), 201


@bp.post(f"{API}/<id:agency_id>")
@moderator_required
def edit_agency_json(agency_id: int):
    body = json_body(request)
    agency = agency_edits.edit_agency(
        agency_id, current_user, _fields_from(body), _version(body.get("version"))
    )
    commit()
    return jsonify(_agency_json(agency))


# Sharing relations.


def _add_relation(from_agency_id, values) -> AgencySharing:
    return relations.add_relation(
        current_user, from_agency_id, values.get("to_agency_id"), values.get("source"), values.get("seen_on")
    )


def _change_relation(relation_id: int, change: str, values) -> AgencySharing:
    version = _version(values.get("version"))
    reason = values.get("reason") if isinstance(values.get("reason"), str) else None
    if change == "correct":
        return relations.correct_relation(
            relation_id, current_user, version, values.get("source"), values.get("seen_on"), reason
        )
    return relations.retire_relation(
        relation_id, current_user, version, values.get("retired_on"), values.get("source"), reason
    )


@bp.post("/moderate/agencies/<id:agency_id>/sharing")
@moderator_required
def add_relation(agency_id: int):
    _add_relation(agency_id, request.form)
    commit()
    flash(_("Sharing relation recorded."))
    return redirect(url_for("agencies_moderation.edit_agency_form", agency_id=agency_id), 303)


@bp.post("/moderate/agencies/sharing/<id:relation_id>/<any(correct, retire):change>")
@moderator_required
def change_relation(relation_id: int, change: str):
    relation = _change_relation(relation_id, change, request.form)
    commit()
    flash(_("Sharing relation saved."))
    return redirect(url_for("agencies_moderation.edit_agency_form", agency_id=relation.from_agency_id), 303)


@bp.post(f"{API}/sharing")
@moderator_required
def add_relation_json():
    body = json_body(request)
    relation = _add_relation(body.get("from_agency_id"), body)
    commit()
    return jsonify(_relation_json(relation)), 201


@bp.post(f"{API}/sharing/<id:relation_id>/<any(correct, retire):change>")
@moderator_required
def change_relation_json(relation_id: int, change: str):
    relation = _change_relation(relation_id, change, json_body(request))
    commit()
    return jsonify(_relation_json(relation))
