"""API keys (gateway/api_keys.py): made by a clinic admin, shown once, stored hashed, scoped,
rotated and revoked; the scopes an operation needs come from gateway/openapi.yaml."""
import re
from datetime import datetime, timedelta, timezone

import pytest

from gateway.auth import Authenticator
from gateway.rate_limits import MemoryRateLimits
from gateway.api_keys import SCOPES, ApiKeys, ensure_indexes, is_api_key
from gateway.entrypoints import SPEC, operation_of
from interlude.actor import Actor
from interlude.adapters.sqlite_documents import SqliteDocumentStore
from interlude.errors import Forbidden, InvalidInput, NotFound, Unauthenticated
from interlude.hashing import token_digest

ADMIN = Actor("usr_admin000000000001", "cln_harbour000000001", "clinic_admin")
OTHER_ADMIN = Actor("usr_admin000000000002", "cln_other00000000002", "clinic_admin")
PRACTITIONER = Actor("usr_prac0000000000003", "cln_harbour000000001", "practitioner")


@pytest.fixture
def keys(tmp_path):
    store = SqliteDocumentStore(tmp_path / "docs.db")
    ensure_indexes(store)
    return ApiKeys(store, default_per_minute=600)


def _scopes(method, path):
    return operation_of(method, path).key_scopes


def test_a_key_is_shown_once_and_stored_only_as_its_hash(keys):
    key, secret = keys.create(ADMIN, "  Riverside   EHR ", ["clients:write", "catalogue:read"])
    assert is_api_key(secret) and len(secret) > 40 and key["prefix"] == secret[:8]
    assert key["name"] == "Riverside EHR" and key["scopes"] == ["catalogue:read", "clients:write"]
    assert key["requests_per_minute"] == 600 and key["created_by"] == ADMIN.user_id
    stored = keys.keys.get(key["id"])
    assert stored["secret_digest"] == token_digest(secret) and secret not in str(stored)
    assert "secret_digest" not in key and all("secret" not in str(k) for k in keys.list(ADMIN))
    assert keys.resolve(secret)["id"] == key["id"]


def test_only_a_clinic_admin_manages_keys_and_sees_only_their_clinics(keys):
    with pytest.raises(Forbidden):
        keys.create(PRACTITIONER, "x", ["catalogue:read"])
    key, _ = keys.create(ADMIN, "EHR", ["catalogue:read"])
    with pytest.raises(Forbidden):
        keys.list(PRACTITIONER)
    assert keys.list(OTHER_ADMIN) == []
    for act in (keys.rotate, keys.revoke):
        with pytest.raises(NotFound, match="key_id"):
            act(OTHER_ADMIN, key["id"])


@pytest.mark.parametrize("name, scopes, limit, field", [
    ("", ["catalogue:read"], None, "name"), ("x" * 81, ["catalogue:read"], None, "name"),
    ("EHR", [], None, "scopes"), ("EHR", "catalogue:read", None, "scopes"), ("EHR", ["admin"], None, "scopes"),
    ("EHR", ["catalogue:read"], 0, "requests_per_minute"), ("EHR", ["catalogue:read"], True, "requests_per_minute"),
    ("EHR", ["catalogue:read"], "10", "requests_per_minute")])
def test_bad_input_names_the_field(keys, name, scopes, limit, field):
    with pytest.raises(InvalidInput, match=field):
        keys.create(ADMIN, name, scopes, limit)
    assert keys.list(ADMIN) == []


def test_rotation_gives_a_new_secret_and_the_old_one_stops(keys):
    key, old = keys.create(ADMIN, "EHR", ["catalogue:read"])
    rotated, new = keys.rotate(ADMIN, key["id"])
    assert new != old and rotated["id"] == key["id"] and rotated["rotated_at"] and rotated["prefix"] == new[:8]
    with pytest.raises(Unauthenticated, match="rotated"):
        keys.resolve(old)
    assert keys.resolve(new)["id"] == key["id"]


def test_a_revoked_key_stops_stays_listed_and_cannot_be_rotated(keys):
    key, secret = keys.create(ADMIN, "EHR", ["catalogue:read"])
    revoked = keys.revoke(ADMIN, key["id"])
    assert revoked["revoked_at"] and keys.revoke(ADMIN, key["id"])["revoked_at"] == revoked["revoked_at"]
    with pytest.raises(Unauthenticated, match="revoked"):
        keys.resolve(secret)
    with pytest.raises(InvalidInput, match="key_id"):
        keys.rotate(ADMIN, key["id"])
    assert [k["revoked_at"] for k in keys.list(ADMIN)] == [revoked["revoked_at"]]


def test_scopes_open_only_the_operations_that_list_them(keys):
    key = keys.resolve(keys.create(ADMIN, "EHR", ["catalogue:read"])[1])
    actor = keys.authorise(key, _scopes("GET", "/api/v1/tools"), "GET /api/v1/tools")
    # a key acts for its clinic, as itself, with the reach of the admin who made it
    assert actor == Actor(key["id"], ADMIN.clinic_id, "clinic_admin")
    for method, path in (("GET", "/api/v1/clients"), ("POST", "/api/v1/workbooks"), ("GET", "/api/v1/dashboard")):
        with pytest.raises(Forbidden, match="lacks the scope"):
            keys.authorise(key, _scopes(method, path), f"{method} {path}")
    # operations for people only: no key opens them, whatever its scopes
    everything = keys.resolve(keys.create(ADMIN, "All", list(SCOPES))[1])
    for method, path in (("GET", "/api/v1/me"), ("POST", "/api/v1/users"), ("POST", "/api/v1/api-keys"),
                         ("DELETE", "/api/v1/api-keys/key_0123456789abcdef"), ("POST", "/api/v1/auth/logout")):
        with pytest.raises(Forbidden, match="logged-in user"):
            keys.authorise(everything, _scopes(method, path), f"{method} {path}")


def test_a_read_of_clients_is_open_to_either_scope_that_covers_it(keys):
    for scope in ("clients:write", "progress:read"):
        key = keys.resolve(keys.create(ADMIN, scope, [scope])[1])
        assert keys.authorise(key, _scopes("GET", "/api/v1/clients/cli_1"), "read").clinic_id == ADMIN.clinic_id
    key = keys.resolve(keys.create(ADMIN, "reader", ["progress:read"])[1])
    with pytest.raises(Forbidden):
        keys.authorise(key, _scopes("POST", "/api/v1/clients"), "POST /api/v1/clients")


def test_every_scope_in_the_document_is_a_known_scope_and_each_is_used():
    used = set()
    for item in SPEC["paths"].values():
        for operation in item.values():
            for requirement in operation.get("security", []) if isinstance(operation, dict) else []:
                used.update(requirement.get("apiKey", []))
    assert used == set(SCOPES)
    assert SPEC["components"]["schemas"]["ApiKeyScope"]["enum"] == list(SCOPES)


def test_last_use_is_kept_to_the_minute(keys):
    key, secret = keys.create(ADMIN, "EHR", ["catalogue:read"])
    start = datetime(2026, 12, 7, 9, 0, tzinfo=timezone.utc)
    keys.used(keys.resolve(secret), now=start)
    assert keys.list(ADMIN)[0]["last_used_at"].startswith("2026-12-07T09:00:00")
    keys.used(keys.resolve(secret), now=start + timedelta(seconds=30))    # no write within the minute
    assert keys.list(ADMIN)[0]["last_used_at"].startswith("2026-12-07T09:00:00")
    keys.used(keys.resolve(secret), now=start + timedelta(minutes=2))
    assert keys.list(ADMIN)[0]["last_used_at"].startswith("2026-12-07T09:02:00")


class FakeRequest:
    def __init__(self, method, path, secret):
        self.method, self.path = method, path
        self.headers, self.cookies = {"Authorization": f"Bearer {secret}"}, {}


def _concrete(template: str) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: "1" if m.group(1) == "number" else f"{m.group(1)}_1", template)


def test_every_api_operation_checks_a_keys_scopes(keys):
    """Whatever operation is added: a key without one of its scope sets gets 403, a key with one
    acts for its clinic, and an operation that lists no scope refuses every key."""
    authenticator = Authenticator(identity=None, keys=keys, limits=MemoryRateLimits())
    everything = keys.create(ADMIN, "all", list(SCOPES))[1]
    checked = 0
    for template, item in SPEC["paths"].items():
        if not template.startswith("/api/v1/"):
            continue
        for method in ("get", "post", "put", "patch", "delete"):
            if method not in item or item[method].get("security") == []:
                continue
            path, allowed = _concrete(template), operation_of(method.upper(), _concrete(template)).key_scopes
            for scope in SCOPES:
                secret = keys.create(ADMIN, scope, [scope])[1]
                request = FakeRequest(method.upper(), path, secret)
                if any(needed <= {scope} for needed in allowed):
                    assert authenticator.actor(request).clinic_id == ADMIN.clinic_id
                else:
                    with pytest.raises(Forbidden):
                        authenticator.actor(request)
            if not allowed:
                with pytest.raises(Forbidden, match="logged-in user"):
                    authenticator.actor(FakeRequest(method.upper(), path, everything))
            checked += 1
    assert checked >= 50


def test_a_key_in_a_cookie_is_not_a_key(keys):
    secret = keys.create(ADMIN, "EHR", ["catalogue:read"])[1]
    request = FakeRequest("GET", "/api/v1/tools", secret)
    request.headers, request.cookies = {}, {"interlude_session": secret}

    class NoSessions:
        def resolve(self, token):
            raise Unauthenticated("no session")
    with pytest.raises(Unauthenticated):
        Authenticator(identity=NoSessions(), keys=keys, limits=MemoryRateLimits()).actor(request)
