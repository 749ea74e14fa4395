"""Which gateway routes touch client data, and what their audit entries say (issue #17).

One table for the JSON API, the web app and the portal, keyed by the route's handler name (its
method on GatewayService). ``gateway.audit`` applies it after a handler succeeded; a new route is
covered by adding one line here. tests/integration/test_audit_log.py fails when a route is in
neither table, or when a route whose path names a client, an assignment, a workbook or a portal
link is declared as not touching client data.

The ids of an entry come from the route's path variables (client_id, assignment_id, workbook_id,
event_id, job_id, number, slug), plus what a rule adds from the handler's result, the posted form
or the redirect it answers with. Ids only: never a name or an answer.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

PATH_IDS = {"client_id": "client_id", "assignment_id": "assignment_id", "workbook_id": "workbook_id",
            "event_id": "event_id", "job_id": "job_id", "number": "edition", "slug": "measure"}


@dataclass(frozen=True)
class Access:
    """What a rule may read: the request, the path variables and the handler's result."""
    request: object
    path: dict
    result: object


Subjects = Callable[[Access], list[dict]]


@dataclass(frozen=True)
class Rule:
    action: str
    subjects: tuple[Subjects, ...] = field(default=())
    caller: str = "user"          # "user" (session or API key), "portal_link" or "signed_link"


def _dig(data, dotted: str):
    for part in dotted.split("."):
        data = data.get(part) if isinstance(data, dict) else None
    return data


def from_result(**names: str) -> Subjects:
    """Ids from a JSON result: ``from_result(client_id="id")`` takes result["id"] as the client id."""
    def subjects(access: Access) -> list[dict]:
        payload = access.result[-1] if isinstance(access.result, tuple) else access.result
        return [{name: _dig(payload, dotted) for name, dotted in names.items()}]
    return subjects


def from_form(name: str) -> Subjects:
    """One entry per id posted in a form field (a tool assigned to several clients)."""
    def subjects(access: Access) -> list[dict]:
        form = getattr(access.request, "form", None)
        return [{name: value} for value in (form.getlist(name) if form is not None else []) if value]
    return subjects


def from_redirect(pattern: str, name: str) -> Subjects:
    """The id a page redirects to (``/clients/<id>`` after creating a client)."""
    compiled = re.compile(pattern)

    def subjects(access: Access) -> list[dict]:
        location = getattr(access.result, "headers", {}).get("Location", "") or ""
        found = compiled.match(location)
        return [{name: found.group(1)}] if found else []
    return subjects


WORKBOOK_CLIENT = from_result(client_id="client_id")

AUDITED: dict[str, Rule] = {
    # JSON API: clients and the record
    "list_clients": Rule("clients.list"),
    "create_client": Rule("client.create", (from_result(client_id="id"),)),
    "get_client": Rule("client.read"),
    "update_client": Rule("client.update"),
    "client_portal_language": Rule("client.update"),
    "delete_client": Rule("client.delete"),
    "dashboard": Rule("clients.overview"),
    "list_assignments": Rule("assignments.list"),
    "assign": Rule("assignment.create", (from_result(assignment_id="assignment.id"),)),
    "get_assignment": Rule("assignment.read", (from_result(client_id="client_id"),)),
    "revoke_assignment": Rule("assignment.revoke", (from_result(client_id="client_id"),)),
    "assign_again": Rule("assignment.again", (from_result(client_id="client_id"),)),
    "record_on_paper": Rule("submission.paper"),
    "issue_link": Rule("link.issue"),
    "revoke_links": Rule("links.revoke"),
    "timeline": Rule("record.read"),
    "measure_series": Rule("measure.read"),
    "review_risk_flag": Rule("risk_flag.review"),
    "correct_measure": Rule("measure.correct"),
    "withdraw_event": Rule("event.withdraw"),
    "export_client": Rule("record.export"),
    # A delivery's payload names clients by id with scores and flags: reading or resending it is logged.
    "list_webhook_deliveries": Rule("webhook_deliveries.read"),
    "redeliver_webhook": Rule("webhook_delivery.resend"),
    "webhook_redeliver": Rule("webhook_delivery.resend"),
    "export_fhir": Rule("record.export_fhir"),
    # JSON API: workbooks (made for a client, or carrying a client's name)
    "create_workbook": Rule("workbook.create", (from_result(workbook_id="id", client_id="client_id"),)),
    "list_workbooks": Rule("workbooks.list"),
    "get_workbook": Rule("workbook.read", (WORKBOOK_CLIENT,)),
    "update_workbook": Rule("workbook.update", (WORKBOOK_CLIENT,)),
    "render_workbook": Rule("workbook.render"),
    "render_job": Rule("workbook.job_read"),
    "list_editions": Rule("editions.list"),
    "edition_pdf": Rule("edition.download"),
    # the portal: the client, by the link's token (progress resolves it to clinic, client, assignment)
    "portal_page": Rule("portal.view", caller="portal_link"),
    "portal_draft": Rule("portal.draft", caller="portal_link"),
    "portal_submit": Rule("portal.submit", caller="portal_link"),
    "portal_rating": Rule("portal.rate", caller="portal_link"),
    "portal_audio_played": Rule("portal.audio_played", caller="portal_link"),
    "portal_audio": Rule("portal.audio", caller="portal_link"),
    "portal_progress": Rule("portal.progress", caller="portal_link"),
    # paper and online meet (issue #16): an assignment's fillable PDF out, the filled one back in
    "portal_fillable_pdf": Rule("portal.fillable_pdf", caller="portal_link"),
    "portal_paper_page": Rule("portal.paper_page", caller="portal_link"),
    "portal_paper_upload": Rule("portal.paper_upload", caller="portal_link"),
    "assignment_fillable_pdf": Rule("assignment.fillable_pdf"),
    "assignment_paper_pdf": Rule("submission.paper_pdf"),
    "client_paper_upload": Rule("submission.paper_pdf"),
    "client_paper_pdf": Rule("record.paper_pdf"),
    # a signed download link (an edition's PDF): the workbook service says whose it is
    "signed_file": Rule("file.download", caller="signed_link"),
    # the web app
    "dashboard_page": Rule("clients.overview"),
    "clients_page": Rule("clients.list"),
    "client_create": Rule("client.create", (from_redirect(r"^/clients/([A-Za-z0-9_-]+)$", "client_id"),)),
    "client_page": Rule("client.read"),
    "client_assign_measure": Rule("assignment.create"),
    "client_new_link": Rule("link.issue"),
    "client_delete": Rule("client.delete"),
    "acknowledge_flag": Rule("risk_flag.review"),
    "tool_page": Rule("clients.list"),                       # its assign form lists the clients
    "tool_assign": Rule("tool.assign", (from_form("client_id"),)),
    "tool_add_to_workbook": Rule("workbook.update", (from_form("workbook_id"),)),
    "workbooks_page": Rule("workbooks.list"),
    "workbook_new": Rule("clients.list"),                    # the client picker
    "workbook_create": Rule("workbook.create", (from_redirect(r"^/workbooks/([A-Za-z0-9_-]+)$", "workbook_id"),)),
    "workbook_page": Rule("workbook.read"),
    "workbook_edit": Rule("workbook.update"),
    "workbook_render": Rule("workbook.render"),
    "workbook_job_status": Rule("workbook.job_read"),
    "workbook_pathway": Rule("pathway.assign", (from_form("client_id"),)),
}

# Routes that read or write no client data, and why (the test demands a reason for each).
NOT_CLIENT_DATA: dict[str, str] = {
    "healthz": "probe", "readyz": "probe", "openapi": "the API document",
    "login": "identity", "logout": "identity", "logout_everywhere": "identity", "me": "identity",
    "list_users": "the clinic's staff", "create_user": "the clinic's staff",
    "login_form": "identity", "login_submit": "identity", "logout_submit": "identity",
    "static_file": "static files",
    "list_tools": "catalogue", "get_tool": "catalogue", "tool_pdf": "catalogue", "tool_audio": "catalogue",
    "taxonomy": "catalogue", "search": "catalogue", "suggest": "catalogue", "similar": "catalogue",
    "catalogue_page": "catalogue", "catalogue_suggest": "catalogue", "tool_thumbnail": "catalogue",
    "tool_favourite": "the practitioner's shelf",
    "score_measure": "scores answers it is sent and keeps nothing, names no client",
    "propose_workbook_plan": "a plan from problems and an age group, for no client",
    "upload_media": "clinic media", "list_media": "clinic media", "get_media": "clinic media",
    "list_clinic_tools": "clinic tools", "create_clinic_tool": "clinic tools", "get_clinic_tool": "clinic tools",
    "update_clinic_tool": "clinic tools", "retire_clinic_tool": "clinic tools",
    "audit_log": "the audit log itself: ids only, clinic admins only",
    "audit_page": "the audit log itself: ids only, clinic admins only",
    # The clinic's team, profile, branding and settings (issue #16): staff and the clinic, no client.
    **{name: "the clinic's staff" for name in (
        "admin_team_page", "admin_invite", "admin_change_active", "admin_change_role", "admin_password_link",
        "invite_user", "change_user", "user_password_link", "set_password", "set_password_form",
        "set_password_submit")},
    **{name: "the clinic's profile and settings" for name in (
        "admin_branding_page", "admin_branding_save", "admin_logo", "admin_settings_page", "admin_settings_save",
        "admin_checklist_dismiss", "change_clinic_profile", "clinic_profile", "delete_clinic_logo",
        "put_clinic_logo")},
    **{name: "clinic tools" for name in (
        "clinic_tools_page", "clinic_tool_new", "clinic_tool_edit", "clinic_tool_editor", "clinic_tool_preview",
        "clinic_tool_retire", "clinic_tool_history", "clinic_tool_version", "clinic_tool_version_pdf",
        "preview_clinic_tool")},
    "portal_brand": "a stylesheet of a colour, for the portal (no client, no link)",
    # API keys and webhook subscriptions are the clinic's integration settings: no client in them.
    **{name: "API keys" for name in ("list_api_keys", "create_api_key", "rotate_api_key", "revoke_api_key",
                                     "api_keys_page", "api_key_create", "api_key_rotate", "api_key_revoke")},
    **{name: "webhook subscriptions" for name in (
        "list_webhooks", "create_webhook", "get_webhook", "update_webhook", "delete_webhook",
        "rotate_webhook_secret", "webhooks_page", "webhook_page", "webhook_create", "webhook_update",
        "webhook_delete", "webhook_rotate")},
}


def subjects_of(rule: Rule, access: Access) -> list[dict]:
    """The ids each entry of this access names: the path's, completed by the rule's extractors
    (several entries when a form names several clients)."""
    base = {PATH_IDS[name]: str(value) for name, value in access.path.items() if name in PATH_IDS}
    found: list[dict] = []
    for extract in rule.subjects:
        try:
            found.extend(extract(access))
        except (AttributeError, KeyError, TypeError, IndexError):
            continue   # a result of another shape (an HTML page instead of JSON): the path's ids stand
    found = [{k: str(v) for k, v in subject.items() if v not in (None, "")} for subject in found]
    return [{**base, **subject} for subject in found if subject] or [base]
