"""The audit log (issue #17): every route that touches client data leaves an entry, through the
real running platform; only clinic admins read the log; renders append too.

The routes come from GatewayService's own entrypoints: each must be in gateway/audit_rules.py's
AUDITED or NOT_CLIENT_DATA, a route whose path names a client, an assignment, a workbook or a
portal link cannot be declared harmless, and CALLS below must call every audited route (so a new
client-data route fails here until it has a rule and a call)."""
import dataclasses
import re
import uuid

import pytest
import requests

from gateway.audit_rules import AUDITED, NOT_CLIENT_DATA
from gateway.entrypoints import ApiHandler
from gateway.service import GatewayService
from interlude_app.runner import start_embedded_render_worker
from tests.conftest import free_port
from tests.integration.test_web_pages import browser, csrf_of
from tests.integration.test_workbooks import REQUEST, render_and_wait, wait_for
from tests.paper_helpers import fill, phq9_values
from tests.platform import PASSWORD, logged_in, running, seeded_settings

CLIENT_DATA_PATH = re.compile(r"<[^>]*(client_id|assignment_id|workbook_id|token|key)>|^/(api/v1/)?(clients|workbooks|"
                              r"assignments|portal|dashboard)(/|$)")
PHQ9_FLAGGED = [1, 1, 1, 1, 1, 1, 1, 1, 2]


def patient(settings):
    """These tests are about what is recorded, not how fast: on a machine busy with other test
    runs, a service may take longer than the default 5 s to answer. Webhooks may go to 127.0.0.1
    (nothing listens there: the walk only reads and resends the deliveries)."""
    return dataclasses.replace(settings, rpc_timeout_seconds=30.0, rpc_slow_timeout_seconds=300.0,
                               webhook_allow_private=True)


def gateway_routes() -> dict[str, tuple[str, str]]:
    routes = {}
    for name in dir(GatewayService):
        for entrypoint in getattr(getattr(GatewayService, name), "nameko_entrypoints", ()):
            if not isinstance(entrypoint, ApiHandler):
                continue   # event handlers and timers
            routes[name] = (entrypoint.method, entrypoint.url)
    return routes


def test_every_route_is_classified_and_client_data_routes_are_audited():
    routes = gateway_routes()
    assert len(routes) > 60
    unclassified = sorted(set(routes) - set(AUDITED) - set(NOT_CLIENT_DATA))
    assert unclassified == [], f"routes in neither table of gateway/audit_rules.py: {unclassified}"
    assert not set(AUDITED) & set(NOT_CLIENT_DATA)
    stale = sorted((set(AUDITED) | set(NOT_CLIENT_DATA)) - set(routes))
    assert stale == [], f"rules for routes that do not exist: {stale}"
    harmless_but_named = sorted(name for name in NOT_CLIENT_DATA if CLIENT_DATA_PATH.search(routes[name][1])
                                # a staff member's one-time password link is a <token> of no client
                                and name not in ("propose_workbook_plan", "set_password_form", "set_password_submit"))
    assert harmless_but_named == [], harmless_but_named
    assert all(reason.strip() for reason in NOT_CLIENT_DATA.values())


@pytest.fixture(scope="module")
def platform(tmp_path_factory):
    settings = patient(seeded_settings(tmp_path_factory.mktemp("data"),
                                       [("Harbour Clinic", "admin@harbour.example")], port=free_port()))
    with running(settings) as base:
        worker = start_embedded_render_worker(settings)
        admin = logged_in(base, "admin@harbour.example")
        created = admin.post(f"{base}/api/v1/users", json={"email": "ana@harbour.example", "name": "Ana",
                                                            "role": "practitioner", "password": PASSWORD})
        assert created.status_code == 201, created.text
        yield {"base": base, "admin": admin, "ana": logged_in(base, "ana@harbour.example"),
               "web": browser(base, "ana@harbour.example"), "ana_id": created.json()["id"],
               "admin_web": browser(base, "admin@harbour.example")}
        worker.kill()


def entries_of(c, request_id: str) -> list[dict]:
    answer = c["admin"].get(f"{c['base']}/api/v1/audit", params={"request_id": request_id, "per_page": 100})
    assert answer.status_code == 200, answer.text
    return answer.json()["entries"]


class Walk:
    """Calls routes as a partner (bearer), a practitioner's browser (cookie + CSRF) or a client
    (portal link), and checks each left its entry."""

    def __init__(self, c):
        self.c, self.base, self.seen = c, c["base"], {}

    def api(self, route, method, path, body=None, expect=None, who="ana"):
        request_id = f"audit-{uuid.uuid4().hex[:16]}"
        answer = self.c[who].request(method, self.base + path, json=body, headers={"X-Request-Id": request_id},
                                     allow_redirects=False)
        return self._check(route, answer, expect)

    def page(self, route, method, path, form=None, expect=None, who="web"):
        web = self.c[who]
        if method == "POST":
            token = csrf_of(web.get(f"{self.base}/clients").text)
            answer = web.post(self.base + path, data={**(form or {}), "csrf_token": token}, allow_redirects=False)
        else:
            answer = web.get(self.base + path, allow_redirects=False)
        return self._check(route, answer, expect)

    def portal(self, route, method, path, body=None, form=None, expect=None):
        headers = {}
        if method == "POST" and path.startswith("/portal/"):
            # a portal form is sent from its link's page: the page's CSRF token goes with it
            link_page = requests.get(self.base + "/".join(path.split("/")[:3]))
            headers = {"X-CSRF-Token": re.search(r'name="csrf-token" content="([^"]+)"', link_page.text).group(1)}
        answer = requests.request(method, self.base + path, json=body, data=form, headers=headers,
                                  allow_redirects=False)
        return self._check(route, answer, expect)

    def raw(self, route, session, method, path, expect=None, **kwargs):
        """Any request (a PDF body, a multipart upload) from the given session, checked the same way."""
        answer = session.request(method, self.base + path, allow_redirects=False, **kwargs)
        return self._check(route, answer, expect)

    def _check(self, route, answer, expect):
        assert answer.status_code < 400, (route, answer.status_code, answer.text[:300])
        found = [e for e in entries_of(self.c, answer.headers["X-Request-Id"]) if e["route"] == route]
        assert found, f"{route} left no audit entry"
        for name, value in (expect or {}).items():
            assert value in {e.get(name) for e in found} | {(e.get("details") or {}).get(name) for e in found}, (
                route, name, value, found)
        assert all(e["clinic_id"] and e["request_id"] == answer.headers["X-Request-Id"] for e in found)
        self.seen[route] = found
        return answer


def test_every_client_data_route_leaves_an_entry(platform):
    c, walk = platform, Walk(platform)
    api, page, portal = walk.api, walk.page, walk.portal
    # a clinic admin's webhook subscription: the walk's events make deliveries to read and resend
    hook = c["admin"].post(f"{c['base']}/api/v1/webhooks", json={"url": "http://127.0.0.1:9/hook",
                                                                  "events": ["measure.scored", "risk.flagged"]})
    assert hook.status_code == 201, hook.text
    hook_id = hook.json()["id"]
    # clients and the record, as a partner over the JSON API
    client_id = api("create_client", "POST", "/api/v1/clients", {"display_name": "Robin"}).json()["id"]
    cid = {"client_id": client_id}
    api("list_clients", "GET", "/api/v1/clients")
    api("get_client", "GET", f"/api/v1/clients/{client_id}", expect=cid)
    api("update_client", "PATCH", f"/api/v1/clients/{client_id}", {"display_name": "Robin B."}, expect=cid)
    api("dashboard", "GET", "/api/v1/dashboard")
    page("client_portal_language", "POST", f"/clients/{client_id}/language", {"language": "es"}, expect=cid)
    made = api("assign", "POST", f"/api/v1/clients/{client_id}/assignments",
               {"measure": "phq9", "due": "2030-01-01"}, expect=cid).json()
    assignment_id, token = made["assignment"]["id"], made["link"]["token"]
    aid = {"assignment_id": assignment_id}
    assert {e["assignment_id"] for e in walk.seen["assign"]} == {assignment_id}
    api("list_assignments", "GET", f"/api/v1/clients/{client_id}/assignments", expect=cid)
    api("get_assignment", "GET", f"/api/v1/assignments/{assignment_id}", expect=aid)
    # the client through the portal link: ids resolved from the token, which is never kept
    portal("portal_page", "GET", f"/portal/{token}", expect={**cid, **aid})
    sheet = c["ana"].get(f"{c['base']}/api/v1/tools", params={"format": "worksheet", "per_page": 1}).json()["items"][0]
    worksheet = api("assign", "POST", f"/api/v1/clients/{client_id}/assignments",
                    {"tool_id": sheet["id"], "due": "2030-01-01"}).json()
    portal("portal_draft", "POST", f"/portal/{worksheet['link']['token']}/draft", {"fields": {"note": "half"}},
           expect={"assignment_id": worksheet["assignment"]["id"], **cid})
    portal("portal_submit", "POST", f"/portal/{token}/submit", {"answers": PHQ9_FLAGGED}, expect=cid)
    portal("portal_rating", "POST", f"/portal/{token}/rating", {"rating": 4}, expect=aid)
    portal("portal_progress", "GET", f"/portal/{token}/progress", expect=cid)
    assert all(e["actor_kind"] == "portal_link" and e["user_id"] is None for e in walk.seen["portal_submit"])
    audio_tool = c["ana"].get(f"{c['base']}/api/v1/tools", params={"format": "audio", "per_page": 1}).json()["items"][0]
    audio = api("assign", "POST", f"/api/v1/clients/{client_id}/assignments",
                {"tool_id": audio_tool["id"], "due": "2030-01-01"}).json()
    # the recording is made on its first request (a while on a busy machine): made here first, so
    # that the portal's request below is answered within the RPC timeout
    wait_for(lambda: c["ana"].get(f"{c['base']}/api/v1/tools/{audio_tool['id']}/audio").status_code == 200,
             timeout=300)
    portal("portal_audio", "GET", f"/portal/{audio['link']['token']}/audio")
    portal("portal_audio_played", "POST", f"/portal/{audio['link']['token']}/audio-played", {"seconds": 30})
    timeline = api("timeline", "GET", f"/api/v1/clients/{client_id}/timeline", expect=cid).json()
    api("measure_series", "GET", f"/api/v1/clients/{client_id}/measures/phq9", expect={**cid, "measure": "phq9"})
    flag = next(e for e in timeline if e["type"] == "risk_flagged")
    score = next(e for e in timeline if e["type"] == "measure_scored")
    submitted = next(e for e in timeline if e["type"] == "submitted")
    api("review_risk_flag", "POST", f"/api/v1/clients/{client_id}/events/{flag['id']}/review", {"note": "Called."},
        expect={"event_id": flag["id"]})
    api("correct_measure", "POST", f"/api/v1/clients/{client_id}/events/{score['id']}/correction",
        {"answers": [0] * 9, "reason": "misread"}, expect=cid)
    api("withdraw_event", "POST", f"/api/v1/clients/{client_id}/events/{submitted['id']}/withdrawal",
        {"reason": "entered twice"}, expect=cid)
    paper = api("assign", "POST", f"/api/v1/clients/{client_id}/assignments",
                {"measure": "gad7", "due": "2030-01-01", "recur": 14}).json()["assignment"]["id"]
    api("record_on_paper", "POST", f"/api/v1/assignments/{paper}/paper",
        {"taken_on": "2026-01-05", "answers": [1] * 7}, expect={"assignment_id": paper})
    api("issue_link", "POST", f"/api/v1/assignments/{assignment_id}/links", expect=aid)
    api("assign_again", "POST", f"/api/v1/assignments/{paper}/again", {"due": "2030-02-01"})
    api("export_client", "GET", f"/api/v1/clients/{client_id}/export", expect=cid)
    api("export_fhir", "GET", f"/api/v1/clients/{client_id}/export/fhir", expect=cid)
    # workbooks made for the client
    workbook_id = api("create_workbook", "POST", "/api/v1/workbooks", {**REQUEST, "client_id": client_id},
                      expect=cid).json()["id"]
    wid = {"workbook_id": workbook_id}
    api("list_workbooks", "GET", "/api/v1/workbooks")
    api("get_workbook", "GET", f"/api/v1/workbooks/{workbook_id}", expect={**wid, **cid})
    api("update_workbook", "PATCH", f"/api/v1/workbooks/{workbook_id}", {"client_name": "Robin again"},
        expect={**wid, **cid})
    job = api("render_workbook", "POST", f"/api/v1/workbooks/{workbook_id}/render", expect=wid).json()
    wait_for(lambda: c["ana"].get(f"{c['base']}/api/v1/workbooks/{workbook_id}/jobs/{job['id']}").json()["status"]
             == "done")
    api("render_job", "GET", f"/api/v1/workbooks/{workbook_id}/jobs/{job['id']}", expect={"job_id": job["id"]})
    editions = api("list_editions", "GET", f"/api/v1/workbooks/{workbook_id}/editions", expect=wid).json()
    api("edition_pdf", "GET", f"/api/v1/workbooks/{workbook_id}/editions/1.pdf", expect={**wid, "edition": "1"})
    link = editions[0]["download_url"].split("://", 1)[1].split("/", 1)[1]
    walk.portal("signed_file", "GET", "/" + link, expect={**wid, **cid})
    assert walk.seen["signed_file"][0]["actor_kind"] == "signed_link"
    # the render itself, by the workbook service (who asked, whose workbook)
    rendered = wait_for(lambda: [e for e in c["admin"].get(f"{c['base']}/api/v1/audit", params={
        "client_id": client_id, "per_page": 100}).json()["entries"] if e["action"] == "workbook.rendered"])
    assert rendered[0]["workbook_id"] == workbook_id and rendered[0]["user_id"] == c["ana_id"]
    assert rendered[0]["actor_kind"] == "system"
    # the web app, as the practitioner's browser
    page("dashboard_page", "GET", "/")
    page("clients_page", "GET", "/clients")
    created = page("client_create", "POST", "/clients", {"display_name": "Sky"})
    sky = created.headers["Location"].rsplit("/", 1)[1]
    assert {e["client_id"] for e in walk.seen["client_create"]} == {sky}
    page("client_page", "GET", f"/clients/{client_id}", expect=cid)
    page("client_assign_measure", "POST", f"/clients/{client_id}/measures", {"measure": "gad7", "due": "2030-01-01"},
         expect=cid)
    page("client_new_link", "POST", f"/clients/{client_id}/assignments/{assignment_id}/link", expect=aid)
    fresh = api("assign", "POST", f"/api/v1/clients/{client_id}/assignments",
                {"measure": "phq9", "due": "2030-01-01"}).json()["link"]["token"]
    portal("portal_submit", "POST", f"/portal/{fresh}/submit", {"answers": PHQ9_FLAGGED})
    flags = [e for e in api("timeline", "GET", f"/api/v1/clients/{client_id}/timeline").json()
             if e["type"] == "risk_flagged" and not e.get("superseded_by")]
    page("acknowledge_flag", "POST", f"/clients/{client_id}/flags/{flags[-1]['id']}/acknowledge",
         {"note": "Followed up"}, expect={"event_id": flags[-1]["id"]})
    tool_id = audio_tool["id"]
    page("tool_page", "GET", f"/tools/{tool_id}")
    page("tool_assign", "POST", f"/tools/{tool_id}/assign", {"client_id": [client_id, sky], "confirm": "yes",
                                                            "due": "2030-03-01"})
    assert {e["client_id"] for e in walk.seen["tool_assign"]} == {client_id, sky}
    page("tool_add_to_workbook", "POST", f"/tools/{tool_id}/add-to-workbook", {"workbook_id": workbook_id}, expect=wid)
    page("workbooks_page", "GET", "/workbooks")
    page("workbook_new", "GET", "/workbooks/new")
    made_page = page("workbook_create", "POST", "/workbooks", {"client_id": client_id, "problem": ["insomnia"],
                                                               "age_group": "adult", "length": "short"})
    assert walk.seen["workbook_create"][0]["workbook_id"] == made_page.headers["Location"].rsplit("/", 1)[1]
    page("workbook_page", "GET", f"/workbooks/{workbook_id}", expect=wid)
    page("workbook_edit", "POST", f"/workbooks/{workbook_id}/edit", {"op": "goals", "goals": "Rest"}, expect=wid)
    rendering = page("workbook_render", "POST", f"/workbooks/{workbook_id}/render", expect=wid)
    job_id = rendering.headers["Location"].split("job=", 1)[1]
    page("workbook_job_status", "GET", f"/workbooks/{workbook_id}/jobs/{job_id}", expect={"job_id": job_id})
    page("workbook_pathway", "POST", f"/workbooks/{workbook_id}/pathway", {"client_id": client_id,
                                                                          "start": "2030-04-01"}, expect=cid)
    # paper and online meet: each of two PHQ-9s goes out as its fillable PDF and comes back filled,
    # once over the API (then the kept PDF is read) and once from home through the portal
    for way in ("api", "portal"):
        made_paper = c["ana"].post(f"{c['base']}/api/v1/clients/{client_id}/assignments",
                                   json={"measure": "phq9", "due": "2030-02-01"}).json()
        paper_id, paper_token = made_paper["assignment"]["id"], made_paper["link"]["token"]
        pid = {"assignment_id": paper_id}
        if way == "api":
            blank = walk.raw("assignment_fillable_pdf", c["ana"], "GET",
                             f"/api/v1/assignments/{paper_id}/fillable-pdf", expect=pid).content
            sent = walk.raw("assignment_paper_pdf", c["ana"], "POST", f"/api/v1/assignments/{paper_id}/paper-pdf",
                            expect=pid, data=fill(blank, phq9_values([1] * 9)),
                            headers={"Content-Type": "application/pdf"})
            assert sent.status_code == 201
            event_id = next(e["id"] for e in c["ana"].get(f"{c['base']}/api/v1/clients/{client_id}/timeline").json()
                            if e["type"] == "submitted" and "Filled PDF" in e.get("summary", ""))
            walk.raw("client_paper_pdf", c["ana"], "GET", f"/api/v1/clients/{client_id}/paper-pdfs/{event_id}",
                     expect=cid)
        else:
            home = requests.Session()
            blank = walk.raw("portal_fillable_pdf", home, "GET", f"/portal/{paper_token}/fillable.pdf").content
            upload_page = walk.raw("portal_paper_page", home, "GET", f"/portal/{paper_token}/paper")
            form_token = re.search(r'name="csrf_token" value="([0-9a-f]+)"', upload_page.text).group(1)
            walk.raw("portal_paper_upload", home, "POST", f"/portal/{paper_token}/paper",
                     data={"csrf_token": form_token},
                     files={"pdf": ("phq9.pdf", fill(blank, phq9_values([0] * 9)), "application/pdf")})
    client_made = c["ana"].post(f"{c['base']}/api/v1/clients/{client_id}/assignments",
                                json={"measure": "phq9", "due": "2030-03-01"}).json()["assignment"]["id"]
    blank = c["ana"].get(f"{c['base']}/api/v1/assignments/{client_made}/fillable-pdf").content
    web_token = csrf_of(c["web"].get(f"{c['base']}/clients/{client_id}").text)
    walk.raw("client_paper_upload", c["web"], "POST", f"/clients/{client_id}/assignments/{client_made}/paper",
             expect={"assignment_id": client_made}, data={"csrf_token": web_token, "taken_on": "2029-12-30"},
             files={"pdf": ("phq9.pdf", fill(blank, phq9_values([2] * 9)), "application/pdf")})
    # the deliveries the walk's submissions made carry client ids and scores: reading and resending them is logged
    deliveries = wait_for(lambda: c["admin"].get(f"{c['base']}/api/v1/webhooks/{hook_id}/deliveries").json() or None)
    api("list_webhook_deliveries", "GET", f"/api/v1/webhooks/{hook_id}/deliveries", who="admin")
    delivery_id = deliveries[0]["id"]
    api("redeliver_webhook", "POST", f"/api/v1/webhooks/{hook_id}/deliveries/{delivery_id}/redeliver", who="admin")
    page("webhook_redeliver", "POST", f"/webhooks/{hook_id}/deliveries/{delivery_id}/redeliver", who="admin_web")
    # last: what ends a link, an assignment or a client
    api("revoke_links", "DELETE", f"/api/v1/assignments/{assignment_id}/links", expect=aid)
    api("revoke_assignment", "POST", f"/api/v1/assignments/{paper}/revoke", {"reason": "not needed"},
        expect={"assignment_id": paper})
    page("client_delete", "POST", f"/clients/{sky}/delete", {"confirm_name": "Sky"}, expect={"client_id": sky})
    api("delete_client", "DELETE", f"/api/v1/clients/{client_id}", expect=cid)

    assert sorted(set(AUDITED) - set(walk.seen)) == [], "audited routes this walk did not call"
    everything = [e for entries in walk.seen.values() for e in entries]
    text = repr(everything)
    for secret in ("Robin", "Sky", token, fresh, "half", "Followed up", "Called."):
        assert secret not in text            # ids only: no names, answers, notes or link tokens
    webhook_routes = {"list_webhook_deliveries", "redeliver_webhook", "webhook_redeliver"}   # the admin's
    assert {e["user_id"] for route, entries in walk.seen.items() if route not in webhook_routes
            for e in entries if e["actor_kind"] == "user"} == {c["ana_id"]}
    assert all(e["ip"] == "127.0.0.1" for e in everything)


def test_only_clinic_admins_read_the_log_and_filters_work(platform):
    c = platform
    base, admin, ana = c["base"], c["admin"], c["ana"]
    client_id = ana.post(f"{base}/api/v1/clients", json={"display_name": "Filter"}).json()["id"]
    ana.get(f"{base}/api/v1/clients/{client_id}")
    assert ana.get(f"{base}/api/v1/audit").status_code == 403
    assert c["web"].get(f"{base}/audit").status_code == 403
    by_client = admin.get(f"{base}/api/v1/audit", params={"client_id": client_id}).json()
    assert [e["action"] for e in by_client["entries"]] == ["client.read", "client.create"]   # newest first
    by_user = admin.get(f"{base}/api/v1/audit", params={"user_id": c["ana_id"], "per_page": 1, "page": 2}).json()
    assert by_user["per_page"] == 1 and by_user["total"] >= 2 and len(by_user["entries"]) == 1
    assert admin.get(f"{base}/api/v1/audit", params={"client_id": client_id, "to": "2000-01-01"}).json()["total"] == 0
    assert admin.get(f"{base}/api/v1/audit", params={"client_id": client_id, "from": "2000-01-01"}).json()["total"] == 2
    bad = admin.get(f"{base}/api/v1/audit", params={"from": "yesterday"})
    assert bad.status_code == 400 and "from" in bad.json()["message"]
    page = browser(base, "admin@harbour.example").get(f"{base}/audit", params={"client_id": client_id})
    assert page.status_code == 200 and client_id in page.text and "client.read" in page.text
    assert 'href="/audit"' in page.text and "Filter" not in page.text
