"""A client's progress summary for a later edition, asked of the progress service."""
from __future__ import annotations

from interlude.rpc import domain_errors
from services.workbook.application.ports import ProgressReader


class ProgressOverRpc(ProgressReader):
    def __init__(self, progress_rpc, actor: dict):
        self.rpc, self.actor = progress_rpc, actor

    def summary(self, client_id: str, measure: str | None) -> dict | None:
        with domain_errors():
            return self.rpc.workbook_progress(self.actor, client_id, measure)

    def reachable_clients(self) -> set[str]:
        with domain_errors():
            return {client["id"] for client in self.rpc.list_clients(self.actor)}
