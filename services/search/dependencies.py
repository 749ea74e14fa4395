"""nameko dependency providers of the search service: each builds its client once in setup()."""
from __future__ import annotations

from nameko.extensions import DependencyProvider

from interlude import wiring
from interlude.nameko_deps import settings_of
from services.search.adapters.synonyms import elasticsearch_rules
from services.search.application.answers import SearchAnswers
from services.search.application.indexing import IndexSource, ensure_current, ensure_indexes


class SearchIndex(DependencyProvider):
    """The engine, brought up to date with the catalogue before the service takes requests, and
    search's own store of the clinic tools' documents the catalog's events carried."""

    def setup(self):
        settings = settings_of(self.container)
        self.catalogue = IndexSource()
        synonyms = (elasticsearch_rules(self.catalogue.expander.synonyms.groups)
                    if settings.search_kind == "elasticsearch" else ())
        self.engine = wiring.search_engine(settings, writable=True, synonyms=synonyms)
        self.store = wiring.documents(settings)
        ensure_indexes(self.store)
        ensure_current(self.engine, self.catalogue, self.store)   # logs why, when it rebuilds
        self.catalogue.expander  # built now, not on the first query  # noqa: B018
        self.answers = SearchAnswers(self.engine)   # answers kept per index generation

    def stop(self):
        self.store.close()

    def kill(self):
        self.store.close()

    def get_dependency(self, worker_ctx):
        return self
