"""Blobs in a local folder: the embedded default. Writes go to a temporary file and are renamed,
so a reader never sees half a PDF; the content type is kept in a small side file."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from interlude.errors import NotFound
from interlude.ports.blobs import BlobInfo, BlobStore, check_key

_TYPE_SUFFIX = ".content-type"


class FolderBlobStore(BlobStore):
    def __init__(self, root: str | Path):
        self.root = Path(root).expanduser().resolve()
        self.root.mkdir(parents=True, exist_ok=True)

    @classmethod
    def from_url(cls, url: str) -> "FolderBlobStore":
        return cls(url[len("file://"):] if url.startswith("file://") else url)

    def _path(self, key: str) -> Path:
        path = (self.root / check_key(key)).resolve()
        if self.root not in path.parents:
            raise NotFound(f"No blob {key!r}.")
        return path

    def _write(self, path: Path, data: bytes) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)

    def put(self, key, data, content_type="application/octet-stream") -> BlobInfo:
        path = self._path(key)
        self._write(path.with_name(path.name + _TYPE_SUFFIX), content_type.encode())
        self._write(path, bytes(data))
        return BlobInfo(key, len(data), content_type)

    def get(self, key) -> bytes:
        path = self._path(key)
        try:
            return path.read_bytes()
        except (FileNotFoundError, IsADirectoryError):
            raise NotFound(f"No blob {key!r}.") from None

    def stat(self, key) -> BlobInfo | None:
        path = self._path(key)
        if not path.is_file():
            return None
        type_file = path.with_name(path.name + _TYPE_SUFFIX)
        content_type = type_file.read_text() if type_file.exists() else "application/octet-stream"
        return BlobInfo(key, path.stat().st_size, content_type)

    def delete(self, key) -> bool:
        path = self._path(key)
        path.with_name(path.name + _TYPE_SUFFIX).unlink(missing_ok=True)
        try:
            path.unlink()
            return True
        except FileNotFoundError:
            return False

    def list(self, prefix="") -> list[str]:
        keys = []
        for path in self.root.rglob("*"):
            if path.is_file() and not path.name.endswith(_TYPE_SUFFIX) and not path.name.startswith(".tmp-"):
                key = path.relative_to(self.root).as_posix()
                if key.startswith(prefix):
                    keys.append(key)
        return sorted(keys)

    def presigned_url(self, key, expires_seconds=900):
        return None

    def ping(self) -> None:
        if not os.access(self.root, os.W_OK):
            raise OSError(f"blob folder {self.root} is not writable")
