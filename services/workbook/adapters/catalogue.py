"""The catalogue as the workbook service reads it.

``BuiltCatalogue``: the published tools as the catalogue's contract builds them from the content
(deterministic: the same tools the catalog service publishes), built once per process; it answers
for catalogue tools only. ``CatalogOverRpc`` adds what only the catalog service holds (a clinic's
own tools, its media, the stored tool versions a render job snapshots), asked over RPC.
"""
from __future__ import annotations

from functools import lru_cache

from interlude.errors import NotFound
from interlude.rpc import domain_errors
from services.catalog import contract
from services.workbook.application.ports import CatalogueReader


class BuiltCatalogue(CatalogueReader):
    def __init__(self, content, tools: list[dict]):
        self.content, self.tools = content, tools
        self.by_id = {tool["id"]: tool for tool in tools}
        self.by_slug = {tool["slug"]: tool for tool in tools}

    @classmethod
    def from_content(cls) -> "BuiltCatalogue":
        return _built()

    def published(self) -> list[dict]:
        return self.tools

    def find(self, tool_id: str) -> dict | None:
        return self.by_id.get(tool_id) or self.by_slug.get(tool_id)

    def snapshots(self, tool_ids: list[str]) -> dict[str, dict]:
        found = {}
        for tool_id in tool_ids:
            tool = self.find(tool_id)
            if tool is None:
                raise NotFound(f"No tool {tool_id!r} in the catalogue: check the id or slug.")
            found[tool_id] = tool
        return found

    def media_key(self, media_id: str) -> str:
        raise NotFound(f"No media file with id {media_id!r}.")


@lru_cache(maxsize=1)
def _built() -> BuiltCatalogue:
    """One build per process (the embedded platform's services share it); never mutated."""
    return BuiltCatalogue(*contract.load_and_build())


class CatalogOverRpc(CatalogueReader):
    """Catalogue tools from the build; clinic tools, media and render snapshots from the catalog
    service, for the acting user (``actor``, as RPCs carry it)."""

    def __init__(self, built: BuiltCatalogue, catalog_rpc, actor: dict):
        self.built, self.rpc, self.actor = built, catalog_rpc, actor

    def published(self) -> list[dict]:
        return self.built.published()

    def find(self, tool_id: str) -> dict | None:
        if not str(tool_id).startswith("ct_"):
            return self.built.find(tool_id)
        try:
            with domain_errors():
                return self.rpc.get_clinic_tool(self.actor, tool_id)
        except NotFound:
            return None

    def snapshots(self, tool_ids: list[str]) -> dict[str, dict]:
        with domain_errors():
            return self.rpc.tool_snapshots(self.actor, list(tool_ids))

    def media_key(self, media_id: str) -> str:
        with domain_errors():
            return self.rpc.get_media(self.actor, media_id)["key"]
