"""A clinic's profile: its name, its branding and the settings its practitioners and clients meet.

It lives on the clinic's document in identity's ``clinics`` collection (the gateway owns it) and is
read with defaults, so a clinic made before a setting existed behaves as the default says. Other
parts take a ``ClinicProfile`` (or its ``to_dict()``) rather than reading the document: the
portal's branding and crisis numbers, the PDFs' and the workbook cover's logo and colour, the
settings that services are told about.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

DEFAULT_COLOUR = "#1d5c8c"          # the web app's own accent: a clinic without branding looks like us
DEFAULT_LINK_DAYS = 30              # how long a client's link works (progress' LINK_DAYS)
DEFAULT_REMINDER_HOURS = 24         # how long before homework is due a client is reminded


@dataclass(frozen=True)
class ClinicProfile:
    clinic_id: str
    name: str
    colour: str = DEFAULT_COLOUR
    logo_key: str | None = None                 # a blob key of the clinic's logo (PNG/JPEG/SVG), if any
    crisis_lines: tuple[str, ...] = ()          # e.g. "988 Suicide & Crisis Lifeline: call or text 988"
    link_days: int = DEFAULT_LINK_DAYS
    reminder_hours: int = DEFAULT_REMINDER_HOURS

    def to_dict(self) -> dict:
        data = asdict(self)
        data["crisis_lines"] = list(self.crisis_lines)
        return data


def profile_of(clinic: dict) -> ClinicProfile:
    """The profile a clinic document holds; absent keys take their defaults."""
    branding = clinic.get("branding") or {}
    settings = clinic.get("settings") or {}
    return ClinicProfile(
        clinic_id=clinic["id"], name=clinic["name"],
        colour=branding.get("colour") or DEFAULT_COLOUR,
        logo_key=branding.get("logo_key") or None,
        crisis_lines=tuple(settings.get("crisis_lines") or ()),
        link_days=int(settings.get("link_days") or DEFAULT_LINK_DAYS),
        reminder_hours=int(settings.get("reminder_hours") or DEFAULT_REMINDER_HOURS),
    )
