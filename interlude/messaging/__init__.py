"""Messaging: nameko configuration from settings, event names, the in-memory transport shim."""
from interlude.messaging.config import nameko_config  # noqa: F401
