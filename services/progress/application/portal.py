"""What a client does through a portal link, with no account: every call starts from the token,
resolves it to one assignment of one client (``assignments.resolve_portal``: 404, 403 revoked,
410 expired) and reads or records nothing else. The acting party of these events is 'client'.

``record_on_paper`` is the practitioner's twin of ``submit``, for homework done on paper.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from interlude import clock
from interlude.actor import Actor
from interlude.errors import Conflict, InvalidInput
from interlude.ports.documents import DocumentStore, TenantScope
from services.progress.application import assignments, clients, events, projections, storage, submission
from services.progress.domain import status
from services.progress.domain import portal_rules as rules

MAX_AUDIO_SECONDS = 24 * 3600


def _context(store: DocumentStore, token: str, now) -> tuple[dict, dict, list[dict]]:
    assignment, client = assignments.resolve_portal(store, token, now=now)
    history = status.effective(events.client_events(store, client["clinic_id"], client["id"]))
    return assignment, client, history


def _measure_form(slug: str) -> dict:
    measure = storage.measures()[slug]
    extra = measure.extra or None
    return {"slug": measure.slug, "short_name": measure.short_name, "timeframe": measure.timeframe,
            "risk_items": sorted({flag.item for flag in measure.flags}),
            "items": [{"id": q.id, "text": q.text, "applies_to": q.applies_to} for q in measure.items],
            "options": [{"value": value, "label": label} for value, label in measure.options],
            "extra": {"id": extra["id"], "text": extra.get("text"), "options": list(extra.get("options") or [])}
            if extra else None}


def _view(assignment: dict, client: dict, history: list[dict], now) -> dict:
    state = status.assignment_status(assignment, history, now)
    mine = status.of_assignment(history, assignment["id"])
    ratings = [e["data"]["rating"] for e in mine if e["type"] == "rated"]
    view = {"client": {"display_name": client["display_name"]},
            "assignment": {"id": assignment["id"], "kind": assignment["kind"], "title": assignment["title"],
                           "target": assignment["target"], "recur": assignment.get("recur"),
                           "due": state["due"], "status": state["status"]},
            "draft": status.latest_draft(history, assignment), "submitted_at": state["submitted_at"],
            "submissions": state["submissions"], "rating": ratings[-1] if ratings else None,
            "measure": None, "progress": None}
    if assignment["kind"] == "measure":
        slug = assignment["target"]["measure"]
        series = projections.series_of(history, slug)
        view["measure"] = _measure_form(slug)
        view["progress"] = {"series": series,
                            "chart": projections.measure_chart(series, storage.measures()[slug])}
    return view


def view(store: DocumentStore, token: str, *, now: datetime | None = None) -> dict:
    """What the portal page shows: the assignment, the client's latest draft, the measure's
    questions and the client's own series and chart for it. Records nothing."""
    return _view(*_context(store, token, now), now)


def page(store: DocumentStore, token: str, tool_of: Callable[[str, str, int | None], dict], *,
         now: datetime | None = None) -> dict:
    """One open of the link, as the finished page view: the token is resolved once, ``opened``
    recorded (see ``open_assignment``), and the tool to show is a measure laid out by the portal's
    rules or the catalogue's tool (``tool_of(clinic_id, tool_id, version)``, asked of the catalog
    service; ``version``: the clinic tool's version the assignment was made with, if it names one).
    Returns ``{client_name, clinic_id, language, due, tool, draft, submitted, has_audio}``: the
    gateway reads the clinic's branding and crisis numbers by ``clinic_id`` and speaks ``language``."""
    assignment, client, shown = _open(store, token, now)
    if assignment["kind"] == "measure":
        tool = rules.measure_page(shown["measure"])
    else:
        target = assignment["target"]
        tool = tool_of(client["clinic_id"], target.get("tool_id") or "", target.get("version"))
    return {"client_name": client["display_name"], "clinic_id": client["clinic_id"],
            "language": clients.language_of(client), "due": shown["assignment"]["due"], "tool": tool,
            "draft": (shown["draft"] or {}).get("fields"), "submitted": rules.is_closed(shown["assignment"]),
            "has_audio": rules.has_audio(tool)}


def progress_page(store: DocumentStore, token: str, *, now: datetime | None = None) -> dict:
    """The client's own progress: homework done of set across all their assignments (not only
    this link's), and this link's measure chart. Records nothing."""
    assignment, client, history = _context(store, token, now)
    shown = _view(assignment, client, history, now)
    charts = ([{"title": shown["measure"]["short_name"], "svg": shown["progress"]["chart"]}]
              if shown.get("progress") else [])
    everything = TenantScope(storage.collection(store, storage.ASSIGNMENTS), client["clinic_id"]).find(
        {"client_id": client["id"]})
    states = [status.assignment_status(each, history, now) for each in everything]
    return {"client_name": client["display_name"], "clinic_id": client["clinic_id"],
            "language": clients.language_of(client), "charts": charts, **rules.client_homework_counts(states)}


def context(store: DocumentStore, token: str, *, now: datetime | None = None) -> dict:
    """``{clinic_id, language}`` of the link's client (the page's branding and wording). Records nothing."""
    _, client = assignments.resolve_portal(store, token, now=now)
    return {"clinic_id": client["clinic_id"], "language": clients.language_of(client)}


def tool_reference(store: DocumentStore, token: str, *, now: datetime | None = None) -> tuple[str, str]:
    """(clinic id, tool id) of the link's assignment, to fetch its audio. Records nothing."""
    assignment, client = assignments.resolve_portal(store, token, now=now)
    return client["clinic_id"], assignment["target"].get("tool_id") or ""


def _open(store: DocumentStore, token: str, now) -> tuple[dict, dict, dict]:
    assignment, client, history = _context(store, token, now)
    day = clock.iso(clock.utcnow(now))[:10]
    opened = events.append(store, client["clinic_id"], client["id"], "opened", actor="client", now=now,
                           data={"assignment_id": assignment["id"]},
                           idempotency_key=f"opened:{assignment['id']}:{day}")
    if all(event["id"] != opened["id"] for event in history):
        history = history + [opened]      # just recorded: the page reads the record once
    return assignment, client, _view(assignment, client, history, now)


def open_assignment(store: DocumentStore, token: str, *, now: datetime | None = None) -> dict:
    """The client opened the link: ``opened`` is recorded once per assignment per (UTC) day.
    Returns the page, as ``view``."""
    return _open(store, token, now)[2]


def save_draft(store: DocumentStore, token: str, fields: dict, *, request_key: str | None = None,
               now: datetime | None = None) -> dict:
    """Keep what the client has typed so far (field id -> text). A draft identical to the latest
    is not recorded again. Returns ``{"fields", "saved_at"}``."""
    assignment, client, history = _context(store, token, now)
    if assignment["kind"] == "measure":
        raise InvalidInput("A measure is answered in one go: submit the answers.")
    cleaned = storage.clean_fields(fields)
    state = status.assignment_status(assignment, history, now)
    if state["status"] == "submitted" and not assignment.get("recur"):
        raise Conflict("This has already been sent to your practitioner.")
    latest = status.latest_draft(history, assignment)
    if latest is not None and latest["fields"] == cleaned:
        return latest
    event = events.append(store, client["clinic_id"], client["id"], "draft_saved", actor="client", now=now,
                          data={"assignment_id": assignment["id"], "fields": cleaned},
                          idempotency_key=_key("draft", request_key))
    return {"fields": cleaned, "saved_at": event["at"]}


def submit(store: DocumentStore, token: str, *, submission_id: str | None = None, fields: dict | None = None,
           answers=None, extra: int | None = None, crisis_lines=None, now: datetime | None = None) -> dict:
    """Send the worksheet (``fields``) or the measure's ``answers`` (a list in item order or an
    object of item id to value; ``extra``: PHQ-9's unscored difficulty question, an option number).
    ``crisis_lines``: the clinic's own crisis numbers, shown after the standard crisis text when a
    risk flag is raised. A worksheet with every field blank is refused, recording nothing.
    Returns ``submission.record_submission``'s result."""
    assignment, _, _ = _context(store, token, now)
    if assignment["kind"] != "measure" and answers is None:
        rules.require_an_answer(fields)
    return submission.record_submission(store, assignment, actor="client", submission_id=submission_id,
                                        fields=fields, answers=answers, extra=extra,
                                        crisis_lines=crisis_lines, now=now)


def _key(kind: str, request_key: str | None) -> str | None:
    """An event's idempotency key from the request's: a redelivered request records nothing twice."""
    if request_key is None:
        return None
    if not isinstance(request_key, str) or not 0 < len(request_key) <= 100:
        raise InvalidInput("request_key must be text of 1-100 characters.")
    return f"{kind}:{request_key}"


def rate(store: DocumentStore, token: str, rating, *, request_key: str | None = None,
         now: datetime | None = None) -> dict:
    """How helpful the tool was, 1 (not at all) to 5 (very); the latest rating counts."""
    assignment, client, _ = _context(store, token, now)
    rating = rules.parse_rating(rating)
    return events.append(store, client["clinic_id"], client["id"], "rated", actor="client", now=now,
                         data={"assignment_id": assignment["id"], "rating": rating},
                         idempotency_key=_key("rate", request_key))


def audio_played(store: DocumentStore, token: str, seconds, *, request_key: str | None = None,
                 now: datetime | None = None) -> dict:
    """The client listened to the assignment's audio for ``seconds``."""
    assignment, client, _ = _context(store, token, now)
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or not 0 < seconds <= MAX_AUDIO_SECONDS:
        raise InvalidInput(f"seconds must be a number above 0 and at most {MAX_AUDIO_SECONDS}.")
    return events.append(store, client["clinic_id"], client["id"], "audio_played", actor="client", now=now,
                         data={"assignment_id": assignment["id"], "seconds": round(float(seconds), 1)},
                         idempotency_key=_key("audio", request_key))


def record_on_paper(store: DocumentStore, actor: Actor, assignment_id: str, *, taken_on, fields: dict | None = None,
                    answers=None, extra: int | None = None, submission_id: str | None = None,
                    now: datetime | None = None) -> dict:
    """The practitioner enters homework or a measure the client did on paper on ``taken_on``; it is
    scored and flagged exactly like an online submission (the practitioner sees any flag at once)."""
    assignment = assignments.assignment_for(store, actor, assignment_id)
    return submission.record_submission(store, assignment, actor=actor.user_id, submission_id=submission_id,
                                        fields=fields, answers=answers, extra=extra, taken_on=taken_on, now=now)
