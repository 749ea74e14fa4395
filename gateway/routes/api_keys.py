"""A clinic admin's API keys (gateway/api_keys.py): create, list, rotate, revoke. Only a logged-in
admin manages keys (no key can make or change one: these operations list no apiKey scope)."""
from __future__ import annotations

from gateway.bodies import json_body
from gateway.entrypoints import api


class ApiKeyRoutes:
    @api("GET", "/api/v1/api-keys")
    def list_api_keys(self, request):
        return self.auth.keys.list(self.auth.actor(request))

    @api("POST", "/api/v1/api-keys")
    def create_api_key(self, request):
        body = json_body(request)
        key, secret = self.auth.keys.create(self.auth.actor(request), body.get("name"), body.get("scopes"),
                                            body.get("requests_per_minute"))
        return 201, {"key": key, "secret": secret}

    @api("POST", "/api/v1/api-keys/<string:key_id>/rotate")
    def rotate_api_key(self, request, key_id):
        key, secret = self.auth.keys.rotate(self.auth.actor(request), key_id)
        return {"key": key, "secret": secret}

    @api("DELETE", "/api/v1/api-keys/<string:key_id>")
    def revoke_api_key(self, request, key_id):
        return self.auth.keys.revoke(self.auth.actor(request), key_id)
