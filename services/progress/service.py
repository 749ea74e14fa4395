"""Progress service: clients, assignments, the portal's actions, measures, the permanent record.

Thin nameko entrypoints over services/progress/application (the pure rules are in domain/). Portal calls carry the client's token
instead of an actor; everything else carries the acting practitioner and clinic.
"""
from __future__ import annotations

from nameko.events import EventDispatcher, event_handler
from nameko.rpc import rpc
from nameko.timer import timer

from interlude import errors, events
from interlude.actor import Actor
from interlude.logging import get_logger
from interlude.metrics import Metrics
from interlude.rpc_timeouts import INNER_SHARE, TimedRpcProxy
from interlude.nameko_deps import Config, RequestContext
from interlude.rpc import domain_errors
from services.progress.application import (assignments, clients, events as record, fhir_export,
                                           measure_view as charts, overview, pathway, portal, projections,
                                           records, reminders)
from services.progress.dependencies import ProgressStore
from services.progress.domain import portal_rules

log = get_logger(__name__)
REMINDER_INTERVAL_SECONDS = 60


class ProgressService:
    name = events.PROGRESS

    documents = ProgressStore()
    settings = Config()
    request_id = RequestContext()
    dispatch = EventDispatcher()
    metrics = Metrics()
    catalog_rpc = TimedRpcProxy(events.CATALOG, share=INNER_SHARE)

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
                                     practitioner_id=form.get("practitioner_id"), request_key=form.get("request_key"))

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
                                  measure=form.get("measure"), recur=form.get("recur"), title=form.get("title"),
                                  request_key=form.get("request_key"), link_secret=self.settings.secret_key)

    @rpc(expected_exceptions=errors.EXPECTED)
    def assign_pathway(self, actor, client_id, form):
        """Several assignments on a schedule: ``{start, steps: [{tool_id | measure, offset_days, recur?, title?}]}``."""
        form = dict(form or {})
        return pathway.assign_pathway(self.documents, Actor.from_dict(actor), client_id, form.get("start"),
                                      form.get("steps"))

    @rpc(expected_exceptions=errors.EXPECTED)
    def update_client(self, actor, client_id, changes):
        return clients.update_client(self.documents, Actor.from_dict(actor), client_id, dict(changes or {}))

    @rpc(expected_exceptions=errors.EXPECTED)
    def get_assignment(self, actor, assignment_id):
        return assignments.get_assignment(self.documents, Actor.from_dict(actor), assignment_id)

    @rpc(expected_exceptions=errors.EXPECTED)
    def revoke_assignment(self, actor, assignment_id, reason=None):
        return assignments.revoke_assignment(self.documents, Actor.from_dict(actor), assignment_id, reason=reason)

    @rpc(expected_exceptions=errors.EXPECTED)
    def assign_again(self, actor, assignment_id, due):
        return assignments.assign_again(self.documents, Actor.from_dict(actor), assignment_id, due=due)

    @rpc(expected_exceptions=errors.EXPECTED)
    def record_on_paper(self, actor, assignment_id, form):
        form = dict(form or {})
        return portal.record_on_paper(self.documents, Actor.from_dict(actor), assignment_id,
                                      taken_on=form.get("taken_on"), fields=form.get("fields"),
                                      answers=form.get("answers"), extra=form.get("extra"),
                                      submission_id=form.get("submission_id"))

    @rpc(expected_exceptions=errors.EXPECTED)
    def review_risk_flag(self, actor, client_id, event_id, note):
        return records.review_risk_flag(self.documents, Actor.from_dict(actor), client_id, event_id, note=note)

    @rpc(expected_exceptions=errors.EXPECTED)
    def withdraw_event(self, actor, client_id, event_id, reason):
        return records.withdraw_event(self.documents, Actor.from_dict(actor), client_id, event_id, reason=reason)

    @rpc(expected_exceptions=errors.EXPECTED)
    def correct_measure(self, actor, client_id, event_id, form):
        form = dict(form or {})
        return records.correct_measure(self.documents, Actor.from_dict(actor), client_id, event_id,
                                       answers=form.get("answers"), reason=form.get("reason"),
                                       taken_on=form.get("taken_on"))

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
    def workbook_progress(self, actor, client_id, measure=None):
        """The progress summary a later workbook edition carries (services/workbook asks)."""
        return projections.workbook_summary(self.documents, Actor.from_dict(actor), str(client_id), measure)

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
    def portal_page(self, token):
        """One open of the link: the finished page view (the gateway only lays it out)."""
        def tool_of(clinic_id, tool_id):
            with domain_errors():
                return self.catalog_rpc.portal_tool(clinic_id, tool_id)
        return portal.page(self.documents, token, tool_of)

    @rpc(expected_exceptions=errors.EXPECTED)
    def portal_progress_page(self, token):
        return portal.progress_page(self.documents, token)

    @rpc(expected_exceptions=errors.EXPECTED)
    def portal_audio(self, token):
        """The link's audio (a download link from the catalog service). Records nothing."""
        clinic_id, tool_id = portal.tool_reference(self.documents, token)
        with domain_errors():
            return self.catalog_rpc.portal_audio(clinic_id, tool_id)

    @rpc(expected_exceptions=errors.EXPECTED)
    def portal_draft(self, token, fields, request_key=None):
        return portal.save_draft(self.documents, token, fields, request_key=request_key)

    @rpc(expected_exceptions=errors.EXPECTED)
    def portal_submit(self, token, submission):
        submission = dict(submission or {})
        if "form" in submission:   # a posted HTML form: the portal's rules say what it holds
            submission = portal_rules.submission_from_form(submission["form"], submission.get("submission_id"))
        result = portal.submit(self.documents, token, submission_id=submission.get("submission_id"),
                               fields=submission.get("fields"), answers=submission.get("answers"),
                               extra=submission.get("extra"))
        self._announce(token, result)
        return result

    @rpc(expected_exceptions=errors.EXPECTED)
    def portal_rate(self, token, rating, request_key=None):
        return portal.rate(self.documents, token, rating, request_key=request_key)

    @rpc(expected_exceptions=errors.EXPECTED)
    def portal_audio_played(self, token, seconds, request_key=None):
        return portal.audio_played(self.documents, token, seconds, request_key=request_key)

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
        created, outcome = reminders.send_due(self.documents, self.settings.reminder_webhook_url,
                                              self.settings.reminder_webhook_secret)
        if created or outcome.get("sent"):
            log.info("reminders", created=len(created), **{k: v for k, v in outcome.items() if isinstance(v, int)})
