"""A nameko container whose worker pool a service may size itself (``max_workers`` on the
service class). The gateway's workers mostly wait on other services, so it wants many more than
the services' default; nameko's config offers one size for every container of a runner."""
from __future__ import annotations

from eventlet.greenpool import GreenPool
from nameko.containers import ServiceContainer as NamekoContainer


class ServiceContainer(NamekoContainer):
    def __init__(self, service_cls, config):
        super().__init__(service_cls, config)
        wanted = getattr(service_cls, "max_workers", None)
        if isinstance(wanted, int) and wanted > 0 and wanted != self.max_workers:
            self.max_workers = wanted
            self._worker_pool = GreenPool(size=wanted)
