"""The permanent record's practitioner actions: a client's details, one assignment (read,
revoke, ask again, a paper form) and corrections of recorded events (review a risk flag,
correct a measure score, withdraw an entry made in error)."""
from __future__ import annotations

from gateway.bodies import json_body
from gateway.entrypoints import api


class RecordRoutes:
    @api("PATCH", "/api/v1/clients/<string:client_id>")
    def update_client(self, request, client_id):
        actor, changes = self.auth.actor(request), json_body(request)
        practitioner_id = changes.get("practitioner_id")
        if practitioner_id not in (None, actor.user_id) and actor.role == "clinic_admin":
            self.auth.identity.member_of_clinic(actor, practitioner_id)   # progress reads no users
        return self.progress_rpc.update_client(actor.to_dict(), client_id, changes)

    @api("GET", "/api/v1/assignments/<string:assignment_id>")
    def get_assignment(self, request, assignment_id):
        return self.progress_rpc.get_assignment(self.auth.actor_dict(request), assignment_id)

    @api("POST", "/api/v1/assignments/<string:assignment_id>/revoke")
    def revoke_assignment(self, request, assignment_id):
        return self.progress_rpc.revoke_assignment(self.auth.actor_dict(request), assignment_id,
                                                   json_body(request).get("reason"))

    @api("POST", "/api/v1/assignments/<string:assignment_id>/again")
    def assign_again(self, request, assignment_id):
        return self.progress_rpc.assign_again(self.auth.actor_dict(request), assignment_id,
                                              json_body(request).get("due"))

    @api("POST", "/api/v1/assignments/<string:assignment_id>/paper")
    def record_on_paper(self, request, assignment_id):
        return self.progress_rpc.record_on_paper(self.auth.actor_dict(request), assignment_id, json_body(request))

    @api("POST", "/api/v1/clients/<string:client_id>/events/<string:event_id>/review")
    def review_risk_flag(self, request, client_id, event_id):
        return self.progress_rpc.review_risk_flag(self.auth.actor_dict(request), client_id, event_id,
                                                  json_body(request).get("note"))

    @api("POST", "/api/v1/clients/<string:client_id>/events/<string:event_id>/correction")
    def correct_measure(self, request, client_id, event_id):
        return self.progress_rpc.correct_measure(self.auth.actor_dict(request), client_id, event_id,
                                                 json_body(request))

    @api("POST", "/api/v1/clients/<string:client_id>/events/<string:event_id>/withdrawal")
    def withdraw_event(self, request, client_id, event_id):
        return self.progress_rpc.withdraw_event(self.auth.actor_dict(request), client_id, event_id,
                                                json_body(request).get("reason"))
