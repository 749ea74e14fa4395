"""RPC with a deadline: the gateway never waits on a service longer than
``INTERLUDE_RPC_TIMEOUT_SECONDS``, and a service that stopped answering costs callers no wait
at all for a short while after (a circuit breaker).

nameko 2.14's ``MethodProxy.__call__`` waits for the reply with no limit, so a dead service held
a gateway worker per request until the gateway had none left (issue #11, finding 1). Here a call
is ``call_async`` + ``eventlet.Timeout`` on the reply; on timeout the reply event is dropped from
the reply listener (a late reply is then ignored) and the caller gets ``ServiceUnavailable``
(503, naming the service). The request message carries an AMQP ``expiration`` equal to the
timeout, so requests nobody answered in time do not pile up on a dead service's queue and run
minutes later.

Breaker: after a timeout the service is "open" for ``timeout`` seconds: calls to it fail at once
with the same 503, so a burst of requests to a dead service frees its workers immediately. The
first call after that window goes through again (half-open); its success closes the breaker.
"""
from __future__ import annotations

import time

import eventlet
from nameko.rpc import MethodProxy, RpcProxy

from interlude.errors import ServiceUnavailable
from interlude.logging import get_logger
from interlude.nameko_deps import settings_of

log = get_logger(__name__)


class Breaker:
    """Per-service 'failing until' moments, shared by every worker of one gateway process."""

    def __init__(self, clock=time.monotonic):
        self.clock = clock
        self._open_until: dict[str, float] = {}

    def check(self, service: str) -> None:
        if self._open_until.get(service, 0.0) > self.clock():
            raise ServiceUnavailable(unavailable_message(service))

    def failed(self, service: str, seconds: float) -> None:
        self._open_until[service] = self.clock() + seconds

    def succeeded(self, service: str) -> None:
        self._open_until.pop(service, None)


def unavailable_message(service: str) -> str:
    return (f"The {service} service is not answering right now. Nothing was changed by this request "
            f"unless it says otherwise; try again in a few seconds.")


class TimedMethod:
    def __init__(self, method: MethodProxy, service: str, timeout: float, breaker: Breaker):
        self.method, self.service, self.timeout, self.breaker = method, service, timeout, breaker

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
            self.breaker.failed(self.service, self.timeout)
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
    def __init__(self, worker_ctx, service: str, reply_listener, timeout: float, breaker: Breaker, options: dict):
        self.worker_ctx, self.service, self.reply_listener = worker_ctx, service, reply_listener
        self.timeout, self.breaker, self.options = timeout, breaker, options

    def __getattr__(self, name: str) -> TimedMethod:
        method = MethodProxy(self.worker_ctx, self.service, name, self.reply_listener,
                             expiration=self.timeout, **self.options)
        return TimedMethod(method, self.service, self.timeout, self.breaker)


class TimedRpcProxy(RpcProxy):
    """``RpcProxy`` whose calls answer within the configured timeout or raise ServiceUnavailable."""

    def setup(self):
        super().setup()
        self.timeout = settings_of(self.container).rpc_timeout_seconds
        # one breaker per container: every proxy of the gateway sees the same service states
        if not hasattr(self.container, "interlude_rpc_breaker"):
            self.container.interlude_rpc_breaker = Breaker()
        self.breaker = self.container.interlude_rpc_breaker

    def get_dependency(self, worker_ctx):
        return TimedServiceProxy(worker_ctx, self.target_service, self.rpc_reply_listener, self.timeout,
                                 self.breaker, self.options)
