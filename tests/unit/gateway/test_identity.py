from datetime import datetime, timedelta, timezone

import pytest

from gateway import identity as identity_module
from gateway.identity import Identity, ensure_indexes
from interlude.hashing import token_digest
from interlude.adapters.sqlite_documents import SqliteDocumentStore
from interlude.actor import Actor
from gateway.clinic_profile import DEFAULT_COLOUR
from interlude.errors import Conflict, Forbidden, InvalidInput, NotFound, Unauthenticated

PASSWORD = "long enough password"


@pytest.fixture
def identity(tmp_path):
    store = SqliteDocumentStore(tmp_path / "docs.db")
    ensure_indexes(store)   # as the gateway's Auth provider does at start
    return Identity(store)


def test_create_clinic_then_login_and_resolve(identity):
    clinic, admin = identity.create_clinic("Harbour Clinic", "Admin@Harbour.example", "Ana", PASSWORD)
    assert admin["email"] == "admin@harbour.example" and admin["role"] == "clinic_admin"
    token, user = identity.login("admin@harbour.example", PASSWORD)
    actor = identity.resolve(token)
    assert actor == Actor(admin["id"], clinic["id"], "clinic_admin")
    stored = identity.users.get(admin["id"])
    assert stored["password_hash"].startswith("$argon2") and PASSWORD not in str(stored)
    assert identity.sessions.get(token) is None  # only the token's hash is stored


@pytest.mark.parametrize("email, password", [("admin@harbour.example", "wrong password"),
                                             ("nobody@harbour.example", PASSWORD), ("not an email", PASSWORD)])
def test_wrong_credentials_are_one_message(identity, email, password):
    identity.create_clinic("Harbour Clinic", "admin@harbour.example", "Ana", PASSWORD)
    with pytest.raises(Unauthenticated, match="Wrong email or password"):
        identity.login(email, password)


def test_logout_and_expiry_end_a_session(identity):
    identity.create_clinic("Harbour Clinic", "admin@harbour.example", "Ana", PASSWORD)
    token, _ = identity.login("admin@harbour.example", PASSWORD)
    identity.logout(token)
    with pytest.raises(Unauthenticated):
        identity.resolve(token)
    token, _ = identity.login("admin@harbour.example", PASSWORD)
    later = datetime.now(timezone.utc) + timedelta(hours=identity_module.SESSION_HOURS, minutes=1)
    with pytest.raises(Unauthenticated, match="expired"):
        identity.resolve(token, now=later)


def test_only_admins_add_users_and_emails_are_unique(identity):
    clinic, admin = identity.create_clinic("Harbour Clinic", "admin@harbour.example", "Ana", PASSWORD)
    admin_actor = Actor(admin["id"], clinic["id"], "clinic_admin")
    user = identity.create_user(admin_actor, "pat@harbour.example", "Pat", "practitioner", PASSWORD)
    with pytest.raises(Forbidden):
        identity.create_user(Actor(user["id"], clinic["id"], "practitioner"), "x@harbour.example", "X",
                             "practitioner", PASSWORD)
    with pytest.raises(Conflict):
        identity.create_user(admin_actor, "PAT@harbour.example", "Pat 2", "practitioner", PASSWORD)
    with pytest.raises(InvalidInput):
        identity.create_user(admin_actor, "q@harbour.example", "Q", "superuser", PASSWORD)
    with pytest.raises(InvalidInput, match="at least 10"):
        identity.create_user(admin_actor, "q@harbour.example", "Q", "practitioner", "short")


def test_users_are_listed_per_clinic(identity):
    clinic_a, admin_a = identity.create_clinic("A", "a@a.example", "A", PASSWORD)
    identity.create_clinic("B", "b@b.example", "B", PASSWORD)
    listed = identity.list_users(Actor(admin_a["id"], clinic_a["id"], "clinic_admin"))
    assert [u["email"] for u in listed] == ["a@a.example"]


def test_expired_sessions_are_purged_and_logout_everywhere_ends_them_all(identity):
    clinic, admin = identity.create_clinic("Harbour Clinic", "admin@harbour.example", "Ana", PASSWORD)
    first, _ = identity.login("admin@harbour.example", PASSWORD)
    identity.sessions.update(token_digest(first), {"expires_at": "2000-01-01T00:00:00+00:00"})
    second, _ = identity.login("admin@harbour.example", PASSWORD)   # a login tidies expired sessions
    assert identity.sessions.get(token_digest(first)) is None
    third, _ = identity.login("admin@harbour.example", PASSWORD)
    assert identity.logout_everywhere(identity.resolve(second)) == 2
    for token in (second, third):
        with pytest.raises(Unauthenticated):
            identity.resolve(token)


def test_login_limits_per_account_and_per_address(tmp_path):
    from gateway.login_limits import LoginLimits
    from interlude.errors import TooManyRequests
    moment = [datetime(2030, 1, 1, tzinfo=timezone.utc)]
    limits = LoginLimits(SqliteDocumentStore(tmp_path / "docs.db"), account_limit=3, address_limit=5,
                         window_seconds=600, clock=lambda: moment[0])
    for _ in range(3):
        limits.check("a@x.example", "10.0.0.1")
        limits.failed("a@x.example", "10.0.0.1", "wrong")
    with pytest.raises(TooManyRequests) as refused:
        limits.check("A@x.example ", "10.0.0.9")   # the account, from anywhere
    assert 590 <= refused.value.retry_after <= 601
    limits.check("b@x.example", "10.0.0.9")
    for n in range(2):
        limits.failed(f"c{n}@x.example", "10.0.0.1", "wrong")
    with pytest.raises(TooManyRequests):
        limits.check("d@x.example", "10.0.0.1")   # the address, for any account
    moment[0] += timedelta(seconds=601)
    limits.check("a@x.example", "10.0.0.1")   # a new window
    limits.failed("a@x.example", "10.0.0.1", "wrong")
    limits.check("a@x.example", "10.0.0.1")


def test_a_clinic_profile_fills_defaults_and_reads_what_the_document_holds(identity):
    clinic, _ = identity.create_clinic("Harbour Clinic", "a@harbour.example", "Ada", "correct horse battery")
    profile = identity.clinic_profile(clinic["id"])
    assert (profile.name, profile.colour, profile.logo_key, profile.crisis_lines) == ("Harbour Clinic", DEFAULT_COLOUR,
                                                                                     None, ())
    identity.clinics.update(clinic["id"], {"branding": {"colour": "#aa3300", "logo_key": "clinics/x/logo.png"},
                                           "settings": {"crisis_lines": ["Call 988"], "link_days": 14}})
    profile = identity.clinic_profile(clinic["id"])
    assert (profile.colour, profile.logo_key, profile.crisis_lines, profile.link_days) == (
        "#aa3300", "clinics/x/logo.png", ("Call 988",), 14)
    assert profile.to_dict()["crisis_lines"] == ["Call 988"]
    with pytest.raises(NotFound):
        identity.clinic_profile("cln_missing")
