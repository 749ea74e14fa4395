"""What the workbook service asks of the other services (the catalogue's tools and clinic media,
a client's progress summary), as small ports: the service wires RPC adapters
(services/workbook/adapters/), tests and the benchmarks pass in-memory ones."""
from __future__ import annotations

import abc


class CatalogueReader(abc.ABC):
    @abc.abstractmethod
    def published(self) -> list[dict]:
        """Every published catalogue tool (the plan is chosen from them)."""

    @abc.abstractmethod
    def find(self, tool_id: str) -> dict | None:
        """A catalogue tool (by id or slug) or one of the acting clinic's own; None if neither."""

    @abc.abstractmethod
    def snapshots(self, tool_ids: list[str]) -> dict[str, dict]:
        """The tools as they are now, by id: what a render job carries (NotFound if one is gone)."""

    @abc.abstractmethod
    def media_key(self, media_id: str) -> str:
        """The blob key of one of the acting clinic's media files (NotFound otherwise)."""


class ProgressReader(abc.ABC):
    @abc.abstractmethod
    def summary(self, client_id: str, measure: str | None) -> dict | None:
        """Homework done and set, and the measure's points, for a later edition; None when the
        client is unknown."""

    @abc.abstractmethod
    def reachable_clients(self) -> set[str]:
        """The ids of the clients the acting practitioner may reach (their own): a workbook made
        for any other client is not theirs to see (issue #11, finding 3)."""
