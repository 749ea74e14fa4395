"""A clinic's team (gateway/team.py): invitations and resets as one-time, expiring links stored
hashed; deactivation ends sessions and refuses logins; the last admin stays an admin."""
from datetime import timedelta

import pytest

from gateway.identity import Identity, ensure_indexes
from gateway.team import Team
from interlude import clock
from interlude.actor import Actor
from interlude.adapters.sqlite_documents import SqliteDocumentStore
from interlude.errors import Conflict, Forbidden, Gone, InvalidInput, NotFound, Unauthenticated
from interlude.hashing import token_digest

PASSWORD = "long enough password"


@pytest.fixture
def clinic(tmp_path):
    store = SqliteDocumentStore(tmp_path / "docs.db")
    ensure_indexes(store)
    identity = Identity(store)
    clinic, admin = identity.create_clinic("Harbour Clinic", "ana@harbour.example", "Ana", PASSWORD)
    return identity, Team(identity), Actor(admin["id"], clinic["id"], "clinic_admin")


def test_an_invited_user_sets_a_password_once_and_logs_in(clinic):
    identity, team, admin = clinic
    user, link = team.invite(admin, "Bo@Harbour.example", "Bo", "practitioner")
    assert user["invited"] and user["active"] and link["purpose"] == "invite"
    stored = identity.tokens.get(token_digest(link["token"]))
    assert stored is not None and identity.tokens.get(link["token"]) is None   # only its hash is kept
    with pytest.raises(Unauthenticated):            # no password yet: nothing logs in
        identity.login("bo@harbour.example", "")
    assert team.link_holder(link["token"])["user"]["email"] == "bo@harbour.example"
    with pytest.raises(InvalidInput):                # too short: the link is not spent
        team.set_password(link["token"], "short")
    assert not team.set_password(link["token"], "a new long password")["invited"]
    identity.login("bo@harbour.example", "a new long password")
    with pytest.raises(Gone, match="already used"):
        team.set_password(link["token"], "another long password")


def test_links_expire_and_a_new_link_ends_the_earlier_one(clinic, monkeypatch):
    identity, team, admin = clinic
    user, first = team.invite(admin, "bo@harbour.example", "Bo", "practitioner")
    second = team.password_link(admin, user["id"])
    with pytest.raises(Gone):
        team.link_holder(first["token"])
    later = clock.utcnow() + timedelta(days=8)
    monkeypatch.setattr(clock, "utcnow", lambda now=None: now or later)
    with pytest.raises(Gone, match="expired"):
        team.set_password(second["token"], "a new long password")


def test_a_reset_link_replaces_the_password_and_ends_sessions(clinic):
    identity, team, admin = clinic
    token, _ = identity.login("ana@harbour.example", PASSWORD)
    link = team.password_link(admin, admin.user_id)
    assert link["purpose"] == "reset"
    identity.resolve(token)   # the old password and session work until the link is used
    team.set_password(link["token"], "a fresh long password")
    with pytest.raises(Unauthenticated):
        identity.resolve(token)
    with pytest.raises(Unauthenticated):
        identity.login("ana@harbour.example", PASSWORD)
    identity.login("ana@harbour.example", "a fresh long password")


def test_deactivation_ends_sessions_refuses_login_and_can_be_undone(clinic):
    identity, team, admin = clinic
    user, link = team.invite(admin, "bo@harbour.example", "Bo", "practitioner")
    team.set_password(link["token"], "bo's long password")
    token, _ = identity.login("bo@harbour.example", "bo's long password")
    assert team.change(admin, user["id"], {"active": False})["active"] is False
    with pytest.raises(Unauthenticated):
        identity.resolve(token)
    with pytest.raises(Unauthenticated, match="deactivated"):
        identity.login("bo@harbour.example", "bo's long password")
    with pytest.raises(Conflict):
        team.password_link(admin, user["id"])
    team.change(admin, user["id"], {"active": True})
    identity.login("bo@harbour.example", "bo's long password")


def test_the_last_admin_cannot_be_demoted_or_deactivated(clinic):
    identity, team, admin = clinic
    for change in ({"role": "practitioner"}, {"active": False}):
        with pytest.raises(Conflict, match="last admin"):
            team.change(admin, admin.user_id, change)
    invited, _ = team.invite(admin, "cy@harbour.example", "Cy", "clinic_admin")
    with pytest.raises(Conflict):   # an invited admin cannot log in yet: still the last one
        team.change(admin, admin.user_id, {"role": "practitioner"})
    other, link = team.invite(admin, "di@harbour.example", "Di", "practitioner")
    team.set_password(link["token"], "di's long password")
    team.change(admin, other["id"], {"role": "clinic_admin"})
    token, _ = identity.login("ana@harbour.example", PASSWORD)
    assert team.change(admin, admin.user_id, {"role": "practitioner"})["role"] == "practitioner"
    assert identity.resolve(token).role == "practitioner"   # the session follows the new role


def test_only_admins_of_the_same_clinic_manage_its_team(clinic):
    identity, team, admin = clinic
    other_clinic, other_admin = identity.create_clinic("Other", "zed@other.example", "Zed", PASSWORD)
    outsider = Actor(other_admin["id"], other_clinic["id"], "clinic_admin")
    with pytest.raises(NotFound):
        team.change(outsider, admin.user_id, {"active": False})
    practitioner = Actor("usr_x", admin.clinic_id, "practitioner")
    with pytest.raises(Forbidden):
        team.invite(practitioner, "eve@harbour.example", "Eve", "clinic_admin")
    with pytest.raises(InvalidInput):
        team.change(admin, admin.user_id, {"email": "x@y.example"})
    with pytest.raises(Conflict):
        team.invite(admin, "ana@harbour.example", "Ana again", "practitioner")


def test_clinic_settings_merge_into_the_documents_branding_and_settings(clinic):
    identity, team, admin = clinic
    identity.save_clinic(admin, branding={"colour": "#aa3300"})
    profile = identity.save_clinic(admin, settings={"link_days": 14}, branding={"logo_key": "branding/x/logo-1.png"})
    assert (profile.colour, profile.logo_key, profile.link_days) == ("#aa3300", "branding/x/logo-1.png", 14)
    assert profile.pdf_branding() == {"name": "Harbour Clinic", "colour": "#aa3300", "logo_key": "branding/x/logo-1.png"}
    assert identity.clinics.get(admin.clinic_id)["settings"] == {"link_days": 14}
    with pytest.raises(Forbidden):
        identity.save_clinic(Actor("usr_x", admin.clinic_id, "practitioner"), name="Mine now")
