"""The progress service's share of a clinic export: clients, assignments, the record's events,
portal links (their digests), pending reminders, webhook subscriptions and deliveries, the audit
log, and the filled PDFs clients and practitioners uploaded (kept under paper/<clinic>/). The export itself is an
access to every client's data, so it appends its audit entry first (and carries it)."""
from __future__ import annotations

from pathlib import Path

from interlude.clinic_transfer import export_part, import_part
from interlude.ports.blobs import BlobStore
from interlude.ports.documents import DocumentStore
from services.progress.application import audit, storage

PART = "progress"
COLLECTIONS = storage.CLINIC_COLLECTIONS


def export_clinic(store: DocumentStore, blobs: BlobStore, folder: Path, clinic_id: str, *, operator: str = "cli",
                  progress=None) -> dict:
    clients = storage.collection(store, storage.CLIENTS).count({"clinic_id": clinic_id})
    audit.append(store, {"actor_kind": "operator", "user_id": operator, "action": "clinic.exported",
                         "counts": {"clients": clients}}, clinic_id=clinic_id)
    return export_part(folder, PART, [(storage.collection(store, name), {"clinic_id": clinic_id})
                                      for name in COLLECTIONS], blobs, blobs.list(f"paper/{clinic_id}/"),
                       progress=progress)


def import_clinic(store: DocumentStore, blobs: BlobStore, folder: Path, manifest: dict, *, progress=None) -> dict:
    storage.ensure_indexes(store)
    return import_part(folder, PART, manifest, [storage.collection(store, name) for name in COLLECTIONS],
                       blobs, progress=progress)
