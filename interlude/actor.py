"""Who is acting: carried explicitly as the first argument of every RPC that touches clinic data."""
from __future__ import annotations

from dataclasses import asdict, dataclass

from interlude.errors import Forbidden, Unauthenticated

ROLES = ("clinic_admin", "practitioner")


@dataclass(frozen=True)
class Actor:
    user_id: str
    clinic_id: str
    role: str

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data) -> "Actor":
        if not isinstance(data, dict):
            raise Unauthenticated("This call needs the acting user and clinic.")
        try:
            actor = cls(user_id=str(data["user_id"]), clinic_id=str(data["clinic_id"]),
                        role=str(data["role"]))
        except KeyError:
            raise Unauthenticated("This call needs the acting user and clinic.") from None
        if not actor.user_id or not actor.clinic_id or actor.role not in ROLES:
            raise Unauthenticated("The acting user, clinic or role is not valid.")
        return actor

    def require_role(self, *roles: str) -> "Actor":
        if self.role not in roles:
            raise Forbidden(f"This needs the role {' or '.join(roles)}.")
        return self
