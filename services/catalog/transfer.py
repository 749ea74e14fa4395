"""The catalog's share of a clinic export: the clinic's own tools and their versions, its media
(and their files) and its practitioners' shelves (favourites, recently used). The shared
catalogue is every deployment's own and is not exported."""
from __future__ import annotations

from pathlib import Path

from interlude.clinic_transfer import export_part, import_part
from interlude.ports.blobs import BlobStore
from interlude.ports.documents import DocumentStore

PART = "catalog"
COLLECTIONS = ("clinic_tools", "clinic_tool_versions", "clinic_media", "tool_shelves")


def export_clinic(store: DocumentStore, blobs: BlobStore, folder: Path, clinic_id: str, *, progress=None) -> dict:
    mine = {"clinic_id": clinic_id}
    keys = [media["key"] for media in store.collection("clinic_media").find(mine) if media.get("key")]
    return export_part(folder, PART, [(store.collection(name), mine) for name in COLLECTIONS], blobs, keys,
                       progress=progress)


def import_clinic(store: DocumentStore, blobs: BlobStore, folder: Path, manifest: dict, *, progress=None) -> dict:
    return import_part(folder, PART, manifest, [store.collection(name) for name in COLLECTIONS], blobs,
                       progress=progress)
