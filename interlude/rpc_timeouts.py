"""RPC with a deadline: the gateway (and a service asking another) never waits longer than
``INTERLUDE_RPC_TIMEOUT_SECONDS``, and a service that stopped answering costs callers no wait
at all for a short while after (a circuit breaker). A service asking another waits ``share`` of
that (0.6), so that when the gateway's call fails, the 503 names the service that is down.

nameko 2.14's ``MethodProxy.__call__`` waits for the reply with no limit, so a dead service held
a gateway worker per request until the gateway had none left (issue #11, finding 1). Here a call
is ``call_async`` + ``eventlet.Timeout`` on the reply; on timeout the reply event is dropped from
the reply listener (a late reply is then ignored) and the caller gets ``ServiceUnavailable``
(503, naming the service). The request message carries an AMQP ``expiration`` equal to the
timeout, so requests nobody answered in time do not pile up on a dead service's queue and run
minutes later.

Calls that make a file on demand (``SLOW_METHODS``: a tool's PDF or audio, an upload's checks)
wait ``INTERLUDE_RPC_SLOW_TIMEOUT_SECONDS`` instead: slow is not dead.

Breaker: after ``BREAKER_TIMEOUTS`` timeouts in a row the service is "open" for ``timeout``
seconds: calls to it fail at once with the same 503, so a burst of requests to a dead service
frees its workers immediately. The first call after that window goes through again (half-open);
any answer closes the breaker. One slow call alone does not open it.
"""
from __future__ import annotations

import time

import eventlet
from nameko.rpc import MethodProxy, RpcProxy

from interlude.errors import ServiceUnavailable
from interlude.logging import get_logger
from interlude.nameko_deps import settings_of

log = get_logger(__name__)

SLOW_METHODS = frozenset({"tool_pdf", "tool_audio", "portal_audio", "upload_media",
                          "tool_page_count", "tool_thumbnail",   # the web app's page thumbnails draw the PDF
                          "preview_clinic_tool", "clinic_tool_version_pdf",
                          "portal_tool_pdf", "record_paper_pdf", "portal_paper_pdf"})   # a clinic tool's draft or version; the paper round trip
BREAKER_TIMEOUTS = 3
INNER_SHARE = 0.6   # of the timeouts, for a service asking another


class Breaker:
    """Per-service 'failing until' moments, shared by every worker of one gateway process."""

    def __init__(self, clock=time.monotonic, threshold: int = BREAKER_TIMEOUTS):
        self.clock, self.threshold = clock, threshold
        self._open_until: dict[str, float] = {}
        self._timeouts: dict[str, int] = {}

    def check(self, service: str) -> None:
        if self._open_until.get(service, 0.0) > self.clock():
            raise ServiceUnavailable(unavailable_message(service))

    def failed(self, service: str, seconds: float) -> None:
        self._timeouts[service] = self._timeouts.get(service, 0) + 1
        if self._timeouts[service] >= self.threshold:
            self._open_until[service] = self.clock() + seconds

    def succeeded(self, service: str) -> None:
        self._open_until.pop(service, None)
        self._timeouts.pop(service, None)


def unavailable_message(service: str) -> str:
    return (f"The {service} service is not answering right now: try again in a few seconds. A change sent "
            "again with the same Idempotency-Key header (or the same portal form) is made only once.")


class TimedMethod:
    def __init__(self, method: MethodProxy, service: str, timeout: float, breaker: Breaker, open_seconds: float):
        self.method, self.service, self.timeout, self.breaker = method, service, timeout, breaker
        self.open_seconds = open_seconds

    def __call__(self, *args, **kwargs):
        self.breaker.check(self.service)
        reply = self.method.call_async(*args, **kwargs)
        timer = eventlet.Timeout(self.timeout)
        try:
            result = reply.result()
        except eventlet.Timeout as exc:
            if exc is not timer:
                raise
            self._forget(reply)
            self.breaker.failed(self.service, self.open_seconds)
            log.warning("rpc_timeout", service=self.service, method=self.method.method_name,
                        timeout_seconds=self.timeout)
            raise ServiceUnavailable(unavailable_message(self.service)) from None
        finally:
            timer.cancel()
        self.breaker.succeeded(self.service)
        return result

    def _forget(self, reply) -> None:
        events = self.method.reply_listener._reply_events
        for correlation_id, event in list(events.items()):
            if event is reply.reply_event:
                events.pop(correlation_id, None)


class TimedServiceProxy:
    def __init__(self, worker_ctx, service: str, reply_listener, timeouts: tuple[float, float], breaker: Breaker,
                 options: dict):
        self.worker_ctx, self.service, self.reply_listener = worker_ctx, service, reply_listener
        self.timeouts, self.breaker, self.options = timeouts, breaker, options

    def __getattr__(self, name: str) -> TimedMethod:
        usual, slow = self.timeouts
        timeout = slow if name in SLOW_METHODS else usual
        method = MethodProxy(self.worker_ctx, self.service, name, self.reply_listener,
                             expiration=timeout, **self.options)
        return TimedMethod(method, self.service, timeout, self.breaker, usual)


class TimedRpcProxy(RpcProxy):
    """``RpcProxy`` whose calls answer within the configured timeout or raise ServiceUnavailable."""

    def __init__(self, target_service, *, share: float = 1.0, **options):
        super().__init__(target_service, **options)
        self.share = share

    def setup(self):
        super().setup()
        settings = settings_of(self.container)
        self.timeouts = (settings.rpc_timeout_seconds * self.share, settings.rpc_slow_timeout_seconds * self.share)
        # one breaker per container: every proxy of the gateway sees the same service states
        if not hasattr(self.container, "interlude_rpc_breaker"):
            self.container.interlude_rpc_breaker = Breaker()
        self.breaker = self.container.interlude_rpc_breaker

    def get_dependency(self, worker_ctx):
        return TimedServiceProxy(worker_ctx, self.target_service, self.rpc_reply_listener, self.timeouts,
                                 self.breaker, self.options)
