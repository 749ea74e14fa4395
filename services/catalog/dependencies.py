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
