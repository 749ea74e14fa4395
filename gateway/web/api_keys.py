"""A clinic admin's API keys page: the keys with their scopes and last use, a form to make one,
rotate and revoke buttons. A new or rotated secret is shown once, on the answer to that POST
(never in a URL, never again: only its hash is stored). The same ApiKeys as /api/v1/api-keys."""
from __future__ import annotations

from gateway.api_keys import SCOPES
from gateway.web.base import WebBase, see_other
from gateway.web.handler import page
from interlude.actor import Actor
from interlude.errors import InvalidInput


class ApiKeyPages(WebBase):
    def _admin(self, request) -> Actor:
        return Actor.from_dict(self.web_actor(request)).require_role("clinic_admin")

    def _keys_page(self, request, actor: Actor, status: int = 200, **context):
        return self.show(request, "api_keys.html", status=status, keys=self.auth.keys.list(actor), scopes=SCOPES,
                         revoked=request.args.get("revoked"), **{"error": None, "name": "", "chosen": (),
                                                                 "secret": None, "shown_key": None, **context})

    @page("GET", "/api-keys")
    def api_keys_page(self, request):
        return self._keys_page(request, self._admin(request))

    @page("POST", "/api-keys")
    def api_key_create(self, request):
        actor = self._admin(request)
        name, chosen = request.form.get("name", ""), request.form.getlist("scopes")
        limit = (request.form.get("requests_per_minute") or "").strip()
        try:
            if limit and not limit.isdigit():
                raise InvalidInput("requests_per_minute: use a whole number from 1 to 100000.")
            key, secret = self.auth.keys.create(actor, name, chosen, int(limit) if limit else None)
        except InvalidInput as exc:
            return self._keys_page(request, actor, status=400, error=exc.message, name=name, chosen=chosen)
        return self._keys_page(request, actor, status=201, secret=secret, shown_key=key)

    @page("POST", "/api-keys/<string:key_id>/rotate")
    def api_key_rotate(self, request, key_id):
        actor = self._admin(request)
        key, secret = self.auth.keys.rotate(actor, key_id)
        return self._keys_page(request, actor, secret=secret, shown_key=key)

    @page("POST", "/api-keys/<string:key_id>/revoke")
    def api_key_revoke(self, request, key_id):
        key = self.auth.keys.revoke(self._admin(request), key_id)
        return see_other("/api-keys", revoked=key["name"])
