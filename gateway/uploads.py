"""Files in and out of the gateway (issue #11, findings 5 and 6).

Out: every stored file is sent as an attachment, with ``X-Content-Type-Options: nosniff`` (a
browser never renders an upload as a page), and its name per RFC 6266: an ASCII fallback in
``filename`` and the exact name, UTF-8 percent-encoded, in ``filename*`` (a name outside
Latin-1 used to break the response headers).

In: a body sent with ``Transfer-Encoding: chunked`` has no Content-Length, and werkzeug then
reads it as empty; it is read from the WSGI stream (eventlet decodes the chunks), up to a limit.
"""
from __future__ import annotations

import unicodedata
from urllib.parse import quote

from interlude.errors import InvalidInput, PayloadTooLarge

MAX_FILENAME = 120   # as the API document says

DOWNLOAD_HEADERS = {"X-Content-Type-Options": "nosniff"}


def content_disposition(filename: str, disposition: str = "attachment") -> str:
    # no control characters, and no lone surrogates (a query string can carry them): they cannot be encoded
    name = "".join(c for c in (filename or "download") if unicodedata.category(c) not in ("Cc", "Cs", "Cf"))
    name = name or "download"
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    ascii_name = "".join(c for c in ascii_name if c.isalnum() or c in "._- ").strip() or "download"
    if ascii_name == name:
        return f'{disposition}; filename="{ascii_name}"'
    return f"{disposition}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='', errors='replace')}"


def download_headers(filename: str, **extra) -> dict:
    return {"Content-Disposition": content_disposition(filename), **DOWNLOAD_HEADERS, **extra}


def request_body(request, limit: int) -> bytes:
    """The whole body, with or without a Content-Length; PayloadTooLarge past ``limit`` bytes."""
    if "chunked" not in request.headers.get("Transfer-Encoding", "").lower():
        return request.get_data(cache=False)
    stream, parts, size = request.environ["wsgi.input"], [], 0
    while True:
        part = stream.read(64 * 1024)
        if not part:
            return b"".join(parts)
        size += len(part)
        if size > limit:
            raise PayloadTooLarge(f"The request body is larger than {limit // (1024 * 1024)} MB.")
        parts.append(part)


def upload_filename(request) -> str:
    name = request.args.get("filename", "")
    if len(name) > MAX_FILENAME:
        raise InvalidInput(f"filename: at most {MAX_FILENAME} characters.")
    return name
