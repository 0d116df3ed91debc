"""Moderators' pages for agencies: the queue of operator texts (confirm, pick, create, none fits), creating
and editing agencies, and adding, correcting and retiring sharing relations (their JSON twins are in
webapp.agencies.moderation.api). Only moderators may use them (others are sent to log in or answered 403)."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from webapp.agencies.moderation import agency_edits, operator_decisions, relations
from webapp.agencies.moderation.blueprint import bp
from webapp.agencies.moderation.form_values import (
    add_relation_from,
    agency_fields_from,
    change_relation_from,
    decide_operator_from,
)
from webapp.agencies.us_states import STATES
from webapp.kernel.data.models import Agency
from webapp.kernel.data.row_locks import seen_version
from webapp.kernel.data.transactions import commit
from webapp.kernel.errors import NotFound
from webapp.kernel.extensions import db
from webapp.kernel.http.access import moderator_required
from webapp.kernel.vocabulary import AGENCY_KIND_LABELS


def _agency_or_404(agency_id: int) -> Agency:
    agency = db.session.get(Agency, agency_id)
    if agency is None:
        raise NotFound(_("No such agency."))
    return agency


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
    decide_operator_from(link_id, decision, request.form)
    commit()
    flash(_("Saved: the decision is in the audit history."))
    return redirect(url_for("agencies_moderation.operator_queue"), 303)


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
    agency = agency_edits.create_agency(current_user, agency_fields_from(request.form))
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
        agency_id, current_user, agency_fields_from(request.form), seen_version(request.form.get("version"))
    )
    commit()
    flash(_("Agency saved."))
    return redirect(url_for("agencies_moderation.edit_agency_form", agency_id=agency_id), 303)


# Sharing relations.


@bp.post("/moderate/agencies/<id:agency_id>/sharing")
@moderator_required
def add_relation(agency_id: int):
    add_relation_from(agency_id, request.form)
    commit()
    flash(_("Sharing relation recorded."))
    return redirect(url_for("agencies_moderation.edit_agency_form", agency_id=agency_id), 303)


@bp.post("/moderate/agencies/sharing/<id:relation_id>/<any(correct, retire):change>")
@moderator_required
def change_relation(relation_id: int, change: str):
    relation = change_relation_from(relation_id, change, request.form)
    commit()
    flash(_("Sharing relation saved."))
    return redirect(url_for("agencies_moderation.edit_agency_form", agency_id=relation.from_agency_id), 303)
