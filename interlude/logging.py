"""The one place structlog is set up (warehouse style).

JSON lines in production, a readable console in development. A request id lives in a contextvar,
is bound by the gateway for each HTTP request and by every service worker from the nameko context
data that carried it over RPC and events, so one id follows a call across processes.

Client data never goes into a log line: log ids and counts, never names, answers or notes. The
`redact_client_fields` processor is a safety net for the field names that would carry such data.
"""
from __future__ import annotations

import logging
import sys
import uuid

import structlog

REQUEST_ID_KEY = "request_id"

# Field names that would carry health data or secrets; dropped from every log event.
REDACTED_FIELDS = frozenset({
    "answers", "answer", "notes", "note", "display_name", "client_name", "name", "email",
    "password", "token", "fields", "body", "text", "contact", "phone", "goals",
})


def redact_client_fields(_logger, _method, event_dict):
    for key in REDACTED_FIELDS.intersection(event_dict):
        event_dict[key] = "[redacted]"
    return event_dict


class _CurrentStderr:
    """Writes to whatever sys.stderr is at the time of writing, not when logging was set up (a
    test harness swaps the stream and closes the old one)."""

    def write(self, text: str) -> int:
        return sys.stderr.write(text)

    def flush(self) -> None:
        sys.stderr.flush()


def configure(log_format: str = "console", level: str = "info") -> None:
    renderer = (structlog.processors.JSONRenderer() if log_format == "json"
                else structlog.dev.ConsoleRenderer(colors=False))
    shared = [
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        redact_client_fields,
    ]
    structlog.configure(
        processors=shared + [structlog.processors.format_exc_info, renderer],
        wrapper_class=structlog.make_filtering_bound_logger(getattr(logging, level.upper())),
        logger_factory=structlog.PrintLoggerFactory(_CurrentStderr()),
        cache_logger_on_first_use=False,
    )
    # Libraries (nameko, kombu) log through the standard library: same stream, same level.
    logging.basicConfig(stream=sys.stderr, level=max(getattr(logging, level.upper()), logging.WARNING),
                        format="%(levelname)s %(name)s: %(message)s", force=True)
    # memory:// has no host, which kombu warns about on every connection.
    logging.getLogger("kombu.connection").setLevel(logging.ERROR)
    # nameko logs expected errors (a 404, a bad form) with a traceback at WARNING: noise, and a
    # traceback could quote a client's input. Unexpected errors still come through at ERROR.
    logging.getLogger("nameko.containers").setLevel(logging.ERROR)


def new_request_id() -> str:
    return uuid.uuid4().hex


def bind_request_id(request_id: str | None) -> str:
    request_id = request_id or new_request_id()
    structlog.contextvars.bind_contextvars(**{REQUEST_ID_KEY: request_id})
    return request_id


def clear_request_context() -> None:
    structlog.contextvars.clear_contextvars()


def get_logger(name: str):
    return structlog.get_logger(name)
