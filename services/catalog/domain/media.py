"""Media a clinic uploads for its own tools (images, audio): checked by size and by what the bytes
really are, not by the name or the declared type alone. Images are decoded and encoded again
(``image_sanitizing``); PDFs are refused (they can carry scripts and actions)."""
from __future__ import annotations

from dataclasses import dataclass

from interlude import clock, request_keys
from interlude.actor import Actor
from interlude.errors import Conflict, InvalidInput, PayloadTooLarge, UnsupportedMediaType
from interlude.ports.blobs import BlobStore
from interlude.ports.documents import DocumentStore, TenantScope
from services.catalog.domain.image_sanitizing import PIL_FORMATS, reencode_image

MAX_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class MediaType:
    content_type: str
    extension: str
    magic: tuple[bytes, ...]


ACCEPTED = {t.content_type: t for t in (
    MediaType("image/png", "png", (b"\x89PNG\r\n\x1a\n",)),
    MediaType("image/jpeg", "jpg", (b"\xff\xd8\xff",)),
    MediaType("audio/mpeg", "mp3", (b"ID3", b"\xff\xfb", b"\xff\xf3", b"\xff\xf2")),
    MediaType("audio/ogg", "ogg", (b"OggS",)),
)}


def check_upload(data: bytes, content_type: str) -> MediaType:
    content_type = (content_type or "").split(";")[0].strip().lower()
    if not data:
        raise InvalidInput("The upload is empty: send the file's bytes as the request body.")
    if len(data) > MAX_BYTES:
        raise PayloadTooLarge(f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB: make it smaller.")
    media_type = ACCEPTED.get(content_type)
    if content_type == "application/pdf" or data.startswith(b"%PDF-"):
        raise UnsupportedMediaType("PDF files are not accepted (they can carry scripts): upload the pages "
                                   "as PNG or JPEG images.")
    if media_type is None:
        raise UnsupportedMediaType(f"Upload PNG, JPEG, MP3 or OGG files; {content_type or 'no type'} "
                                   "is not accepted.")
    if not data.startswith(media_type.magic):
        raise UnsupportedMediaType(f"The file's content is not {content_type}: check the file and its type.")
    return media_type


def _clean_filename(name: str) -> str:
    kept = "".join(c for c in (name or "") if c.isalnum() or c in "._- ")[:120].strip()
    return kept or "upload"


class ClinicMedia:
    def __init__(self, store: DocumentStore, blobs: BlobStore, actor: Actor):
        self.actor, self.blobs = actor, blobs
        self.records = TenantScope(store.collection("clinic_media"), actor.clinic_id)

    def upload(self, data: bytes, content_type: str, filename: str = "", *, reencode=None,
               request_key: str | None = None) -> dict:
        """``reencode(function, *args)`` runs the image re-encoding (the service passes a thread
        pool's, to keep the CPU work off the eventlet hub). ``request_key``: the same key again (a
        redelivered request) returns the file it stored."""
        media_id = request_keys.keyed_id("med", self.actor.clinic_id, request_key)
        if request_key is not None and (first := self.records.get(media_id)) is not None:
            return self._same_request(first)
        media_type = check_upload(data, content_type)
        if media_type.content_type in PIL_FORMATS:
            data = (reencode or (lambda f, *a: f(*a)))(reencode_image, data, media_type.content_type)
        key = f"media/{self.actor.clinic_id}/{media_id}.{media_type.extension}"
        self.blobs.put(key, data, media_type.content_type)   # a redelivery writes the same bytes to the same key
        try:
            return self.records.insert({
                "id": media_id, "key": key, "content_type": media_type.content_type, "size": len(data),
                "filename": _clean_filename(filename), "uploaded_by": self.actor.user_id,
                "uploaded_at": clock.iso()})
        except Conflict:   # the same request, delivered twice at once
            first = self.records.get(media_id) if request_key is not None else None
            if first is None:
                raise
            return self._same_request(first)

    def _same_request(self, record: dict) -> dict:
        if record["uploaded_by"] != self.actor.user_id:
            raise Conflict("This request key was already used for another request.")
        return record

    def get(self, media_id: str) -> dict:
        return self.records.get_or_raise(media_id, "media file")

    def list(self) -> list[dict]:
        return self.records.find(sort=[("uploaded_at", -1)])
