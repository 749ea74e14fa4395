"""The clinic export's shared helpers (interlude/clinic_transfer.py) on the embedded adapters:
only the clinic's documents leave, an interrupted import runs again, a differing document is
never overwritten, and a manifest cannot point a file outside the export."""
import json

import pytest

from interlude.adapters.folder_blobs import FolderBlobStore
from interlude.adapters.sqlite_documents import SqliteDocumentStore
from interlude.clinic_transfer import FORMAT, VERSION, export_part, import_part, read_manifest
from interlude.errors import Conflict, InvalidInput


@pytest.fixture
def stores(tmp_path):
    made = []

    def make(name):
        documents, blobs = SqliteDocumentStore(tmp_path / f"{name}.db"), FolderBlobStore(tmp_path / f"{name}-files")
        made.append(documents)
        return documents, blobs
    yield make
    for documents in made:
        documents.close()


def test_only_the_clinics_documents_and_files_travel_and_a_rerun_is_harmless(tmp_path, stores):
    (source, source_blobs), (target, target_blobs) = stores("a"), stores("b")
    things = source.collection("things")
    things.insert({"id": "t1", "clinic_id": "cln_a", "key": "f/t1.pdf", "n": 1})
    things.insert({"id": "t2", "clinic_id": "cln_b", "key": "f/t2.pdf", "n": 2})
    source_blobs.put("f/t1.pdf", b"%PDF-1", "application/pdf")
    folder = tmp_path / "export"
    entry = export_part(folder, "part", [(things, {"clinic_id": "cln_a"})], source_blobs, ["f/t1.pdf", "f/gone.pdf"])
    assert entry == {"collections": {"things": 1}, "files": [{"key": "f/t1.pdf", "content_type": "application/pdf"}]}
    manifest = {"parts": {"part": entry}}
    for _ in range(2):   # the second run finds everything already there, identical
        assert import_part(folder, "part", manifest, [target.collection("things")], target_blobs) == {"things": 1}
    assert target.collection("things").find() == [{"id": "t1", "clinic_id": "cln_a", "key": "f/t1.pdf", "n": 1}]
    assert target_blobs.get("f/t1.pdf") == b"%PDF-1"
    target.collection("things").update("t1", {"n": 5})
    with pytest.raises(Conflict):
        import_part(folder, "part", manifest, [target.collection("things")], target_blobs)
    assert target.collection("things").get("t1")["n"] == 5


def test_a_manifest_cannot_reach_outside_the_export(tmp_path, stores):
    target, blobs = stores("b")
    (tmp_path / "manifest.json").write_text(json.dumps({"format": FORMAT, "version": VERSION, "clinic_id": "c"}))
    assert read_manifest(tmp_path)["clinic_id"] == "c"
    evil = {"parts": {"part": {"collections": {}, "files": [{"key": "../../etc/passwd", "content_type": "x"}]}}}
    with pytest.raises(InvalidInput):
        import_part(tmp_path, "part", evil, [], blobs)
    (tmp_path / "manifest.json").write_text(json.dumps({"format": "something else"}))
    with pytest.raises(InvalidInput):
        read_manifest(tmp_path)
