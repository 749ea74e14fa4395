"""The search service's share of a clinic export: the documents of the clinic's own tools it
indexes. After an import, `interlude search reindex` (or a restart of the search service) puts
them in the index."""
from __future__ import annotations

from pathlib import Path

from interlude.clinic_transfer import export_part, import_part
from interlude.ports.blobs import BlobStore  # (none of this part's: one signature for every part)
from interlude.ports.documents import DocumentStore
from services.search.application.indexing import CLINIC_DOCUMENTS

PART = "search"


def export_clinic(store: DocumentStore, blobs: BlobStore, folder: Path, clinic_id: str, *, progress=None) -> dict:
    return export_part(folder, PART, [(store.collection(CLINIC_DOCUMENTS), {"clinic_id": clinic_id})],
                       progress=progress)


def import_clinic(store: DocumentStore, blobs: BlobStore, folder: Path, manifest: dict, *, progress=None) -> dict:
    return import_part(folder, PART, manifest, [store.collection(CLINIC_DOCUMENTS)], progress=progress)
