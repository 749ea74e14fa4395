"""API keys through the real gateway and services (issue #17): a key opens only what its scopes
list, acts for its clinic, is refused once revoked or rotated away, records its last use, and is
rate limited with 429 and Retry-After. The platform counts requests in the real Redis here
(INTERLUDE_REDIS_URL), as several gateway processes would; the in-memory limiter is the default
that the web-page tests and `make run` use."""
import dataclasses
import re
import os

import pytest
import requests

from gateway.api_keys import SECRET_PREFIX
from tests.conftest import free_port
from tests.platform import PASSWORD, logged_in, running, seeded_settings

REDIS_URL = os.environ.get("INTERLUDE_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    settings = seeded_settings(tmp_path_factory.mktemp("data"), [("Harbour Clinic", "admin@harbour.example"),
                                                                 ("Other Clinic", "admin@other.example")],
                               port=free_port())
    with running(dataclasses.replace(settings, redis_url=REDIS_URL)) as base:
        yield {"base": base, "admin": logged_in(base, "admin@harbour.example"),
               "other": logged_in(base, "admin@other.example")}


def _key(api, scopes, **extra):
    created = api["admin"].post(f"{api['base']}/api/v1/api-keys", json={"name": "Riverside EHR", "scopes": scopes,
                                                                          **extra})
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["secret"].startswith(SECRET_PREFIX) and "secret_digest" not in body["key"]
    return body["key"], body["secret"]


def _as_key(secret):
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {secret}"
    return session


def test_a_catalogue_key_lists_tools_but_not_clients(api):
    base = api["base"]
    key, secret = _key(api, ["catalogue:read"])
    partner = _as_key(secret)
    tools = partner.get(f"{base}/api/v1/tools", params={"limit": 3})
    assert tools.status_code == 200, tools.text
    assert partner.get(f"{base}/api/v1/search", params={"q": "sleep"}).status_code == 200
    for method, path, body in (("GET", "/api/v1/clients", None), ("POST", "/api/v1/clients", {"display_name": "X."}),
                               ("GET", "/api/v1/dashboard", None), ("GET", "/api/v1/me", None),
                               ("GET", "/api/v1/api-keys", None),   # a key never makes another key
                               ("POST", "/api/v1/api-keys", {"name": "More", "scopes": ["clients:write"]})):
        refused = partner.request(method, f"{base}{path}", json=body)
        assert refused.status_code == 403, (path, refused.text)
        assert refused.json()["error"] == "forbidden"
    assert partner.get(f"{base}/clients", allow_redirects=False).status_code in (302, 303, 401, 403)
    listed = {k["id"]: k for k in api["admin"].get(f"{base}/api/v1/api-keys").json()}
    assert listed[key["id"]]["last_used_at"] is not None and "secret" not in str(listed[key["id"]])


def test_a_clients_key_creates_a_client_and_assigns_a_tool_for_its_clinic(api):
    base = api["base"]
    _, secret = _key(api, ["catalogue:read", "clients:write"])
    partner = _as_key(secret)
    tool_id = partner.get(f"{base}/api/v1/tools", params={"limit": 1}).json()["items"][0]["id"]
    client = partner.post(f"{base}/api/v1/clients", json={"display_name": "R. K."})
    assert client.status_code == 201, client.text
    assigned = partner.post(f"{base}/api/v1/clients/{client.json()['id']}/assignments",
                            json={"tool_id": tool_id, "due": "2030-01-01"})
    assert assigned.status_code == 201, assigned.text
    assert assigned.json()["portal_url"].startswith(base + "/portal/")
    # the clinic's admin sees the client; another clinic's does not
    assert api["admin"].get(f"{base}/api/v1/clients/{client.json()['id']}").status_code == 200
    assert api["other"].get(f"{base}/api/v1/clients/{client.json()['id']}").status_code == 404
    assert partner.get(f"{base}/api/v1/clients/{client.json()['id']}/timeline").status_code == 403


def test_revoked_and_rotated_secrets_are_refused(api):
    base, admin = api["base"], api["admin"]
    key, secret = _key(api, ["catalogue:read"])
    assert api["other"].delete(f"{base}/api/v1/api-keys/{key['id']}").status_code == 404
    rotated = admin.post(f"{base}/api/v1/api-keys/{key['id']}/rotate")
    assert rotated.status_code == 200, rotated.text
    new_secret = rotated.json()["secret"]
    assert _as_key(secret).get(f"{base}/api/v1/tools").status_code == 401
    assert _as_key(new_secret).get(f"{base}/api/v1/tools").status_code == 200
    revoked = admin.delete(f"{base}/api/v1/api-keys/{key['id']}")
    assert revoked.status_code == 200 and revoked.json()["revoked_at"]
    refused = _as_key(new_secret).get(f"{base}/api/v1/tools")
    assert refused.status_code == 401 and "revoked" in refused.json()["message"]


def test_a_key_past_its_limit_gets_429_with_retry_after(api, capfd):
    base = api["base"]
    _, secret = _key(api, ["catalogue:read"], requests_per_minute=3)
    partner = _as_key(secret)
    statuses = []
    for _ in range(7):    # 3 per minute: at most 6 pass even across a minute's boundary
        response = partner.get(f"{base}/api/v1/taxonomy")
        statuses.append(response.status_code)
        if response.status_code == 429:
            break
    assert statuses[-1] == 429, statuses
    assert 1 <= int(response.headers["Retry-After"]) <= 60
    assert response.json()["error"] == "too_many_requests"
    logs = capfd.readouterr().err
    assert "api_key_rate_limited" in logs and secret not in logs   # the key's id, never its secret
    # another key of the clinic is not slowed by this one's use
    assert _as_key(_key(api, ["catalogue:read"])[1]).get(f"{base}/api/v1/taxonomy").status_code == 200


def test_bad_key_requests_name_the_field(api):
    base, admin = api["base"], api["admin"]
    bad = admin.post(f"{base}/api/v1/api-keys", json={"name": "EHR", "scopes": ["everything"]})
    assert bad.status_code == 400 and "scopes" in bad.json()["message"]
    missing = admin.post(f"{base}/api/v1/api-keys/key_0000000000000000/rotate")
    assert missing.status_code == 404 and "key_id" in missing.json()["message"]


def test_the_api_keys_page_makes_shows_once_rotates_and_revokes(api):
    from tests.integration.test_web_pages import assert_secure, browser, csrf_of
    base = api["base"]
    admin, other = browser(base, "admin@harbour.example"), browser(base, "admin@other.example")
    page = admin.get(f"{base}/api-keys")
    assert page.status_code == 200 and 'href="/api-keys"' in page.text   # in the admin's navigation
    assert_secure(page)
    token = csrf_of(page.text)
    form = {"name": "<b>Riverside</b> EHR", "scopes": ["catalogue:read"], "requests_per_minute": "100"}
    assert admin.post(f"{base}/api-keys", data=form).status_code == 403           # no CSRF token
    made = admin.post(f"{base}/api-keys", data={**form, "csrf_token": token})
    assert made.status_code == 201, made.text
    assert_secure(made)
    secret = re.search(r'value="(ilk_[A-Za-z0-9_-]+)"', made.text).group(1)
    assert "&lt;b&gt;Riverside&lt;/b&gt; EHR" in made.text and "<b>Riverside" not in made.text
    assert _as_key(secret).get(f"{base}/api/v1/taxonomy").status_code == 200
    listing = admin.get(f"{base}/api-keys").text
    assert secret not in listing and secret[:8] in listing           # shown once; then only its start
    key_id = re.search(r'/api-keys/(key_[0-9a-f]{16})/rotate', listing).group(1)
    assert key_id not in other.get(f"{base}/api-keys").text
    assert other.post(f"{base}/api-keys/{key_id}/revoke", data={"csrf_token": csrf_of(
        other.get(f"{base}/api-keys").text)}).status_code == 404
    rotated = admin.post(f"{base}/api-keys/{key_id}/rotate", data={"csrf_token": token})
    new_secret = re.search(r'value="(ilk_[A-Za-z0-9_-]+)"', rotated.text).group(1)
    assert rotated.status_code == 200 and new_secret != secret
    assert _as_key(secret).get(f"{base}/api/v1/taxonomy").status_code == 401
    revoked = admin.post(f"{base}/api-keys/{key_id}/revoke", data={"csrf_token": token}, allow_redirects=False)
    assert revoked.status_code == 303
    assert _as_key(new_secret).get(f"{base}/api/v1/taxonomy").status_code == 401
    bad = admin.post(f"{base}/api-keys", data={"name": "No scope", "csrf_token": token})
    assert bad.status_code == 400 and "scopes" in bad.text and 'value="No scope"' in bad.text


def test_a_practitioner_has_no_api_keys_page(api):
    from tests.integration.test_web_pages import browser
    base = api["base"]
    created = api["admin"].post(f"{base}/api/v1/users", json={"email": "pia@harbour.example", "name": "Pia",
                                                               "role": "practitioner", "password": PASSWORD})
    assert created.status_code == 201, created.text
    pia = browser(base, "pia@harbour.example")
    assert 'href="/api-keys"' not in pia.get(f"{base}/clients").text
    assert pia.get(f"{base}/api-keys").status_code == 403
    assert logged_in(base, "pia@harbour.example").get(f"{base}/api/v1/api-keys").status_code == 403
