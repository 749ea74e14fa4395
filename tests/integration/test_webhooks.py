"""Webhooks through the real platform on RabbitMQ: a portal submission reaches partners' HTTP
receivers on 127.0.0.1 signed per Standard Webhooks (checked with the official `standardwebhooks`
verifier), a failing receiver gets it on retry with every attempt logged, a receiver that is down
for a while gets it later, redelivery on request, nothing delivered twice, and a platform killed
with a delivery pending delivers it after it starts again.

Retries are fast here (INTERLUDE_WEBHOOK_RETRY_BASE_SECONDS=0.2) and receivers on loopback are
allowed (INTERLUDE_WEBHOOK_ALLOW_PRIVATE=true; production denies them)."""
import dataclasses
import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests
import standardwebhooks

from interlude_app.runner import SERVICES, build_runner, stop_runner
from tests.conftest import RabbitVhost, free_port
from tests.integration.test_web_pages import assert_secure, browser, csrf_of
from tests.platform import logged_in, portal_csrf, seeded_settings

HOOKS = "/api/v1/webhooks"


class Receiver:
    """A partner's endpoint on 127.0.0.1: answers each POST with the next scripted status (then
    the last one) and keeps what it got. ``start`` can come late: until then the port refuses."""

    def __init__(self, *statuses, port=None):
        self.statuses, self.received, self.port, self.http = list(statuses or [200]), [], port or free_port(), None
        self.url = f"http://127.0.0.1:{self.port}/hooks"

    def start(self):
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append(({k.lower(): v for k, v in self.headers.items()}, body))
                status = receiver.statuses.pop(0) if len(receiver.statuses) > 1 else receiver.statuses[0]
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.http = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.http.serve_forever, daemon=True).start()
        return self

    def close(self):
        if self.http:
            self.http.shutdown()
            self.http.server_close()

    def events(self):
        return [json.loads(body)["type"] for _, body in self.received]


def wait_until(check, timeout=20, what="the delivery"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    pytest.fail(f"timed out waiting for {what}")


def platform_settings(data_dir, broker_url):
    settings = seeded_settings(data_dir, [("Harbour Clinic", "ana@harbour.example"),
                                          ("Other Clinic", "bo@other.example")], port=free_port())
    return dataclasses.replace(settings, broker_url=broker_url, webhook_allow_private=True,
                               webhook_retry_base_seconds=0.2, webhook_max_attempts=6, webhook_timeout_seconds=3)


@pytest.fixture(scope="module")
def vhost():
    made = RabbitVhost()
    yield made.url
    made.delete()


@pytest.fixture(scope="module")
def runners(tmp_path_factory, vhost):
    """The whole platform in this process; the last test adds a replacement progress service."""
    settings = platform_settings(tmp_path_factory.mktemp("data"), vhost)
    started = {"platform": build_runner(settings, tuple(SERVICES)), "settings": settings}
    started["platform"].start()
    try:
        yield started
    finally:
        for name in ("replacement", "platform"):
            if name in started:
                stop_runner(started[name])


@pytest.fixture(scope="module")
def platform(runners):
    base = f"http://{runners['settings'].http_host}:{runners['settings'].http_port}"
    return base, logged_in(base, "ana@harbour.example"), logged_in(base, "bo@other.example")


def subscribe(base, session, receiver, events=("homework.completed", "measure.scored")):
    made = session.post(f"{base}{HOOKS}", json={"url": receiver.url, "events": list(events)})
    assert made.status_code == 201, made.text
    return made.json()


def submit_measure(base, session):
    """A client, a PHQ-9 assigned and answered through the portal; (client id, assignment id, answer)."""
    client_id = session.post(f"{base}/api/v1/clients", json={"display_name": "Jo Webhook"}).json()["id"]
    assigned = session.post(f"{base}/api/v1/clients/{client_id}/assignments", json={"measure": "phq9", "due": "2030-01-01"})
    assert assigned.status_code == 201, assigned.text
    token = assigned.json()["link"]["token"]
    answer = {"answers": {f"q{i}": 1 for i in range(1, 10)}, "submission_id": f"sub-{token[:12]}"}
    submitted = requests.post(f"{base}/portal/{token}/submit", json=answer, headers=portal_csrf(base, token))
    assert submitted.status_code == 200, submitted.text
    return client_id, assigned.json()["assignment"]["id"], (token, answer)


def deliveries(base, session, subscription):
    listed = session.get(f"{base}{HOOKS}/{subscription['id']}/deliveries")
    assert listed.status_code == 200, listed.text
    return listed.json()


def disable(base, session, subscription):
    assert session.patch(f"{base}{HOOKS}/{subscription['id']}", json={"enabled": False}).json()["enabled"] is False


def test_a_healthy_receiver_gets_signed_events_once(platform):
    base, ana, bo = platform
    receiver = Receiver(204).start()
    try:
        made = subscribe(base, ana, receiver)
        assert made["secret"].startswith("whsec_")
        [listed] = [s for s in ana.get(f"{base}{HOOKS}").json() if s["id"] == made["id"]]
        assert "secret" not in listed and bo.get(f"{base}{HOOKS}/{made['id']}").status_code == 404
        client_id, assignment_id, (token, answer) = submit_measure(base, ana)
        wait_until(lambda: len(receiver.received) == 2)
        verifier = standardwebhooks.Webhook(made["secret"])
        by_type = {}
        for headers, body in receiver.received:
            event = verifier.verify(body, headers)   # raises unless signed with this secret, in time
            by_type[event["type"]] = (headers["webhook-id"], event["data"])
            assert b"Jo Webhook" not in body and b"q1" not in body   # ids and scores only
        assert by_type["homework.completed"][1] == {"clinic_id": made_clinic(ana, base), "client_id": client_id,
                                                    "assignment_id": assignment_id, "measure": "phq9",
                                                    "submission_id": answer["submission_id"]}
        scored = by_type["measure.scored"][1]
        assert (scored["total"], scored["band"], scored["client_id"]) == (9, "Mild", client_id)
        assert by_type["homework.completed"][0] != by_type["measure.scored"][0]
        again = requests.post(f"{base}/portal/{token}/submit", json=answer,   # the client presses send again
                              headers=portal_csrf(base, token))
        assert again.status_code == 200
        time.sleep(2.5)   # two relay passes
        assert len(receiver.received) == 2
        assert all(d["status"] == "delivered" and d["attempts"] == 1 for d in deliveries(base, ana, made))
    finally:
        disable(base, ana, made)
        receiver.close()


def made_clinic(session, base):
    return session.get(f"{base}/api/v1/me").json()["clinic"]["id"]


def test_a_failing_receiver_gets_it_on_retry_and_the_attempts_are_logged(platform):
    base, ana, _ = platform
    receiver = Receiver(500, 200).start()
    try:
        made = subscribe(base, ana, receiver, events=["homework.completed"])
        submit_measure(base, ana)
        wait_until(lambda: len(receiver.received) == 2)
        [first, second] = receiver.received
        assert first[0]["webhook-id"] == second[0]["webhook-id"] and first[1] == second[1]
        standardwebhooks.Webhook(made["secret"]).verify(second[1], second[0])
        wait_until(lambda: deliveries(base, ana, made)[0]["status"] == "delivered", 5)
        [delivery] = deliveries(base, ana, made)
        assert [(a["status_code"], a["outcome"]) for a in delivery["attempt_log"]] == [(500, "pending"),
                                                                                       (200, "delivered")]
        assert all(a["duration_ms"] >= 0 for a in delivery["attempt_log"])
        assert delivery["attempt_log"][0]["error"] == "HTTP 500"

        redelivered = ana.post(f"{base}{HOOKS}/{made['id']}/deliveries/{delivery['id']}/redeliver")
        assert redelivered.status_code == 202, redelivered.text
        wait_until(lambda: len(receiver.received) == 3)
        assert receiver.received[2][0]["webhook-id"] == first[0]["webhook-id"]   # the same message again
        standardwebhooks.Webhook(made["secret"]).verify(receiver.received[2][1], receiver.received[2][0])
        unknown = ana.post(f"{base}{HOOKS}/{made['id']}/deliveries/whd_nosuch/redeliver")
        assert unknown.status_code == 404
    finally:
        disable(base, ana, made)
        receiver.close()


def test_a_receiver_down_for_a_while_gets_it_later(platform):
    base, ana, _ = platform
    receiver = Receiver(200)   # not started: connections are refused
    try:
        made = subscribe(base, ana, receiver, events=["homework.completed"])
        submit_measure(base, ana)
        wait_until(lambda: any(d["attempt_log"] for d in deliveries(base, ana, made)), what="a first attempt")
        [refused] = deliveries(base, ana, made)
        assert refused["status"] == "pending" and refused["attempt_log"][0]["error"] == "connection refused"
        receiver.start()
        wait_until(lambda: len(receiver.received) == 1, 15)
        wait_until(lambda: deliveries(base, ana, made)[0]["status"] == "delivered", 5)
        standardwebhooks.Webhook(made["secret"]).verify(receiver.received[0][1], receiver.received[0][0])
    finally:
        disable(base, ana, made)
        receiver.close()


def test_bad_subscriptions_are_refused_naming_the_field(platform):
    base, ana, _ = platform
    for body, field in (({"url": "ftp://partner.example/x", "events": ["homework.completed"]}, "url"),
                        ({"url": "https://partner.example/x", "events": ["client.renamed"]}, "events"),
                        ({"url": "https://partner.example/x"}, "events")):
        answer = ana.post(f"{base}{HOOKS}", json=body)
        assert answer.status_code == 400 and field in answer.json()["message"], answer.text


def test_the_web_page_manages_webhooks_with_csrf_and_shows_the_secret_once(platform):
    base = platform[0]
    ana = browser(base, "ana@harbour.example")
    listing = ana.get(f"{base}/webhooks")
    assert listing.status_code == 200 and 'href="/webhooks"' in listing.text
    assert_secure(listing)
    form = {"url": "http://127.0.0.1:9/hooks", "events": ["risk.flagged", "assignment.overdue"],
            "description": "<b>EHR</b>"}
    assert ana.post(f"{base}/webhooks", data=form).status_code == 403   # no CSRF token
    made = ana.post(f"{base}/webhooks", data={**form, "csrf_token": csrf_of(listing.text)})
    assert made.status_code == 201, made.text
    assert_secure(made)
    secret = re.search(r'id="webhook-secret">(whsec_[A-Za-z0-9+/=]+)<', made.text).group(1)
    subscription_id = re.search(r'href="/webhooks/(whs_[0-9a-f]+)"', made.text).group(1)
    page = ana.get(f"{base}/webhooks/{subscription_id}")
    assert page.status_code == 200 and secret not in page.text and secret[-4:] in page.text
    assert "EHR" in page.text and "<b>EHR" not in page.text   # markup never reaches the page
    assert secret not in ana.get(f"{base}/webhooks").text
    token = csrf_of(page.text)
    rotated = ana.post(f"{base}/webhooks/{subscription_id}/secret", data={"csrf_token": token})
    assert rotated.status_code == 200 and "whsec_" in rotated.text and secret not in rotated.text
    bad = ana.post(f"{base}/webhooks", data={"url": "ftp://x.example/", "events": ["risk.flagged"], "csrf_token": token})
    assert bad.status_code == 400 and "url" in bad.text
    gone = ana.post(f"{base}/webhooks/{subscription_id}/delete", data={"csrf_token": token}, allow_redirects=False)
    assert gone.status_code == 303 and ana.get(f"{base}/webhooks/{subscription_id}").status_code == 404


def test_a_killed_progress_service_delivers_what_was_pending_when_another_starts(platform, runners):
    """Runs last: it kills this module's progress service and starts a replacement."""
    base, ana, _ = platform
    receiver = Receiver(200)   # down while the service dies
    try:
        made = subscribe(base, ana, receiver, events=["homework.completed"])
        submit_measure(base, ana)
        wait_until(lambda: any(d["attempt_log"] for d in deliveries(base, ana, made)), what="a first attempt")
        runners["platform"].service_map["progress"].kill()   # no graceful stop: what it held in memory is gone
        receiver.start()
        time.sleep(1.5)
        assert receiver.received == []   # nobody relays now
        runners["replacement"] = build_runner(runners["settings"], ("progress",))
        runners["replacement"].start()
        wait_until(lambda: len(receiver.received) == 1, 15)
        [delivery] = deliveries(base, ana, made)
        assert delivery["status"] == "delivered" and delivery["attempt_log"][0]["error"] == "connection refused"
        standardwebhooks.Webhook(made["secret"]).verify(receiver.received[0][1], receiver.received[0][0])
        time.sleep(1.5)
        assert len(receiver.received) == 1
    finally:
        receiver.close()
