"""Webhook subscriptions of my clinic, their deliveries and redelivery (the progress service owns
them; clinic admins only). The signing secret appears in the answers to create and rotate only."""
from __future__ import annotations

from gateway import idempotency
from gateway.bodies import json_body
from gateway.entrypoints import api

DELIVERIES_LISTED = 50


class WebhookRoutes:
    @api("GET", "/api/v1/webhooks")
    def list_webhooks(self, request):
        return self.progress_rpc.list_webhooks(self.auth.actor_dict(request))

    @api("POST", "/api/v1/webhooks")
    def create_webhook(self, request):
        return 201, self.progress_rpc.create_webhook(self.auth.actor_dict(request), json_body(request),
                                                     idempotency.request_key(request))

    @api("GET", "/api/v1/webhooks/<string:subscription_id>")
    def get_webhook(self, request, subscription_id):
        return self.progress_rpc.get_webhook(self.auth.actor_dict(request), subscription_id)

    @api("PATCH", "/api/v1/webhooks/<string:subscription_id>")
    def update_webhook(self, request, subscription_id):
        return self.progress_rpc.update_webhook(self.auth.actor_dict(request), subscription_id, json_body(request))

    @api("DELETE", "/api/v1/webhooks/<string:subscription_id>")
    def delete_webhook(self, request, subscription_id):
        return self.progress_rpc.delete_webhook(self.auth.actor_dict(request), subscription_id)

    @api("POST", "/api/v1/webhooks/<string:subscription_id>/secret")
    def rotate_webhook_secret(self, request, subscription_id):
        return self.progress_rpc.rotate_webhook_secret(self.auth.actor_dict(request), subscription_id)

    @api("GET", "/api/v1/webhooks/<string:subscription_id>/deliveries")
    def list_webhook_deliveries(self, request, subscription_id):
        limit = request.args.get("limit", DELIVERIES_LISTED, type=int)
        return self.progress_rpc.webhook_deliveries(self.auth.actor_dict(request), subscription_id, limit)

    @api("POST", "/api/v1/webhooks/<string:subscription_id>/deliveries/<string:delivery_id>/redeliver")
    def redeliver_webhook(self, request, subscription_id, delivery_id):
        return 202, self.progress_rpc.redeliver_webhook(self.auth.actor_dict(request), subscription_id, delivery_id)
