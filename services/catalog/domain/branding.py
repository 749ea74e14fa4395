"""A clinic's branding on a tool's PDF: a band in the clinic's colour with its logo and name above
the tool, on the first page. The gateway passes ``{"name", "colour", "logo_key"}`` (identity and the
clinic profile are its own); the logo travels to the renderer as a file of the job, so the render
fetches nothing, and the PDF's cache key (a hash of the HTML and the files) changes with the branding.
"""
from __future__ import annotations

import re
from html import escape

_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
_LOGO_EXTENSIONS = ("png", "jpg", "jpeg", "svg")
DEFAULT_COLOUR = "#1d5c8c"

BRAND_CSS = (".clinic-brand { display: flex; align-items: center; gap: 4mm; border-bottom: 1.2mm solid ACCENT;"
             " padding: 0 0 2mm; margin: 0 0 4mm; }"
             ".clinic-brand img { max-height: 14mm; max-width: 50mm; }"
             ".clinic-brand span { color: ACCENT; font-weight: bold; font-size: 11pt; }")


def logo_file_name(logo_key: str | None) -> str | None:
    """The name the logo takes among the render's files (``file-in-job:NAME``), by its extension."""
    if not logo_key:
        return None
    extension = str(logo_key).rsplit(".", 1)[-1].lower()
    return f"clinic-logo.{extension}" if extension in _LOGO_EXTENSIONS else None


def branded_html(html: str, *, name: str, colour: str | None, logo_file: str | None) -> str:
    """``html`` (a whole tool document) with the clinic's band at the top of its body."""
    accent = colour if colour and _COLOUR.match(colour) else DEFAULT_COLOUR
    logo = f'<img src="file-in-job:{escape(logo_file)}" alt="{escape(name)}">' if logo_file else ""
    label = f"<span>{escape(name)}</span>" if name else ""
    if not logo and not label:
        return html
    band = f'<style>{BRAND_CSS.replace("ACCENT", accent)}</style><div class="clinic-brand">{logo}{label}</div>'
    return html.replace("<body>", "<body>" + band, 1)
