"""The client page's choice of the language the client's portal speaks (progress keeps it on the
client record; the portal's wording is translated, measures only where an official translation
may be reproduced)."""
from __future__ import annotations

from gateway.web.base import WebBase, see_other
from gateway.web.handler import page

# (code, the language's own name): shown as is, whatever the practitioner's interface language.
PORTAL_LANGUAGES = (("en", "English"), ("es", "Español"))


class PortalLanguagePages(WebBase):
    @page("POST", "/clients/<string:client_id>/language")
    def client_portal_language(self, request, client_id):
        actor = self.web_actor(request)
        self.progress_rpc.update_client(actor, client_id, {"language": request.form.get("language", "")})
        return see_other(f"/clients/{client_id}", language="saved")
