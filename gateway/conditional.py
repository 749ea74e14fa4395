"""Conditional catalogue reads: ETag and If-None-Match (304), answered from the bodies kept here.

The catalog service owns the answer and its ETag (which changes with the catalogue and with the
clinic's own tools). The gateway keeps each answer it fetched (the serialised body and its ETag,
per clinic and request) and serves it, or a 304, without asking again, until the catalog's events
say it changed: a clinic's tool published, edited or retired forgets that clinic's answers, a
newly published build forgets them all (the catalog service announces a build within
CATALOGUE_WATCH_SECONDS, whichever process published it). This gateway also forgets a clinic's
answers itself as soon as that clinic writes a tool through it, so an editor reads their own
write. Search answers are kept the same way, forgotten when the search service announces that its
index changed (for a clinic, or all of it). The bodies kept are a bounded LRU keyed by clinic: one clinic never receives another's.
"""
from __future__ import annotations

import hashlib
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


def clinic_of(payload: dict) -> str | None:
    """The clinic whose tool an event is about; None (forget every clinic) when it does not say."""
    return payload.get("clinic_id") or (payload.get("search") or {}).get("clinic_id") or None


class ConditionalReads:
    def __init__(self, max_bodies: int = MAX_BODIES):
        self.max_bodies = max_bodies
        self.bodies: OrderedDict[tuple, tuple[str, bytes]] = OrderedDict()
        # Moves on with every forget(): an answer fetched while one happened may be older than
        # the change, so it is served but not kept.
        self.epoch = 0

    def respond(self, request, catalog_rpc, actor: dict, view: str, args) -> Response:
        """A catalogue read (the catalog service's conditional_read: "list", "taxonomy", "tool")."""
        return self.answer(request, actor["clinic_id"], (view, json.dumps(args, sort_keys=True)),
                           lambda offered: catalog_rpc.conditional_read(actor, view, args, offered))

    def answer(self, request, clinic_id: str, key: tuple, fetch) -> Response:
        """The kept answer to ``key`` for this clinic, else ``fetch(offered_etags)``'s, which is
        ``{"etag": … or None (then made from the body), "data": … or None (the client's is current)}``."""
        key = (clinic_id, *key)
        offered = offered_etags(request)
        kept = self.bodies.get(key)
        if kept is not None:
            self.bodies.move_to_end(key)
            return self._response(*kept, offered)
        epoch = self.epoch
        answer = fetch(offered)
        if answer["data"] is None:                       # the client holds the current answer
            return self._response(answer["etag"], b"", offered)
        body = json.dumps(answer["data"], ensure_ascii=False).encode()
        etag = answer["etag"] or '"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"'
        if epoch == self.epoch:
            self.bodies[key] = (etag, body)
            while len(self.bodies) > self.max_bodies:
                self.bodies.popitem(last=False)
        return self._response(etag, body, offered)

    @staticmethod
    def _response(etag: str, body: bytes, offered: list[str]) -> Response:
        headers = {"ETag": etag, "Cache-Control": CACHE_CONTROL, "Vary": VARY}
        if etag in offered:
            return Response(status=304, headers=headers)
        return Response(body, status=200, headers=headers, mimetype="application/json")

    def forget(self, clinic_id: str | None = None) -> None:
        """Forget one clinic's answers (its tools changed), or every answer (the catalogue did)."""
        self.epoch += 1
        if clinic_id is None:
            self.bodies.clear()
            return
        for key in [key for key in self.bodies if key[0] == clinic_id]:
            del self.bodies[key]


class KeptAnswers(DependencyProvider):
    """One ConditionalReads per gateway process and use (catalogue reads, search answers),
    shared by its workers."""

    def setup(self):
        self.reads = ConditionalReads()

    def get_dependency(self, worker_ctx):
        return self.reads
