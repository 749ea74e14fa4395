"""Jinja2 templates (autoescape always on) with UI wording from gettext catalogues (Babel).

Locales are the folders under translations/ (each with a compiled messages.mo); the request's
Accept-Language picks one, English otherwise. Clinic branding and more locales slot in here.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from babel.support import NullTranslations, Translations
from jinja2 import Environment, FileSystemLoader, select_autoescape
from werkzeug.wrappers import Response

from services.catalog.contract import summary_to_show, tool_kind, tool_label

HERE = Path(__file__).parent
TEMPLATES = HERE / "templates"
TRANSLATIONS = HERE / "translations"
DEFAULT_LOCALE = "en"


def available_locales() -> list[str]:
    return sorted(p.parent.parent.name for p in TRANSLATIONS.glob("*/LC_MESSAGES/messages.mo")) or [DEFAULT_LOCALE]


def pick_locale(request) -> str:
    offered = available_locales()
    accept = getattr(request, "accept_languages", None)
    if accept:
        best = accept.best_match(offered)
        if best:
            return best
    return DEFAULT_LOCALE if DEFAULT_LOCALE in offered else offered[0]


@lru_cache(maxsize=None)
def translations(locale: str, domain: str = "messages") -> NullTranslations:
    """``domain``: "messages" for the web app, "portal" for the client portal (its own catalogue,
    so that a locale the portal speaks does not half-translate the practitioners' app)."""
    return Translations.load(str(TRANSLATIONS), [locale], domain=domain)


@lru_cache(maxsize=None)
def environment(locale: str, domain: str = "messages") -> Environment:
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(default=True),
                      extensions=["jinja2.ext.i18n"], trim_blocks=True,
                      lstrip_blocks=True)
    env.install_gettext_translations(translations(locale, domain), newstyle=True)
    env.globals["locale"] = locale
    # One way, for every page and the portal, to tell apart tools sharing a title ("Stepping Down
    # the Fear Ladder · audio · for teens") and to leave out a summary the first section repeats.
    env.filters["tool_label"] = tool_label
    env.filters["tool_kind"] = tool_kind
    env.filters["summary_to_show"] = summary_to_show
    return env


def gettext_for(request):
    return translations(pick_locale(request)).gettext


def render(request, template: str, status: int = 200, headers: dict | None = None, **context) -> Response:
    """An HTML page. ``request.web`` (set by the handler) carries the CSRF token and the user."""
    env = environment(pick_locale(request))
    web = getattr(request, "web", None) or {}
    html = env.get_template(template).render(csrf_token=web.get("csrf_token", ""), user=web.get("user"),
                                             path=request.path, **context)
    return Response(html, status=status, headers=headers, mimetype="text/html")
