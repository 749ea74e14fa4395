"""Favourites and recently used tools per practitioner; page thumbnails drawn once and cached."""
import pytest

from interlude.actor import Actor
from interlude.adapters.folder_blobs import FolderBlobStore
from interlude.adapters.sqlite_documents import SqliteDocumentStore
from interlude.errors import NotFound
from services.catalog import thumbnails
from services.catalog.cli import load_and_build
from services.catalog.domain.shelf import MAX_RECENT, Shelf


@pytest.fixture
def store(tmp_path):
    documents = SqliteDocumentStore(tmp_path / "d.db")
    yield documents
    documents.close()


def test_favourites_toggle_and_recent_keeps_the_latest_first(store):
    ana, ben = Actor("usr_ana", "cln_a", "practitioner"), Actor("usr_ben", "cln_a", "practitioner")
    Shelf(store, ana).toggle_favourite("t1")
    Shelf(store, ana).toggle_favourite("t2")
    assert Shelf(store, ana).get()["favourites"] == ["t2", "t1"]
    Shelf(store, ana).toggle_favourite("t2")
    assert Shelf(store, ana).get()["favourites"] == ["t1"]
    for tool_id in ["a", "b", "a"] + [f"x{i}" for i in range(MAX_RECENT)]:
        Shelf(store, ana).used(tool_id)
    recent = Shelf(store, ana).get()["recent"]
    assert len(recent) == MAX_RECENT and recent[0] == f"x{MAX_RECENT - 1}" and "b" not in recent
    assert Shelf(store, ben).get() == {"favourites": [], "recent": []}
    assert Shelf(store, Actor("usr_ana", "cln_b", "practitioner")).get()["favourites"] == []


def test_thumbnails_are_drawn_once_and_read_afterwards(tmp_path, monkeypatch):
    blobs = FolderBlobStore(tmp_path / "blobs")
    tool = next(t for t in load_and_build()[1] if t["format"] == "worksheet")
    keys = thumbnails.thumbnails(blobs, tool)
    assert keys and all(blobs.get(k).startswith(b"\x89PNG") for k in keys)
    monkeypatch.setattr(thumbnails, "draw_pages", lambda *a, **k: pytest.fail("drawn twice"))
    assert thumbnails.thumbnails(blobs, tool) == keys
    assert thumbnails.thumbnail_link(blobs, tool, 1)["content_type"] == "image/png"
    with pytest.raises(NotFound):
        thumbnails.thumbnail_link(blobs, tool, len(keys) + 1)


def test_tool_summaries_are_found_by_id_in_one_query(store):
    from services.catalog.domain.catalogue import Catalogue, summary
    built = load_and_build()[1][:5]
    Catalogue(store).publish(built)
    found = Catalogue(store).tools.find({"id": {"$in": [built[0]["id"], built[3]["id"], "nope"]}})
    assert sorted(summary(t)["id"] for t in found) == sorted([built[0]["id"], built[3]["id"]])
    assert all(summary(t)["minutes"] for t in found)
