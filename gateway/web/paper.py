"""Paper and online meet, as pages: the client's upload page behind their portal link, and the
practitioner's upload on the client's page. Both are web-app pages (CSRF token in the form, the
strict CSP, no script); a refused PDF shows the page again with what to do, and nothing recorded.

The client has no account: their link's token is what lets them in (as on every portal page), and
the CSRF token is bound to a pre-session cookie, so a form posted from another site is refused."""
from __future__ import annotations

from nameko.exceptions import RemoteError

from gateway import paper
from gateway.web.base import WebBase
from gateway.web.handler import page
from interlude import errors


def refusal(exc: Exception) -> tuple[int, str] | None:
    """(status, message) of a domain error raised here or by a service; None for anything else."""
    if isinstance(exc, errors.InterludeError):
        return exc.status, exc.message
    if isinstance(exc, RemoteError) and exc.exc_type in errors.BY_NAME:
        return errors.BY_NAME[exc.exc_type].status, exc.value
    return None


def readable(answers: dict | None) -> list[tuple[str, str]]:
    """What was read, as (field, answer) rows: ids made readable ("feeling_before" → "feeling before")."""
    return [(str(key).replace("_", " ").replace(".", " "), str(value)) for key, value in (answers or {}).items()]


class PaperPages(WebBase):
    def _portal_link_refused(self, request, token):
        """The link's assignment, or the page saying why the link cannot be used (404 unknown,
        403 withdrawn, 410 expired) and what to do, in the portal's words rather than the web app's."""
        try:
            return self.progress_rpc.portal_paper_stamp(token), None
        except Exception as exc:
            refused = refusal(exc)
            if refused is None or refused[0] >= 500:
                raise
            return None, self.show(request, "paper_portal.html", status=refused[0], token=token, title="",
                                   result=None, error=refused[1], link_unusable=refused[0] in (403, 404, 410),
                                   no_form=True)

    @page("GET", "/portal/<string:token>/paper")
    def portal_paper_page(self, request, token):
        view, refused = self._portal_link_refused(request, token)
        if refused is not None:
            return refused
        return self.show(request, "paper_portal.html", token=token, title=view["title"], result=None, error=None)

    @page("POST", "/portal/<string:token>/paper", max_body=paper.MAX_FORM_BYTES)
    def portal_paper_upload(self, request, token):
        view, refused = self._portal_link_refused(request, token)
        if refused is not None:
            return refused
        try:
            result = self.progress_rpc.portal_paper_pdf(token, paper.upload_from_form(request))
        except Exception as exc:
            refused = refusal(exc)
            if refused is None or refused[0] >= 500:
                raise
            return self.show(request, "paper_portal.html", status=refused[0], token=token, title=view["title"],
                             result=None, error=refused[1])
        return self.show(request, "paper_portal.html", token=token, title=view["title"], result=result,
                         answers=readable(result.get("answers_read")), error=None)

    @page("POST", "/clients/<string:client_id>/assignments/<string:assignment_id>/paper",
          max_body=paper.MAX_FORM_BYTES)
    def client_paper_upload(self, request, client_id, assignment_id):
        actor = self.web_actor(request)
        client = self.progress_rpc.get_client(actor, client_id)
        assignment = self.progress_rpc.get_assignment(actor, assignment_id)
        if assignment["client_id"] != client["id"]:
            raise errors.NotFound("No such assignment for this client.")
        try:
            result = self.progress_rpc.record_paper_pdf(actor, assignment_id, paper.upload_from_form(request))
        except Exception as exc:
            refused = refusal(exc)
            if refused is None or refused[0] >= 500:
                raise
            return self.show(request, "paper_done.html", status=refused[0], client=client, assignment=assignment,
                             result=None, error=refused[1])
        return self.show(request, "paper_done.html", client=client, assignment=assignment, result=result,
                         answers=readable(result.get("answers_read")), error=None)
