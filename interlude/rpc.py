"""A service calling another: the callee's domain errors arrive as nameko's RemoteError, which
carries only the class name. ``domain_errors()`` raises them again as the domain error, so the
caller's own RPC answers with the right error (and the gateway with the right status)."""
from __future__ import annotations

from contextlib import contextmanager

from nameko.exceptions import RemoteError

from interlude import errors


@contextmanager
def domain_errors():
    try:
        yield
    except RemoteError as exc:
        mapped = errors.BY_NAME.get(exc.exc_type)
        if mapped is None:
            raise
        raise mapped(exc.value) from None
