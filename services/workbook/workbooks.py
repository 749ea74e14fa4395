"""Workbooks, render jobs and editions over the ports (the workbook service's application layer).

A render request creates a job record (its id is the job id on the queue) holding the edition
number it will produce, so the edition's blob key and record id are fixed before any worker
starts: a redelivered job renders to the same key and finds its edition already recorded, and
one request never yields two editions.
"""
from __future__ import annotations

import uuid
from datetime import datetime, timezone

from interlude.actor import Actor
from interlude.errors import Conflict, InvalidInput, NotFound
from interlude.ports.documents import DocumentStore, TenantScope
from services.catalog.domain.catalogue import Catalogue
from services.catalog.domain.clinic_tools import ClinicTools, plain_text
from services.catalog.domain.media import ClinicMedia
from services.progress.domain import clients
from services.workbook.domain.plan import apply_edits, propose_plan

JOB_STATES = ("queued", "rendering", "done", "failed")
MAX_EDITION = 1_000_000


def now() -> str:
    return datetime.now(timezone.utc).isoformat()


def edition_key(workbook_id: str, number: int) -> str:
    return f"editions/{workbook_id}/{number}.pdf"


class Workbooks:
    def __init__(self, store: DocumentStore, actor: Actor):
        self.store, self.actor = store, actor
        self.workbooks = TenantScope(store.collection("workbooks"), actor.clinic_id)
        self.jobs = TenantScope(store.collection("workbook_jobs"), actor.clinic_id)
        self.editions = TenantScope(store.collection("workbook_editions"), actor.clinic_id)

    def _tools(self) -> list[dict]:
        return Catalogue(self.store).all_published()

    def propose(self, content, request: dict) -> dict:
        return propose_plan(content, self._tools(), request)

    # access follows the client ---------------------------------------------------------------
    def _may_see(self, workbook: dict, reachable: set[str] | None = None) -> bool:
        """A workbook made for a client of the record is seen by whoever may reach that client
        (its practitioner; a clinic admin, as the clinic's access policy says); one for no
        recorded client by its practitioner and the clinic's admins."""
        if self.actor.role == "clinic_admin":
            return True
        if workbook.get("client_id"):
            if reachable is not None:
                return workbook["client_id"] in reachable
            try:
                clients.client_for(self.store, self.actor, workbook["client_id"])
            except NotFound:
                return False
            return True
        return workbook.get("practitioner_id") == self.actor.user_id

    def create(self, content, request: dict) -> dict:
        client_name = plain_text(request.get("client_name"), "client_name", max_len=60)
        client_id = plain_text(request.get("client_id"), "client_id", max_len=40, required=False) or None
        if client_id is not None:
            clients.client_for(self.store, self.actor, client_id)   # NotFound unless the actor reaches it
        plan = self.propose(content, request)
        workbook = {"id": f"wb_{uuid.uuid4().hex[:16]}", "client_name": client_name,
                    # the progress record's client, when the practitioner links one
                    "client_id": client_id,
                    "practitioner_id": self.actor.user_id, "plan": plan, "editions": 0,
                    "created_at": now(), "updated_at": now()}
        return self.workbooks.insert(workbook)

    def get(self, workbook_id: str) -> dict:
        workbook = self.workbooks.get_or_raise(workbook_id, "workbook")
        if not self._may_see(workbook):
            raise NotFound(f"No workbook with id {workbook_id!r}.")   # as if it did not exist
        return workbook

    def list(self) -> list[dict]:
        reachable = {c["id"] for c in clients.list_clients(self.store, self.actor)}
        return [w for w in self.workbooks.find(sort=[("updated_at", -1)]) if self._may_see(w, reachable)]

    def _find_tool(self, tool_id: str) -> dict | None:
        """A catalogue tool or one of the clinic's own; None if neither (another clinic's tool
        is simply not found)."""
        try:
            if tool_id.startswith("ct_"):
                return ClinicTools(self.store, self.actor).get(tool_id)
            return Catalogue(self.store).get(tool_id)
        except NotFound:
            return None

    def update(self, workbook_id: str, change: dict) -> dict:
        """``change``: ``{"edits": [operations…], "client_name": …}`` (either may be left out)."""
        workbook = self.get(workbook_id)
        changes = {"updated_at": now()}
        if "edits" in change:
            changes["plan"] = apply_edits(workbook["plan"], change["edits"], find_tool=self._find_tool,
                                          clinic_id=self.actor.clinic_id)
            self._check_logo(changes["plan"], workbook["plan"])
        if "client_name" in change:
            changes["client_name"] = plain_text(change["client_name"], "client_name", max_len=60)
        updated = self.workbooks.update(workbook_id, changes, expect={"updated_at": workbook["updated_at"]})
        if updated is None:
            raise Conflict("The workbook changed meanwhile: reload it and apply your edit again.")
        return updated

    def _check_logo(self, plan: dict, before: dict) -> None:
        """A cover logo must be an image of this clinic's media, checked now rather than at render
        time (another clinic's id, or an audio file, used to fail only in the render)."""
        media_id = (plan.get("cover") or {}).get("logo_media_id")
        if not media_id or media_id == (before.get("cover") or {}).get("logo_media_id"):
            return
        try:
            record = ClinicMedia(self.store, None, self.actor).get(media_id)
        except NotFound:
            raise InvalidInput("logo_media_id: no file with this id in your clinic's media; upload the logo "
                               "with POST /api/v1/media first.") from None
        if not str(record.get("content_type", "")).startswith("image/"):
            raise InvalidInput("logo_media_id: the cover logo must be a PNG or JPEG image.")

    # rendering ---------------------------------------------------------------------------
    def request_render(self, workbook_id: str) -> dict:
        workbook = self.get(workbook_id)
        if not any(chapter.get("tools") for chapter in workbook["plan"].get("chapters", [])):
            raise InvalidInput("This workbook has no tools yet: add at least one before rendering.")
        number = self.store.collection("workbooks").increment(workbook_id, "editions")
        job = {"id": f"job_{uuid.uuid4().hex[:16]}", "workbook_id": workbook_id, "edition": number,
               "status": "queued", "attempts": 0, "requested_by": self.actor.user_id,
               "requested_at": now(), "error": None}
        return self.jobs.insert(job)

    def job(self, job_id: str) -> dict:
        job = self.jobs.get_or_raise(job_id, "render job")
        try:
            self.get(job["workbook_id"])
        except NotFound:
            raise NotFound(f"No render job with id {job_id!r}.") from None
        return job

    def list_editions(self, workbook_id: str) -> list[dict]:
        self.get(workbook_id)
        return self.editions.find({"workbook_id": workbook_id}, sort=[("number", 1)])

    def edition(self, workbook_id: str, number: int) -> dict:
        self.get(workbook_id)
        if not 1 <= int(number) <= MAX_EDITION:   # a number past 2^63 reached the store and failed there
            raise NotFound(f"Workbook {workbook_id!r} has no edition {number}.")
        found = self.editions.find({"workbook_id": workbook_id, "number": int(number)}, limit=1)
        if not found:
            raise NotFound(f"Workbook {workbook_id!r} has no edition {number}.")
        return found[0]


def unfinished_jobs(store: DocumentStore) -> list[dict]:
    """Jobs a restart of the embedded platform must queue again (across every clinic: this runs
    at start, for no one in particular, and only re-publishes ids)."""
    return store.collection("workbook_jobs").find({"status": {"$in": ["queued", "rendering"]}},
                                                  sort=[("requested_at", 1)])
