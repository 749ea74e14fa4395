"""Reminders: created once per assignment, due date and kind; delivered once; the webhook is
signed with HMAC-SHA256."""
import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
import structlog.testing

from interlude import clock
from interlude import logging as interlude_logging
from services.progress.application import events, portal, reminders, storage
from services.progress.application.reminders import LogSender, ReminderSender, WebhookSender

from .conftest import at, new_assignment, new_client

SECRET = "partner-shared-secret"


class Recorder(ReminderSender):
    def __init__(self, fail=False):
        self.sent, self.fail = [], fail

    def send(self, reminder):
        if self.fail:
            raise ConnectionError("partner down")
        self.sent.append(reminder)


def test_due_soon_and_overdue_reminders_are_created_once(store, alice, carol):
    sam = new_client(store, alice)
    lee = new_client(store, carol, "Lee")
    new_assignment(store, alice, sam["id"], due="2026-03-03")            # deadline: end of Tuesday
    later = new_assignment(store, alice, sam["id"], tool_id="later", due="2026-03-20")
    done = new_assignment(store, alice, sam["id"], tool_id="done", due="2026-03-03")
    portal.submit(store, done["link"]["token"], fields={"situation": "Done"}, now=at(0))
    new_assignment(store, carol, lee["id"], due="2026-03-02")
    first = reminders.due_reminders(store, now=at(0))   # Monday 09:00: Lee's is due by tonight
    assert [(r["client_id"], r["kind"]) for r in first] == [(lee["id"], "due_soon")]
    assert reminders.due_reminders(store, now=at(0, 2)) == []
    tuesday = reminders.due_reminders(store, now=at(1, 1))
    expected = [(sam["id"], "due_soon"), (lee["id"], "overdue")]
    assert sorted((r["client_id"], r["kind"]) for r in tuesday) == sorted(expected)
    wednesday = reminders.due_reminders(store, now=at(2))
    assert [(r["client_id"], r["kind"]) for r in wednesday] == [(sam["id"], "overdue")]
    for day in (2, 3, 4):
        assert reminders.due_reminders(store, now=at(day, 5)) == []
    outbox = storage.collection(store, storage.OUTBOX).find()
    assert len(outbox) == 4 and later["assignment"]["id"] not in {r["assignment_id"] for r in outbox}
    assert all(set(r) >= {"id", "kind", "clinic_id", "client_id", "assignment_id", "due"} for r in outbox)
    assert "Sam" not in json.dumps(outbox) and "Lee" not in json.dumps(outbox)


def test_a_new_due_date_gets_its_own_reminder(store, alice):
    client = new_client(store, alice)
    made = new_assignment(store, alice, client["id"], measure="gad7", recur=7, due="2026-03-02")
    assert len(reminders.due_reminders(store, now=at(0, 1))) == 1
    portal.submit(store, made["link"]["token"], answers=[0] * 7, now=at(0, 2))
    assert reminders.due_reminders(store, now=at(3)) == []
    again = reminders.due_reminders(store, now=at(7, 1))
    assert [(r["due"], r["kind"]) for r in again] == [("2026-03-09", "due_soon")]


def test_each_reminder_is_delivered_once(store, alice):
    client = new_client(store, alice)
    new_assignment(store, alice, client["id"], due="2026-03-02")
    new_assignment(store, alice, client["id"], tool_id="other", due="2026-03-02")
    reminders.due_reminders(store, now=at(0, 1))
    first, second = Recorder(), Recorder()
    assert reminders.deliver(store, first, now=at(0, 2)) == {"sent": 2, "failed": 0, "skipped": 0}
    assert reminders.deliver(store, second, now=at(0, 3)) == {"sent": 0, "failed": 0, "skipped": 0}
    assert len(first.sent) == 2 and second.sent == []
    assert all(r["status"] == "sent" for r in storage.collection(store, storage.OUTBOX).find())
    sent_events = events.client_events(store, "cln_a", client["id"], types=["reminder_sent"])
    assert sorted(e["data"]["reminder_id"] for e in sent_events) == sorted(r["id"] for r in first.sent)


def test_a_claimed_reminder_is_not_sent_by_a_second_deliverer(store, alice):
    client = new_client(store, alice)
    new_assignment(store, alice, client["id"], due="2026-03-02")
    [entry] = reminders.due_reminders(store, now=at(0, 1))
    outbox = storage.collection(store, storage.OUTBOX)

    class Racing(Recorder):
        def send(self, reminder):   # while this deliverer sends, another one tries the same entry
            self.inner = reminders.deliver(store, late, now=at(0, 2))
            super().send(reminder)

    late, racing = Recorder(), Racing()
    reminders.deliver(store, racing, now=at(0, 2))
    assert len(racing.sent) == 1 and late.sent == [] and outbox.get(entry["id"])["status"] == "sent"


def test_a_failed_delivery_is_retried_then_given_up(store, alice):
    client = new_client(store, alice)
    new_assignment(store, alice, client["id"], due="2026-03-02")
    [entry] = reminders.due_reminders(store, now=at(0, 1))
    down = Recorder(fail=True)
    for attempt in range(1, 4):
        assert reminders.deliver(store, down, now=at(0, 2), max_attempts=3)["failed"] == 1
        stored = storage.collection(store, storage.OUTBOX).get(entry["id"])
        assert stored["attempts"] == attempt and stored["last_error"] == "ConnectionError"
    assert stored["status"] == "failed"
    assert reminders.deliver(store, Recorder(), now=at(0, 3))["sent"] == 0


def test_a_stale_claim_is_taken_over_after_the_lease(store, alice):
    client = new_client(store, alice)
    new_assignment(store, alice, client["id"], due="2026-03-02")
    [entry] = reminders.due_reminders(store, now=at(0, 1))
    outbox = storage.collection(store, storage.OUTBOX)
    outbox.update(entry["id"], {"status": "sending", "claim": "dead", "claimed_at": clock.iso(at(0, 1))})
    assert reminders.deliver(store, Recorder(), now=at(0, 1.1))["sent"] == 0
    assert reminders.deliver(store, Recorder(), now=at(0, 2))["sent"] == 1


def test_log_sender_logs_ids_only(store, alice):
    client = new_client(store, alice, "Sam Example")
    new_assignment(store, alice, client["id"], due="2026-03-02", title="Worry time")
    reminders.due_reminders(store, now=at(0, 1))
    interlude_logging.configure("console", "info")
    try:
        with structlog.testing.capture_logs() as logged:
            assert reminders.deliver(store, LogSender(), now=at(0, 2))["sent"] == 1
    finally:
        interlude_logging.configure("console", "warning")
    [line] = [entry for entry in logged if entry["event"] == "reminder_due"]
    assert set(line) == {"event", "log_level", "reminder_id", "kind", "clinic_id", "client_id", "assignment_id"}
    assert "Sam" not in json.dumps(line) and "Worry" not in json.dumps(line)


class Partner:
    """A tiny HTTP server on 127.0.0.1 that checks the signature and records what it got."""

    def __init__(self, status=204):
        self.received, partner = [], self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                expected = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
                valid = hmac.compare_digest(self.headers.get("X-Interlude-Signature", ""), expected)
                partner.received.append((json.loads(body), valid, self.headers.get("Idempotency-Key")))
                self.send_response(status if valid else 401)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/reminders"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def partner():
    server = Partner()
    yield server
    server.close()


def test_webhook_delivers_signed_json_once(store, alice, partner):
    client = new_client(store, alice)
    new_assignment(store, alice, client["id"], due="2026-03-02")
    [entry] = reminders.due_reminders(store, now=at(0, 1))
    sender = WebhookSender(partner.url, SECRET, timeout=5)
    assert reminders.deliver(store, sender, now=at(0, 2))["sent"] == 1
    assert reminders.deliver(store, sender, now=at(0, 3))["sent"] == 0
    [(payload, valid, key)] = partner.received
    assert valid and key == entry["id"]
    assert payload == {"id": entry["id"], "kind": "due_soon", "clinic_id": "cln_a", "client_id": client["id"],
                       "assignment_id": entry["assignment_id"], "due": "2026-03-02",
                       "sent_at": "2026-03-02T11:00:00.000000+00:00"}


def test_a_wrong_secret_is_refused_by_the_partner_and_retried(store, alice, partner):
    client = new_client(store, alice)
    new_assignment(store, alice, client["id"], due="2026-03-02")
    [entry] = reminders.due_reminders(store, now=at(0, 1))
    result = reminders.deliver(store, WebhookSender(partner.url, "wrong", timeout=5), now=at(0, 2))
    assert result == {"sent": 0, "failed": 1, "skipped": 0} and partner.received[0][1] is False
    assert storage.collection(store, storage.OUTBOX).get(entry["id"])["status"] == "pending"
    assert reminders.deliver(store, WebhookSender(partner.url, SECRET, timeout=5), now=at(0, 3))["sent"] == 1


def test_webhook_needs_an_http_url_and_a_secret():
    with pytest.raises(ValueError):
        WebhookSender("file:///etc/passwd", SECRET)
    with pytest.raises(ValueError):
        WebhookSender("https://partner.example/hook", "")
