"""`interlude export --clinic ID --to DIR|FILE.tar.gz` and `interlude import --from DIR|FILE`:
one clinic's documents and files between two deployments (issue #17).

Each owner moves its own collections (identity in the gateway, each service through its cli's
``clinic_transfer()``); this module orders them and writes the manifest. Import refuses a
clinic id that already exists (nothing is written) and imports identity last: the clinic exists
only once everything else is in, so an interrupted import can simply be run again.
"""
from __future__ import annotations

import getpass
import importlib
import json
import re
import tarfile
import tempfile
from pathlib import Path

from interlude import clock, wiring
from interlude.clinic_transfer import FORMAT, VERSION, read_manifest
from interlude.commands import CliError
from interlude.progress import ProgressBar

# (part, the service's cli module, whose clinic_transfer() gives its export/import); identity comes last
SERVICE_PARTS = (("progress", "services.progress.cli"), ("workbook", "services.workbook.cli"),
                 ("catalog", "services.catalog.cli"), ("search", "services.search.cli"))


def _parts():
    for part, module_name in SERVICE_PARTS:
        yield part, importlib.import_module(module_name).clinic_transfer()
    yield "identity", importlib.import_module("gateway.identity_transfer")


def operator_name() -> str:
    """Who ran the export, for its audit entry: the login name when it is id-like, else "cli"."""
    try:
        name = getpass.getuser()
    except (KeyError, OSError):
        return "cli"
    return name if re.fullmatch(r"[A-Za-z0-9_.-]{1,64}", name) else "cli"


def export_clinic(settings, clinic_id: str, target: str, *, operator: str | None = None, out=print) -> dict:
    target_path = Path(target)
    archive = target.endswith((".tar.gz", ".tgz"))
    if not archive and target_path.exists() and any(target_path.iterdir()):
        raise CliError(f"{target} is not empty: export into a new folder (or a .tar.gz file).")
    store, blobs = wiring.documents(settings), wiring.blobs(settings)
    try:
        from gateway.identity_transfer import clinic_exists
        if not clinic_exists(store, clinic_id):
            raise CliError(f"There is no clinic {clinic_id!r} in {settings.data_dir}: check the id.")
        with tempfile.TemporaryDirectory() as scratch:
            folder = Path(scratch) / "export" if archive else target_path
            folder.mkdir(parents=True, exist_ok=True)
            manifest = {"format": FORMAT, "version": VERSION, "clinic_id": clinic_id,
                        "exported_at": clock.iso(), "parts": {}}
            for part, owner in _parts():
                kwargs = {"operator": operator or operator_name()} if part == "progress" else {}
                manifest["parts"][part] = owner.export_clinic(store, blobs, folder, clinic_id,
                                                              progress=ProgressBar(f"Exporting {part:8}"), **kwargs)
            (folder / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True), encoding="utf-8")
            if archive:
                target_path.parent.mkdir(parents=True, exist_ok=True)
                with tarfile.open(target_path, "w:gz") as tar:
                    tar.add(folder, arcname=".")
    finally:
        store.close()
    documents = sum(sum(p["collections"].values()) for p in manifest["parts"].values())
    files = sum(len(p["files"]) for p in manifest["parts"].values())
    out(f"Exported clinic {clinic_id}: {documents} documents and {files} files to {target}.")
    return manifest


def _unpacked(source: Path, scratch: str) -> Path:
    if source.is_dir():
        return source
    if not source.is_file():
        raise CliError(f"{source} does not exist: give the folder or .tar.gz `interlude export` wrote.")
    folder = Path(scratch)
    with tarfile.open(source, "r:*") as tar:
        tar.extractall(folder, filter="data")   # no absolute paths, links out or devices
    return folder


def import_clinic(settings, source: str, *, out=print) -> dict:
    with tempfile.TemporaryDirectory() as scratch:
        folder = _unpacked(Path(source), scratch)
        manifest = read_manifest(folder)
        clinic_id = manifest["clinic_id"]
        store, blobs = wiring.documents(settings), wiring.blobs(settings)
        try:
            from gateway.identity_transfer import clinic_exists
            if clinic_exists(store, clinic_id):
                raise CliError(f"Clinic {clinic_id} already exists in {settings.data_dir}: nothing was imported. "
                               "Import into a deployment without it (a fresh data folder).")
            counts = {part: owner.import_clinic(store, blobs, folder, manifest,
                                                progress=ProgressBar(f"Importing {part:8}"))
                      for part, owner in _parts()}
        finally:
            store.close()
    documents = sum(sum(c.values()) for c in counts.values())
    out(f"Imported clinic {clinic_id}: {documents} documents. Its users log in with their passwords; "
        "run `interlude search reindex` (or restart the search service) to search its own tools.")
    return counts
