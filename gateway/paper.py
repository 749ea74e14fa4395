"""The gateway's half of the paper round trip (the rules are progress' application/paper.py): an
assignment's fillable PDF stamped on the way out, a filled one taken in and handed to progress.

The catalog service draws (and caches) the tool's PDF; progress signs the stamp naming the
assignment; here the cached PDF gets that stamp in its document information (pypdf, in a real
thread: eventlet's hub keeps serving meanwhile). The upload's size is checked before anything
else, and the file goes to progress base64-encoded, as media uploads go to the catalog.
"""
from __future__ import annotations

import base64
import re

from eventlet import tpool
from werkzeug.wrappers import Response

from gateway import uploads
from interlude import paper_forms
from interlude.errors import InvalidInput

MAX_PDF_BYTES = paper_forms.MAX_PDF_BYTES
MAX_FORM_BYTES = MAX_PDF_BYTES + 64 * 1024      # a multipart form: the file and a few small fields
PAPERS = ("a4", "letter")


def paper_size(request) -> str:
    paper = (request.args.get("paper") or "a4").lower()
    if paper not in PAPERS:
        raise InvalidInput("paper must be a4 or letter.")
    return paper


def stamped_pdf_response(blobs, link: dict, view: dict) -> Response:
    """The tool's cached PDF (``link`` from the catalog) with ``view``'s stamp, as a download."""
    pdf = tpool.execute(paper_forms.stamp_pdf, blobs.get(link["key"]), view["stamp"], view["title"])
    words = re.sub(r"[^a-z0-9]+", "-", view["title"].lower()).strip("-")[:60] or "form"
    return Response(pdf, mimetype="application/pdf",
                    headers=uploads.download_headers(f"{words}-{view['assignment_id']}.pdf",
                                                     **{"Cache-Control": "private, no-store"}))


def upload_from_body(request) -> dict:
    """An API upload: the body is the PDF's bytes (``?filename=``, ``?taken_on=`` optional)."""
    data = uploads.request_body(request, MAX_PDF_BYTES)
    paper_forms.check_pdf_bytes(data)
    return {"pdf_base64": base64.b64encode(data).decode("ascii"), "filename": uploads.upload_filename(request),
            "taken_on": request.args.get("taken_on") or None}


def upload_from_form(request, field: str = "pdf") -> dict:
    """A page's upload: a multipart form with the file in ``field``."""
    upload = request.files.get(field)
    if upload is None or not upload.filename:
        raise InvalidInput("Choose the filled PDF to upload first.")
    data = upload.read(MAX_PDF_BYTES + 1)
    paper_forms.check_pdf_bytes(data)
    return {"pdf_base64": base64.b64encode(data).decode("ascii"), "filename": upload.filename[:120],
            "taken_on": request.form.get("taken_on") or None}


def kept_pdf_response(blobs, found: dict) -> Response:
    return Response(blobs.get(found["key"]), mimetype="application/pdf",
                    headers=uploads.download_headers(found["filename"], **{"Cache-Control": "private, no-store"}))
