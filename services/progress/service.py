"""Progress service: clients, assignments, the portal's actions, measures, the permanent record.

Thin nameko entrypoints over services/progress/application (the pure rules are in domain/). Portal calls carry the client's token
instead of an actor; everything else carries the acting practitioner and clinic.
"""
from __future__ import annotations

import base64
import binascii

from nameko.events import EventDispatcher, event_handler
from nameko.rpc import rpc
from nameko.timer import timer

from interlude import errors, events, paper_forms
from interlude.actor import Actor
from interlude.logging import get_logger
from interlude.metrics import Metrics
from interlude.rpc_timeouts import INNER_SHARE, TimedRpcProxy
from interlude.nameko_deps import Blobs, Config, RequestContext
from interlude.rpc import domain_errors
from services.progress.application import (announcements, assignments, audit, clients, events as record, fhir_export,
                                           measure_view as charts, overview, paper, pathway, portal, projections,
                                           records, reminders, webhook_deliveries as deliveries,
                                           webhook_subscriptions as subscriptions)
from services.progress.dependencies import ProgressStore, Webhooks
from services.progress.domain import portal_rules

log = get_logger(__name__)
REMINDER_INTERVAL_SECONDS = 60
WEBHOOK_RELAY_SECONDS = 1


def clinic_timing(form: dict) -> dict:
    """The clinic's settings the gateway passes with an assignment (gateway/clinic_profile.py): how
    many days the client's link works and how many hours before the deadline the reminder goes."""
    timing = {}
    if form.get("link_days") is not None:
        timing["link_days"] = form["link_days"]
    if form.get("reminder_hours") is not None:
        timing["remind_hours"] = form["reminder_hours"]
    return timing


class ProgressService:
    name = events.PROGRESS

    documents = ProgressStore()
    webhooks = Webhooks()
    blobs = Blobs()   # the filled PDFs clients and practitioners upload (application/paper.py)
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
                                     practitioner_id=form.get("practitioner_id"), language=form.get("language"),
                                     request_key=form.get("request_key"))

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
                                  tool_id=form.get("tool_id"), tool_version=form.get("tool_version"),
                                  chapter=form.get("chapter"),
                                  measure=form.get("measure"), recur=form.get("recur"), title=form.get("title"),
                                  **clinic_timing(form),
                                  request_key=form.get("request_key"), link_secret=self.settings.secret_key)

    @rpc(expected_exceptions=errors.EXPECTED)
    def assign_pathway(self, actor, client_id, form):
        """Several assignments on a schedule: ``{start, steps: [{tool_id | measure, offset_days, recur?, title?}]}``."""
        form = dict(form or {})
        return pathway.assign_pathway(self.documents, Actor.from_dict(actor), client_id, form.get("start"),
                                      form.get("steps"), **clinic_timing(form))

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
    def issue_link(self, actor, assignment_id, link_days=None):
        """``link_days``: how long the link works (the clinic's setting, passed by the gateway)."""
        return assignments.issue_link(self.documents, Actor.from_dict(actor), assignment_id,
                                      days=link_days or assignments.LINK_DAYS)

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
        deleted = records.delete_client(self.documents, Actor.from_dict(actor), client_id)
        deleted["removed"]["paper_pdfs"] = paper.delete_client_pdfs(self.blobs, Actor.from_dict(actor).clinic_id,
                                                                    deleted["client_id"])
        return deleted

    # the audit log (application/audit.py) ---------------------------------------------------
    @rpc(expected_exceptions=errors.EXPECTED)
    def record_access(self, entries):
        """The gateway's entries for one request that touched client data (it answers only once they are written)."""
        return {"recorded": audit.record_access(self.documents, entries)}

    @rpc(expected_exceptions=errors.EXPECTED)
    def audit_log(self, actor, params):
        """A clinic admin's query: ``{client_id?, user_id?, from?, to?, page?, per_page?}``."""
        return audit.query(self.documents, Actor.from_dict(actor), params)

    # the portal (token, no account) --------------------------------------------------------
    @rpc(expected_exceptions=errors.EXPECTED)
    def portal_page(self, token):
        """One open of the link: the finished page view (the gateway only lays it out)."""
        def tool_of(clinic_id, tool_id, version=None):
            with domain_errors():
                return self.catalog_rpc.portal_tool(clinic_id, tool_id, version)
        return portal.page(self.documents, token, tool_of)

    @rpc(expected_exceptions=errors.EXPECTED)
    def portal_context(self, token):
        """The link's clinic and the client's language, for the gateway's page frame. Records nothing."""
        return portal.context(self.documents, token)

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
            lines = submission.get("crisis_lines")
            submission = {**portal_rules.submission_from_form(submission["form"], submission.get("submission_id")),
                          "crisis_lines": lines}
        result = portal.submit(self.documents, token, submission_id=submission.get("submission_id"),
                               fields=submission.get("fields"), answers=submission.get("answers"),
                               extra=submission.get("extra"), crisis_lines=submission.get("crisis_lines"))
        self._announce(token, result)
        return result

    @rpc(expected_exceptions=errors.EXPECTED)
    def portal_rate(self, token, rating, request_key=None):
        return portal.rate(self.documents, token, rating, request_key=request_key)

    @rpc(expected_exceptions=errors.EXPECTED)
    def portal_audio_played(self, token, seconds, request_key=None):
        return portal.audio_played(self.documents, token, seconds, request_key=request_key)

    # paper and online meet: an assignment's fillable PDF goes out stamped, comes back filled ---
    @rpc(expected_exceptions=errors.EXPECTED)
    def paper_stamp(self, actor, assignment_id):
        return paper.stamp_for(self.documents, Actor.from_dict(actor), assignment_id, self.settings.secret_key)

    @rpc(expected_exceptions=errors.EXPECTED)
    def portal_paper_stamp(self, token):
        return paper.portal_stamp_for(self.documents, token, self.settings.secret_key)

    @rpc(expected_exceptions=errors.EXPECTED)
    def record_paper_pdf(self, actor, assignment_id, upload):
        """The practitioner's upload: ``{pdf_base64, filename?, taken_on?}``."""
        upload = dict(upload or {})
        return paper.record_practitioner_pdf(self.documents, self.blobs, Actor.from_dict(actor), assignment_id,
                                             _pdf_of(upload), filename=upload.get("filename") or "",
                                             taken_on=upload.get("taken_on") or None, **self._paper_reading())

    @rpc(expected_exceptions=errors.EXPECTED)
    def portal_paper_pdf(self, token, upload):
        """The client's upload through their link: ``{pdf_base64, filename?}``."""
        upload = dict(upload or {})
        result, _ = paper.record_portal_pdf(self.documents, self.blobs, token, _pdf_of(upload),
                                            filename=upload.get("filename") or "", **self._paper_reading())
        self._announce(token, result)
        return result

    @rpc(expected_exceptions=errors.EXPECTED)
    def paper_pdf(self, actor, client_id, event_id):
        """Where the kept PDF of a submission is (the gateway streams it): ``{key, filename, content_type}``."""
        return paper.pdf_of(self.documents, Actor.from_dict(actor), client_id, event_id)

    def _paper_reading(self) -> dict:
        def tool_of(clinic_id, tool_id):
            with domain_errors():
                return self.catalog_rpc.portal_tool(clinic_id, tool_id)
        # an uploaded file is parsed in a capped child process, never in the service (interlude/paper_forms.py)
        return {"secret_key": self.settings.secret_key, "tool_of": tool_of,
                "read_form": paper_forms.read_form_isolated}

    def _announce(self, token, result):
        """Events for other services and partners (webhook deliveries queued first): ids and scores only."""
        for event, data in announcements.submission(self.documents, token, result):
            self.dispatch(event, data)

    # events from other services ------------------------------------------------------------
    @event_handler(events.WORKBOOK, events.WORKBOOK_RENDERED)
    def on_workbook_rendered(self, payload):
        """An edition enters the client's record, when the workbook was made for a known client."""
        audit.record_render(self.documents, payload)   # idempotent per job: a redelivery writes nothing twice
        client_id = payload.get("client_id")
        if not client_id:
            return
        record.append(self.documents, payload["clinic_id"], client_id, "workbook_edition_created", actor="system",
                      data={"workbook_id": payload["workbook_id"], "number": payload["edition"]},
                      idempotency_key=f"edition:{payload['job_id']}")

    @event_handler(events.WORKBOOK, events.WORKBOOK_RENDERED)
    def announce_workbook_rendered(self, payload):
        """Partners hear of every new edition (a client's or not), once per render job."""
        announcements.workbook_rendered(self.documents, payload)

    @event_handler(events.CATALOG, events.TOOL_RETIRED)
    def on_tool_retired(self, payload):
        marked = assignments.mark_tool_retired(self.documents, payload["tool_id"])
        if marked:
            log.info("assignments_of_retired_tool", tool_id=payload["tool_id"], assignments=marked)

    # reminders -----------------------------------------------------------------------------
    @timer(interval=REMINDER_INTERVAL_SECONDS)
    def send_reminders(self):
        created, outcome = reminders.send_due(self.documents)
        if created or outcome.get("sent"):
            log.info("reminders", created=len(created), **{k: v for k, v in outcome.items() if isinstance(v, int)})

    # webhooks (clinic admins manage them; the relay below delivers) ------------------------
    @timer(interval=WEBHOOK_RELAY_SECONDS)
    def relay_webhooks(self):
        """Attempt every webhook delivery now due (new ones, retries, redeliveries)."""
        counts = deliveries.deliver_due(self.documents, self.webhooks.sender, self.webhooks.retry,
                                        map_=self.webhooks.pool.imap)
        if any(counts.values()):
            log.info("webhooks_relayed", **counts)

    @rpc(expected_exceptions=errors.EXPECTED)
    def create_webhook(self, actor, form, request_key=None):
        return subscriptions.create(self.documents, Actor.from_dict(actor), dict(form or {}),
                                    self.webhooks.policy.check, request_key=request_key)

    @rpc(expected_exceptions=errors.EXPECTED)
    def list_webhooks(self, actor):
        return subscriptions.list_subscriptions(self.documents, Actor.from_dict(actor))

    @rpc(expected_exceptions=errors.EXPECTED)
    def get_webhook(self, actor, subscription_id):
        return subscriptions.get(self.documents, Actor.from_dict(actor), subscription_id)

    @rpc(expected_exceptions=errors.EXPECTED)
    def update_webhook(self, actor, subscription_id, changes):
        return subscriptions.update(self.documents, Actor.from_dict(actor), subscription_id, dict(changes or {}),
                                    self.webhooks.policy.check)

    @rpc(expected_exceptions=errors.EXPECTED)
    def rotate_webhook_secret(self, actor, subscription_id):
        return subscriptions.rotate_secret(self.documents, Actor.from_dict(actor), subscription_id)

    @rpc(expected_exceptions=errors.EXPECTED)
    def delete_webhook(self, actor, subscription_id):
        return subscriptions.delete(self.documents, Actor.from_dict(actor), subscription_id)

    @rpc(expected_exceptions=errors.EXPECTED)
    def webhook_deliveries(self, actor, subscription_id, limit=50):
        return subscriptions.deliveries(self.documents, Actor.from_dict(actor), subscription_id, limit=limit)

    @rpc(expected_exceptions=errors.EXPECTED)
    def redeliver_webhook(self, actor, subscription_id, delivery_id):
        return subscriptions.redeliver(self.documents, Actor.from_dict(actor), subscription_id, delivery_id)


def _pdf_of(upload: dict) -> bytes:
    try:
        data = base64.b64decode(upload.get("pdf_base64") or "", validate=True)
    except (binascii.Error, ValueError, TypeError):
        raise errors.InvalidInput("pdf_base64 must be the PDF file, base64-encoded.") from None
    paper_forms.check_pdf_bytes(data)
    return data
