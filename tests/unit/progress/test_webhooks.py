"""Webhooks: Standard Webhooks signatures (checked with the official `standardwebhooks`
verifier), the back-off schedule, which subscriptions get which event, one delivery per event,
the relay's claims, retries, attempt log and redelivery, and the address policy."""
import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
import standardwebhooks
from eventlet import sleep
from eventlet.greenpool import GreenPool
import structlog.testing

from interlude import clock
from interlude import logging as interlude_logging
from interlude.actor import Actor
from interlude.errors import Conflict, Forbidden, InvalidInput, NotFound
from services.progress.adapters.webhook_http import AddressPolicy, HttpSender
from services.progress.application import announcements, portal, records, storage
from services.progress.application import webhook_deliveries as deliveries
from services.progress.application import webhook_subscriptions as subscriptions
from services.progress.application.webhook_deliveries import Attempt, RetryPolicy, WebhookSender
from services.progress.domain import webhooks as rules

from .conftest import at, new_assignment, new_client

ALLOW_ANY = AddressPolicy(allow_private=True).check
FAST = RetryPolicy(base_seconds=10, max_attempts=3, lease_seconds=60)


class Receiver(WebhookSender):
    """A fake partner: answers with the given status codes in turn (then the last one forever)."""

    def __init__(self, *statuses):
        self.statuses, self.received = list(statuses or [204]), []

    def post(self, url, headers, body):
        self.received.append((url, headers, body))
        status = self.statuses.pop(0) if len(self.statuses) > 1 else self.statuses[0]
        if status is None:
            return Attempt(status_code=None, duration_ms=3, error="connection refused")
        return Attempt(status_code=status, duration_ms=5, error=None if status < 300 else f"HTTP {status}")


@pytest.fixture
def other_admin():
    return Actor("usr_other", "cln_b", "clinic_admin")


def subscribe(store, admin, events=("homework.completed",), url="https://partner.example/hooks", **extra):
    return subscriptions.create(store, admin, {"url": url, "events": list(events), **extra}, ALLOW_ANY, now=at(0))


def completed(store, clinic_id="cln_a", key="sub-1", now=None):
    return deliveries.publish(store, clinic_id, "homework.completed", key,
                              {"client_id": "cli_1", "assignment_id": "asg_1", "submission_id": key,
                               "display_name": "Sam", "fields": {"q1": "my worries"}}, now=now or at(0))


# signing ---------------------------------------------------------------------------------------
def test_signatures_verify_with_the_standardwebhooks_library():
    secret = rules.new_secret()
    assert secret.startswith("whsec_") and len(rules.secret_key(secret)) == rules.SECRET_BYTES
    body = rules.body_bytes(rules.payload("measure.scored", "2026-03-02T09:00:00+00:00", {"total": 9, "band": "mild"}))
    now = int(clock.utcnow().timestamp())
    headers = rules.signed_headers([secret], "evt_1", now, body)
    assert headers["webhook-signature"].startswith("v1,")
    assert standardwebhooks.Webhook(secret).verify(body, headers) == json.loads(body)
    with pytest.raises(standardwebhooks.webhooks.WebhookVerificationError):
        standardwebhooks.Webhook(rules.new_secret()).verify(body, headers)
    with pytest.raises(standardwebhooks.webhooks.WebhookVerificationError):
        standardwebhooks.Webhook(secret).verify(body.replace("9", "8"), headers)
    old = rules.signed_headers([secret], "evt_1", now - 3600, body)   # outside the 5-minute tolerance
    with pytest.raises(standardwebhooks.webhooks.WebhookVerificationError):
        standardwebhooks.Webhook(secret).verify(body, old)


def test_during_a_rotation_both_secrets_verify(store, admin):
    made = subscribe(store, admin)
    rotated = subscriptions.rotate_secret(store, admin, made["id"], now=at(0, 1))
    assert rotated["secret"] != made["secret"]
    stored = storage.collection(store, storage.WEBHOOKS).get(made["id"])
    body, now = "{}", int(clock.utcnow().timestamp())
    headers = rules.signed_headers(deliveries.current_secrets(stored, at(0, 2)), "evt_x", now, body)
    for secret in (made["secret"], rotated["secret"]):
        standardwebhooks.Webhook(secret).verify(body, headers)
    assert deliveries.current_secrets(stored, at(2)) == [rotated["secret"]]   # the old one lapsed


# back-off ----------------------------------------------------------------------------------------
def test_the_back_off_grows_four_fold_up_to_a_cap():
    assert [rules.retry_delay(n, 30) for n in range(1, 8)] == [30, 120, 480, 1920, 7680, 30720, 43200]
    assert rules.retry_delay(0, 30) == 0 and rules.retry_delay(3, 0.2) == pytest.approx(3.2)


# publishing ------------------------------------------------------------------------------------
def test_an_event_goes_to_the_subscriptions_that_want_it_once(store, admin, other_admin):
    wants = subscribe(store, admin, ["homework.completed", "risk.flagged"])
    subscribe(store, admin, ["measure.scored"])
    off = subscribe(store, admin, ["homework.completed"], enabled=False)
    subscribe(store, other_admin, ["homework.completed"])
    [made] = completed(store)
    assert made["subscription_id"] == wants["id"] and off["id"] != made["subscription_id"]
    assert completed(store, now=at(0, 1)) == []   # the same submission announced again
    sent = json.loads(made["body"])
    assert sent == {"type": "homework.completed", "timestamp": clock.iso(at(0)),
                    "data": {"clinic_id": "cln_a", "client_id": "cli_1", "assignment_id": "asg_1",
                             "submission_id": "sub-1"}}   # no name, no answers
    assert len(completed(store, key="sub-2")) == 1


def test_a_clinic_without_subscriptions_queues_nothing(store):
    assert completed(store) == [] and storage.collection(store, storage.DELIVERIES).count() == 0


# the relay ---------------------------------------------------------------------------------------
def test_a_failing_receiver_gets_it_on_retry_and_every_attempt_is_logged(store, admin):
    made = subscribe(store, admin)
    completed(store)
    partner = Receiver(500, None, 200)
    assert deliveries.deliver_due(store, partner, FAST, now=at(0)) == {"delivered": 0, "retrying": 1, "failed": 0,
                                                                       "skipped": 0}
    assert deliveries.deliver_due(store, partner, FAST, now=at(0) + timedelta(seconds=9))["retrying"] == 0  # not yet
    assert deliveries.deliver_due(store, partner, FAST, now=at(0) + timedelta(seconds=10))["retrying"] == 1
    assert deliveries.deliver_due(store, partner, FAST, now=at(0) + timedelta(seconds=49))["delivered"] == 0
    assert deliveries.deliver_due(store, partner, FAST, now=at(0) + timedelta(seconds=50))["delivered"] == 1
    [listed] = subscriptions.deliveries(store, admin, made["id"])
    assert listed["status"] == "delivered" and listed["attempts"] == 3
    assert [(a["status_code"], a["error"], a["outcome"]) for a in listed["attempt_log"]] == [
        (500, "HTTP 500", "pending"), (None, "connection refused", "pending"), (200, None, "delivered")]
    ids = {headers["webhook-id"] for _, headers, _ in partner.received}
    bodies = {body for _, _, body in partner.received}
    assert len(ids) == 1 and len(bodies) == 1   # one message, retried unchanged
    assert deliveries.deliver_due(store, partner, FAST, now=at(1))["delivered"] == 0   # never twice


def test_a_delivery_is_given_up_after_the_last_attempt_and_410_ends_it_at_once(store, admin):
    subscribe(store, admin)
    completed(store)
    down = Receiver(503)
    for seconds in (0, 10, 50):
        deliveries.deliver_due(store, down, FAST, now=at(0) + timedelta(seconds=seconds))
    [failed] = storage.collection(store, storage.DELIVERIES).find()
    assert failed["status"] == "failed" and failed["attempts"] == 3
    completed(store, key="sub-2")
    assert deliveries.deliver_due(store, Receiver(410), FAST, now=at(1))["failed"] == 1


def test_two_relays_never_send_one_delivery_together(store, admin):
    subscribe(store, admin)
    completed(store)
    late = Receiver()

    class Racing(Receiver):
        def post(self, url, headers, body):   # while this relay sends, another one runs a pass
            self.inner = deliveries.deliver_due(store, late, FAST, now=at(0))
            return super().post(url, headers, body)

    racing = Racing()
    deliveries.deliver_due(store, racing, FAST, now=at(0))
    assert len(racing.received) == 1 and late.received == [] and racing.inner["delivered"] == 0


def test_a_relay_that_died_mid_send_is_taken_over_after_the_lease(store, admin):
    subscribe(store, admin)
    [made] = completed(store)
    storage.collection(store, storage.DELIVERIES).update(made["id"], {"status": "sending", "claim": "dead",
                                                                      "claimed_at": clock.iso(at(0))})
    partner = Receiver()
    assert deliveries.deliver_due(store, partner, FAST, now=at(0) + timedelta(seconds=30))["delivered"] == 0
    assert deliveries.deliver_due(store, partner, FAST, now=at(0) + timedelta(seconds=61))["delivered"] == 1


def test_redeliver_sends_the_same_message_again(store, admin, other_admin):
    made = subscribe(store, admin)
    [queued] = completed(store)
    partner = Receiver()
    deliveries.deliver_due(store, partner, FAST, now=at(0))
    with pytest.raises(NotFound):
        subscriptions.redeliver(store, other_admin, made["id"], queued["id"])
    again = subscriptions.redeliver(store, admin, made["id"], queued["id"], now=at(1))
    assert again["status"] == "pending"
    assert deliveries.deliver_due(store, partner, FAST, now=at(1))["delivered"] == 1
    assert [h["webhook-id"] for _, h, _ in partner.received] == [queued["event_id"]] * 2
    assert len(subscriptions.deliveries(store, admin, made["id"])[0]["attempt_log"]) == 2


def test_a_deleted_subscription_gets_nothing_more(store, admin):
    made = subscribe(store, admin)
    completed(store)
    assert subscriptions.delete(store, admin, made["id"])["pending_dropped"] == 1
    assert deliveries.deliver_due(store, Receiver(), FAST, now=at(0)) == {"delivered": 0, "retrying": 0,
                                                                          "failed": 0, "skipped": 0}


def test_attempt_logs_carry_ids_and_outcomes_never_the_payload(store, admin):
    subscribe(store, admin)
    completed(store)
    interlude_logging.configure("console", "info")
    try:
        with structlog.testing.capture_logs() as logged:
            deliveries.deliver_due(store, Receiver(500), FAST, now=at(0))
    finally:
        interlude_logging.configure("console", "warning")
    [line] = [entry for entry in logged if entry["event"] == "webhook_attempt"]
    assert set(line) == {"event", "log_level", "delivery_id", "subscription_id", "event_id", "event_type",
                         "attempt", "status_code", "duration_ms", "error", "outcome"}
    assert "cli_1" not in json.dumps(line)


# subscriptions ---------------------------------------------------------------------------------
def test_only_clinic_admins_manage_subscriptions_of_their_own_clinic(store, admin, alice, other_admin):
    made = subscribe(store, admin, description="EHR sync")
    [queued] = completed(store)
    assert made["secret"].startswith("whsec_")
    with pytest.raises(Forbidden):
        subscriptions.list_subscriptions(store, alice)
    [listed] = subscriptions.list_subscriptions(store, admin)
    assert "secret" not in listed and listed["secret_hint"] == "…" + made["secret"][-4:]
    assert subscriptions.list_subscriptions(store, other_admin) == []
    with pytest.raises(NotFound):
        subscriptions.get(store, other_admin, made["id"])
    changed = subscriptions.update(store, admin, made["id"], {"events": ["risk.flagged"], "enabled": False},
                                   ALLOW_ANY)
    assert changed["events"] == ["risk.flagged"] and changed["enabled"] is False
    with pytest.raises(InvalidInput, match="secret"):
        subscriptions.update(store, admin, made["id"], {"secret": "whsec_x"}, ALLOW_ANY)
    with pytest.raises(Conflict, match="disabled"):
        subscriptions.redeliver(store, admin, made["id"], queued["id"])
    assert completed(store, key="sub-2") == []   # a disabled subscription gets no new deliveries


@pytest.mark.parametrize("form, message", [
    ({"url": "ftp://partner.example/x", "events": ["homework.completed"]}, "https://"),
    ({"url": "file:///etc/passwd", "events": ["homework.completed"]}, "https://"),
    ({"url": "https://user:pw@partner.example/", "events": ["homework.completed"]}, "password"),
    ({"url": "https://partner.example/", "events": []}, "events"),
    ({"url": "https://partner.example/", "events": ["client.renamed"]}, "client.renamed"),
    ({"events": ["homework.completed"]}, "url is required"),
])
def test_bad_subscriptions_are_refused_naming_the_field(store, admin, form, message):
    with pytest.raises(InvalidInput, match=message):
        subscriptions.create(store, admin, form, ALLOW_ANY)


@pytest.mark.parametrize("url", ["http://127.0.0.1:9000/x", "http://localhost/x", "http://10.1.2.3/",
                                 "http://169.254.169.254/latest/meta-data", "http://[::1]/", "http://192.168.0.4/",
                                 "http://0.0.0.0/", "http://[::ffff:127.0.0.1]/"])
def test_private_and_loopback_receivers_are_refused_unless_allowed(url):
    with pytest.raises(rules.BadWebhookUrl, match="INTERLUDE_WEBHOOK_ALLOW_PRIVATE"):
        AddressPolicy(allow_private=False).check(url)
    assert AddressPolicy(allow_private=True).check(url) == url
    assert rules.public_address("93.184.215.14") and not rules.public_address("100.64.0.1")


# the HTTP sender -------------------------------------------------------------------------------
class Server:
    def __init__(self, status, location=None):
        self.requests, server = [], self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                server.requests.append((dict(self.headers), self.rfile.read(int(self.headers["Content-Length"]))))
                self.send_response(status)
                if location:
                    self.send_header("Location", location)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.http = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.http.server_port}/hooks"
        threading.Thread(target=self.http.serve_forever, daemon=True).start()

    def close(self):
        self.http.shutdown()
        self.http.server_close()


def test_the_http_sender_posts_json_follows_no_redirect_and_reports_failures():
    sender, secret = HttpSender(AddressPolicy(allow_private=True), timeout=5), rules.new_secret()
    ok, moved = Server(204), Server(307, location="http://127.0.0.1:1/elsewhere")
    try:
        body = '{"type":"homework.completed"}'
        headers = rules.signed_headers([secret], "evt_1", int(clock.utcnow().timestamp()), body)
        assert sender.post(ok.url, headers, body).ok
        [(received, raw)] = ok.requests
        assert received["Content-Type"] == "application/json" and raw == body.encode()
        standardwebhooks.Webhook(secret).verify(raw, received)
        redirected = sender.post(moved.url, headers, body)
        assert (redirected.ok, redirected.status_code) == (False, 307) and len(moved.requests) == 1
    finally:
        ok.close()
        moved.close()
    refused = sender.post(ok.url, headers, body)   # nobody listens there now
    assert refused.status_code is None and refused.error == "connection refused"
    guarded = HttpSender(AddressPolicy(allow_private=False)).post(ok.url, headers, body)
    assert guarded.status_code is None and guarded.error.startswith("refused address")


def test_the_readme_receiver_accepts_our_deliveries_and_refuses_forgeries(monkeypatch):
    """The README's "Receive a webhook" code, run as a partner would run it."""
    from pathlib import Path
    readme = (Path(__file__).resolve().parents[3] / "README.md").read_text()
    code = readme.split("### Receive a webhook", 1)[1].split("```python\n", 1)[1].split("```", 1)[0]
    secret, handled, seen = rules.new_secret(), [], set()
    monkeypatch.setenv("INTERLUDE_WEBHOOK_SECRET", secret)
    partner = {"already_seen": lambda message_id: message_id in seen or seen.add(message_id),
               "handle": lambda kind, data: handled.append((kind, data))}
    exec(compile(code, "README.md", "exec"), partner)
    body = rules.body_bytes(rules.payload("measure.scored", clock.iso(), {"client_id": "cli_1", "total": 11}))
    headers = rules.signed_headers([secret], "evt_1", int(clock.utcnow().timestamp()), body)
    assert partner["receive"](body.encode(), headers) == 204
    assert handled == [("measure.scored", {"client_id": "cli_1", "total": 11})]
    assert partner["receive"](body.encode(), headers) == 204 and len(handled) == 1   # a retry: dropped
    forged = rules.signed_headers([rules.new_secret()], "evt_2", int(clock.utcnow().timestamp()), body)
    assert partner["receive"](body.encode(), forged) == 400 and len(handled) == 1


def test_erasing_a_client_erases_the_webhook_deliveries_about_them(store, admin, alice):
    subscribe(store, admin)
    sam = new_client(store, alice)
    deliveries.publish(store, "cln_a", "homework.completed", "sub-9", {"client_id": sam["id"]}, now=at(0))
    completed(store)   # another client's
    done = records.delete_client(store, admin, sam["id"])
    assert done["removed"]["webhook_deliveries"] == 1
    assert [d["client_id"] for d in storage.collection(store, storage.DELIVERIES).find()] == ["cli_1"]


def test_a_slow_receiver_does_not_hold_up_the_others_in_a_pass(store, admin):
    slow_one = subscribe(store, admin, url="https://slow.example/hooks")
    fast_one = subscribe(store, admin, url="https://fast.example/hooks")
    completed(store)
    table = storage.collection(store, storage.DELIVERIES)
    [fast] = table.find({"subscription_id": fast_one["id"]})
    table.update(fast["id"], {"next_attempt_at": clock.iso(at(0, 0.5))})   # the slow one is attempted first
    finished = []

    class Partners(WebhookSender):
        def post(self, url, headers, body):
            if url == slow_one["url"]:
                sleep(0.3)   # waiting on its socket: a green thread yields
            finished.append(url)
            return Attempt(status_code=204, duration_ms=1, error=None)

    counts = deliveries.deliver_due(store, Partners(), FAST, now=at(0, 1), map_=GreenPool(4).imap)
    assert counts["delivered"] == 2 and finished == [fast_one["url"], slow_one["url"]]


def test_a_portal_submission_and_a_rendered_edition_are_announced_to_subscribers(store, admin, alice):
    made = subscribe(store, admin, ["homework.completed", "measure.scored", "risk.flagged", "workbook.rendered"])
    client = new_client(store, alice)
    assigned = new_assignment(store, alice, client["id"], measure="phq9", due="2026-03-06")
    result = portal.submit(store, assigned["link"]["token"], answers=[1] * 9, submission_id="sub-phq", now=at(0, 1))
    dispatched = announcements.submission(store, assigned["link"]["token"], result, now=at(0, 1))
    assert [event for event, _ in dispatched] == ["homework_completed", "measure_scored", "risk_flagged"]
    announcements.submission(store, assigned["link"]["token"], result, now=at(0, 2))   # again: queued once
    announcements.workbook_rendered(store, {"clinic_id": "cln_a", "workbook_id": "wb_1", "edition": 2,
                                            "job_id": "job_1", "client_id": client["id"]})
    made_deliveries = subscriptions_deliveries(store, made)
    assert len(made_deliveries) == 4
    queued = {d["event_type"]: json.loads(d["body"])["data"] for d in made_deliveries}
    common = {"clinic_id": "cln_a", "client_id": client["id"], "assignment_id": assigned["assignment"]["id"],
              "submission_id": "sub-phq", "measure": "phq9"}
    assert queued["homework.completed"] == common
    assert queued["measure.scored"] == {**common, "total": 9, "band": "Mild"}
    assert queued["risk.flagged"] == {**common, "flags": ["suicidal_ideation"]}
    assert queued["workbook.rendered"] == {"clinic_id": "cln_a", "client_id": client["id"], "workbook_id": "wb_1",
                                           "edition": 2, "job_id": "job_1"}
    assert "Sam" not in json.dumps(queued)


def subscriptions_deliveries(store, subscription):
    return storage.collection(store, storage.DELIVERIES).find({"subscription_id": subscription["id"]})
