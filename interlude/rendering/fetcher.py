"""The only way a document reaches anything outside its own HTML. Imported by the child only.

WeasyPrint's default fetcher reads http(s), ftp, data: and file: URLs: in our measurements it
fetched 127.0.0.1 and file:///etc/passwd, and `<link rel=attachment>` embedded that file in the
PDF. Every fetch WeasyPrint makes (stylesheets, images, fonts, attachments, redirects) goes
through the fetcher, so this one allows exactly two kinds of URL and refuses the rest:

- ``asset:NAME``: a file inside the bundled assets folder (the print stylesheet, logos);
- ``file-in-job:NAME``: one of the files the job carried (the workbook's images and charts).
"""
from __future__ import annotations

import mimetypes
import os
from urllib.parse import unquote

from weasyprint.urls import URLFetcher, URLFetcherResponse

ASSET_SCHEME = "asset"
JOB_FILE_SCHEME = "file-in-job"


class RefusedURL(ValueError):
    """Raised for a URL outside the allow-list; WeasyPrint logs it and skips the resource."""


def _name_of(rest: str) -> str:
    # WeasyPrint percent-encodes URLs before fetching; a query or fragment (an SVG `#id`) is not
    # part of the name.
    return unquote(rest.split("#", 1)[0].split("?", 1)[0])


def _content_type(name: str) -> str:
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


class AllowListFetcher(URLFetcher):
    def __init__(self, assets_dir: str, job_files: dict[str, bytes]):
        # No protocol at all for the inherited urllib machinery, should anything reach it.
        super().__init__(allowed_protocols=(), allow_redirects=False, fail_on_errors=False)
        self._assets_dir = os.path.realpath(assets_dir)
        self._job_files = job_files

    def fetch(self, url, headers=None):
        scheme, separator, rest = url.partition(":")
        if separator and scheme.lower() == ASSET_SCHEME:
            return self._asset(url, _name_of(rest))
        if separator and scheme.lower() == JOB_FILE_SCHEME:
            return self._job_file(url, _name_of(rest))
        raise RefusedURL(f"Refused {url[:80]!r}: only asset: and file-in-job: URLs are allowed")

    def open(self, url, data=None, timeout=None):
        # urllib-style entry point (used for redirects): same allow-list, never urllib itself.
        return self.fetch(getattr(url, "full_url", url))

    def _asset(self, url: str, name: str) -> URLFetcherResponse:
        # realpath resolves `..` and symbolic links, so the containment check sees the real file.
        path = os.path.realpath(os.path.join(self._assets_dir, name))
        inside = os.path.commonpath([path, self._assets_dir]) == self._assets_dir
        if not name or not inside or not os.path.isfile(path):
            raise RefusedURL(f"Refused {url[:80]!r}: no such bundled asset")
        with open(path, "rb") as handle:
            body = handle.read()
        return URLFetcherResponse(url, body, {"Content-Type": _content_type(name)})

    def _job_file(self, url: str, name: str) -> URLFetcherResponse:
        if name not in self._job_files:
            raise RefusedURL(f"Refused {url[:80]!r}: the job carried no such file")
        return URLFetcherResponse(url, self._job_files[name], {"Content-Type": _content_type(name)})
