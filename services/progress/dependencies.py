"""nameko dependency providers of the progress service."""
from __future__ import annotations

from dataclasses import dataclass

from eventlet.greenpool import GreenPool
from nameko.extensions import DependencyProvider

from interlude.nameko_deps import Documents, settings_of
from services.progress.adapters.webhook_http import AddressPolicy, HttpSender
from services.progress.application import storage
from services.progress.application.webhook_deliveries import RetryPolicy


class ProgressStore(Documents):
    """The documents store, with every progress index made once when the service starts."""

    def __init__(self):
        super().__init__(prepare=storage.ensure_indexes)


# Webhook attempts made at once by one relay pass (green threads: they wait on sockets).
WEBHOOK_CONCURRENCY = 8


@dataclass(frozen=True)
class WebhookTools:
    """What webhook code needs from the deployment: the address policy, the HTTP sender, the
    retry schedule (all from the settings) and the pool the relay's attempts run on."""
    policy: AddressPolicy
    sender: HttpSender
    retry: RetryPolicy
    pool: GreenPool


class Webhooks(DependencyProvider):
    def setup(self):
        settings = settings_of(self.container)
        policy = AddressPolicy(allow_private=settings.webhook_allow_private)
        self.tools = WebhookTools(policy, HttpSender(policy, timeout=settings.webhook_timeout_seconds),
                                  RetryPolicy.from_settings(settings), GreenPool(WEBHOOK_CONCURRENCY))

    def get_dependency(self, worker_ctx):
        return self.tools
