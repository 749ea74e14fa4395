"""Blobs port: media and generated PDFs by key.

Adapters: a local folder (embedded default) and MinIO/S3 through the ``minio`` client. Both pass
``tests/conformance/test_blobs.py``. Keys are slash-separated paths of safe characters.
"""
from __future__ import annotations

import abc
import re
from dataclasses import dataclass

from interlude.errors import InvalidInput

_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._\-]*(/[A-Za-z0-9][A-Za-z0-9._\-]*)*$")


def check_key(key: str) -> str:
    if not isinstance(key, str) or len(key) > 512 or not _KEY.match(key) or ".." in key:
        raise InvalidInput(f"Blob key {key!r} is not allowed: use letters, digits, '.', '-', '_' and '/'.")
    return key


@dataclass(frozen=True)
class BlobInfo:
    key: str
    size: int
    content_type: str


class BlobStore(abc.ABC):
    @abc.abstractmethod
    def put(self, key: str, data: bytes, content_type: str = "application/octet-stream") -> BlobInfo:
        """Store (or replace) the bytes under the key."""

    @abc.abstractmethod
    def get(self, key: str) -> bytes:
        """The bytes; raise NotFound if absent."""

    @abc.abstractmethod
    def stat(self, key: str) -> BlobInfo | None:
        """Size and type, or None if absent."""

    @abc.abstractmethod
    def delete(self, key: str) -> bool:
        """Remove; True if it existed."""

    @abc.abstractmethod
    def list(self, prefix: str = "") -> list[str]:
        """Keys that start with the prefix, sorted."""

    @abc.abstractmethod
    def presigned_url(self, key: str, expires_seconds: int = 900) -> str | None:
        """A time-limited download URL the store itself serves, or None when the store cannot
        (the folder adapter: the gateway then serves a signed URL of its own)."""

    @abc.abstractmethod
    def ping(self) -> None:
        """Raise if the store does not answer."""

    def exists(self, key: str) -> bool:
        return self.stat(key) is not None
