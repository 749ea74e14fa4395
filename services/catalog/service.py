"""Catalog service: thin nameko entrypoints over the catalogue domain."""
from __future__ import annotations

import base64

from eventlet import tpool
from nameko.events import EventDispatcher
from nameko.rpc import rpc
from nameko.timer import timer

from interlude import errors, events
from interlude.actor import Actor
from interlude.logging import get_logger
from interlude.metrics import Metrics
from interlude.nameko_deps import Blobs, Documents, RequestContext
from services.catalog import previews, thumbnails, tool_files
from services.catalog.dependencies import CatalogueContent, CatalogueReadModel
from services.catalog.domain.catalogue import Catalogue, ensure_indexes, summary
from services.catalog.domain.clinic_tools import ClinicTools, clinic_tool_search_document
from services.catalog.domain.media import ClinicMedia
from services.catalog.domain.measures import score
from services.catalog.domain import screen_wording
from services.catalog.domain.shelf import Shelf

log = get_logger(__name__)
CATALOGUE_WATCH_SECONDS = 2


class CatalogService:
    name = events.CATALOG

    documents = Documents(prepare=ensure_indexes)
    blobs = Blobs()
    content = CatalogueContent()
    reads = CatalogueReadModel()
    request_id = RequestContext()
    dispatch = EventDispatcher()
    metrics = Metrics()

    # the shared catalogue ------------------------------------------------------------------
    @rpc(expected_exceptions=errors.EXPECTED)
    def list_tools(self, actor, params):
        """The published catalogue with the acting clinic's own tools merged in, filtered and paged."""
        return self.reads.list(Actor.from_dict(actor).clinic_id, dict(params or {})).data

    @rpc(expected_exceptions=errors.EXPECTED)
    def get_tool(self, actor, tool_id):
        Actor.from_dict(actor)
        return self.reads.tool(tool_id).data

    @rpc(expected_exceptions=errors.EXPECTED)
    def taxonomy(self, actor):
        content = self.content.content
        return self.reads.taxonomy(Actor.from_dict(actor).clinic_id, content.problems, content.techniques).data

    @rpc(expected_exceptions=errors.EXPECTED)
    def conditional_read(self, actor, view, args, known_etags=()):
        """A catalogue read ("list", "taxonomy" or "tool") with its ETag; ``data`` is None when the
        caller already holds the current answer (one of ``known_etags``)."""
        found = self.reads.read(Actor.from_dict(actor).clinic_id, view, args, self.content.content)
        return {"etag": found.etag, "data": None if found.etag in (known_etags or ()) else found.data}

    @timer(interval=CATALOGUE_WATCH_SECONDS, eager=True)
    def watch_catalogue(self):
        """Announce a newly published build: `interlude catalog build` writes the store directly,
        and the gateways keep catalogue answers until an event says they changed."""
        version = self.reads.catalogue_version()
        if version != self.reads.announced_version:
            self.reads.announced_version = version
            self.dispatch(events.CATALOGUE_CHANGED, {"version": version})

    def _any_tool(self, actor: Actor, tool_id: str) -> dict:
        """A catalogue tool, or one of the acting clinic's own tools."""
        if str(tool_id).startswith("ct_"):
            return ClinicTools(self.documents, actor).get(tool_id)
        return self.reads.tool(tool_id).data

    @rpc(expected_exceptions=errors.EXPECTED)
    def tool_snapshots(self, actor, tool_ids):
        """The tools a render job carries, by id, as they are now (NotFound if one is gone)."""
        actor = Actor.from_dict(actor)
        return {str(tool_id): self._any_tool(actor, str(tool_id)) for tool_id in list(tool_ids or [])}

    @rpc(expected_exceptions=errors.EXPECTED)
    def portal_tool(self, clinic_id, tool_id, version=None):
        """The tool behind a client's portal link (the gateway resolved the link first), its
        paper instructions worded for the screen (screen_wording); for a clinic tool, the
        ``version`` the assignment was made with when it names one."""
        return screen_wording.tool_for_screen(self._portal_tool(clinic_id, tool_id, version))

    def _portal_tool(self, clinic_id, tool_id, version=None):
        if str(tool_id).startswith("ct_"):
            tools = ClinicTools(self.documents, Actor("portal", clinic_id, "practitioner"))
            return tools.version(tool_id, version) if version is not None else tools.get(tool_id)
        return self.reads.tool(tool_id).data

    @rpc(expected_exceptions=errors.EXPECTED)
    def portal_audio(self, clinic_id, tool_id):
        return tool_files.tool_audio(self.blobs, self._portal_tool(clinic_id, tool_id), "mp3")

    @rpc(expected_exceptions=errors.EXPECTED)
    def portal_tool_pdf(self, clinic_id, tool_id, paper="a4", clinic_name="", branding=None):
        """The fillable PDF behind a client's portal link (the gateway resolved the link first),
        in the paper's own wording (not the screen's)."""
        return tool_files.tool_pdf(self.blobs, self._portal_tool(clinic_id, tool_id), paper, clinic_name, branding)

    @rpc(expected_exceptions=errors.EXPECTED)
    def tool_pdf(self, actor, tool_id, paper="a4", clinic_name="", branding=None):
        """``branding``: the clinic's ``{"name", "colour", "logo_key"}`` drawn on the PDF."""
        tool = self._any_tool(Actor.from_dict(actor), tool_id)
        return tool_files.tool_pdf(self.blobs, tool, paper, clinic_name, branding)

    @rpc(expected_exceptions=errors.EXPECTED)
    def tool_audio(self, actor, tool_id, audio_format="mp3"):
        tool = self._any_tool(Actor.from_dict(actor), tool_id)
        return tool_files.tool_audio(self.blobs, tool, audio_format)

    @rpc(expected_exceptions=errors.EXPECTED)
    def score_measure(self, actor, measure_slug, answers):
        Actor.from_dict(actor)
        measures = self.content.measures
        if measure_slug not in measures:
            raise errors.NotFound(f"No measure {measure_slug!r}: choose one of {', '.join(sorted(measures))}.")
        return score(measures[measure_slug], answers).to_dict()

    # the web app: page thumbnails, each practitioner's favourites and recently used tools -----
    @rpc(expected_exceptions=errors.EXPECTED)
    def tool_page_count(self, actor, tool_id, clinic_name="", branding=None):
        tool = self._any_tool(Actor.from_dict(actor), tool_id)
        return len(thumbnails.thumbnails(self.blobs, tool, clinic_name, branding))

    @rpc(expected_exceptions=errors.EXPECTED)
    def tool_thumbnail(self, actor, tool_id, number, clinic_name="", branding=None):
        tool = self._any_tool(Actor.from_dict(actor), tool_id)
        return thumbnails.thumbnail_link(self.blobs, tool, number, clinic_name, branding)

    @rpc(expected_exceptions=errors.EXPECTED)
    def tool_summaries(self, actor, tool_ids):
        """``{id: summary}`` of the listed shared tools (minutes, format, age at a glance); unknown
        ids and clinic tools are left out (a search hit already carries what a clinic tool has)."""
        Actor.from_dict(actor)
        ids = [str(i) for i in (tool_ids or [])][:100]
        found = Catalogue(self.documents).tools.find({"id": {"$in": ids}}) if ids else []
        return {tool["id"]: summary(tool) for tool in found}

    @rpc(expected_exceptions=errors.EXPECTED)
    def tool_opened(self, actor, tool_id):
        return Shelf(self.documents, Actor.from_dict(actor)).used(tool_id)

    @rpc(expected_exceptions=errors.EXPECTED)
    def toggle_favourite(self, actor, tool_id):
        actor = Actor.from_dict(actor)
        self._any_tool(actor, tool_id)   # only a tool this clinic can see
        return Shelf(self.documents, actor).toggle_favourite(tool_id)

    @rpc(expected_exceptions=errors.EXPECTED)
    def practitioner_shelf(self, actor):
        """``{favourites, recent}``: summaries of the tools, retired or unknown ones left out."""
        actor = Actor.from_dict(actor)
        shelf = Shelf(self.documents, actor).get()
        out = {}
        for name, ids in shelf.items():
            tools = []
            for tool_id in ids:
                try:
                    tool = self._any_tool(actor, tool_id)
                except errors.NotFound:
                    continue
                if tool.get("status", "published") == "published":
                    tools.append(summary(tool))
            out[name] = tools
        return out

    # clinic media --------------------------------------------------------------------------
    @rpc(expected_exceptions=errors.EXPECTED)
    def upload_media(self, actor, data_base64, content_type, filename="", request_key=None):
        try:
            data = base64.b64decode(data_base64, validate=True)
        except (ValueError, TypeError):
            raise errors.InvalidInput("The upload could not be read.") from None
        return ClinicMedia(self.documents, self.blobs, Actor.from_dict(actor)).upload(
            data, content_type, filename, reencode=tpool.execute, request_key=request_key)

    @rpc(expected_exceptions=errors.EXPECTED)
    def get_media(self, actor, media_id):
        record = ClinicMedia(self.documents, self.blobs, Actor.from_dict(actor)).get(media_id)
        return {**record, "url": self.blobs.presigned_url(record["key"], tool_files.URL_SECONDS)}

    @rpc(expected_exceptions=errors.EXPECTED)
    def list_media(self, actor):
        return ClinicMedia(self.documents, self.blobs, Actor.from_dict(actor)).list()

    # clinic-authored tools -----------------------------------------------------------------

    @rpc
    def health(self):
        self.documents.ping()
        return {"service": self.name, "ok": True}

    @rpc(expected_exceptions=errors.EXPECTED)
    def create_clinic_tool(self, actor, form, request_key=None):
        actor = Actor.from_dict(actor)
        tool = ClinicTools(self.documents, actor).create(form, request_key)
        self.dispatch(events.TOOL_PUBLISHED, {"tool_id": tool["id"], "search": clinic_tool_search_document(tool)})
        log.info("clinic_tool_created", tool_id=tool["id"], clinic_id=actor.clinic_id)
        return tool

    @rpc(expected_exceptions=errors.EXPECTED)
    def update_clinic_tool(self, actor, tool_id, form, request_key=None):
        tool = ClinicTools(self.documents, Actor.from_dict(actor)).update(tool_id, form, request_key)
        self.dispatch(events.TOOL_UPDATED, {"tool_id": tool["id"], "search": clinic_tool_search_document(tool)})
        return tool

    @rpc(expected_exceptions=errors.EXPECTED)
    def retire_clinic_tool(self, actor, tool_id):
        tool = ClinicTools(self.documents, Actor.from_dict(actor)).retire(tool_id)
        self.dispatch(events.TOOL_RETIRED, {"tool_id": tool["id"], "clinic_id": tool["clinic_id"]})
        return tool

    @rpc(expected_exceptions=errors.EXPECTED)
    def get_clinic_tool(self, actor, tool_id):
        return ClinicTools(self.documents, Actor.from_dict(actor)).get(tool_id)

    @rpc(expected_exceptions=errors.EXPECTED)
    def list_clinic_tools(self, actor, include_retired=False):
        return ClinicTools(self.documents, Actor.from_dict(actor)).list(include_retired=bool(include_retired))

    @rpc(expected_exceptions=errors.EXPECTED)
    def clinic_tool_history(self, actor, tool_id):
        return ClinicTools(self.documents, Actor.from_dict(actor)).history(tool_id)

    @rpc(expected_exceptions=errors.EXPECTED)
    def clinic_tool_version(self, actor, tool_id, version):
        return ClinicTools(self.documents, Actor.from_dict(actor)).version(tool_id, version)

    @rpc(expected_exceptions=errors.EXPECTED)
    def clinic_tool_version_pdf(self, actor, tool_id, version, paper="a4", clinic_name=""):
        tool = ClinicTools(self.documents, Actor.from_dict(actor)).version(tool_id, version)
        return tool_files.tool_pdf(self.blobs, tool, paper, clinic_name)

    @rpc(expected_exceptions=errors.EXPECTED)
    def preview_clinic_tool(self, actor, form, tool_id=None, clinic_name=""):
        """A draft's pages as PNG images (base64), rendered and drawn off the hub, never stored;
        ``tool_id``: the draft is a new version of that tool (one of the acting clinic's)."""
        draft = ClinicTools(self.documents, Actor.from_dict(actor)).draft(form, tool_id)
        return {**previews.preview_pages(draft, clinic_name), "title": draft["title"]}
