"""The printable and playable forms of a tool: its PDF and its guided audio, each made on the
first request and kept in the blob store (PDFs keyed by a hash of their content, audio by a hash
of what is heard)."""
from __future__ import annotations

from interlude.errors import InvalidInput, NotFound
from interlude.ports.blobs import BlobStore
from interlude.rendering import render_cached
from services.catalog.adapters.audio import audio_cached
from services.catalog.domain.branding import branded_html, logo_file_name
from services.catalog.domain.tool_html import tool_html

PAPERS = ("a4", "letter")
AUDIO_FORMATS = {"mp3": "audio/mpeg", "ogg": "audio/ogg", "transcript": "text/plain; charset=utf-8"}
URL_SECONDS = 900


def _link(blobs: BlobStore, key: str, filename: str, content_type: str) -> dict:
    return {"key": key, "url": blobs.presigned_url(key, URL_SECONDS), "filename": filename,
            "content_type": content_type}


def tool_pdf(blobs: BlobStore, tool: dict, paper: str, clinic_name: str, branding: dict | None = None) -> dict:
    """``branding`` (``{"name", "colour", "logo_key"}``, from the clinic's profile) draws the
    clinic's band and logo; without it only the footer names the clinic."""
    paper = (paper or "a4").lower()
    if paper not in PAPERS:
        raise InvalidInput("paper must be a4 or letter.")
    html, files = tool_html(tool), {}
    if branding:
        clinic_name = str(branding.get("name") or clinic_name)
        logo_file = logo_file_name(branding.get("logo_key"))
        if logo_file:
            try:
                files[logo_file] = blobs.get(branding["logo_key"])
            except NotFound:
                logo_file = None   # replaced meanwhile: this PDF goes without, the next has the new one
        html = branded_html(html, name=clinic_name, colour=branding.get("colour"), logo_file=logo_file)
    rendered = render_cached(blobs, html, paper=paper, footer_text=clinic_name, forms=True,
                             fit_last_page=True, files=files)
    return {**_link(blobs, rendered.key, f"{tool['slug'] if 'slug' in tool else tool['id']}-{paper}.pdf",
                    "application/pdf"), "size": rendered.size}


def audio_script_of(tool: dict) -> str:
    for section in tool.get("sections", []):
        if section["id"] == "script" and section.get("text"):
            return section["text"]
    raise NotFound("This tool has no guided audio: look for the tool's audio version (format audio).")


def tool_audio(blobs: BlobStore, tool: dict, audio_format: str) -> dict:
    if audio_format not in AUDIO_FORMATS:
        raise InvalidInput(f"format must be one of: {', '.join(AUDIO_FORMATS)}.")
    keys = audio_cached(blobs, audio_script_of(tool))
    extension = {"mp3": "mp3", "ogg": "ogg", "transcript": "txt"}[audio_format]
    return _link(blobs, keys[audio_format], f"{tool['slug']}.{extension}", AUDIO_FORMATS[audio_format])
