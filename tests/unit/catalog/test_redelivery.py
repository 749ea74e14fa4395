"""A catalog write delivered twice (an RPC message redelivered after a crash) records once; two
requests record twice (issue #11: idempotent writes end to end)."""
import io

import pytest
from PIL import Image

from interlude.actor import Actor
from interlude.adapters.folder_blobs import FolderBlobStore
from interlude.adapters.sqlite_documents import SqliteDocumentStore
from interlude.errors import Conflict
from services.catalog.domain.clinic_tools import ClinicTools
from services.catalog.domain.media import ClinicMedia

FORM = {"title": "Our Fear Ladder", "summary": "Small steps toward the fear.",
        "instructions": ["List ten situations.", "Rate each 0-10."], "fields": [{"label": "Step", "kind": "lines"}],
        "problems": ["specific-phobia"], "format": "worksheet", "age_group": "teen"}


@pytest.fixture
def store(tmp_path):
    documents = SqliteDocumentStore(tmp_path / "docs.db")
    yield documents
    documents.close()


def tools_of(store, user="usr_1"):
    return ClinicTools(store, Actor(user, "cln_a", "practitioner"))


def test_a_clinic_tool_created_twice_by_one_request_is_one_tool(store):
    first = tools_of(store).create(FORM, "req-tool-1")
    again = tools_of(store).create(FORM, "req-tool-1")
    assert again["id"] == first["id"] and again["version"] == 1
    assert store.collection("clinic_tools").count() == 1
    assert store.collection("clinic_tool_versions").count() == 1
    tools_of(store).create(FORM, "req-tool-2")
    tools_of(store).create(FORM)
    assert store.collection("clinic_tools").count() == 3
    with pytest.raises(Conflict):                      # another user's request cannot reach this one's tool
        tools_of(store, "usr_2").create(FORM, "req-tool-1")


def test_a_new_version_delivered_twice_is_one_version(store):
    tool = tools_of(store).create(FORM, "req-tool-1")
    second = tools_of(store).update(tool["id"], {**FORM, "title": "Second"}, "req-edit-1")
    again = tools_of(store).update(tool["id"], {**FORM, "title": "Second"}, "req-edit-1")
    assert second["version"] == again["version"] == 2
    assert store.collection("clinic_tool_versions").count({"tool_id": tool["id"]}) == 2
    third = tools_of(store).update(tool["id"], {**FORM, "title": "Second"}, "req-edit-2")
    assert third["version"] == 3 and store.collection("clinic_tool_versions").count({"tool_id": tool["id"]}) == 3


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 6), (200, 120, 40)).save(out, "PNG")
    return out.getvalue()


def test_an_upload_delivered_twice_is_one_file(store, tmp_path):
    blobs = FolderBlobStore(tmp_path / "blobs")
    media = ClinicMedia(store, blobs, Actor("usr_1", "cln_a", "practitioner"))
    first = media.upload(png(), "image/png", "logo.png", request_key="req-upload-1")
    again = media.upload(png(), "image/png", "logo.png", request_key="req-upload-1")
    assert again["id"] == first["id"] and len(media.list()) == 1
    media.upload(png(), "image/png", "logo.png", request_key="req-upload-2")
    media.upload(png(), "image/png", "logo.png")
    assert len(media.list()) == 3
    assert len(list((tmp_path / "blobs").rglob("*.png"))) == 3
