"""Settings read from environment variables, validated once at start.

Every engine is chosen by the scheme of its URL (warehouse style: the backend is a setting):

=========================  ==============================  ==================================
variable                   embedded default                real engine
=========================  ==============================  ==================================
INTERLUDE_BROKER_URL       memory://                       amqp://user:pass@host:5672/vhost
INTERLUDE_DOCUMENTS_URL    sqlite:///<data>/documents.db   mongodb://host:27017/interlude
INTERLUDE_BLOBS_URL        <data>/blobs (a folder)         s3://host:9000/bucket
INTERLUDE_SEARCH_URL       <data>/search-index (a folder)  http(s)://host:9200
INTERLUDE_REDIS_URL        (unset: API key rate limits     redis://host:6379/0 (shared by
                           counted in this process)        every gateway process)
=========================  ==============================  ==================================

``REDIS_URL`` is read too when ``INTERLUDE_REDIS_URL`` is unset (the name hosting platforms set).

A bad value stops the program with a message that names the variable and says what to do.
"""
from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

PREFIX = "INTERLUDE_"


class SettingsError(ValueError):
    """A setting is missing or malformed; the message names the variable."""


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    broker_url: str
    documents_url: str
    blobs_url: str
    search_url: str
    secret_key: str = field(repr=False)
    http_host: str = "127.0.0.1"
    http_port: int = 8080
    log_format: str = "console"
    log_level: str = "info"
    s3_access_key: str = field(default="", repr=False)
    s3_secret_key: str = field(default="", repr=False)
    # How long the gateway waits for a service's RPC answer before it answers 503.
    rpc_timeout_seconds: float = 5.0
    # ... and for the calls that make a file on demand (a tool's PDF or audio, an upload's checks)
    rpc_slow_timeout_seconds: float = 60.0
    # Webhooks (services/progress/application/webhook_*.py): the first retry's wait (each next one
    # waits 4x longer, at most 12 h), attempts before a delivery is given up, one attempt's time
    # limit, and whether private or loopback receivers are allowed (never on a SaaS deployment).
    webhook_retry_base_seconds: float = 30.0
    webhook_max_attempts: int = 8
    webhook_timeout_seconds: float = 10.0
    webhook_allow_private: bool = False
    # The address clients reach the gateway at: portal and download links start with it
    # (never with the request's Host header, which the caller chooses).
    public_url: str = ""
    # Operations (issue #17): the port of a process's own /metrics, /healthz and /readyz server
    # (interlude/metrics_server.py; None: none, the gateway's /metrics still answers), and how
    # long a process asked to stop (SIGTERM) may finish its work: in-flight RPCs, a render.
    metrics_port: int | None = None
    shutdown_grace_seconds: float = 25.0
    # API keys' rate limits (gateway/rate_limits.py): counted in Redis when set, else in memory.
    redis_url: str = field(default="", repr=False)
    # Requests a key may make per minute unless its own limit says otherwise.
    api_key_requests_per_minute: int = 600

    @property
    def embedded(self) -> bool:
        """True when every service runs in one process over the in-memory transport."""
        return self.broker_url.startswith("memory://")

    @property
    def documents_kind(self) -> str:
        return "mongodb" if self.documents_url.startswith("mongodb") else "sqlite"

    @property
    def blobs_kind(self) -> str:
        return "s3" if self.blobs_url.startswith("s3://") else "folder"

    @property
    def search_kind(self) -> str:
        return "elasticsearch" if self.search_url.startswith(("http://", "https://")) else "tantivy"

    def __repr__(self) -> str:
        return f"Settings({self.safe_summary()!r})"

    def safe_summary(self) -> dict:
        """What may be printed or logged: engines and hosts, never credentials."""
        return {
            "data_dir": str(self.data_dir),
            "broker": _without_credentials(self.broker_url),
            "documents": _without_credentials(self.documents_url),
            "blobs": _without_credentials(self.blobs_url),
            "search": _without_credentials(self.search_url),
        }


def _without_credentials(url: str) -> str:
    parts = urlsplit(url)
    if parts.username or parts.password:
        host = parts.hostname or ""
        if parts.port:
            host = f"{host}:{parts.port}"
        return parts._replace(netloc=host).geturl()
    return url


def _get(env: dict, name: str, default: str | None = None) -> str | None:
    value = env.get(PREFIX + name)
    return default if value is None or value == "" else value


def _check_scheme(name: str, value: str, allowed: tuple[str, ...], hint: str) -> None:
    scheme = urlsplit(value).scheme
    if "://" in value and scheme not in allowed:
        raise SettingsError(
            f"{PREFIX}{name}={_without_credentials(value)!r}: unsupported scheme {scheme!r}; "
            f"use {hint}"
        )


def _secret_key(env: dict, data_dir: Path, embedded: bool) -> str:
    key = _get(env, "SECRET_KEY")
    if key:
        if len(key) < 32:
            raise SettingsError(f"{PREFIX}SECRET_KEY is too short: use at least 32 random characters")
        return key
    if not embedded:
        raise SettingsError(
            f"{PREFIX}SECRET_KEY is required when {PREFIX}BROKER_URL is not memory://: "
            "set it to at least 32 random characters, the same for every service"
        )
    # Embedded, single-machine mode only: keep a generated key with the data it protects.
    key_file = data_dir / "secret.key"
    if not key_file.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(48))
    return key_file.read_text().strip()


def _number(env: dict, name: str, default: str | None, convert, low: float, high: float, problem: str):
    """The variable as a number within [low, high], None when unset without a default."""
    text = _get(env, name, default)
    if text is None:
        return None
    try:
        value = convert(text)
        if not low <= value <= high:
            raise ValueError
    except ValueError:
        raise SettingsError(f"{PREFIX}{name}={text!r}{problem}") from None
    return value


def _seconds(env: dict, name: str, default: str) -> float:
    return _number(env, name, default, float, 0.1, 600, ": use a number of seconds, 0.1-600")


def _port(env: dict, name: str, default: str | None) -> int | None:
    """A port, or None when unset without a default (INTERLUDE_METRICS_PORT: off)."""
    return _number(env, name, default, int, 0, 65535, " is not a port number (0-65535)")


def _whole_number(env: dict, name: str, default: str, low: int, high: int, problem: str) -> int:
    return _number(env, name, default, int, low, high, f" {problem}")


def load(env: dict | None = None) -> Settings:
    """Read and validate the settings; raise SettingsError naming the first bad variable."""
    env = dict(os.environ if env is None else env)
    data_dir = Path(_get(env, "DATA_DIR", "./data")).expanduser().resolve()

    broker_url = _get(env, "BROKER_URL", "memory://")
    _check_scheme("BROKER_URL", broker_url, ("memory", "amqp", "amqps", "pyamqp"),
                  "memory:// (one process) or amqp://user:pass@host:5672/vhost")
    if "://" not in broker_url:
        raise SettingsError(f"{PREFIX}BROKER_URL={broker_url!r} is not a URL: use memory:// or amqp://…")

    documents_url = _get(env, "DOCUMENTS_URL", f"sqlite:///{data_dir / 'documents.db'}")
    _check_scheme("DOCUMENTS_URL", documents_url, ("sqlite", "mongodb", "mongodb+srv"),
                  "sqlite:///path/to/file.db or mongodb://host:27017/database")
    if "://" not in documents_url:
        raise SettingsError(
            f"{PREFIX}DOCUMENTS_URL={documents_url!r} is not a URL: use sqlite:///… or mongodb://…")

    blobs_url = _get(env, "BLOBS_URL", str(data_dir / "blobs"))
    _check_scheme("BLOBS_URL", blobs_url, ("s3", "file"), "a folder path or s3://host:9000/bucket")
    if blobs_url.startswith("s3://") and not urlsplit(blobs_url).path.strip("/"):
        raise SettingsError(f"{PREFIX}BLOBS_URL={_without_credentials(blobs_url)!r} names no bucket: "
                            "use s3://host:9000/bucket")

    search_url = _get(env, "SEARCH_URL", str(data_dir / "search-index"))
    _check_scheme("SEARCH_URL", search_url, ("http", "https", "file"),
                  "an index folder path or http(s)://elasticsearch-host:9200")

    http_port = _whole_number(env, "HTTP_PORT", "8080", 0, 65535, "is not a port number (0-65535)")

    log_format = _get(env, "LOG_FORMAT", "console")
    if log_format not in ("console", "json"):
        raise SettingsError(f"{PREFIX}LOG_FORMAT={log_format!r}: use console or json")
    log_level = _get(env, "LOG_LEVEL", "info").lower()
    if log_level not in ("debug", "info", "warning", "error"):
        raise SettingsError(f"{PREFIX}LOG_LEVEL={log_level!r}: use debug, info, warning or error")

    rpc_timeout, rpc_slow_timeout = (_seconds(env, name, default) for name, default in
                                     (("RPC_TIMEOUT_SECONDS", "5"), ("RPC_SLOW_TIMEOUT_SECONDS", "60")))

    public_url = (_get(env, "PUBLIC_URL", "") or "").rstrip("/")
    if public_url and (urlsplit(public_url).scheme not in ("http", "https") or not urlsplit(public_url).netloc
                       or urlsplit(public_url).path.strip("/") or urlsplit(public_url).query):
        raise SettingsError(f"{PREFIX}PUBLIC_URL={public_url!r}: use the gateway's address as clients reach it, "
                            "e.g. https://interlude.example.org")

    redis_url = _get(env, "REDIS_URL", "") or env.get("REDIS_URL", "")
    _check_scheme("REDIS_URL", redis_url, ("redis", "rediss", "unix"), "redis://host:6379/0")
    if redis_url and "://" not in redis_url:
        raise SettingsError(f"{PREFIX}REDIS_URL is not a URL: use redis://host:6379/0")
    per_minute = _whole_number(env, "API_KEY_REQUESTS_PER_MINUTE", "600", 1, 100_000,
                               "use a whole number of requests, 1-100000")

    return Settings(
        data_dir=data_dir,
        broker_url=broker_url,
        documents_url=documents_url,
        blobs_url=blobs_url,
        search_url=search_url,
        secret_key=_secret_key(env, data_dir, broker_url.startswith("memory://")),
        http_host=_get(env, "HTTP_HOST", "127.0.0.1"),
        http_port=http_port,
        log_format=log_format,
        log_level=log_level,
        s3_access_key=_get(env, "S3_ACCESS_KEY", "") or urlsplit(blobs_url).username or "",
        s3_secret_key=_get(env, "S3_SECRET_KEY", "") or urlsplit(blobs_url).password or "",
        **_webhook_settings(env),
        rpc_timeout_seconds=rpc_timeout,
        rpc_slow_timeout_seconds=max(rpc_slow_timeout, rpc_timeout),
        public_url=public_url or f"http://{_get(env, 'HTTP_HOST', '127.0.0.1')}:{http_port}",
        metrics_port=_port(env, "METRICS_PORT", None),
        shutdown_grace_seconds=_seconds(env, "SHUTDOWN_GRACE_SECONDS", "25"),
        redis_url=redis_url,
        api_key_requests_per_minute=per_minute,
    )


def _webhook_settings(env: dict) -> dict:
    """The webhook settings; the reminder webhook of earlier versions is refused with its replacement."""
    for retired in ("REMINDER_WEBHOOK_URL", "REMINDER_WEBHOOK_SECRET"):
        if _get(env, retired):
            raise SettingsError(f"{PREFIX}{retired} was replaced by webhook subscriptions: unset it and have each "
                                "clinic admin subscribe the partner's URL to assignment.due and assignment.overdue "
                                "(POST /api/v1/webhooks, or Webhooks in the web app); deliveries are signed per "
                                "Standard Webhooks instead of X-Interlude-Signature")
    retry_base = _get(env, "WEBHOOK_RETRY_BASE_SECONDS", "30")
    attempts = _get(env, "WEBHOOK_MAX_ATTEMPTS", "8")
    try:
        retry_base_seconds = float(retry_base)
        if not 0.01 <= retry_base_seconds <= 3600:
            raise ValueError
    except ValueError:
        raise SettingsError(f"{PREFIX}WEBHOOK_RETRY_BASE_SECONDS={retry_base!r}: use a number of seconds, "
                            "0.01-3600") from None
    if not attempts.isdigit() or not 1 <= int(attempts) <= 20:
        raise SettingsError(f"{PREFIX}WEBHOOK_MAX_ATTEMPTS={attempts!r}: use a whole number, 1-20")
    allow = _get(env, "WEBHOOK_ALLOW_PRIVATE", "false").lower()
    if allow not in ("true", "false", "1", "0", "yes", "no"):
        raise SettingsError(f"{PREFIX}WEBHOOK_ALLOW_PRIVATE={allow!r}: use true or false")
    return {"webhook_retry_base_seconds": retry_base_seconds, "webhook_max_attempts": int(attempts),
            "webhook_timeout_seconds": _seconds(env, "WEBHOOK_TIMEOUT_SECONDS", "10"),
            "webhook_allow_private": allow in ("true", "1", "yes")}
