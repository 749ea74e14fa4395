"""The client portal's pages, laid out from progress' finished views with the web app's Jinja2
templates (templates/portal/: a base and one template per page; autoescape on) and the portal's
own gettext catalogue (translations/<locale>/LC_MESSAGES/portal.po), in the language the
practitioner chose for the client.

Each page carries the clinic's branding (name, colour through a stylesheet, logo through a signed
file link) and the clinic's crisis numbers beside risk items and in the crisis message. A page
that adds to the portal (e.g. an upload form) extends portal/base.html and renders through
``render`` with a ``PortalPage``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from werkzeug.wrappers import Response

from gateway.clinic_profile import DEFAULT_COLOUR, ClinicProfile
from gateway.idempotency import new_key
from gateway.web.rendering import TRANSLATIONS, environment

DOMAIN = "portal"
DEFAULT_LOCALE = "en"
LOGO_SECONDS = 3600
_COLOUR = re.compile(r"^#?([0-9a-fA-F]{6})$")


def N_(message: str) -> str:
    """Marks wording that reaches the page at run time (from progress) for extraction."""
    return message


# The measures' own flag messages (services/catalog/content/measures/*.yaml), translated by the
# portal's catalogue: our writing, not the published measure's.
# Wording progress sends for the client to read (services/progress/domain/portal_rules.py).
PROGRESS_WORDING = (
    N_("Choose one answer for each question."),
    N_("Nothing was written yet: fill in at least one answer, then send it. "
       "Nothing has been sent to your practitioner."),
)
FLAG_MESSAGES = (
    N_("You said you have had thoughts that you would be better off dead, or of hurting yourself. Thank you for "
       "telling us. You do not have to carry this alone. Please talk to your practitioner about it as soon as you "
       "can. If you feel you might act on these thoughts, or you are not safe right now, call your local emergency "
       "number or crisis line now."),
)

# What kind of homework a page is, beside its title: the worksheet and the recording of one
# exercise share their title, and a client may have both.
KINDS = {
    "worksheet": N_("A worksheet to fill in"),
    "handout": N_("A handout to read"),
    "tracker": N_("A log to keep over the days"),
    "audio": N_("A recording to listen to"),
    "game": N_("A game to play"),
    "measure": N_("A questionnaire to answer"),
}


def kind_of(tool: dict) -> str:
    """The (untranslated) words for the tool's kind, or "" for a format not named above."""
    return KINDS.get("measure" if tool.get("measure") is True else str(tool.get("format") or ""), "")


def locales() -> list[str]:
    return sorted({DEFAULT_LOCALE, *(p.parent.parent.name for p in TRANSLATIONS.glob(f"*/LC_MESSAGES/{DOMAIN}.mo"))})


def locale_for(language: str | None, request=None) -> str:
    """The client's language as the practitioner set it; before it is known (an unusable link),
    the browser's preference among the portal's languages."""
    offered = locales()
    if language in offered:
        return language
    accept = getattr(request, "accept_languages", None)
    best = accept.best_match(offered) if accept else None
    return best or DEFAULT_LOCALE


def brand_colour(colour: str | None) -> str:
    """Six hex digits, lower case, without '#'; the default accent for anything else."""
    match = _COLOUR.match(str(colour or ""))
    return (match.group(1) if match else DEFAULT_COLOUR.lstrip("#")).lower()


def brand_css(colour: str) -> str:
    """The clinic's colour as CSS custom properties, with a text colour readable on it (WCAG
    relative luminance: white on dark colours, near-black on light ones)."""
    hex_digits = brand_colour(colour)
    channels = [int(hex_digits[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    ink = "#ffffff" if (1.05 / (luminance + 0.05)) >= 4.5 else "#111111"
    return f":root{{--brand:#{hex_digits};--brand-ink:{ink}}}\n"


@dataclass
class PortalPage:
    """What every portal page needs: the language, the response's CSP nonce, the link's CSRF
    token, and the clinic's profile (None before the link is known)."""
    locale: str
    nonce: str
    csrf_token: str = ""
    base: str = ""                       # /portal/<token>
    clinic: ClinicProfile | None = None
    logo_url: str | None = None
    extra: dict = field(default_factory=dict)

    def context(self) -> dict:
        clinic = self.clinic
        return {"nonce": self.nonce, "csrf_token": self.csrf_token, "base": self.base,
                "clinic_name": clinic.name if clinic else "", "logo_url": self.logo_url,
                "brand_css": f"/portal-brand/{brand_colour(clinic.colour if clinic else None)}.css",
                "crisis_lines": list(clinic.crisis_lines) if clinic else [], **self.extra}


def render(page: PortalPage, template: str, status: int = 200, **context) -> Response:
    env = environment(page.locale, DOMAIN)
    html = env.get_template(template).render(**page.context(), **context)
    return Response(html, status=status, mimetype="text/html")


def assignment_page(page: PortalPage, view: dict) -> Response:
    """The tool to do, in the PDF's order: sections to read, the form at "Your turn" (the end
    for a measure), "Looking back" after it, audio to play, a rating, the progress link."""
    tool = view["tool"]
    # Made with the page: sending the same form twice (a retry after an error, a double click, a
    # redelivered message) records it once.
    return render(page, "portal/assignment.html", view=view, tool=tool, draft=view.get("draft") or {},
                  is_measure=tool.get("measure") is True, kind=kind_of(tool), submission_id=new_key(),
                  rating_id=new_key())


def submitted_page(page: PortalPage, result: dict) -> Response:
    return render(page, "portal/submitted.html", result=result)


def progress_page(page: PortalPage, view: dict) -> Response:
    return render(page, "portal/progress.html", view=view)


def error_page(page: PortalPage, status: int, message: str, *, refused_form: bool = False) -> Response:
    return render(page, "portal/error.html", status=status, status_code=status, message=message,
                  refused_form=refused_form)
