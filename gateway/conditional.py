"""Conditional catalogue reads: ETag and If-None-Match (304), and the bodies the gateway already sent.

The catalog service owns the answer and its ETag (it changes with the catalogue and with the
clinic's own tools). The gateway asks it with the ETags it could reuse: the client's
(If-None-Match: answered 304, no body) and that of the body it keeps for the same clinic and
request (answered from those bytes, so neither side serialises the answer again). The bodies kept
are a bounded LRU keyed by clinic, so one clinic never receives another's answer.
"""
from __future__ import annotations

import json
from collections import OrderedDict

from nameko.extensions import DependencyProvider
from werkzeug.wrappers import Response

MAX_BODIES = 512
# Per-clinic data (a clinic's own tools are in the listing): only the browser may keep it, and it
# asks again each time (no-cache), cheaply, with If-None-Match.
CACHE_CONTROL = "private, no-cache"
VARY = "Authorization, Cookie"


def offered_etags(request) -> list[str]:
    header = request.headers.get("If-None-Match", "")
    return [tag.strip().removeprefix("W/") for tag in header.split(",") if tag.strip()]


class ConditionalReads:
    def __init__(self, max_bodies: int = MAX_BODIES):
        self.max_bodies = max_bodies
        self.bodies: OrderedDict[tuple, tuple[str, bytes]] = OrderedDict()

    def respond(self, request, catalog_rpc, actor: dict, view: str, args) -> Response:
        key = (actor["clinic_id"], view, json.dumps(args, sort_keys=True))
        offered = offered_etags(request)
        kept = self.bodies.get(key)
        answer = catalog_rpc.conditional_read(actor, view, args, [*offered, *([kept[0]] if kept else [])])
        etag = answer["etag"]
        headers = {"ETag": etag, "Cache-Control": CACHE_CONTROL, "Vary": VARY}
        if etag in offered:
            return Response(status=304, headers=headers)
        if answer["data"] is not None:
            body = json.dumps(answer["data"], ensure_ascii=False).encode()
            self._keep(key, etag, body)
        elif kept is not None and kept[0] == etag:
            body = kept[1]
            self.bodies.move_to_end(key)
        else:   # the kept body was evicted meanwhile by another green thread: ask in full
            return self.respond_without_cache(catalog_rpc, actor, view, args, key)
        return Response(body, status=200, headers=headers, mimetype="application/json")

    def respond_without_cache(self, catalog_rpc, actor, view, args, key) -> Response:
        answer = catalog_rpc.conditional_read(actor, view, args, [])
        body = json.dumps(answer["data"], ensure_ascii=False).encode()
        self._keep(key, answer["etag"], body)
        return Response(body, status=200, mimetype="application/json",
                        headers={"ETag": answer["etag"], "Cache-Control": CACHE_CONTROL, "Vary": VARY})

    def _keep(self, key: tuple, etag: str, body: bytes) -> None:
        self.bodies[key] = (etag, body)
        self.bodies.move_to_end(key)
        while len(self.bodies) > self.max_bodies:
            self.bodies.popitem(last=False)


class ConditionalCatalogue(DependencyProvider):
    """One ConditionalReads per gateway process, shared by its workers."""

    def setup(self):
        self.reads = ConditionalReads()

    def get_dependency(self, worker_ctx):
        return self.reads
