"""Render jobs: publishing them (the job record is the outbox) and what a render worker does with
one (render the whole book in one WeasyPrint pass, store the PDF, record the edition, mark the
job done).

Publishing cannot lose a job: the record is saved first with ``published_at`` None, and the relay
(``publish_pending``: right after the request, then on the workbook service's timer in every
deployment) publishes every queued job still unpublished and only then sets ``published_at``.
A publish that fails leaves the job for the next pass; one that succeeds but is not recorded is
published again, which is harmless: consumption is idempotent by job id (a job already done is
acknowledged and skipped; the edition's key and record id are fixed by the job).
"""
from __future__ import annotations

import os
from datetime import date, timedelta

from interlude import clock
from interlude.errors import Conflict, NotFound
from interlude.jobs import Job, PermanentJobError
from interlude.logging import get_logger
from interlude.ports.blobs import BlobStore
from interlude.ports.documents import DocumentStore, TenantScope
from interlude.rendering import render_pdf
from services.workbook.application.workbooks import EDITIONS, JOBS, edition_key, plan_tool_ids
from services.workbook.domain.book_html import book_html

log = get_logger(__name__)

QUEUE_NAME = "workbook-render"
KIND = "render_workbook"
BOOK_MAX_HTML_BYTES = 8 * 1024 * 1024
BOOK_TIME_LIMIT_S = 180
RELAY_BATCH = 100


# publishing (the outbox relay) -------------------------------------------------------------
def publish_pending(store: DocumentStore, queue, *, job_id: str | None = None, older_than_s: float = 0,
                    limit: int = RELAY_BATCH) -> int:
    """Publish queued jobs not yet published (or just ``job_id``), oldest first; return how many
    were published. A job whose publish fails stays unpublished for the next pass. The relay's
    timer passes ``older_than_s`` so that it leaves a job just requested to its request, which
    publishes it at once (both publishing would only cost a skipped redelivery)."""
    jobs = store.collection(JOBS)
    where = {"status": "queued", "published_at": None}
    if job_id is not None:
        where["id"] = job_id
    if older_than_s:
        where["requested_at"] = {"$lt": clock.iso(clock.utcnow() - timedelta(seconds=older_than_s))}
    published = 0
    for job in jobs.find(where, sort=[("requested_at", 1)], limit=limit):
        try:
            queue.publish(job["id"], KIND, {"workbook_id": job["workbook_id"]})
        except Exception as exc:  # the broker is away: the record keeps the job until the next pass
            log.warning("render_job_publish_failed", job_id=job["id"], error_type=type(exc).__name__)
            break
        jobs.update(job["id"], {"published_at": clock.iso()})
        published += 1
    return published


def mark_unpublished(store: DocumentStore) -> int:
    """The embedded platform's in-memory queue keeps nothing across a restart: jobs it held
    (queued or rendering) are made unpublished again, for the relay."""
    jobs = store.collection(JOBS)
    unfinished = jobs.find({"status": {"$in": ["queued", "rendering"]}})
    for job in unfinished:
        jobs.update(job["id"], {"status": "queued", "published_at": None})
    return len(unfinished)


def oldest_waiting_age_s(store: DocumentStore) -> float:
    """How long the oldest job still waiting for a worker (queued, published or not) has waited:
    what operations watch to scale render workers (0 when none waits)."""
    oldest = store.collection(JOBS).find({"status": "queued"}, sort=[("requested_at", 1)], limit=1)
    if not oldest:
        return 0.0
    return max(0.0, (clock.utcnow() - clock.parse_iso(oldest[0]["requested_at"])).total_seconds())


# rendering ---------------------------------------------------------------------------------
def changes_since(previous: dict | None, plan: dict) -> dict:
    """What changed in the plan since the last edition, for the editions list."""
    if previous is None:
        return {"first_edition": True}
    before, after = set(plan_tool_ids(previous)), set(plan_tool_ids(plan))
    notes = lambda p: {c.get("problem"): c.get("note", "") for c in p.get("chapters", [])}  # noqa: E731
    return {"tools_added": sorted(after - before), "tools_removed": sorted(before - after),
            "notes_changed": sorted(k for k, v in notes(plan).items() if notes(previous).get(k) != v),
            "goals_changed": previous.get("goals") != plan.get("goals")}


def _logo(blobs: BlobStore, book: dict) -> tuple[dict, str | None]:
    """The clinic's logo for the cover, passed to the renderer as a file of the job."""
    key = book.get("logo_key")
    if not key:
        return {}, None
    name = f"logo.{key.rsplit('.', 1)[-1]}"
    try:
        return {name: blobs.get(key)}, name
    except NotFound:   # the clinic replaced its logo after this job was queued: the cover goes without
        log.warning("workbook_logo_gone", logo_key=key)
        return {}, None


def render_workbook_job(store: DocumentStore, blobs: BlobStore, job: Job, on_rendered=None) -> None:
    jobs = store.collection(JOBS)
    record = jobs.get(job.job_id)
    if record is None:
        raise PermanentJobError(f"No render job {job.job_id!r}.")
    if record["status"] == "done":
        return  # a redelivery of work already finished
    book = record.get("book")
    if not book:
        raise PermanentJobError("This render job was queued before jobs carried their book: render again.")
    jobs.update(job.job_id, {"status": "rendering", "attempts": record.get("attempts", 0) + 1,
                             "worker_pid": os.getpid(), "started_at": clock.iso()})
    workbook_id, number, plan = record["workbook_id"], record["edition"], book["plan"]
    files, logo_file = _logo(blobs, book)
    html = book_html(plan, book["tools"], client_name=book["client_name"],
                     practitioner_name=book["practitioner_name"], clinic_name=book["clinic_name"],
                     edition=number, date=date.today().isoformat(), logo_file=logo_file,
                     # the book's own cover colour, else the clinic's branding
                     colour=(plan.get("cover") or {}).get("colour") or book.get("colour"),
                     progress=book.get("progress") if number >= 2 else None)
    pdf = render_pdf(html, paper=plan.get("paper", "a4"), footer_text=book["clinic_name"],
                     forms=True, files=files, max_html_bytes=BOOK_MAX_HTML_BYTES, time_limit_s=BOOK_TIME_LIMIT_S)
    key = edition_key(workbook_id, number)
    blobs.put(key, pdf, "application/pdf")
    editions = TenantScope(store.collection(EDITIONS), record["clinic_id"])
    previous = editions.find({"workbook_id": workbook_id, "number": number - 1}, limit=1)
    edition = {"id": f"{workbook_id}@{number}", "workbook_id": workbook_id, "number": number, "key": key,
               "size": len(pdf), "job_id": job.job_id, "plan": plan, "created_at": clock.iso(),
               "changes": changes_since(previous[0]["plan"] if previous else None, plan)}
    try:
        editions.insert(edition)
    except Conflict:
        pass  # recorded by an earlier delivery of this job; the PDF above is the same book
    jobs.update(job.job_id, {"status": "done", "finished_at": clock.iso(), "error": None})
    log.info("workbook_rendered", job_id=job.job_id, workbook_id=workbook_id, edition=number, bytes=len(pdf))
    if on_rendered:
        on_rendered({"workbook_id": workbook_id, "clinic_id": record["clinic_id"], "edition": number,
                     "job_id": job.job_id, "client_id": book.get("client_id"),
                     "requested_by": record.get("requested_by")})   # the audit log's "who"


def hand_back(store: DocumentStore, job: Job) -> None:
    """A worker stopping mid-render gives the job back: waiting again (its message is requeued
    next, so the relay has nothing to publish), for the next worker."""
    store.collection(JOBS).update(job.job_id, {"status": "queued", "handed_back_at": clock.iso()})
    log.info("render_job_handed_back", job_id=job.job_id)


def mark_failed(store: DocumentStore, job: Job, reason: str) -> None:
    store.collection(JOBS).update(job.job_id, {"status": "failed", "error": reason, "finished_at": clock.iso()})
