"""Audit entries for requests that touched client data, written before the answer leaves.

``ApiHandler.handle_result`` (the JSON API, the portal and, by inheritance, the web app) calls
``record`` in the worker once the handler succeeded. The route's rule (gateway/audit_rules.py)
says the action and the ids; the caller is the session's or API key's actor, the portal link or a
signed link. The entries go to the progress service, the log's owner, in one synchronous RPC: if
they cannot be written the request answers 503 instead of its result, so no read leaves without
its trace (a write has happened by then; it is safe to repeat, requests carry idempotency keys).
"""
from __future__ import annotations

import sys

from werkzeug.wrappers import Response

from gateway.audit_rules import AUDITED, Access, subjects_of
from interlude import errors
from interlude import logging as interlude_logging

log = interlude_logging.get_logger(__name__)


def _status(result) -> int:
    if isinstance(result, tuple):
        return int(result[0])
    return int(getattr(result, "status_code", 200))


def _caller(service, rule, request, path: dict) -> dict | None:
    """Who is reading: a user (or an API key) in a clinic, a client through a portal link, or the
    holder of a signed download link (the workbook service says whose edition it is)."""
    if rule.caller == "portal_link":
        return {"actor_kind": "portal_link", "portal_token": path.get("token")}
    if rule.caller == "signed_link":
        owner = service.workbook_rpc.edition_owner(path.get("key"))
        if owner is None:
            return None    # a stored file that is no client's (a logo, a thumbnail)
        return {"actor_kind": "signed_link", **owner}
    actor = service.auth.actor(request)
    key_id = getattr(actor, "api_key_id", None) or getattr(actor, "key_id", None)
    return {"actor_kind": "api_key" if key_id else "user", "actor": actor.to_dict(), "api_key_id": key_id}


def entries_for(worker_ctx, result) -> list[dict]:
    rule = AUDITED.get(worker_ctx.entrypoint.method_name)
    if rule is None or _status(result) >= 400:
        return []
    request, path = worker_ctx.args[0], dict(worker_ctx.kwargs)
    caller = _caller(worker_ctx.service, rule, request, path)
    if caller is None:
        return []
    base = {**caller, "action": rule.action, "route": worker_ctx.entrypoint.method_name,
            "method": request.method, "ip": request.remote_addr,
            "request_id": worker_ctx.data.get(interlude_logging.REQUEST_ID_KEY)}
    return [{**base, **subject} for subject in subjects_of(rule, Access(request, path, result))]


def record(worker_ctx, result, exc_info):
    """(result, exc_info) to answer with: unchanged once the entries are written, else a 503."""
    if exc_info is not None:
        return result, exc_info
    try:
        entries = entries_for(worker_ctx, result)
        if entries:
            worker_ctx.service.progress_rpc.record_access(entries)
    except Exception as exc:   # whatever failed, the answer must not leave unrecorded
        log.error("audit_not_recorded", route=worker_ctx.entrypoint.method_name, error_type=type(exc).__name__,
                  remote_type=getattr(exc, "exc_type", None))
        message = "This could not be written to the audit log, so it was not shown: try again in a moment."
        rule = AUDITED.get(worker_ctx.entrypoint.method_name)
        request = worker_ctx.args[0]
        if rule is not None and rule.caller == "portal_link" and request.mimetype != "application/json":
            # a client in a browser gets the portal's own error page, as for any other failure there
            from gateway import portal_pages   # here: portal_pages -> gateway.web -> entrypoints -> this module
            page = portal_pages.PortalPage(portal_pages.locale_for(None, request), getattr(request, "portal_nonce", ""))
            answer = portal_pages.error_page(page, 503, message)
            answer.headers["Referrer-Policy"] = "no-referrer"
            return answer, None
        try:
            raise errors.ServiceUnavailable(message) from exc
        except errors.ServiceUnavailable:
            return None, sys.exc_info()
    return result, exc_info
