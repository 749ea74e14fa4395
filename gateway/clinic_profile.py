"""A clinic's profile: its name, its branding and the settings its practitioners and clients meet.

It lives on the clinic's document in identity's ``clinics`` collection (the gateway owns it) and is
read with defaults, so a clinic made before a setting existed behaves as the default says. Other
parts take a ``ClinicProfile`` (or its ``to_dict()``) rather than reading the document: the
portal's branding and crisis numbers, the PDFs' and the workbook cover's logo and colour, the
settings that services are told about.
"""
from __future__ import annotations

import hashlib
import json
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

    def pdf_branding(self) -> dict | None:
        """What a PDF draws of the clinic (tool PDFs, the workbook cover): ``{"name", "colour",
        "logo_key"}``, or None for a clinic that chose no logo or colour (its name stays in the footer)."""
        if not self.logo_key and self.colour == DEFAULT_COLOUR:
            return None
        return {"name": self.name, "colour": self.colour, "logo_key": self.logo_key}

    def assignment_timing(self) -> dict:
        """What progress is told with each assignment the gateway makes: the link's lifetime in days
        and the reminder's lead time in hours (progress keeps them on the assignment)."""
        return {"link_days": self.link_days, "reminder_hours": self.reminder_hours}

    def branding_version(self) -> str:
        """A short hash of what PDFs draw, for URLs that must change when the branding does."""
        drawn = json.dumps([self.name, self.pdf_branding()], sort_keys=True)
        return hashlib.sha256(drawn.encode()).hexdigest()[:12]

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
