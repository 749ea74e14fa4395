"""The workbook service's share of a clinic export: workbooks, render jobs, editions, and each
edition's PDF."""
from __future__ import annotations

from pathlib import Path

from interlude.clinic_transfer import export_part, import_part
from interlude.ports.blobs import BlobStore
from interlude.ports.documents import DocumentStore
from services.workbook.application.workbooks import EDITIONS, JOBS, WORKBOOKS, ensure_indexes

PART = "workbook"


def export_clinic(store: DocumentStore, blobs: BlobStore, folder: Path, clinic_id: str, *, progress=None) -> dict:
    mine = {"clinic_id": clinic_id}
    keys = [edition["key"] for edition in store.collection(EDITIONS).find(mine)]
    return export_part(folder, PART, [(store.collection(name), mine) for name in (WORKBOOKS, JOBS, EDITIONS)],
                       blobs, keys, progress=progress)


def import_clinic(store: DocumentStore, blobs: BlobStore, folder: Path, manifest: dict, *, progress=None) -> dict:
    ensure_indexes(store)
    return import_part(folder, PART, manifest, [store.collection(name) for name in (WORKBOOKS, JOBS, EDITIONS)],
                       blobs, progress=progress)
