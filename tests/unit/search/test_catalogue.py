"""Rebuilding the index from the catalogue: idempotent, and done at start only when needed."""
from interlude.adapters.sqlite_documents import SqliteDocumentStore
from interlude.adapters.tantivy_search import TantivySearchEngine
from interlude.ports.search import SearchQuery
from services.catalog.contract import clinic_tool_search_document
from services.search.application.indexing import (clinic_documents, ensure_current, forget_clinic_tool, reindex,
                                       remember_clinic_tool)


def ranking(engine, text):
    return [hit.id for hit in engine.search(SearchQuery(text=text, per_page=50)).hits]


def test_reindex_twice_gives_the_same_index(catalogue, tmp_path):
    engine = TantivySearchEngine(tmp_path / "index")
    first = reindex(engine, catalogue)
    before = (engine.count(), ranking(engine, "worry"), engine.search(SearchQuery()).facets)
    assert reindex(engine, catalogue) == first
    assert (engine.count(), ranking(engine, "worry"), engine.search(SearchQuery()).facets) == before
    assert first == len(catalogue.documents) >= 1500
    assert engine.metadata()["catalogue"] == catalogue.fingerprint


def test_start_rebuilds_only_a_missing_or_outdated_index(catalogue, tmp_path):
    engine = TantivySearchEngine(tmp_path / "index")
    assert ensure_current(engine, catalogue) == "the index is empty"
    assert ensure_current(engine, catalogue) == ""
    engine.rebuild(catalogue.documents[:10], metadata={"catalogue": "older"})
    assert "catalogue changed" in ensure_current(engine, catalogue)
    assert engine.count() == len(catalogue.documents)


def test_start_rebuilds_a_corrupt_index(catalogue, tmp_path):
    engine = TantivySearchEngine(tmp_path / "index")
    reindex(engine, catalogue)
    del engine
    (tmp_path / "index" / "meta.json").write_text("garbage")
    reopened = TantivySearchEngine(tmp_path / "index")
    assert "could not be opened" in ensure_current(reopened, catalogue)
    assert reopened.count() == len(catalogue.documents)


def test_clinic_tools_are_reindexed_too(catalogue, tmp_path):
    store = SqliteDocumentStore.from_url(f"sqlite:///{tmp_path / 'docs.db'}")
    tool = {"id": "ct_1", "clinic_id": "cln_a", "title": "Our Breathing Card", "summary": "s",
            "instructions": ["breathe"], "problems": ["panic"], "approach": "CBT", "format": "worksheet",
            "age_group": "adult", "status": "published"}
    # what the catalog's events carried: published, then updated; another published, then retired
    remember_clinic_tool(store, clinic_tool_search_document(tool))
    remember_clinic_tool(store, clinic_tool_search_document({**tool, "title": "Our Breathing Card"}))
    remember_clinic_tool(store, clinic_tool_search_document({**tool, "id": "ct_2"}))
    forget_clinic_tool(store, "ct_2")
    assert [d["id"] for d in clinic_documents(store)] == ["ct_1"]
    engine = TantivySearchEngine(tmp_path / "index")
    reindex(engine, catalogue, store)
    store.close()
    assert "ct_1" not in ranking(engine, "our breathing card")       # not visible to the public
    found = engine.search(SearchQuery(text="our breathing card", clinic_id="cln_a"))
    assert found.hits[0].id == "ct_1"
