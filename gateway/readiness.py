"""/readyz: the gateway's own store answers, and every service answers an RPC through the broker
(which proves the broker too), each within a short timeout."""
from __future__ import annotations

import eventlet

TIMEOUT_SECONDS = 3.0


def _check(call) -> str:
    try:
        with eventlet.Timeout(TIMEOUT_SECONDS):
            call()
        return "ok"
    except eventlet.Timeout:
        return f"no answer within {TIMEOUT_SECONDS:g} s"
    except Exception as exc:  # a probe reports, it does not raise
        return f"failed: {type(exc).__name__}"


def check_readiness(documents, proxies: dict) -> tuple[bool, dict]:
    checks = {"documents": _check(documents.ping)}
    pool = eventlet.GreenPool()
    results = {name: pool.spawn(_check, proxy.health) for name, proxy in proxies.items()}
    for name, thread in results.items():
        checks[name] = thread.wait()
    return all(v == "ok" for v in checks.values()), checks
