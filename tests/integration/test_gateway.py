"""The platform through HTTP, on both transports: every service in this process over memory://
(the embedded default) and over a real RabbitMQ vhost."""
import json

import pytest
import requests

from gateway.identity import Identity
from interlude import wiring
from interlude import settings as settings_module
from interlude.actor import Actor
from tests.conftest import TEST_SECRET, free_port, make_env
from tests.platform import running

PASSWORD = "correct horse battery"


# One platform per transport for the whole module: starting one takes seconds, and no test here
# depends on another's data (each creates what it looks for; only test_roles adds a user).
@pytest.fixture(scope="module", params=["memory", "rabbitmq"])
def platform(request, tmp_path_factory):
    overrides = {"http_port": free_port()}
    if request.param == "rabbitmq":
        overrides.update(broker_url=request.getfixturevalue("rabbit_url"), secret_key=TEST_SECRET)
    settings = settings_module.load(make_env(tmp_path_factory.mktemp(request.param) / "data", **overrides))
    store = wiring.documents(settings)
    identity = Identity(store)
    clinic_a, admin_a = identity.create_clinic("Clinic A", "admin@a.example", "Admin A", PASSWORD)
    identity.create_user(Actor(admin_a["id"], clinic_a["id"], "clinic_admin"),
                         "pract@a.example", "Pat A", "practitioner", PASSWORD)
    identity.create_clinic("Clinic B", "admin@b.example", "Admin B", PASSWORD)
    store.close()
    with running(settings) as base_url:
        yield base_url


def login(base_url, email):
    response = requests.post(f"{base_url}/api/v1/auth/login", json={"email": email, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['token']}"}


TOOL = {"title": "Riding the Wave of an Urge", "summary": "Notice an urge rise and fall without acting on it.",
        "instructions": ["Notice where you feel the urge.", "Rate it from 0 to 10 every minute."],
        "fields": [{"label": "Strongest urge (0-10)", "kind": "scale"}], "problems": ["ocd-contamination"]}


def test_probes(platform):
    assert requests.get(f"{platform}/healthz").json() == {"status": "up"}
    ready = requests.get(f"{platform}/readyz")
    assert ready.status_code == 200, ready.text
    assert set(ready.json()["checks"]) == {"documents", "catalog", "search", "workbook", "progress"}


def test_login_me_and_cookie(platform):
    bad = requests.post(f"{platform}/api/v1/auth/login", json={"email": "pract@a.example", "password": "nope"})
    assert bad.status_code == 401 and bad.json()["error"] == "unauthenticated"
    session = requests.Session()
    ok = session.post(f"{platform}/api/v1/auth/login", json={"email": "pract@a.example", "password": PASSWORD})
    assert "HttpOnly" in ok.headers["Set-Cookie"]
    me = session.get(f"{platform}/api/v1/me").json()  # the cookie alone authenticates
    assert me["user"]["email"] == "pract@a.example" and me["clinic"]["name"] == "Clinic A"
    assert "password_hash" not in json.dumps(me)
    assert session.post(f"{platform}/api/v1/auth/logout").status_code == 204
    assert session.get(f"{platform}/api/v1/me").status_code == 401


def test_clinic_tool_flows_to_search_for_its_clinic_only(platform):
    a, b = login(platform, "pract@a.example"), login(platform, "admin@b.example")
    created = requests.post(f"{platform}/api/v1/clinic-tools", json=TOOL, headers=a)
    assert created.status_code == 201, created.text
    tool = created.json()
    # catalog -> event tool_published -> search service indexes it; visible to the next search.
    def found_by(headers):
        hits = requests.get(f"{platform}/api/v1/search", params={"q": "Riding the Wave of an Urge",
                                                                 "source": "clinic"}, headers=headers).json()["hits"]
        return tool["id"] in [h["id"] for h in hits]
    assert found_by(a)
    assert not found_by(b)
    other = requests.get(f"{platform}/api/v1/clinic-tools/{tool['id']}", headers=b)
    assert other.status_code == 404 and other.json()["error"] == "not_found"
    retired = requests.delete(f"{platform}/api/v1/clinic-tools/{tool['id']}", headers=a)
    assert retired.json()["status"] == "retired"
    assert not found_by(a)


def test_roles(platform):
    practitioner, admin = login(platform, "pract@a.example"), login(platform, "admin@a.example")
    new_user = {"email": "new@a.example", "name": "New", "role": "practitioner", "password": PASSWORD}
    denied = requests.post(f"{platform}/api/v1/users", json=new_user, headers=practitioner)
    assert denied.status_code == 403
    assert requests.post(f"{platform}/api/v1/users", json=new_user, headers=admin).status_code == 201
    assert requests.post(f"{platform}/api/v1/users", json=new_user, headers=admin).status_code == 409
    emails = {u["email"] for u in requests.get(f"{platform}/api/v1/users", headers=admin).json()}
    assert emails == {"admin@a.example", "pract@a.example", "new@a.example"}


@pytest.mark.parametrize("method, path, body, status, error", [
    ("get", "/api/v1/me", None, 401, "unauthenticated"),
    ("get", "/api/v1/nowhere", None, 404, "not_found"),
    ("post", "/api/v1/clinic-tools", {"title": "x"}, 400, "invalid_input"),
    ("post", "/api/v1/clinic-tools", {**TOOL, "script": "<script>"}, 400, "invalid_input"),
    ("get", "/api/v1/search?page=0", None, 400, "invalid_input"),
    ("put", "/api/v1/clinic-tools/ct_missing", TOOL, 404, "not_found"),
])
def test_errors_are_json_with_a_message(platform, method, path, body, status, error):
    headers = {} if status == 401 else login(platform, "pract@a.example")
    response = getattr(requests, method)(f"{platform}{path}", json=body, headers=headers)
    assert response.status_code == status, response.text
    assert response.json()["error"] == error and response.json()["message"]
    assert "Traceback" not in response.text


def test_request_id_is_echoed(platform):
    response = requests.get(f"{platform}/healthz", headers={"X-Request-Id": "partner-req-0001"})
    assert response.headers["X-Request-Id"] == "partner-req-0001"
    assert len(requests.get(f"{platform}/healthz").headers["X-Request-Id"]) == 32


def test_openapi_document_is_served(platform):
    spec = requests.get(f"{platform}/api/v1/openapi.json").json()
    assert spec["openapi"].startswith("3.1") and "/api/v1/search" in spec["paths"]
