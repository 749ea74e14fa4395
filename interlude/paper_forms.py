"""Fillable PDFs that come back: the per-assignment stamp, and reading a filled form's fields.

A PDF downloaded for one assignment carries a stamp in its document information (``/InterludeStamp``,
and in ``/Keywords`` too, which more PDF readers keep when they save a filled form):
``v1.<assignment id>.<client id>.<tool id>.<signature>``, the signature an HMAC of the clinic and those
three ids under the platform's secret key. So an uploaded PDF says which assignment it answers, and
a changed or invented stamp is refused.

Reading never trusts the file: a size and a page limit, a field limit, and any parse error is an
InvalidInput (4xx) naming what to do. Only the AcroForm's field values are read, never the pages'
content: what a client wrote by hand on a printout is not read.

An upload is read by ``read_form_isolated``: in a child process (interlude/paper_child.py) capped
in memory, CPU and wall time, so a hostile file can neither exhaust a service nor block its hub.
``stamp_pdf`` runs on our own renders only; the gateway calls it in a thread pool (eventlet.tpool).
"""
from __future__ import annotations

import hashlib
import hmac
import io
import json
import re
from dataclasses import dataclass

from interlude import errors
from interlude.errors import InvalidInput, PayloadTooLarge, UnsupportedMediaType

MAX_PDF_BYTES = 10 * 1024 * 1024
MAX_PAGES = 40
MAX_FIELDS = 2_000
CHILD_MODULE = "interlude.paper_child"
CHILD_MEMORY_BYTES = 768 * 1024 * 1024
CHILD_SECONDS = 30.0
UNREADABLE = ("This PDF could not be read (it may be damaged, or be no form of ours). Save the filled form "
              "again from your PDF reader and upload that copy.")
STAMP_KEY = "/InterludeStamp"
KEYWORD_PREFIX = "interlude-stamp:"
_STAMP = re.compile(r"^v1\.([A-Za-z0-9_-]{1,80})\.([A-Za-z0-9_-]{1,80})\.([A-Za-z0-9_-]{1,80})\.([0-9a-f]{32})$")
_KEYWORD_STAMP = re.compile(re.escape(KEYWORD_PREFIX) + r"(v1\.[A-Za-z0-9_.-]{1,300})")
_OFF = ("", "/Off", "Off")


@dataclass(frozen=True)
class Stamp:
    assignment_id: str
    client_id: str
    tool_id: str
    signature: str

    def text(self) -> str:
        return f"v1.{self.assignment_id}.{self.client_id}.{self.tool_id}.{self.signature}"


def _signature(secret_key: str, clinic_id: str, assignment_id: str, client_id: str, tool_id: str) -> str:
    material = "\n".join(("interlude-paper-v1", clinic_id, assignment_id, client_id, tool_id))
    return hmac.new(secret_key.encode(), material.encode(), hashlib.sha256).hexdigest()[:32]


def make_stamp(secret_key: str, clinic_id: str, assignment_id: str, client_id: str, tool_id: str) -> Stamp:
    return Stamp(assignment_id, client_id, tool_id,
                 _signature(secret_key, clinic_id, assignment_id, client_id, tool_id))


def parse_stamp(text: str | None) -> Stamp | None:
    """The stamp's parts, or None when the text is no stamp (its signature is not checked here)."""
    found = _STAMP.match(text or "")
    return Stamp(*found.groups()) if found else None


def stamp_is_genuine(secret_key: str, clinic_id: str, stamp: Stamp) -> bool:
    expected = _signature(secret_key, clinic_id, stamp.assignment_id, stamp.client_id, stamp.tool_id)
    return hmac.compare_digest(expected, stamp.signature)


@dataclass(frozen=True)
class FilledForm:
    stamp: str | None
    values: dict            # field name -> text (text fields, radio groups) or True (a ticked box)
    pages: int


def check_pdf_bytes(data: bytes, max_bytes: int = MAX_PDF_BYTES) -> None:
    """Refuse what is plainly not an acceptable PDF before parsing anything."""
    if not data:
        raise InvalidInput("The file is empty: choose the filled PDF and upload it again.")
    if len(data) > max_bytes:
        raise PayloadTooLarge(f"The file is larger than {max_bytes // (1024 * 1024)} MB: a filled form is "
                              "much smaller. Upload the PDF you downloaded and filled, not a scan.")
    if b"%PDF-" not in data[:1024]:
        raise UnsupportedMediaType("This file is not a PDF. Upload the fillable PDF you downloaded for this "
                                   "assignment, after filling it in and saving it.")


def _reader(data: bytes):
    from pypdf import PdfReader   # imported here: only the readers and stampers of forms need it
    from pypdf.errors import PyPdfError
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise InvalidInput("This PDF is password-protected: save it without a password and upload it again.")
        pages = len(reader.pages)
    except InvalidInput:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError,
            OSError) as error:
        raise InvalidInput(UNREADABLE) from error
    if pages > MAX_PAGES:
        raise InvalidInput(f"This PDF has {pages} pages; a tool's form has at most {MAX_PAGES}. Upload the "
                           "fillable PDF of this assignment.")
    return reader


def _stamp_of(reader) -> str | None:
    info = reader.metadata or {}
    stamp = info.get(STAMP_KEY)
    if isinstance(stamp, str) and parse_stamp(stamp):
        return stamp
    found = _KEYWORD_STAMP.search(str(info.get("/Keywords") or ""))
    return found.group(1) if found else None


def _value(field) -> str | bool | None:
    """A field's value as the form holds it: text, a radio group's chosen export value, or True for
    a ticked box. None when empty or off."""
    kind, value = field.get("/FT"), field.get("/V")
    if kind == "/Btn":
        if value is None or str(value) in _OFF:
            return None
        state = str(value).lstrip("/")
        options = field.get("/Opt")
        if options is not None and state.isdigit() and int(state) < len(options):
            return str(options[int(state)])        # WeasyPrint names a group's buttons 0, 1, 2…
        if field.get("/Kids") is not None or int(field.get("/Ff", 0) or 0) & (1 << 15):
            return state                            # a radio group whose states are its values
        return True
    if value is None:
        return None
    text = value if isinstance(value, str) else str(value)
    return text if text.strip() else None


def read_form(data: bytes, max_bytes: int = MAX_PDF_BYTES) -> FilledForm:
    """The stamp and the filled-in field values of a PDF form (empty fields left out)."""
    check_pdf_bytes(data, max_bytes)
    reader = _reader(data)
    try:
        fields = reader.get_fields() or {}
        if len(fields) > MAX_FIELDS:
            raise InvalidInput(f"This PDF has more than {MAX_FIELDS} form fields: it is not one of our forms.")
        values = {}
        for name, field in fields.items():
            value = _value(field)
            if value is not None and isinstance(name, str):
                values[name] = value
        stamp = _stamp_of(reader)
    except InvalidInput:
        raise
    except Exception as error:   # a damaged field tree can fail anywhere inside pypdf
        raise InvalidInput("The form fields of this PDF could not be read. Save the filled form again from "
                           "your PDF reader and upload that copy.") from error
    return FilledForm(stamp=stamp, values=values, pages=len(reader.pages))


def read_form_isolated(data: bytes, max_bytes: int = MAX_PDF_BYTES) -> FilledForm:
    """``read_form`` in a child process with a memory cap and a time limit (see paper_child)."""
    from interlude.rendering.process import run_child
    check_pdf_bytes(data, max_bytes)   # the plain refusals, before a process is started
    outcome = run_child(data, CHILD_MEMORY_BYTES, CHILD_SECONDS, module=CHILD_MODULE)
    try:
        answer = json.loads(outcome.stdout) if outcome.returncode == 0 and not outcome.timed_out else None
    except ValueError:
        answer = None
    if not isinstance(answer, dict):
        raise InvalidInput(UNREADABLE)
    if "error" in answer:
        raise errors.BY_NAME.get(answer["error"], InvalidInput)(str(answer.get("message") or UNREADABLE))
    return FilledForm(stamp=answer.get("stamp"), values=dict(answer.get("values") or {}),
                      pages=int(answer.get("pages") or 0))


def stamp_pdf(data: bytes, stamp: str, title: str = "") -> bytes:
    """The same PDF, its document information carrying ``stamp`` (fields, pages and look unchanged)."""
    from pypdf import PdfReader, PdfWriter
    if parse_stamp(stamp) is None:
        raise ValueError("not a paper stamp")
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    metadata = {STAMP_KEY: stamp, "/Keywords": KEYWORD_PREFIX + stamp}
    if title:
        metadata["/Title"] = title
    writer.add_metadata(metadata)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
