"""nameko dependency providers of the progress service."""
from __future__ import annotations

from interlude.nameko_deps import Documents
from services.progress.application import storage


class ProgressStore(Documents):
    """The documents store, with every progress index made once when the service starts."""

    def __init__(self):
        super().__init__(prepare=storage.ensure_indexes)
