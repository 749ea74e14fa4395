"""The real catalogue, built and indexed once for the search unit tests (about 3 seconds)."""
import pytest

from interlude.adapters.tantivy_search import TantivySearchEngine
from services.search.application.indexing import IndexSource, reindex


@pytest.fixture(scope="session")
def catalogue():
    return IndexSource()


@pytest.fixture(scope="session")
def catalogue_engine(catalogue, tmp_path_factory):
    engine = TantivySearchEngine(tmp_path_factory.mktemp("search") / "index")
    reindex(engine, catalogue)
    return engine
