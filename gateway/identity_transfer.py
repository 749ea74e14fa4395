"""Identity's share of a clinic export: the clinic (its branding and settings) and its users with
their password hashes, so that they log in as before, and its API keys (hashed: a partner's key
keeps working). Sessions are not exported: everyone logs in again on the new deployment. The
clinic's logo file travels with it."""
from __future__ import annotations

from pathlib import Path

from gateway.api_keys import ApiKeys
from gateway.api_keys import ensure_indexes as ensure_key_indexes
from gateway.identity import Identity, ensure_indexes
from interlude.clinic_transfer import export_part, import_part
from interlude.errors import NotFound
from interlude.ports.blobs import BlobStore
from interlude.ports.documents import DocumentStore

PART = "identity"


def clinic_exists(store: DocumentStore, clinic_id: str) -> bool:
    return Identity(store).clinics.get(clinic_id) is not None


def export_clinic(store: DocumentStore, blobs: BlobStore, folder: Path, clinic_id: str, *, progress=None) -> dict:
    identity = Identity(store)
    clinic = identity.clinics.get(clinic_id)
    if clinic is None:
        raise NotFound(f"No clinic {clinic_id!r} in this deployment.")
    logo = (clinic.get("branding") or {}).get("logo_key")
    selections = [(identity.clinics, {"id": clinic_id}), (identity.users, {"clinic_id": clinic_id}),
                  (ApiKeys(store).keys, {"clinic_id": clinic_id})]
    return export_part(folder, PART, selections, blobs, [logo] if logo else [], progress=progress)


def import_clinic(store: DocumentStore, blobs: BlobStore, folder: Path, manifest: dict, *, progress=None) -> dict:
    """The clinic last of all parts (the orchestrator imports identity last): until it exists, an
    interrupted import can be run again."""
    ensure_indexes(store)
    ensure_key_indexes(store)
    identity = Identity(store)
    # users (and the logo) first: the clinic document is what makes the clinic exist
    counts = import_part(folder, PART, manifest, [identity.users, ApiKeys(store).keys], blobs, progress=progress)
    counts.update(import_part(folder, PART, {"parts": {}}, [identity.clinics]))
    return counts
