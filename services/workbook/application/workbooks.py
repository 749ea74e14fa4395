"""Workbooks, render jobs and editions over the workbook service's own collections.

A render request creates a job record (its id is the job id on the queue) holding the edition
number it will produce and everything the render needs (``book``: the plan, tool snapshots from
the catalogue, the names and logo on the cover, the progress summary), so the render worker reads
nothing of another service, and the edition's blob key and record id are fixed before any worker
starts: a redelivered job renders to the same key and finds its edition already recorded, and
one request never yields two editions. The job record is also the outbox entry of its queue
message (``published_at`` stays None until the relay has published it: see render_jobs).
"""
from __future__ import annotations

from interlude import clock, request_keys
from interlude.actor import Actor
from interlude.errors import Conflict, InvalidInput, NotFound
from interlude.ports.documents import DocumentStore, TenantScope
from interlude.text import plain_text
from services.workbook.application.ports import CatalogueReader, ProgressReader
from services.workbook.domain.plan import apply_edits, propose_plan

WORKBOOKS, JOBS, EDITIONS = "workbooks", "workbook_jobs", "workbook_editions"
JOB_STATES = ("queued", "rendering", "done", "failed")
MAX_EDITION = 1_000_000
INDEXES = {WORKBOOKS: [["clinic_id"]], JOBS: [["status"], ["published_at"], ["clinic_id"]],
           EDITIONS: [["workbook_id", "number"], ["clinic_id"]]}
# What a job record keeps for the worker only; API callers see the job's state.
PRIVATE_JOB_FIELDS = ("book", "published_at", "clinic_id")
# What a workbook record keeps for the service only: the keys of the edits it applied.
PRIVATE_WORKBOOK_FIELDS = ("clinic_id", "applied_keys")


def ensure_indexes(store: DocumentStore) -> None:
    """Once per store, when the service (or a render worker) starts."""
    for name, indexes in INDEXES.items():
        for fields in indexes:
            store.collection(name).ensure_index(fields)


def edition_key(workbook_id: str, number: int) -> str:
    return f"editions/{workbook_id}/{number}.pdf"


def edition_owner(store: DocumentStore, key: str) -> dict | None:
    """Whose edition a stored file is (clinic, workbook, client), for the audit entry of a signed
    download link; None for a key that is no edition. Ids only."""
    parts = key.split("/") if isinstance(key, str) else []
    if len(parts) != 3 or parts[0] != "editions" or not parts[2].endswith(".pdf"):
        return None
    workbook = store.collection(WORKBOOKS).get(parts[1])
    if workbook is None:
        return None
    return {"clinic_id": workbook["clinic_id"], "workbook_id": workbook["id"], "client_id": workbook.get("client_id"),
            "edition": parts[2][:-4]}


def plan_tool_ids(plan: dict) -> list[str]:
    measure = [plan["measure"]["tool_id"]] if plan.get("measure") else []
    return measure + [tool["tool_id"] for chapter in plan.get("chapters", []) for tool in chapter.get("tools", [])]


def public_job(job: dict) -> dict:
    return {k: v for k, v in job.items() if k not in PRIVATE_JOB_FIELDS}


class Workbooks:
    def __init__(self, store: DocumentStore, actor: Actor, catalogue: CatalogueReader | None = None,
                 progress: ProgressReader | None = None):
        self.store, self.actor, self.catalogue, self.progress = store, actor, catalogue, progress
        self._reachable: set[str] | None = None
        self.workbooks = TenantScope(store.collection(WORKBOOKS), actor.clinic_id)
        self.jobs = TenantScope(store.collection(JOBS), actor.clinic_id)
        self.editions = TenantScope(store.collection(EDITIONS), actor.clinic_id)

    def propose(self, content, request: dict) -> dict:
        return propose_plan(content, self.catalogue.published(), request)

    # access follows the client ---------------------------------------------------------------
    def _reaches(self, client_id: str) -> bool:
        """Whether the progress service lets the actor reach this client: a practitioner their
        own, a clinic admin every client of the clinic (the clinic's policy)."""
        if self._reachable is None:
            self._reachable = self.progress.reachable_clients() if self.progress is not None else set()
        return client_id in self._reachable

    def _may_see(self, workbook: dict) -> bool:
        """A workbook made for a client of the record is seen by whoever may reach that client;
        one for no recorded client by its practitioner and the clinic's admins."""
        if self.actor.role == "clinic_admin":
            return True   # every workbook of the clinic (they are scoped to it), as for clients
        if workbook.get("client_id"):
            return self._reaches(workbook["client_id"])
        return workbook.get("practitioner_id") == self.actor.user_id

    def create(self, content, request: dict, request_key: str | None = None) -> dict:
        """``request_key``: the same key again (a redelivered request) returns the workbook it made."""
        client_name = plain_text(request.get("client_name"), "client_name", max_len=60)
        client_id = plain_text(request.get("client_id"), "client_id", max_len=40, required=False) or None
        if client_id is not None and not self._reaches(client_id):
            raise NotFound("No such client.")
        plan = self.propose(content, request)
        workbook = {"id": request_keys.keyed_id("wb", self.actor.clinic_id, request_key), "client_name": client_name,
                    # the progress record's client, when the practitioner links one
                    "client_id": client_id,
                    "practitioner_id": self.actor.user_id, "plan": plan, "editions": 0,
                    "created_at": clock.iso(), "updated_at": clock.iso()}
        try:
            return self.workbooks.insert(workbook)
        except Conflict:
            first = self.workbooks.get(workbook["id"]) if request_key is not None else None
            if first is None or first["practitioner_id"] != self.actor.user_id:
                raise Conflict("This request key was already used for another request.") from None
            return first

    def get(self, workbook_id: str) -> dict:
        workbook = self.workbooks.get_or_raise(workbook_id, "workbook")
        if not self._may_see(workbook):
            raise NotFound(f"No workbook with id {workbook_id!r}.")   # as if it did not exist
        return workbook

    def list(self) -> list[dict]:
        return [w for w in self.workbooks.find(sort=[("updated_at", -1)]) if self._may_see(w)]

    def update(self, workbook_id: str, change: dict, request_key: str | None = None) -> dict:
        """``change``: ``{"edits": [operations…], "client_name": …}`` (either may be left out).
        ``request_key``: an edit already applied with this key is not applied again."""
        workbook = self.get(workbook_id)
        if request_keys.applied(workbook, request_key):
            return workbook
        changes = {"updated_at": clock.iso(), **request_keys.remember(workbook, request_key)}
        if "edits" in change:
            changes["plan"] = apply_edits(workbook["plan"], change["edits"], find_tool=self.catalogue.find,
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
            key = self.catalogue.media_key(media_id)
        except NotFound:
            raise InvalidInput("logo_media_id: no file with this id in your clinic's media; upload the logo "
                               "with POST /api/v1/media first.") from None
        if not key.lower().endswith((".png", ".jpg", ".jpeg")):
            raise InvalidInput("logo_media_id: the cover logo must be a PNG or JPEG image.")

    # rendering ---------------------------------------------------------------------------
    def request_render(self, workbook_id: str, *, clinic_name: str = "", practitioner_name: str = "",
                       clinic_logo_key: str | None = None, clinic_colour: str | None = None,
                       progress: ProgressReader | None = None, request_key: str | None = None) -> dict:
        """A queued job carrying the whole book; ``clinic_name`` and ``practitioner_name`` come
        from the caller (identity is the gateway's), the tools and logo from the catalogue, the
        progress summary (from the second edition on) from progress. ``request_key``: the same key
        again (a redelivered request) returns the job it queued, and no second edition is numbered."""
        workbook = self.get(workbook_id)
        job_id = request_keys.keyed_id("job", self.actor.clinic_id, request_key)
        if request_key is not None and (first := self.jobs.get(job_id)) is not None:
            return self._same_request(first, workbook_id)
        plan = workbook["plan"]
        if not any(chapter.get("tools") for chapter in plan.get("chapters", [])):
            raise InvalidInput("This workbook has no tools yet: add at least one before rendering.")
        logo_media_id = (plan.get("cover") or {}).get("logo_media_id")
        book = {"plan": plan, "client_name": workbook["client_name"], "client_id": workbook.get("client_id"),
                "clinic_name": clinic_name, "practitioner_name": practitioner_name,
                "tools": self.catalogue.snapshots(plan_tool_ids(plan)),
                # the book's own cover logo, else the clinic's (its branding, from the gateway)
                "logo_key": self.catalogue.media_key(logo_media_id) if logo_media_id else clinic_logo_key,
                "colour": clinic_colour, "progress": None}
        number = self.store.collection(WORKBOOKS).increment(workbook_id, "editions")
        if number >= 2 and workbook.get("client_id") and progress is not None:
            book["progress"] = progress.summary(workbook["client_id"], (plan.get("measure") or {}).get("slug"))
        job = {"id": job_id, "workbook_id": workbook_id, "edition": number,
               "status": "queued", "attempts": 0, "requested_by": self.actor.user_id,
               "requested_at": clock.iso(), "error": None, "published_at": None, "book": book}
        try:
            return self.jobs.insert(job)
        except Conflict:   # the same request, delivered twice at once
            first = self.jobs.get(job_id) if request_key is not None else None
            if first is None:
                raise
            return self._same_request(first, workbook_id)

    def _same_request(self, job: dict, workbook_id: str) -> dict:
        if job["workbook_id"] != workbook_id or job["requested_by"] != self.actor.user_id:
            raise Conflict("This request key was already used for another request.")
        return job

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
