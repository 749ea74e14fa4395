"""nameko dependency providers of the catalog service."""
from __future__ import annotations

from nameko.extensions import DependencyProvider

from services.catalog import CONTENT_DIR
from services.catalog.domain.content import load_content


class CatalogueContent(DependencyProvider):
    """The content files, loaded and validated once when the service starts: problems and
    techniques give names to the taxonomy, measures their scoring."""

    def setup(self):
        self.content = load_content(CONTENT_DIR)

    def get_dependency(self, worker_ctx):
        return self.content
