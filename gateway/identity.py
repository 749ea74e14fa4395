"""Clinics, their users and login sessions. Plain Python over the documents port.

Passwords are hashed with argon2. A login returns a random token; only its SHA-256 is stored, so
a leaked database holds no usable session. The same token works as the web app's session cookie
and as an API bearer token.
"""
from __future__ import annotations

import secrets
import uuid
from datetime import datetime, timedelta

from argon2.exceptions import InvalidHashError, VerificationError

from gateway.clinic_profile import ClinicProfile, profile_of
from gateway.passwords import hash_password, verify_password
from interlude import clock
from interlude.actor import ROLES, Actor
from interlude.emails import normalise_email
from interlude.errors import Conflict, InvalidInput, NotFound, Unauthenticated
from interlude.hashing import token_digest
from interlude.ports.documents import DocumentStore

SESSION_HOURS = 12


class AccountDeactivated(Unauthenticated):
    """The right password of a user a clinic admin deactivated (gateway/team.py)."""

MIN_PASSWORD = 10


def _clean_email(email) -> str:
    cleaned = normalise_email(email)
    if cleaned is None:
        raise InvalidInput("Give a valid email address.")
    return cleaned


def _clean_name(name, what: str) -> str:
    name = " ".join(str(name or "").split())
    if not 1 <= len(name) <= 120:
        raise InvalidInput(f"Give a {what} of 1 to 120 characters.")
    return name


def _check_password(password) -> str:
    if not isinstance(password, str) or len(password) < MIN_PASSWORD:
        raise InvalidInput(f"Choose a password of at least {MIN_PASSWORD} characters.")
    return password


def public_user(user: dict) -> dict:
    public = {k: user[k] for k in ("id", "clinic_id", "email", "name", "role", "created_at")}
    # an invited user has no password until they follow their link; a deactivated one cannot log in
    public["active"] = user.get("active", True) is not False
    public["invited"] = not user.get("password_hash")
    return public


def ensure_indexes(store: DocumentStore) -> None:
    """Identity's indexes, made once when the gateway starts (or a command first uses them)."""
    users = store.collection("users")
    # An email is unique within a clinic, not across clinics: a clinic admin adding a user must
    # not learn whether the address has an account elsewhere (issue #11, finding 6).
    users.ensure_index(["clinic_id", "email"], unique=True)
    users.ensure_index(["email"])
    users.ensure_index(["clinic_id"])
    store.collection("sessions").ensure_index(["user_id"])
    store.collection("sessions").ensure_index(["expires_at"])
    store.collection("user_tokens").ensure_index(["user_id"])


class Identity:
    def __init__(self, store: DocumentStore):
        self.clinics = store.collection("clinics")
        self.users = store.collection("users")
        self.sessions = store.collection("sessions")
        # one-time links to set a password (invitations, resets): gateway/team.py; only hashes stored
        self.tokens = store.collection("user_tokens")

    # clinics and users -------------------------------------------------------------------
    def create_clinic(self, name: str, admin_email: str, admin_name: str, password: str) -> tuple[dict, dict]:
        name = _clean_name(name, "clinic name")
        email = _clean_email(admin_email)
        _check_password(password)
        if self.users.find({"email": email}, limit=1):
            raise Conflict("A user with this email already exists.")
        clinic = {"id": f"cln_{uuid.uuid4().hex[:16]}", "name": name, "created_at": clock.iso()}
        self.clinics.insert(clinic)
        user = self._insert_user(clinic["id"], email, admin_name, "clinic_admin", password)
        return clinic, public_user(user)

    def _insert_user(self, clinic_id, email, name, role, password) -> dict:
        if role not in ROLES:
            raise InvalidInput(f"Role must be one of: {', '.join(ROLES)}.")
        user = {
            "id": f"usr_{uuid.uuid4().hex[:16]}", "clinic_id": clinic_id, "email": _clean_email(email),
            "name": _clean_name(name, "name"), "role": role,
            "password_hash": hash_password(_check_password(password)), "created_at": clock.iso(),
        }
        self.users.insert(user)
        return user

    def create_user(self, actor: Actor, email, name, role, password) -> dict:
        actor.require_role("clinic_admin")
        if self.users.find({"clinic_id": actor.clinic_id, "email": _clean_email(email)}, limit=1):
            raise Conflict("A user of your clinic already has this email.")
        return public_user(self._insert_user(actor.clinic_id, email, name, role, password))

    def list_users(self, actor: Actor) -> list[dict]:
        return [public_user(u) for u in self.users.find({"clinic_id": actor.clinic_id}, sort=[("email", 1)])]

    def has_user(self, email) -> bool:
        return bool(self.users.find({"email": _clean_email(email)}, limit=1))

    def member_of_clinic(self, actor: Actor, user_id) -> dict:
        """A user of the acting user's clinic, or InvalidInput (another clinic's is not found)."""
        user = self.users.get(str(user_id or ""))
        if user is None or user.get("clinic_id") != actor.clinic_id:
            raise InvalidInput("practitioner_id must be a user of this clinic.")
        return public_user(user)

    def cover_names(self, actor: Actor, practitioner_id: str) -> dict:
        """What a workbook's cover prints of us: the clinic's and its practitioner's names, and the
        clinic's branding (logo blob key and colour; None when the clinic chose none)."""
        user = self.users.get(str(practitioner_id or ""))
        name = user["name"] if user and user.get("clinic_id") == actor.clinic_id else ""
        branding = self.clinic_profile(actor.clinic_id).pdf_branding() or {}
        return {"clinic_name": self.clinic(actor)["name"], "practitioner_name": name,
                "logo_key": branding.get("logo_key"), "colour": branding.get("colour")}

    def clinic(self, actor: Actor) -> dict:
        clinic = self.clinics.get(actor.clinic_id)
        if clinic is None:
            raise NotFound("Your clinic no longer exists.")
        return clinic

    def save_clinic(self, actor: Actor, *, name: str | None = None, branding: dict | None = None,
                    settings: dict | None = None, onboarding: dict | None = None) -> ClinicProfile:
        """Merge changes into the clinic's document (clinic admins only): its name, and the keys
        given of ``branding``, ``settings`` and ``onboarding`` (the first-visit checklist)."""
        actor.require_role("clinic_admin")
        clinic = self.clinic(actor)
        changes: dict = {}
        if name is not None:
            changes["name"] = _clean_name(name, "clinic name")
        for part, given in (("branding", branding), ("settings", settings), ("onboarding", onboarding)):
            if given is not None:
                changes[part] = {**(clinic.get(part) or {}), **given}
        if changes:
            clinic = self.clinics.update(actor.clinic_id, changes) or clinic
        return profile_of(clinic)

    def clinic_profile(self, clinic_id: str) -> ClinicProfile:
        """A clinic's name, branding and settings (gateway/clinic_profile.py), defaults filled in."""
        clinic = self.clinics.get(str(clinic_id or ""))
        if clinic is None:
            raise NotFound("This clinic no longer exists.")
        return profile_of(clinic)

    # sessions ----------------------------------------------------------------------------
    def login(self, email, password) -> tuple[str, dict]:
        try:
            email = _clean_email(email)
        except InvalidInput:
            raise Unauthenticated("Wrong email or password.") from None
        user = None
        # One address may have an account in several clinics: the password says which.
        for candidate in self.users.find({"email": email}, sort=[("created_at", 1)], limit=5):
            if not candidate.get("password_hash"):
                continue   # invited, no password set yet
            try:
                verify_password(candidate["password_hash"], str(password))
            except (VerificationError, InvalidHashError):
                continue
            user = candidate
            break
        else:
            # Spend the time of a real check when the email is unknown, so timing does not reveal it.
            if not self.users.find({"email": email}, limit=1):
                hash_password(str(password))
        if user is None:
            raise Unauthenticated("Wrong email or password.")
        if user.get("active", True) is False:
            raise AccountDeactivated("This account is deactivated: ask your clinic's admin to reactivate it.")
        self.purge_expired()
        token = secrets.token_urlsafe(32)
        self.sessions.insert({
            "id": token_digest(token), "user_id": user["id"], "clinic_id": user["clinic_id"],
            "role": user["role"], "created_at": clock.iso(),
            "expires_at": clock.iso(clock.utcnow() + timedelta(hours=SESSION_HOURS)),
        })
        return token, public_user(user)

    def resolve(self, token: str | None, *, now: datetime | None = None) -> Actor:
        if not token:
            raise Unauthenticated("Log in first: send a bearer token or the session cookie.")
        session = self.sessions.get(token_digest(token))
        if session is None or session["expires_at"] <= clock.iso(now):
            raise Unauthenticated("Your session has expired or was ended: log in again.")
        return Actor(user_id=session["user_id"], clinic_id=session["clinic_id"], role=session["role"])

    def logout(self, token: str) -> None:
        self.sessions.delete(token_digest(token))

    def logout_everywhere(self, actor: Actor) -> int:
        """End every session of the acting user (this one included); returns how many."""
        return self.sessions.delete_many({"user_id": actor.user_id})

    def purge_expired(self) -> int:
        """Remove expired sessions (they no longer work; a login is a fine moment to tidy)."""
        return self.sessions.delete_many({"expires_at": {"$lte": clock.iso()}})

    def user(self, actor: Actor) -> dict:
        return public_user(self.users.get_or_raise(actor.user_id, "user"))
