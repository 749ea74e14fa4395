"""Reminders: created once per assignment, due date and kind; delivered once; handed to the
clinic's webhook subscriptions as assignment.due / assignment.overdue events."""
import json

import structlog.testing

from interlude import clock
from interlude import logging as interlude_logging
from services.progress.application import events, portal, reminders, storage
from services.progress.application.reminders import LogSender, ReminderSender

from .conftest import at, new_assignment, new_client


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


def test_reminders_become_webhook_events_for_the_clinics_subscriptions(store, alice, carol):
    """The reminder webhook of earlier versions is a subscription like any other now."""
    for clinic_id, wanted in (("cln_a", ["assignment.due", "assignment.overdue"]), ("cln_b", ["homework.completed"])):
        storage.collection(store, storage.WEBHOOKS).insert({
            "id": f"whs_{clinic_id}", "clinic_id": clinic_id, "url": "https://partner.example/hooks",
            "events": wanted, "enabled": True, "secret": "whsec_MDEyMzQ1Njc4OWFiY2RlZg==", "created_at": "x"})
    sam, lee = new_client(store, alice), new_client(store, carol, "Lee")
    new_assignment(store, alice, sam["id"], due="2026-03-02")
    new_assignment(store, carol, lee["id"], due="2026-03-02")
    created, outcome = reminders.send_due(store, now=at(0, 1))
    assert len(created) == 2 and outcome["sent"] == 2
    [due] = storage.collection(store, storage.DELIVERIES).find()
    reminder = next(r for r in created if r["clinic_id"] == "cln_a")
    assert (due["subscription_id"], due["event_type"]) == ("whs_cln_a", "assignment.due")
    assert json.loads(due["body"])["data"] == {"clinic_id": "cln_a", "client_id": sam["id"], "due": "2026-03-02",
                                              "assignment_id": reminder["assignment_id"], "reminder_id": reminder["id"]}
    reminders.send_due(store, now=at(1, 1))   # Tuesday: overdue
    kinds = sorted(d["event_type"] for d in storage.collection(store, storage.DELIVERIES).find())
    assert kinds == ["assignment.due", "assignment.overdue"]
    reminders.send_due(store, now=at(1, 2))
    assert storage.collection(store, storage.DELIVERIES).count() == 2   # each reminder queued once
