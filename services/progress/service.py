"""Progress service: clients, assignments, the portal's actions, measures, the permanent record.

Thin nameko entrypoints over services/progress/domain. Portal calls carry the client's token
instead of an actor; everything else carries the acting practitioner and clinic.
"""
from __future__ import annotations

from nameko.events import EventDispatcher, event_handler
from nameko.rpc import rpc
from nameko.timer import timer

from interlude import errors, events
from interlude.actor import Actor
from interlude.logging import get_logger
from interlude.nameko_deps import Config, Documents, RequestContext
from services.progress import fhir_export
from services.progress.domain import (assignments, clients, events as record, measure_view as charts, overview, pathway,
                                      portal, projections, records, reminders)

log = get_logger(__name__)
REMINDER_INTERVAL_SECONDS = 60


class ProgressService:
    name = events.PROGRESS

    documents = Documents()
    settings = Config()
    request_id = RequestContext()
    dispatch = EventDispatcher()

    @rpc
    def health(self):
        self.documents.ping()
        return {"service": self.name, "ok": True}

    # clients and assignments ---------------------------------------------------------------
    @rpc(expected_exceptions=errors.EXPECTED)
    def create_client(self, actor, form):
        form = dict(form or {})
        return clients.create_client(self.documents, Actor.from_dict(actor), display_name=form.get("display_name"),
                                     email=form.get("email"), phone=form.get("phone"),
                                     practitioner_id=form.get("practitioner_id"))

    @rpc(expected_exceptions=errors.EXPECTED)
    def list_clients(self, actor):
        return clients.list_clients(self.documents, Actor.from_dict(actor))

    @rpc(expected_exceptions=errors.EXPECTED)
    def get_client(self, actor, client_id):
        return clients.get_client(self.documents, Actor.from_dict(actor), client_id)

    @rpc(expected_exceptions=errors.EXPECTED)
    def assign(self, actor, client_id, form):
        form = dict(form or {})
        return assignments.assign(self.documents, Actor.from_dict(actor), client_id, due=form.get("due"),
                                  tool_id=form.get("tool_id"), chapter=form.get("chapter"),
                                  measure=form.get("measure"), recur=form.get("recur"), title=form.get("title"))

    @rpc(expected_exceptions=errors.EXPECTED)
    def assign_pathway(self, actor, client_id, form):
        """Several assignments on a schedule: ``{start, steps: [{tool_id | measure, offset_days, recur?, title?}]}``."""
        form = dict(form or {})
        return pathway.assign_pathway(self.documents, Actor.from_dict(actor), client_id, form.get("start"),
                                      form.get("steps"))

    @rpc(expected_exceptions=errors.EXPECTED)
    def list_assignments(self, actor, client_id):
        return projections.client_assignments(self.documents, Actor.from_dict(actor), client_id)

    @rpc(expected_exceptions=errors.EXPECTED)
    def issue_link(self, actor, assignment_id):
        return assignments.issue_link(self.documents, Actor.from_dict(actor), assignment_id)

    @rpc(expected_exceptions=errors.EXPECTED)
    def revoke_links(self, actor, assignment_id):
        return {"revoked": assignments.revoke_links(self.documents, Actor.from_dict(actor), assignment_id)}

    # the record ----------------------------------------------------------------------------
    @rpc(expected_exceptions=errors.EXPECTED)
    def timeline(self, actor, client_id):
        return projections.timeline(self.documents, Actor.from_dict(actor), client_id)

    @rpc(expected_exceptions=errors.EXPECTED)
    def dashboard(self, actor):
        return projections.dashboard(self.documents, Actor.from_dict(actor))

    @rpc(expected_exceptions=errors.EXPECTED)
    def practice_overview(self, actor):
        """The web app's dashboard: risk flags, submissions to review, overdue and due-soon homework."""
        return overview.overview(self.documents, Actor.from_dict(actor))

    @rpc(expected_exceptions=errors.EXPECTED)
    def acknowledge_flag(self, actor, client_id, flag_event_id, note):
        return overview.acknowledge_flag(self.documents, Actor.from_dict(actor), client_id, flag_event_id, note)

    @rpc(expected_exceptions=errors.EXPECTED)
    def measure_view(self, actor, client_id, slug, window="all"):
        """One measure's chart over a window (3m, 6m, all) with the item answers of each date."""
        return charts.measure_view(self.documents, Actor.from_dict(actor), client_id, slug, window)

    @rpc(expected_exceptions=errors.EXPECTED)
    def measures_taken(self, actor, client_id):
        return charts.measures_taken(self.documents, Actor.from_dict(actor), client_id)

    @rpc(expected_exceptions=errors.EXPECTED)
    def measure_series(self, actor, client_id, slug):
        actor = Actor.from_dict(actor)
        series = projections.measure_series(self.documents, actor, client_id, slug)
        return {"measure": slug, "series": [{"date": d, "total": t, "band": b} for d, t, b in series],
                "svg": projections.trend_svg(self.documents, actor, client_id, slug)}

    @rpc(expected_exceptions=errors.EXPECTED)
    def export_client(self, actor, client_id):
        return records.export_client(self.documents, Actor.from_dict(actor), client_id)

    @rpc(expected_exceptions=errors.EXPECTED)
    def export_fhir(self, actor, client_id):
        return fhir_export.client_bundle(self.documents, Actor.from_dict(actor), client_id)

    @rpc(expected_exceptions=errors.EXPECTED)
    def delete_client(self, actor, client_id):
        return records.delete_client(self.documents, Actor.from_dict(actor), client_id)

    @rpc(expected_exceptions=errors.EXPECTED)
    def audit_trail(self, actor, client_id=None):
        return records.audit_trail(self.documents, Actor.from_dict(actor), client_id=client_id)

    # the portal (token, no account) --------------------------------------------------------
    @rpc(expected_exceptions=errors.EXPECTED)
    def portal_open(self, token):
        view = portal.open_assignment(self.documents, token)
        _assignment, client = assignments.resolve_portal(self.documents, token)
        # for the gateway, to fetch a clinic's own tool; the page never shows it
        return {**view, "clinic_id": client["clinic_id"]}

    @rpc(expected_exceptions=errors.EXPECTED)
    def portal_view(self, token):
        return portal.view(self.documents, token)

    @rpc(expected_exceptions=errors.EXPECTED)
    def portal_draft(self, token, fields):
        return portal.save_draft(self.documents, token, fields)

    @rpc(expected_exceptions=errors.EXPECTED)
    def portal_submit(self, token, submission):
        submission = dict(submission or {})
        result = portal.submit(self.documents, token, submission_id=submission.get("submission_id"),
                               fields=submission.get("fields"), answers=submission.get("answers"),
                               extra=submission.get("extra"))
        self._announce(token, result)
        return result

    @rpc(expected_exceptions=errors.EXPECTED)
    def portal_rate(self, token, rating):
        return portal.rate(self.documents, token, rating)

    @rpc(expected_exceptions=errors.EXPECTED)
    def portal_audio_played(self, token, seconds):
        return portal.audio_played(self.documents, token, seconds)

    def _announce(self, token, result):
        """Events for other services and partners: ids and scores, never answers or notes."""
        assignment, client = assignments.resolve_portal(self.documents, token)
        base = {"clinic_id": client["clinic_id"], "client_id": client["id"], "assignment_id": assignment["id"],
                "submission_id": result.get("submission_id")}
        self.dispatch(events.HOMEWORK_COMPLETED, base)
        if result.get("score"):
            self.dispatch(events.MEASURE_SCORED, {**base, "measure": result["score"]["measure"],
                                                  "total": result["score"]["total"], "band": result["score"].get("band")})
        if result.get("flags"):
            self.dispatch(events.RISK_FLAGGED, {**base, "flags": list(result["flags"])})
            log.warning("risk_flagged", client_id=client["id"], assignment_id=assignment["id"])

    # events from other services ------------------------------------------------------------
    @event_handler(events.WORKBOOK, events.WORKBOOK_RENDERED)
    def on_workbook_rendered(self, payload):
        """An edition enters the client's record, when the workbook was made for a known client."""
        client_id = payload.get("client_id")
        if not client_id:
            return
        record.append(self.documents, payload["clinic_id"], client_id, "workbook_edition_created", actor="system",
                      data={"workbook_id": payload["workbook_id"], "number": payload["edition"]},
                      idempotency_key=f"edition:{payload['job_id']}")

    @event_handler(events.CATALOG, events.TOOL_RETIRED)
    def on_tool_retired(self, payload):
        marked = assignments.mark_tool_retired(self.documents, payload["tool_id"])
        if marked:
            log.info("assignments_of_retired_tool", tool_id=payload["tool_id"], assignments=marked)

    # reminders -----------------------------------------------------------------------------
    @timer(interval=REMINDER_INTERVAL_SECONDS)
    def send_reminders(self):
        created = reminders.due_reminders(self.documents)
        sender = (reminders.WebhookSender(self.settings.reminder_webhook_url, self.settings.reminder_webhook_secret)
                  if self.settings.reminder_webhook_url else reminders.LogSender())
        outcome = reminders.deliver(self.documents, sender)
        if created or outcome.get("sent"):
            log.info("reminders", created=len(created), **{k: v for k, v in outcome.items() if isinstance(v, int)})
