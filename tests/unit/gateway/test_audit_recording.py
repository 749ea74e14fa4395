"""The gateway's audit step (gateway/audit.py) on fakes: an answer that cannot be recorded becomes
a 503 and is not sent; a failed request records nothing; the log's store view cannot modify."""
from types import SimpleNamespace

import pytest
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from gateway import audit
from interlude import errors
from interlude.actor import Actor
from interlude.ports.documents import AppendOnly


class FakeProgress:
    def __init__(self, fail=False):
        self.fail, self.recorded = fail, []

    def record_access(self, entries):
        if self.fail:
            raise errors.ServiceUnavailable("progress did not answer")
        self.recorded.extend(entries)
        return {"recorded": [str(i) for i, _ in enumerate(entries)]}


def worker_ctx(route, progress, **path):
    request = Request(EnvironBuilder(method="GET", path="/x", environ_base={"REMOTE_ADDR": "10.0.0.9"}).get_environ())
    return worker_ctx_for(request, route, progress, **path)


def worker_ctx_for(request, route, progress, **path):
    auth = SimpleNamespace(actor=lambda _request: Actor("usr_1", "cln_1", "practitioner"))
    service = SimpleNamespace(progress_rpc=progress, auth=auth)
    return SimpleNamespace(entrypoint=SimpleNamespace(method_name=route), args=(request,), kwargs=path,
                           service=service, data={"request_id": "req-00000001"})


def test_an_access_is_recorded_with_who_what_and_where():
    progress = FakeProgress()
    result, exc_info = audit.record(worker_ctx("get_client", progress, client_id="cli_1"), {"id": "cli_1"}, None)
    assert result == {"id": "cli_1"} and exc_info is None
    [entry] = progress.recorded
    assert entry["client_id"] == "cli_1" and entry["action"] == "client.read" and entry["ip"] == "10.0.0.9"
    assert entry["actor"]["user_id"] == "usr_1" and entry["actor_kind"] == "user"


def test_an_answer_that_cannot_be_recorded_is_not_sent():
    result, exc_info = audit.record(worker_ctx("get_client", FakeProgress(fail=True), client_id="cli_1"),
                                    {"display_name": "Robin"}, None)
    assert result is None and isinstance(exc_info[1], errors.ServiceUnavailable)


def test_a_portal_page_that_cannot_be_recorded_is_the_portals_error_page():
    request = Request(EnvironBuilder(method="GET", path="/portal/t").get_environ())
    result, exc_info = audit.record(worker_ctx_for(request, "portal_page", FakeProgress(fail=True), token="t" * 30),
                                    "<html>the page</html>", None)
    assert exc_info is None and result.status_code == 503 and "the page" not in result.get_data(as_text=True)
    assert "audit log" in result.get_data(as_text=True)


def test_failed_requests_and_other_routes_record_nothing():
    progress = FakeProgress()
    failure = (errors.NotFound, errors.NotFound("no"), None)
    assert audit.record(worker_ctx("get_client", progress, client_id="cli_1"), None, failure) == (None, failure)
    assert audit.record(worker_ctx("get_client", progress, client_id="cli_1"), (404, {"error": "x"}), None)[1] is None
    audit.record(worker_ctx("list_tools", progress), {"items": []}, None)
    assert progress.recorded == []


@pytest.mark.parametrize("name", ["update", "increment", "delete", "delete_many"])
def test_the_logs_store_view_cannot_modify(name):
    assert not hasattr(AppendOnly(object()), name)
