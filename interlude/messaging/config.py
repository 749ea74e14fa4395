"""nameko 2.x takes a config dict; build it from validated settings."""
from __future__ import annotations

from interlude.messaging import memory_transport
from interlude.settings import Settings


def nameko_config(settings: Settings, *, max_workers: int = 10) -> dict:
    memory_transport.install()
    config = {
        "AMQP_URI": settings.broker_url,
        "WEB_SERVER_ADDRESS": f"{settings.http_host}:{settings.http_port}",
        "max_workers": max_workers,
        "serializer": "json",
        "SERVICE_CONTAINER_CLS": "interlude.messaging.containers.ServiceContainer",
        # Kept beside nameko's own keys so that dependency providers can build adapters.
        "INTERLUDE_SETTINGS": settings,
    }
    if settings.embedded:
        # The in-memory transport has no heartbeats to send.
        config["HEARTBEAT"] = 0
    return config
