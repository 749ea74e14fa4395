"""Stored files: a redirect to the object store's presigned URL, or the bytes (the embedded folder), and the gateway's own signed links."""
from __future__ import annotations

from werkzeug.wrappers import Response

from gateway import signed_urls, uploads
from gateway.entrypoints import api
from interlude.errors import NotFound


class FileRoutes:
    def _download(self, link: dict) -> Response:
        """Send a stored file: a redirect to the object store's presigned URL where it has one,
        else the bytes from the blob store (the embedded folder)."""
        if link.get("url"):
            return Response(status=302, headers={"Location": link["url"]})
        return Response(self.blobs.get(link["key"]), mimetype=link["content_type"],
                        headers=uploads.download_headers(link["filename"], **{"Cache-Control": "private, max-age=300"}))

    @api("GET", "/files/<path:key>", validate=False)
    def signed_file(self, request, key):
        signed_urls.verify(self.settings.secret_key, key, request.args.get("expires"), request.args.get("signature"))
        info = self.blobs.stat(key)
        if info is None:
            raise NotFound("This file no longer exists.")
        return Response(self.blobs.get(key), mimetype=info.content_type,
                        headers=uploads.download_headers(key.rsplit("/", 1)[-1], **{"Cache-Control": "private, max-age=300"}))
