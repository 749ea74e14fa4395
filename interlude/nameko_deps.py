"""nameko dependency providers shared by every service (nameko-examples style).

``setup()`` builds the client once per container from the validated settings kept in the nameko
config; ``get_dependency()`` hands each worker that client. ``RequestContext`` carries the request
id: from the caller's nameko context data (RPC and event headers) into structlog's contextvars,
and back into ``worker_ctx.data`` so that the worker's own RPC calls and events pass it on.
"""
from __future__ import annotations

from nameko.extensions import DependencyProvider

from interlude import logging as interlude_logging
from interlude import settings as settings_module
from interlude import wiring


def settings_of(container):
    return container.config.get("INTERLUDE_SETTINGS") or settings_module.load()


class Documents(DependencyProvider):
    """The documents store. ``prepare(store)``, the owning service's index function, runs here
    once when the service starts: indexes are never made on a request's path."""

    def __init__(self, prepare=None):
        self.prepare = prepare

    def setup(self):
        self.store = wiring.documents(settings_of(self.container))
        if self.prepare is not None:
            self.prepare(self.store)

    def stop(self):
        self.store.close()

    def kill(self):
        self.store.close()

    def get_dependency(self, worker_ctx):
        return self.store


class Blobs(DependencyProvider):
    def setup(self):
        self.store = wiring.blobs(settings_of(self.container))

    def get_dependency(self, worker_ctx):
        return self.store


class Config(DependencyProvider):
    """The validated Settings, for services that need a value (secret key, data dir)."""

    def get_dependency(self, worker_ctx):
        return settings_of(self.container)


class RequestContext(DependencyProvider):
    def worker_setup(self, worker_ctx):
        request_id = interlude_logging.bind_request_id(worker_ctx.data.get(interlude_logging.REQUEST_ID_KEY))
        worker_ctx.data[interlude_logging.REQUEST_ID_KEY] = request_id

    def worker_teardown(self, worker_ctx):
        interlude_logging.clear_request_context()

    def get_dependency(self, worker_ctx):
        return worker_ctx.data.get(interlude_logging.REQUEST_ID_KEY)
