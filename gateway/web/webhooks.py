"""Webhooks in the web app (clinic admins): subscribe a partner's URL to events, see the secret
once, each subscription's deliveries with their attempts, redeliver, pause, rotate the secret,
delete. The same RPC calls as the JSON API (gateway/routes/webhooks.py)."""
from __future__ import annotations

from gateway.web.base import WebBase, see_other
from gateway.web.handler import page

EVENTS = ("homework.completed", "measure.scored", "risk.flagged", "workbook.rendered", "assignment.due",
          "assignment.overdue")


class WebhookPages(WebBase):
    @page("GET", "/webhooks")
    def webhooks_page(self, request):
        actor = self.web_actor(request)
        return self.show(request, "webhooks.html", subscriptions=self.progress_rpc.list_webhooks(actor),
                         events=EVENTS)

    @page("POST", "/webhooks")
    def webhook_create(self, request):
        actor = self.web_actor(request)
        made = self.progress_rpc.create_webhook(actor, {
            "url": request.form.get("url", ""), "events": request.form.getlist("events"),
            "description": request.form.get("description", "")})
        return self.show(request, "webhook_secret.html", status=201, subscription=made, rotated=False)

    @page("GET", "/webhooks/<string:subscription_id>")
    def webhook_page(self, request, subscription_id):
        actor = self.web_actor(request)
        return self.show(request, "webhook.html", subscription=self.progress_rpc.get_webhook(actor, subscription_id),
                         deliveries=self.progress_rpc.webhook_deliveries(actor, subscription_id, 50), events=EVENTS,
                         redelivered=request.args.get("redelivered"))

    @page("POST", "/webhooks/<string:subscription_id>")
    def webhook_update(self, request, subscription_id):
        actor = self.web_actor(request)
        changes = {"events": request.form.getlist("events"), "enabled": request.form.get("enabled") == "on"}
        self.progress_rpc.update_webhook(actor, subscription_id, changes)
        return see_other(f"/webhooks/{subscription_id}")

    @page("POST", "/webhooks/<string:subscription_id>/secret")
    def webhook_rotate(self, request, subscription_id):
        rotated = self.progress_rpc.rotate_webhook_secret(self.web_actor(request), subscription_id)
        return self.show(request, "webhook_secret.html", subscription=rotated, rotated=True)

    @page("POST", "/webhooks/<string:subscription_id>/delete")
    def webhook_delete(self, request, subscription_id):
        self.progress_rpc.delete_webhook(self.web_actor(request), subscription_id)
        return see_other("/webhooks")

    @page("POST", "/webhooks/<string:subscription_id>/deliveries/<string:delivery_id>/redeliver")
    def webhook_redeliver(self, request, subscription_id, delivery_id):
        self.progress_rpc.redeliver_webhook(self.web_actor(request), subscription_id, delivery_id)
        return see_other(f"/webhooks/{subscription_id}", redelivered=delivery_id)
