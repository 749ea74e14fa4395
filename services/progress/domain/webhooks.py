"""Webhooks' pure rules: the events a subscription may want, their payloads, Standard Webhooks
signing, the retry schedule and which addresses a delivery may go to.

Signing follows the Standard Webhooks specification (https://www.standardwebhooks.com/): the
secret is ``whsec_`` + base64 of random bytes; each request carries ``webhook-id`` (the event's
id, the same on every retry and redelivery, for the receiver to drop a repeat),
``webhook-timestamp`` (Unix seconds of this attempt) and ``webhook-signature``: ``v1,`` + base64
HMAC-SHA256 of ``{id}.{timestamp}.{body}``, one per valid secret, separated by spaces (two while a
rotated-out secret is still honoured).
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import ipaddress
import json
import secrets
from urllib.parse import urlsplit

HOMEWORK_COMPLETED = "homework.completed"
MEASURE_SCORED = "measure.scored"
RISK_FLAGGED = "risk.flagged"
WORKBOOK_RENDERED = "workbook.rendered"
ASSIGNMENT_DUE = "assignment.due"
ASSIGNMENT_OVERDUE = "assignment.overdue"
EVENT_TYPES = (HOMEWORK_COMPLETED, MEASURE_SCORED, RISK_FLAGGED, WORKBOOK_RENDERED, ASSIGNMENT_DUE,
               ASSIGNMENT_OVERDUE)

# What a payload may carry: ids, dates, scores and bands. Never a name, a note or an answer.
PAYLOAD_FIELDS = frozenset({"clinic_id", "client_id", "assignment_id", "submission_id", "tool_id", "measure",
                            "total", "band", "flags", "workbook_id", "edition", "job_id", "due", "reminder_id"})
SECRET_PREFIX = "whsec_"
SECRET_BYTES = 32
SIGNATURE_VERSION = "v1"
MAX_URL = 2000


class BadWebhookUrl(ValueError):
    """The URL is not one a delivery may go to; the message says why."""


# events and payloads ---------------------------------------------------------------------------
def event_id(clinic_id: str, event_type: str, key: str) -> str:
    """The id of one event, derived from what caused it (a submission, a render job, a reminder):
    the same cause always gives the same id, so an event announced twice is delivered once."""
    return "evt_" + hashlib.sha256(f"{clinic_id}\n{event_type}\n{key}".encode()).hexdigest()[:32]


def delivery_id(subscription_id: str, event_id_: str) -> str:
    return "whd_" + hashlib.sha256(f"{subscription_id}\n{event_id_}".encode()).hexdigest()[:32]


def payload(event_type: str, occurred_at: str, data: dict) -> dict:
    """The body of a delivery (the specification's ``type``, ``timestamp``, ``data``); ``data`` is
    cut to PAYLOAD_FIELDS so nothing else can leak into a partner's hands."""
    if event_type not in EVENT_TYPES:
        raise ValueError(f"unknown webhook event {event_type!r}")
    return {"type": event_type, "timestamp": occurred_at,
            "data": {key: value for key, value in data.items() if key in PAYLOAD_FIELDS and value is not None}}


def body_bytes(document: dict) -> str:
    """The JSON text sent (and signed) on every attempt: one fixed serialisation."""
    return json.dumps(document, sort_keys=True, separators=(",", ":"))


def wants(subscription: dict, event_type: str) -> bool:
    return bool(subscription.get("enabled", True)) and event_type in subscription.get("events", ())


def clean_events(value) -> list[str]:
    if not isinstance(value, list) or not value:
        raise ValueError(f"events must be a non-empty list of: {', '.join(EVENT_TYPES)}")
    unknown = [item for item in value if item not in EVENT_TYPES]
    if unknown:
        raise ValueError(f"events: unknown {unknown[0]!r}; use {', '.join(EVENT_TYPES)}")
    return sorted(set(value), key=EVENT_TYPES.index)


# signing ---------------------------------------------------------------------------------------
def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


def secret_key(secret: str) -> bytes:
    if not secret.startswith(SECRET_PREFIX):
        raise ValueError("a webhook secret starts with whsec_")
    return base64.b64decode(secret[len(SECRET_PREFIX):])


def signature(secret: str, message_id: str, timestamp: int, body: str) -> str:
    signed = f"{message_id}.{timestamp}.{body}".encode()
    digest = hmac.new(secret_key(secret), signed, hashlib.sha256).digest()
    return f"{SIGNATURE_VERSION},{base64.b64encode(digest).decode()}"


def signed_headers(secrets_: list[str], message_id: str, timestamp: int, body: str) -> dict[str, str]:
    """The three Standard Webhooks headers, signed with each of ``secrets_`` (current first)."""
    return {"webhook-id": message_id, "webhook-timestamp": str(int(timestamp)),
            "webhook-signature": " ".join(signature(s, message_id, timestamp, body) for s in secrets_)}


# retries ---------------------------------------------------------------------------------------
def retry_delay(attempts: int, base_seconds: float, *, factor: float = 4.0, cap_seconds: float = 12 * 3600) -> float:
    """Seconds to wait after the ``attempts``-th failed attempt: base, base*4, base*16, ... up to
    ``cap_seconds`` (with the default base of 30 s: 30 s, 2 min, 8 min, 32 min, 2.1 h, 8.5 h, 12 h)."""
    if attempts < 1:
        return 0.0
    return min(base_seconds * factor ** (attempts - 1), cap_seconds)


def retryable(status_code: int | None) -> bool:
    """Worth another attempt: no answer, a timeout, too many requests or a server error. Any
    other 4xx says the request itself is refused (e.g. a bad signature) and is retried as well,
    since the receiver may be fixed meanwhile; only 410 Gone ends the delivery at once."""
    return status_code != 410


# addresses -------------------------------------------------------------------------------------
def check_url_form(url) -> str:
    """An absolute http(s) URL with a host and no credentials; returns it stripped."""
    if not isinstance(url, str) or not url.strip():
        raise BadWebhookUrl("url is required: the address to POST events to, e.g. https://partner.example/hooks")
    url = url.strip()
    if len(url) > MAX_URL:
        raise BadWebhookUrl(f"url is longer than {MAX_URL} characters")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise BadWebhookUrl("url must start with https:// (or http://)")
    if not parts.hostname:
        raise BadWebhookUrl("url must name a host, e.g. https://partner.example/hooks")
    if parts.username or parts.password:
        raise BadWebhookUrl("url must not carry a user name or password: the signature authenticates us")
    try:
        parts.port
    except ValueError:
        raise BadWebhookUrl("url has an invalid port") from None
    return url


def public_address(address: str) -> bool:
    """True for an address on the public internet; False for loopback, private, link-local
    (cloud metadata), shared, multicast, reserved or unspecified ones."""
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def check_addresses(host: str, addresses: list[str]) -> None:
    """Refuse a host that resolves to any non-public address (SaaS safety: a subscription must not
    make the platform call into its own network)."""
    if not addresses:
        raise BadWebhookUrl(f"url: the host {host!r} does not resolve")
    for address in addresses:
        if not public_address(address):
            raise BadWebhookUrl(f"url: {host!r} is a private or loopback address ({address}); webhooks go to "
                                "public addresses (INTERLUDE_WEBHOOK_ALLOW_PRIVATE=true allows others)")
