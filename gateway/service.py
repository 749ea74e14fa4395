"""HTTP gateway: versioned REST under /api/v1 in front of the services (RPC), plus health probes.

Each handler authenticates, parses, makes one or two RPC calls carrying the acting user and
clinic, and returns plain data; ``entrypoints.ApiHandler`` does validation, JSON and errors.
"""
from __future__ import annotations

import base64
import json

from nameko.events import BROADCAST, event_handler
from nameko.rpc import RpcProxy
from werkzeug.wrappers import Response

from gateway.auth import COOKIE, Auth, bearer_or_cookie
from gateway.bodies import json_body
from gateway.conditional import KeptAnswers, clinic_of
from gateway.entrypoints import SPEC, api
from gateway.identity import SESSION_HOURS
from gateway import portal_pages, signed_urls
from gateway.readiness import check_readiness
from gateway.routes.record import RecordRoutes
from interlude import errors, events
from interlude.errors import NotFound
from services.catalog.contract import MEDIA_MAX_BYTES
from interlude.nameko_deps import Blobs, Config, Documents, RequestContext

SERVICES = ("catalog", "search", "workbook", "progress")
LINK_SECONDS = 24 * 3600


def portal_response(build) -> Response:
    """An HTML page, or an HTML error page with the right status (410 expired, 403 revoked)."""
    from nameko.exceptions import RemoteError
    try:
        return Response(build(), mimetype="text/html", headers={"Referrer-Policy": "no-referrer"})
    except RemoteError as exc:
        mapped = errors.BY_NAME.get(exc.exc_type)
        if mapped is None:
            raise
        return Response(portal_pages.error_page(mapped.status, exc.value), status=mapped.status, mimetype="text/html")


class GatewayService(RecordRoutes):
    name = "gateway"

    documents = Documents()
    blobs = Blobs()
    settings = Config()
    auth = Auth()
    catalogue_reads = KeptAnswers()
    search_answers = KeptAnswers()
    request_id = RequestContext()
    catalog_rpc = RpcProxy("catalog")
    search_rpc = RpcProxy("search")
    workbook_rpc = RpcProxy("workbook")
    progress_rpc = RpcProxy("progress")

    # probes -----------------------------------------------------------------------------
    @api("GET", "/healthz", validate=False)
    def healthz(self, request):
        return {"status": "up"}

    @api("GET", "/readyz", validate=False)
    def readyz(self, request):
        proxies = {"catalog": self.catalog_rpc, "search": self.search_rpc,
                   "workbook": self.workbook_rpc, "progress": self.progress_rpc}
        ready, checks = check_readiness(self.documents, proxies)
        return (200 if ready else 503), {"status": "ready" if ready else "not_ready", "checks": checks}

    @api("GET", "/api/v1/openapi.json", validate=False)
    def openapi(self, request):
        return SPEC

    @api("GET", "/", validate=False)
    def home(self, request):
        return Response(HOME_PAGE, mimetype="text/html")

    # identity ---------------------------------------------------------------------------
    @api("POST", "/api/v1/auth/login")
    def login(self, request):
        body = json_body(request)
        token, user = self.auth.identity.login(body.get("email"), body.get("password"))
        secure = "; Secure" if request.scheme == "https" else ""
        cookie = (f"{COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; "
                  f"Max-Age={SESSION_HOURS * 3600}{secure}")
        return 200, {"Set-Cookie": cookie}, {"token": token, "expires_in": SESSION_HOURS * 3600, "user": user}

    @api("POST", "/api/v1/auth/logout")
    def logout(self, request):
        self.auth.actor(request)
        self.auth.identity.logout(bearer_or_cookie(request))
        return 204, {"Set-Cookie": f"{COOKIE}=; Path=/; Max-Age=0"}, None

    @api("GET", "/api/v1/me")
    def me(self, request):
        actor = self.auth.actor(request)
        identity = self.auth.identity
        return {"user": identity.user(actor), "clinic": identity.clinic(actor)}

    @api("GET", "/api/v1/users")
    def list_users(self, request):
        return self.auth.identity.list_users(self.auth.actor(request))

    @api("POST", "/api/v1/users")
    def create_user(self, request):
        body = json_body(request)
        user = self.auth.identity.create_user(self.auth.actor(request), body.get("email"),
                                              body.get("name"), body.get("role"), body.get("password"))
        return 201, user

    # the catalogue ----------------------------------------------------------------------
    @api("GET", "/api/v1/tools")
    def list_tools(self, request):
        return self.catalogue_reads.respond(request, self.catalog_rpc, self.auth.actor_dict(request),
                                            "list", request.args.to_dict())

    @api("GET", "/api/v1/tools/<string:tool_id>")
    def get_tool(self, request, tool_id):
        return self.catalogue_reads.respond(request, self.catalog_rpc, self.auth.actor_dict(request),
                                            "tool", tool_id)

    @api("GET", "/api/v1/tools/<string:tool_id>.pdf")
    def tool_pdf(self, request, tool_id):
        actor = self.auth.actor(request)
        clinic_name = self.auth.identity.clinic(actor)["name"]
        link = self.catalog_rpc.tool_pdf(actor.to_dict(), tool_id, request.args.get("paper", "a4"), clinic_name)
        return self._download(link)

    @api("GET", "/api/v1/tools/<string:tool_id>/audio")
    def tool_audio(self, request, tool_id):
        link = self.catalog_rpc.tool_audio(self.auth.actor_dict(request), tool_id,
                                           request.args.get("format", "mp3"))
        return self._download(link)

    def _download(self, link: dict) -> Response:
        """Send a stored file: a redirect to the object store's presigned URL where it has one,
        else the bytes from the blob store (the embedded folder)."""
        if link.get("url"):
            return Response(status=302, headers={"Location": link["url"]})
        return Response(self.blobs.get(link["key"]), mimetype=link["content_type"],
                        headers={"Content-Disposition": f'inline; filename="{link["filename"]}"',
                                 "Cache-Control": "private, max-age=300"})

    @api("POST", "/api/v1/measures/<string:measure>/score")
    def score_measure(self, request, measure):
        return self.catalog_rpc.score_measure(self.auth.actor_dict(request), measure,
                                              json_body(request).get("answers"))

    # clinic media (uploads are raw bytes, checked by the catalog service, so the JSON validator
    # of the OpenAPI document does not read them) -----------------------------------------
    @api("POST", "/api/v1/media", validate=False, max_body=MEDIA_MAX_BYTES + 1)
    def upload_media(self, request):
        actor = self.auth.actor_dict(request)
        data = request.get_data(cache=False)
        record = self.catalog_rpc.upload_media(actor, base64.b64encode(data).decode("ascii"),
                                               request.content_type or "", request.args.get("filename", ""))
        return 201, record

    @api("GET", "/api/v1/media")
    def list_media(self, request):
        return self.catalog_rpc.list_media(self.auth.actor_dict(request))

    @api("GET", "/api/v1/media/<string:media_id>")
    def get_media(self, request, media_id):
        record = self.catalog_rpc.get_media(self.auth.actor_dict(request), media_id)
        return self._download({**record, "url": record.get("url")})

    @api("GET", "/api/v1/taxonomy")
    def taxonomy(self, request):
        return self.catalogue_reads.respond(request, self.catalog_rpc, self.auth.actor_dict(request),
                                            "taxonomy", None)

    # clinic tools -----------------------------------------------------------------------
    @api("GET", "/api/v1/clinic-tools")
    def list_clinic_tools(self, request):
        include = request.args.get("include_retired", "false").lower() == "true"
        return self.catalog_rpc.list_clinic_tools(self.auth.actor_dict(request), include)

    @api("POST", "/api/v1/clinic-tools")
    def create_clinic_tool(self, request):
        actor = self.auth.actor_dict(request)
        created = self.catalog_rpc.create_clinic_tool(actor, json_body(request))
        self._forget_answers(actor["clinic_id"])             # the editor reads their own write
        return 201, created

    @api("GET", "/api/v1/clinic-tools/<string:tool_id>")
    def get_clinic_tool(self, request, tool_id):
        return self.catalog_rpc.get_clinic_tool(self.auth.actor_dict(request), tool_id)

    @api("PUT", "/api/v1/clinic-tools/<string:tool_id>")
    def update_clinic_tool(self, request, tool_id):
        actor = self.auth.actor_dict(request)
        updated = self.catalog_rpc.update_clinic_tool(actor, tool_id, json_body(request))
        self._forget_answers(actor["clinic_id"])
        return updated

    @api("DELETE", "/api/v1/clinic-tools/<string:tool_id>")
    def retire_clinic_tool(self, request, tool_id):
        actor = self.auth.actor_dict(request)
        retired = self.catalog_rpc.retire_clinic_tool(actor, tool_id)
        self._forget_answers(actor["clinic_id"])
        return retired

    def _forget_answers(self, clinic_id: str) -> None:
        self.catalogue_reads.forget(clinic_id)
        self.search_answers.forget(clinic_id)

    # Every gateway instance hears these (BROADCAST) and forgets the catalogue answers it kept.
    @event_handler(events.CATALOG, events.CATALOGUE_CHANGED, handler_type=BROADCAST, reliable_delivery=False)
    def on_catalogue_changed(self, payload):
        self.catalogue_reads.forget()

    @event_handler(events.CATALOG, events.TOOL_PUBLISHED, handler_type=BROADCAST, reliable_delivery=False)
    def on_clinic_tool_published(self, payload):
        self.catalogue_reads.forget(clinic_of(payload))

    @event_handler(events.CATALOG, events.TOOL_UPDATED, handler_type=BROADCAST, reliable_delivery=False)
    def on_clinic_tool_updated(self, payload):
        self.catalogue_reads.forget(clinic_of(payload))

    @event_handler(events.CATALOG, events.TOOL_RETIRED, handler_type=BROADCAST, reliable_delivery=False)
    def on_clinic_tool_retired(self, payload):
        self.catalogue_reads.forget(clinic_of(payload))

    # workbooks --------------------------------------------------------------------------
    @api("POST", "/api/v1/workbooks/plan")
    def propose_workbook_plan(self, request):
        return self.workbook_rpc.propose_plan(self.auth.actor_dict(request), json_body(request))

    @api("POST", "/api/v1/workbooks")
    def create_workbook(self, request):
        return 201, self.workbook_rpc.create(self.auth.actor_dict(request), json_body(request))

    @api("GET", "/api/v1/workbooks")
    def list_workbooks(self, request):
        return self.workbook_rpc.list(self.auth.actor_dict(request))

    @api("GET", "/api/v1/workbooks/<string:workbook_id>")
    def get_workbook(self, request, workbook_id):
        return self.workbook_rpc.get(self.auth.actor_dict(request), workbook_id)

    @api("PATCH", "/api/v1/workbooks/<string:workbook_id>")
    def update_workbook(self, request, workbook_id):
        return self.workbook_rpc.update(self.auth.actor_dict(request), workbook_id, json_body(request))

    @api("POST", "/api/v1/workbooks/<string:workbook_id>/render")
    def render_workbook(self, request, workbook_id):
        actor = self.auth.actor(request)
        workbook = self.workbook_rpc.get(actor.to_dict(), workbook_id)
        people = self.auth.identity.cover_names(actor, workbook["practitioner_id"])   # identity is ours
        return 202, self.workbook_rpc.render(actor.to_dict(), workbook_id, people)

    @api("GET", "/api/v1/workbooks/<string:workbook_id>/jobs/<string:job_id>")
    def render_job(self, request, workbook_id, job_id):
        job = self.workbook_rpc.job(self.auth.actor_dict(request), job_id)
        if job["workbook_id"] != workbook_id:
            raise NotFound(f"Workbook {workbook_id!r} has no render job {job_id!r}.")
        return job

    @api("GET", "/api/v1/workbooks/<string:workbook_id>/editions")
    def list_editions(self, request, workbook_id):
        editions = self.workbook_rpc.editions(self.auth.actor_dict(request), workbook_id)
        for edition in editions:
            # A link to share or open in a browser: the object store's own, or one we sign.
            edition["download_url"] = self.blobs.presigned_url(edition["key"], LINK_SECONDS) or (
                request.host_url.rstrip("/") + signed_urls.sign(self.settings.secret_key, edition["key"], LINK_SECONDS))
        return editions

    @api("GET", "/files/<path:key>", validate=False)
    def signed_file(self, request, key):
        signed_urls.verify(self.settings.secret_key, key, request.args.get("expires"), request.args.get("signature"))
        info = self.blobs.stat(key)
        if info is None:
            raise NotFound("This file no longer exists.")
        return Response(self.blobs.get(key), mimetype=info.content_type,
                        headers={"Content-Disposition": "inline", "Cache-Control": "private, max-age=300"})

    @api("GET", "/api/v1/workbooks/<string:workbook_id>/editions/<int:number>.pdf")
    def edition_pdf(self, request, workbook_id, number):
        return self._download(self.workbook_rpc.edition_file(self.auth.actor_dict(request), workbook_id, number))

    # clients, assignments, the record ----------------------------------------------------
    @api("GET", "/api/v1/clients")
    def list_clients(self, request):
        return self.progress_rpc.list_clients(self.auth.actor_dict(request))

    @api("POST", "/api/v1/clients")
    def create_client(self, request):
        actor, body = self.auth.actor(request), json_body(request)
        practitioner_id = body.get("practitioner_id")
        if practitioner_id not in (None, actor.user_id) and actor.role == "clinic_admin":
            self.auth.identity.member_of_clinic(actor, practitioner_id)   # progress reads no users
        return 201, self.progress_rpc.create_client(actor.to_dict(), body)

    @api("GET", "/api/v1/clients/<string:client_id>")
    def get_client(self, request, client_id):
        return self.progress_rpc.get_client(self.auth.actor_dict(request), client_id)

    @api("DELETE", "/api/v1/clients/<string:client_id>")
    def delete_client(self, request, client_id):
        return self.progress_rpc.delete_client(self.auth.actor_dict(request), client_id)

    @api("GET", "/api/v1/clients/<string:client_id>/assignments")
    def list_assignments(self, request, client_id):
        return self.progress_rpc.list_assignments(self.auth.actor_dict(request), client_id)

    @api("POST", "/api/v1/clients/<string:client_id>/assignments")
    def assign(self, request, client_id):
        created = self.progress_rpc.assign(self.auth.actor_dict(request), client_id, json_body(request))
        return 201, {**created, "portal_url": f"{request.host_url}portal/{created['link']['token']}"}

    @api("DELETE", "/api/v1/assignments/<string:assignment_id>/links")
    def revoke_links(self, request, assignment_id):
        return self.progress_rpc.revoke_links(self.auth.actor_dict(request), assignment_id)

    @api("POST", "/api/v1/assignments/<string:assignment_id>/links")
    def issue_link(self, request, assignment_id):
        link = self.progress_rpc.issue_link(self.auth.actor_dict(request), assignment_id)
        return 201, {**link, "portal_url": f"{request.host_url}portal/{link['token']}"}

    @api("GET", "/api/v1/clients/<string:client_id>/timeline")
    def timeline(self, request, client_id):
        return self.progress_rpc.timeline(self.auth.actor_dict(request), client_id)

    @api("GET", "/api/v1/clients/<string:client_id>/measures/<string:slug>")
    def measure_series(self, request, client_id, slug):
        return self.progress_rpc.measure_series(self.auth.actor_dict(request), client_id, slug)

    @api("GET", "/api/v1/clients/<string:client_id>/export")
    def export_client(self, request, client_id):
        return self.progress_rpc.export_client(self.auth.actor_dict(request), client_id)

    @api("GET", "/api/v1/clients/<string:client_id>/export/fhir")
    def export_fhir(self, request, client_id):
        bundle = self.progress_rpc.export_fhir(self.auth.actor_dict(request), client_id)
        return Response(json.dumps(bundle), mimetype="application/fhir+json")

    @api("GET", "/api/v1/dashboard")
    def dashboard(self, request):
        return self.progress_rpc.dashboard(self.auth.actor_dict(request))

    # the client portal: a token instead of a login; HTML pages plus the JSON behind them -----
    @api("GET", "/portal/<string:token>", validate=False)
    def portal_page(self, request, token):
        return portal_response(lambda: self._portal_page(token))

    def _portal_page(self, token):
        return portal_pages.assignment_page(token, self.progress_rpc.portal_page(token))

    @api("POST", "/portal/<string:token>/draft", validate=False)
    def portal_draft(self, request, token):
        return self.progress_rpc.portal_draft(token, json_body(request).get("fields") or {})

    @api("POST", "/portal/<string:token>/submit", validate=False)
    def portal_submit(self, request, token):
        if request.mimetype == "application/json":
            result = self.progress_rpc.portal_submit(token, json_body(request))
            return result
        form = {"form": request.form.to_dict(flat=False)}   # progress' rules say what the form holds
        return portal_response(lambda: portal_pages.submitted_page(token, self.progress_rpc.portal_submit(token, form)))

    @api("POST", "/portal/<string:token>/rating", validate=False)
    def portal_rating(self, request, token):
        rating = (json_body(request) if request.mimetype == "application/json" else request.form).get("rating")
        result = self.progress_rpc.portal_rate(token, rating)   # progress checks it
        if request.mimetype == "application/json":
            return result
        return Response(status=303, headers={"Location": f"/portal/{token}"})

    @api("POST", "/portal/<string:token>/audio-played", validate=False)
    def portal_audio_played(self, request, token):
        return self.progress_rpc.portal_audio_played(token, json_body(request).get("seconds", 0))

    @api("GET", "/portal/<string:token>/audio", validate=False)
    def portal_audio(self, request, token):
        return self._download(self.progress_rpc.portal_audio(token))   # reading records nothing

    @api("GET", "/portal/<string:token>/progress", validate=False)
    def portal_progress(self, request, token):
        return portal_response(lambda: portal_pages.progress_page(self.progress_rpc.portal_progress_page(token)))

    # search -----------------------------------------------------------------------------
    @api("GET", "/api/v1/search")
    def search(self, request):
        params = {key: ",".join(values) for key, values in request.args.lists()}
        actor = self.auth.actor_dict(request)
        return self.search_answers.answer(request, actor["clinic_id"], (json.dumps(params, sort_keys=True),),
                                          lambda _offered: {"etag": None, "data": self.search_rpc.search(actor, params)})

    @event_handler(events.SEARCH, events.SEARCH_INDEX_CHANGED, handler_type=BROADCAST, reliable_delivery=False)
    def on_search_index_changed(self, payload):
        self.search_answers.forget(payload.get("clinic_id") or None)

    @api("GET", "/api/v1/search/suggest")
    def suggest(self, request):
        return self.search_rpc.suggest(self.auth.actor_dict(request), request.args.to_dict())

    @api("GET", "/api/v1/tools/<string:tool_id>/similar")
    def similar(self, request, tool_id):
        return self.search_rpc.similar(self.auth.actor_dict(request), tool_id, request.args.to_dict())


HOME_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Interlude</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem}
code{background:#f3f3f3;padding:.1rem .3rem}</style></head><body>
<h1>Interlude</h1><p>Therapeutic homework for your clients, and a record of how it goes.</p>
<p>The API lives under <code>/api/v1</code>; its OpenAPI document is at
<a href="/api/v1/openapi.json">/api/v1/openapi.json</a>. Log in with
<code>POST /api/v1/auth/login</code>. The web app arrives in a later release.</p></body></html>"""
