"""A clinic's team, managed by its clinic admins: invite a user, change a role, deactivate and
reactivate, and one-time links to set a password (an invitation or a reset).

A link's token is random and shown once (there is no mail server: the admin passes it on); only
its SHA-256 is stored, in identity's ``user_tokens``. A link works once and until it expires; a new
link for the same user ends the earlier ones. Deactivating a user ends their sessions at once and
their login is refused until an admin reactivates them. A clinic always keeps one active admin who
can log in: the last one cannot be demoted or deactivated (not even by themself).
"""
from __future__ import annotations

import secrets
import uuid
from datetime import timedelta

from gateway.identity import Identity, _check_password, _clean_email, _clean_name, public_user
from gateway.passwords import hash_password
from interlude import clock
from interlude.actor import ROLES, Actor
from interlude.errors import Conflict, Gone, InvalidInput, NotFound
from interlude.hashing import token_digest

INVITE_DAYS = 7
RESET_HOURS = 24
PURPOSES = {"invite": timedelta(days=INVITE_DAYS), "reset": timedelta(hours=RESET_HOURS)}


class Team:
    def __init__(self, identity: Identity):
        self.identity = identity
        self.users, self.sessions, self.tokens = identity.users, identity.sessions, identity.tokens

    # the admin's side ------------------------------------------------------------------------
    def invite(self, actor: Actor, email, name, role) -> tuple[dict, dict]:
        """A new user without a password, and the one-time link (``{"token", "expires_at"}``) with
        which they choose one."""
        actor.require_role("clinic_admin")
        email = _clean_email(email)
        if role not in ROLES:
            raise InvalidInput(f"role must be one of: {', '.join(ROLES)}.")
        if self.users.find({"clinic_id": actor.clinic_id, "email": email}, limit=1):
            raise Conflict("A user of your clinic already has this email.")
        user = {"id": f"usr_{uuid.uuid4().hex[:16]}", "clinic_id": actor.clinic_id, "email": email,
                "name": _clean_name(name, "name"), "role": role, "password_hash": None, "active": True,
                "created_at": clock.iso(), "invited_by": actor.user_id}
        self.users.insert(user)
        return public_user(user), self._new_link(user, "invite")

    def password_link(self, actor: Actor, user_id: str) -> dict:
        """A one-time link for the user to choose a (new) password: an invitation again for one who
        never set theirs, else a reset. Their current password works until the link is used."""
        user = self._member(actor, user_id)
        if user.get("active", True) is False:
            raise Conflict("This user is deactivated: reactivate them first.")
        return self._new_link(user, "reset" if user.get("password_hash") else "invite")

    def change(self, actor: Actor, user_id: str, changes: dict) -> dict:
        """``{"role"?, "active"?, "name"?}``: what a clinic admin may change of a user."""
        user = self._member(actor, user_id)
        unknown = set(changes) - {"role", "active", "name"}
        if unknown:
            raise InvalidInput(f"Only role, active and name can be changed, not {', '.join(sorted(unknown))}.")
        update: dict = {}
        if "name" in changes:
            update["name"] = _clean_name(changes["name"], "name")
        if "role" in changes:
            if changes["role"] not in ROLES:
                raise InvalidInput(f"role must be one of: {', '.join(ROLES)}.")
            update["role"] = changes["role"]
        if "active" in changes:
            if not isinstance(changes["active"], bool):
                raise InvalidInput("active must be true or false.")
            update["active"] = changes["active"]
        losing_admin = user["role"] == "clinic_admin" and (update.get("role", "clinic_admin") != "clinic_admin"
                                                           or update.get("active", True) is False)
        if losing_admin and self._can_log_in(user) and self._admins_who_can_log_in(actor.clinic_id) <= 1:
            raise Conflict("This is your clinic's last admin: make another user an admin first.")
        if not update:
            return public_user(user)
        user = self.users.update(user["id"], update) or {**user, **update}
        if update.get("active") is False:
            self.sessions.delete_many({"user_id": user["id"]})   # out at once, on every device
            self.tokens.delete_many({"user_id": user["id"]})
        elif "role" in update:
            for session in self.sessions.find({"user_id": user["id"]}):   # the new role from the next request
                self.sessions.update(session["id"], {"role": update["role"]})
        return public_user(user)

    # the user's side: the link ---------------------------------------------------------------
    def link_holder(self, token: str) -> dict:
        """Whom a live link is for (``{"user", "purpose"}``), or Gone."""
        link, user = self._live(token)
        return {"user": public_user(user), "purpose": link["purpose"]}

    def set_password(self, token: str, password) -> dict:
        """Use the link once: the user's password becomes ``password``; every session they had ends."""
        _check_password(password)
        link, user = self._live(token)
        if self.tokens.update(link["id"], {"used_at": clock.iso()}, expect={"used_at": None}) is None:
            raise Gone("This link was already used: ask your clinic's admin for a new one.")
        user = self.users.update(user["id"], {"password_hash": hash_password(password)}) or user
        self.sessions.delete_many({"user_id": user["id"]})
        return public_user(user)

    # helpers --------------------------------------------------------------------------------
    def _member(self, actor: Actor, user_id) -> dict:
        actor.require_role("clinic_admin")
        user = self.users.get(str(user_id or ""))
        if user is None or user.get("clinic_id") != actor.clinic_id:
            raise NotFound("No user with this id in your clinic.")
        return user

    def _new_link(self, user: dict, purpose: str) -> dict:
        self.tokens.delete_many({"user_id": user["id"]})   # one live link per user: the newest
        token = secrets.token_urlsafe(32)
        expires_at = clock.iso(clock.utcnow() + PURPOSES[purpose])
        self.tokens.insert({"id": token_digest(token), "user_id": user["id"], "clinic_id": user["clinic_id"],
                            "purpose": purpose, "created_at": clock.iso(), "expires_at": expires_at,
                            "used_at": None})
        return {"token": token, "purpose": purpose, "expires_at": expires_at}

    def _live(self, token) -> tuple[dict, dict]:
        link = self.tokens.get(token_digest(str(token or ""))) if token else None
        if link is None or link["used_at"] is not None or link["expires_at"] <= clock.iso():
            raise Gone("This link has expired or was already used: ask your clinic's admin for a new one.")
        user = self.users.get(link["user_id"])
        if user is None or user.get("active", True) is False:
            raise Gone("This account is no longer active: ask your clinic's admin.")
        return link, user

    @staticmethod
    def _can_log_in(user: dict) -> bool:
        return bool(user.get("password_hash")) and user.get("active", True) is not False

    def _admins_who_can_log_in(self, clinic_id: str) -> int:
        return sum(self._can_log_in(u) for u in self.users.find({"clinic_id": clinic_id, "role": "clinic_admin"}))
