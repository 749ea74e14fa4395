"""Each practitioner's shelf: favourite tools and recently used ones (collection ``tool_shelves``,
one document per user, scoped to the clinic). Opening a tool's page counts as using it."""
from __future__ import annotations

from interlude.actor import Actor
from interlude.errors import Conflict, InvalidInput
from interlude.ports.documents import DocumentStore, TenantScope

MAX_FAVOURITES = 200
MAX_RECENT = 12


class Shelf:
    def __init__(self, store: DocumentStore, actor: Actor):
        self.actor = actor
        self.shelves = TenantScope(store.collection("tool_shelves"), actor.clinic_id)

    def get(self) -> dict:
        found = self.shelves.get(self.actor.user_id)
        return {"favourites": list((found or {}).get("favourites", [])),
                "recent": list((found or {}).get("recent", []))}

    def _save(self, shelf: dict) -> dict:
        if self.shelves.get(self.actor.user_id) is not None:
            self.shelves.update(self.actor.user_id, shelf)
            return shelf
        try:
            self.shelves.insert({"id": self.actor.user_id, **shelf})
        except Conflict:   # a second tab saved it first
            self.shelves.update(self.actor.user_id, shelf)
        return shelf

    def toggle_favourite(self, tool_id: str) -> dict:
        tool_id = _tool_id(tool_id)
        shelf = self.get()
        if tool_id in shelf["favourites"]:
            shelf["favourites"].remove(tool_id)
        elif len(shelf["favourites"]) >= MAX_FAVOURITES:
            raise InvalidInput(f"You can keep at most {MAX_FAVOURITES} favourites: remove one first.")
        else:
            shelf["favourites"].insert(0, tool_id)
        return self._save(shelf)

    def used(self, tool_id: str) -> dict:
        tool_id = _tool_id(tool_id)
        shelf = self.get()
        if shelf["recent"][:1] == [tool_id]:
            return shelf
        shelf["recent"] = [tool_id] + [t for t in shelf["recent"] if t != tool_id][:MAX_RECENT - 1]
        return self._save(shelf)


def _tool_id(value) -> str:
    if not isinstance(value, str) or not 0 < len(value) <= 80:
        raise InvalidInput("tool_id must be a tool's id.")
    return value
