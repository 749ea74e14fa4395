"""One clinic's documents and files, moved between deployments (``interlude export`` / ``import``).

Each owner (identity, catalog, search, workbook, progress) exports and imports its own
collections through these helpers: it passes its collections, the filter that selects the
clinic's documents, and the blob keys that belong to them. The helpers name no collection.

The export is a folder (or a .tar.gz of it):

  manifest.json                 format, version, clinic id, when, per part its collections' counts and files
  <part>/<collection>.jsonl     one document per line, as stored
  files/<blob key>              the bytes of each file (editions, media, the logo)
"""
from __future__ import annotations

import json
from pathlib import Path

from interlude.errors import Conflict, InvalidInput
from interlude.ports.blobs import BlobStore, check_key
from interlude.ports.documents import Collection

FORMAT, VERSION = "interlude.clinic-export", 1
FILES = "files"


def _file_of(folder: Path, key: str) -> Path:
    path = (folder / FILES / check_key(key)).resolve()
    if folder.resolve() not in path.parents:
        raise InvalidInput(f"Blob key {key!r} leaves the export folder.")
    return path


def export_part(folder: Path, part: str, selections: list[tuple[Collection, dict]], blobs: BlobStore | None = None,
                keys=(), progress=None) -> dict:
    """Write a part's documents (each ``(collection, where)``) and files; return its manifest entry."""
    (folder / part).mkdir(parents=True, exist_ok=True)
    counts, keys = {}, sorted(set(keys))
    total = len(selections) + len(keys)
    for done, (collection, where) in enumerate(selections, start=1):
        documents = collection.find(where, sort=[("id", 1)])
        with (folder / part / f"{collection.name}.jsonl").open("w", encoding="utf-8") as out:
            for document in documents:
                out.write(json.dumps(document, ensure_ascii=False, sort_keys=True) + "\n")
        counts[collection.name] = len(documents)
        if progress:
            progress(done, total)
    written = []
    for done, key in enumerate(keys, start=len(selections) + 1):
        if blobs is not None and blobs.exists(key):
            path = _file_of(folder, key)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(blobs.get(key))
            written.append({"key": key, "content_type": blobs.stat(key).content_type})
        if progress:
            progress(done, total)
    return {"collections": counts, "files": written}


def read_documents(folder: Path, part: str, name: str) -> list[dict]:
    path = folder / part / f"{name}.jsonl"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def import_part(folder: Path, part: str, manifest: dict, collections: list[Collection],
                blobs: BlobStore | None = None, progress=None) -> dict:
    """Insert a part's documents and files. A document already there with the same content is
    skipped (an import stopped half-way can be run again); one that differs is a Conflict."""
    entry = manifest.get("parts", {}).get(part, {"collections": {}, "files": []})
    files = entry.get("files", [])
    total, done, counts = len(collections) + len(files), 0, {}
    for collection in collections:
        documents = read_documents(folder, part, collection.name)
        for document in documents:
            try:
                collection.insert(document)
            except Conflict:
                if collection.get(document["id"]) != document:
                    raise Conflict(f"{collection.name} {document['id']!r} already exists here with other "
                                   f"content: nothing of it was overwritten.") from None
        counts[collection.name] = len(documents)
        done += 1
        if progress:
            progress(done, total)
    for file in files:
        if blobs is not None:
            blobs.put(file["key"], _file_of(folder, file["key"]).read_bytes(), file["content_type"])
        done += 1
        if progress:
            progress(done, total)
    return counts


def read_manifest(folder: Path) -> dict:
    path = folder / "manifest.json"
    if not path.exists():
        raise InvalidInput(f"{folder} holds no manifest.json: give the folder or file `interlude export` wrote.")
    manifest = json.loads(path.read_text(encoding="utf-8"))
    if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
        raise InvalidInput(f"{folder} is not a clinic export this version reads ({FORMAT} v{VERSION}).")
    return manifest
