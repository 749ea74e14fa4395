"""nameko dependency providers of the workbook service: each builds its client once in setup()."""
from __future__ import annotations

from nameko.extensions import DependencyProvider

from interlude.nameko_deps import settings_of
from services.workbook.adapters.catalogue import BuiltCatalogue
from services.workbook.worker import render_queue


class PublishedCatalogue(DependencyProvider):
    """The catalogue's content and published tools, built once from the catalogue's contract."""

    def setup(self):
        self.catalogue = BuiltCatalogue.from_content()

    def get_dependency(self, worker_ctx):
        return self.catalogue


class RenderQueue(DependencyProvider):
    """The durable queue render workers take jobs from (publishing goes through the outbox)."""

    def setup(self):
        self.queue = render_queue(settings_of(self.container))

    def get_dependency(self, worker_ctx):
        return self.queue
