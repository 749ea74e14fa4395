"""Static files (stylesheet, scripts, vendored htmx) from gateway/web/static, never from a CDN."""
from __future__ import annotations

import mimetypes
from functools import lru_cache
from pathlib import Path

from werkzeug.security import safe_join
from werkzeug.wrappers import Response

from gateway.web.handler import page
from interlude.errors import NotFound

ROOT = Path(__file__).with_name("static")
TYPES = {".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml", ".png": "image/png"}


@lru_cache(maxsize=64)
def _read(name: str) -> tuple[bytes, str]:
    path = safe_join(str(ROOT), name)
    if path is None or not Path(path).is_file():
        raise NotFound("No such file.")
    suffix = Path(path).suffix
    return Path(path).read_bytes(), TYPES.get(suffix) or mimetypes.guess_type(path)[0] or "application/octet-stream"


class StaticFiles:
    @page("GET", "/static/<path:name>")
    def static_file(self, request, name):
        data, content_type = _read(name)
        return Response(data, mimetype=content_type, headers={"Cache-Control": "public, max-age=3600"})
