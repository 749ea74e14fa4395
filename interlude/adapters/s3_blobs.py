"""Blobs on MinIO or any S3-compatible store through the ``minio`` client.

URL: ``s3://host:9000/bucket`` (add ``?secure=true`` for TLS); credentials from
INTERLUDE_S3_ACCESS_KEY / INTERLUDE_S3_SECRET_KEY (or the URL's user info). The bucket is created
if it is missing.
"""
from __future__ import annotations

import io
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

from interlude.errors import NotFound
from interlude.ports.blobs import BlobInfo, BlobStore, check_key


class S3BlobStore(BlobStore):
    def __init__(self, endpoint: str, bucket: str, access_key: str, secret_key: str,
                 secure: bool = False, region: str = "us-east-1"):
        from minio import Minio
        self.bucket = bucket
        self._client = Minio(endpoint, access_key=access_key, secret_key=secret_key,
                             secure=secure, region=region)
        if not self._client.bucket_exists(bucket):
            self._client.make_bucket(bucket)

    @classmethod
    def from_url(cls, url: str, access_key: str = "", secret_key: str = "") -> "S3BlobStore":
        parts = urlsplit(url)
        query = parse_qs(parts.query)
        endpoint = f"{parts.hostname}:{parts.port}" if parts.port else parts.hostname
        return cls(endpoint, parts.path.strip("/"), access_key or parts.username or "",
                   secret_key or parts.password or "",
                   secure=query.get("secure", ["false"])[0] == "true",
                   region=query.get("region", ["us-east-1"])[0])

    def put(self, key, data, content_type="application/octet-stream") -> BlobInfo:
        data = bytes(data)
        self._client.put_object(self.bucket, check_key(key), io.BytesIO(data), len(data),
                                content_type=content_type)
        return BlobInfo(key, len(data), content_type)

    def get(self, key) -> bytes:
        from minio.error import S3Error
        try:
            response = self._client.get_object(self.bucket, check_key(key))
        except S3Error as exc:
            if exc.code in ("NoSuchKey", "NoSuchObject"):
                raise NotFound(f"No blob {key!r}.") from None
            raise
        try:
            return response.read()
        finally:
            response.close()
            response.release_conn()

    def stat(self, key) -> BlobInfo | None:
        from minio.error import S3Error
        try:
            info = self._client.stat_object(self.bucket, check_key(key))
        except S3Error as exc:
            if exc.code in ("NoSuchKey", "NoSuchObject", "NotFound"):
                return None
            raise
        return BlobInfo(key, info.size, info.content_type)

    def delete(self, key) -> bool:
        if self.stat(key) is None:
            return False
        self._client.remove_object(self.bucket, check_key(key))
        return True

    def list(self, prefix="") -> list[str]:
        return sorted(obj.object_name for obj in
                      self._client.list_objects(self.bucket, prefix=prefix, recursive=True))

    def presigned_url(self, key, expires_seconds=900) -> str:
        return self._client.presigned_get_object(self.bucket, check_key(key),
                                                 expires=timedelta(seconds=expires_seconds))

    def ping(self) -> None:
        self._client.bucket_exists(self.bucket)
