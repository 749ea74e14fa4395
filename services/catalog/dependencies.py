"""nameko dependency providers of the catalog service."""
from __future__ import annotations

from dataclasses import dataclass

from nameko.extensions import DependencyProvider

from services.catalog import CONTENT_DIR
from services.catalog.domain.content import Content, load_content
from services.catalog.domain.measures import Measure, load_measures


@dataclass(frozen=True)
class LoadedContent:
    content: Content
    measures: dict[str, Measure]


class CatalogueContent(DependencyProvider):
    """The content files, loaded and validated once when the service starts: problems and
    techniques give names to the taxonomy, measures their scoring."""

    def setup(self):
        self.loaded = LoadedContent(load_content(CONTENT_DIR), load_measures(CONTENT_DIR / "measures"))

    def get_dependency(self, worker_ctx):
        return self.loaded


class CatalogueReadModel(DependencyProvider):
    """The precomputed catalogue reads (domain/read_model.py), one per service process, over a
    documents store of its own; every worker shares it."""

    def setup(self):
        from interlude import wiring
        from interlude.nameko_deps import settings_of
        from services.catalog.domain.read_model import CatalogueReads
        self.store = wiring.documents(settings_of(self.container))
        self.reads = CatalogueReads(self.store)

    def stop(self):
        self.store.close()

    def kill(self):
        self.store.close()

    def get_dependency(self, worker_ctx):
        return self.reads
