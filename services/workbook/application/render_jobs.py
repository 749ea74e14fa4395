"""What a render worker does with one job: render the whole book in one WeasyPrint pass, store
the PDF, record the edition, mark the job done. Safe to run twice for the same job (redelivery
after a killed worker): the edition's key and record id are fixed by the job."""
from __future__ import annotations

import os
from datetime import date

from interlude import clock
from interlude.actor import Actor
from interlude.errors import Conflict, NotFound
from interlude.jobs import Job, PermanentJobError
from interlude.logging import get_logger
from interlude.ports.blobs import BlobStore
from interlude.ports.documents import DocumentStore
from interlude.rendering import render_pdf
from services.catalog.domain.catalogue import Catalogue
from services.catalog.domain.clinic_tools import ClinicTools
from services.catalog.domain.media import ClinicMedia
from services.workbook.domain.book_html import book_html
from services.workbook.application.workbooks import Workbooks, edition_key

log = get_logger(__name__)

QUEUE_NAME = "workbook-render"
KIND = "render_workbook"
BOOK_MAX_HTML_BYTES = 8 * 1024 * 1024
BOOK_TIME_LIMIT_S = 180


def plan_tool_ids(plan: dict) -> list[str]:
    measure = [plan["measure"]["tool_id"]] if plan.get("measure") else []
    return measure + [tool["tool_id"] for chapter in plan.get("chapters", []) for tool in chapter.get("tools", [])]


def changes_since(previous: dict | None, plan: dict) -> dict:
    """What changed in the plan since the last edition, for the editions list."""
    if previous is None:
        return {"first_edition": True}
    before, after = set(plan_tool_ids(previous)), set(plan_tool_ids(plan))
    notes = lambda p: {c.get("problem"): c.get("note", "") for c in p.get("chapters", [])}  # noqa: E731
    return {"tools_added": sorted(after - before), "tools_removed": sorted(before - after),
            "notes_changed": sorted(k for k, v in notes(plan).items() if notes(previous).get(k) != v),
            "goals_changed": previous.get("goals") != plan.get("goals")}


def _tools_by_id(store: DocumentStore, actor: Actor, plan: dict) -> dict[str, dict]:
    catalogue, clinic_tools = Catalogue(store), ClinicTools(store, actor)
    tools = {}
    for tool_id in plan_tool_ids(plan):
        tools[tool_id] = clinic_tools.get(tool_id) if tool_id.startswith("ct_") else catalogue.get(tool_id)
    return tools


def _logo(store: DocumentStore, blobs: BlobStore, actor: Actor, plan: dict) -> tuple[dict, str | None]:
    """The clinic's logo for the cover, passed to the renderer as a file of the job."""
    media_id = (plan.get("cover") or {}).get("logo_media_id")
    if not media_id:
        return {}, None
    record = ClinicMedia(store, blobs, actor).get(media_id)
    name = f"logo.{record['key'].rsplit('.', 1)[-1]}"
    return {name: blobs.get(record["key"])}, name


def _progress(store: DocumentStore, clinic_id: str, workbook: dict) -> dict | None:
    """The progress record for a later edition: homework done and the opening measure's trend,
    read from the client's permanent record (services/progress) when the workbook names a client."""
    from services.progress.domain import projections
    if not workbook.get("client_id"):
        return None
    reader = Actor("render-worker", clinic_id, "clinic_admin")  # reads within this clinic only
    try:
        assignments = projections.client_assignments(store, reader, workbook["client_id"])
    except NotFound:
        return None
    measure = (workbook["plan"].get("measure") or {}).get("slug")
    points = projections.measure_series(store, reader, workbook["client_id"], measure) if measure else []
    return {"homework_done": sum(a["state"]["status"] == "submitted" for a in assignments),
            "homework_set": len(assignments), "measure": measure,
            "points": [[day, total] for day, total, _band in points]}


def render_workbook_job(store: DocumentStore, blobs: BlobStore, job: Job, on_rendered=None) -> None:
    jobs = store.collection("workbook_jobs")
    record = jobs.get(job.job_id)
    if record is None:
        raise PermanentJobError(f"No render job {job.job_id!r}.")
    if record["status"] == "done":
        return  # a redelivery of work already finished
    jobs.update(job.job_id, {"status": "rendering", "attempts": record.get("attempts", 0) + 1,
                             "worker_pid": os.getpid(), "started_at": clock.iso()})
    actor = Actor(record["requested_by"], record["clinic_id"], "practitioner")
    workbooks = Workbooks(store, actor)
    try:
        workbook = workbooks.get(record["workbook_id"])
        tools = _tools_by_id(store, actor, workbook["plan"])
    except NotFound as exc:
        raise PermanentJobError(exc.message) from None
    clinic = store.collection("clinics").get(record["clinic_id"]) or {}
    practitioner = store.collection("users").get(workbook["practitioner_id"]) or {}
    files, logo_file = _logo(store, blobs, actor, workbook["plan"])
    progress = _progress(store, record["clinic_id"], workbook) if record["edition"] >= 2 else None
    html = book_html(workbook["plan"], tools, client_name=workbook["client_name"],
                     practitioner_name=practitioner.get("name", ""), clinic_name=clinic.get("name", ""),
                     edition=record["edition"], date=date.today().isoformat(), logo_file=logo_file,
                     progress=progress)
    pdf = render_pdf(html, paper=workbook["plan"].get("paper", "a4"), footer_text=clinic.get("name", ""),
                     forms=True, files=files, max_html_bytes=BOOK_MAX_HTML_BYTES, time_limit_s=BOOK_TIME_LIMIT_S)
    key = edition_key(workbook["id"], record["edition"])
    blobs.put(key, pdf, "application/pdf")
    previous = workbooks.editions.find({"workbook_id": workbook["id"], "number": record["edition"] - 1}, limit=1)
    edition = {"id": f"{workbook['id']}@{record['edition']}", "workbook_id": workbook["id"],
               "number": record["edition"], "key": key, "size": len(pdf), "job_id": job.job_id,
               "plan": workbook["plan"], "created_at": clock.iso(),
               "changes": changes_since(previous[0]["plan"] if previous else None, workbook["plan"])}
    try:
        workbooks.editions.insert(edition)
    except Conflict:
        pass  # recorded by an earlier delivery of this job; the PDF above is the same book
    jobs.update(job.job_id, {"status": "done", "finished_at": clock.iso(), "error": None})
    log.info("workbook_rendered", job_id=job.job_id, workbook_id=workbook["id"], edition=record["edition"],
             bytes=len(pdf))
    if on_rendered:
        on_rendered({"workbook_id": workbook["id"], "clinic_id": record["clinic_id"], "edition": record["edition"],
                     "job_id": job.job_id, "client_id": workbook.get("client_id")})


def mark_failed(store: DocumentStore, job: Job, reason: str) -> None:
    store.collection("workbook_jobs").update(job.job_id, {"status": "failed", "error": reason, "finished_at": clock.iso()})
