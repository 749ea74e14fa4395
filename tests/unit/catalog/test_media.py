import io

import pytest
from PIL import Image

from interlude.actor import Actor
from interlude.adapters.folder_blobs import FolderBlobStore
from interlude.adapters.sqlite_documents import SqliteDocumentStore
from interlude.errors import InvalidInput, NotFound, PayloadTooLarge, UnsupportedMediaType
from services.catalog.domain.media import MAX_BYTES, ClinicMedia, check_upload

def image_bytes(fmt: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 6), (200, 120, 40)).save(out, fmt)
    return out.getvalue()


JPEG, PNG = image_bytes("JPEG"), image_bytes("PNG")


@pytest.fixture
def media_of(tmp_path):
    store, blobs = SqliteDocumentStore(tmp_path / "d.db"), FolderBlobStore(tmp_path / "blobs")
    return lambda clinic: ClinicMedia(store, blobs, Actor("usr_1", clinic, "practitioner")), blobs


def test_upload_is_stored_under_the_clinic_and_only_it_sees_it(media_of):
    media_of, blobs = media_of
    record = media_of("cln_a").upload(JPEG, "image/jpeg; charset=binary", "../../etc/passwd.jpg")
    stored = blobs.get(record["key"])
    assert record["key"].startswith("media/cln_a/") and Image.open(io.BytesIO(stored)).size == (8, 6)
    assert "/" not in record["filename"]
    assert media_of("cln_a").get(record["id"])["size"] == len(stored)
    with pytest.raises(NotFound):
        media_of("cln_b").get(record["id"])
    assert media_of("cln_b").list() == []


@pytest.mark.parametrize("data, content_type, error", [
    (b"", "image/png", InvalidInput),
    (JPEG, "image/gif", UnsupportedMediaType),
    (JPEG, "image/png", UnsupportedMediaType),
    (b"%PDF-" + b"0" * MAX_BYTES, "application/pdf", PayloadTooLarge),
    (b"%PDF-1.7\n1 0 obj<</OpenAction<</S/JavaScript/JS(app.alert(1))>>>>endobj", "application/pdf",
     UnsupportedMediaType),
])
def test_bad_uploads_say_what_is_wrong(data, content_type, error):
    with pytest.raises(error):
        check_upload(data, content_type)


@pytest.mark.parametrize("content_type, image", [("image/png", PNG), ("image/jpeg", JPEG)])
def test_images_are_decoded_and_encoded_again_so_nothing_rides_along(media_of, content_type, image):
    media_of, blobs = media_of
    hostile = image + b"MZ\x90\x00 this program <script>alert(1)</script><html>"
    record = media_of("cln_a").upload(hostile, content_type, "calm.png")
    stored = blobs.get(record["key"])
    assert b"MZ" not in stored[-200:] and b"<script>" not in stored and b"<html>" not in stored
    assert Image.open(io.BytesIO(stored)).size == (8, 6)


@pytest.mark.parametrize("content_type, data", [
    ("image/png", PNG[:len(PNG) // 2]),                       # truncated
    ("image/png", b"\x89PNG\r\n\x1a\n" + b"<html><script>x</script>"),   # magic, then a page
    ("image/jpeg", b"\xff\xd8\xff\xe0" + b"\x00" * 100),
])
def test_images_that_do_not_decode_completely_are_refused(media_of, content_type, data):
    media_of, _blobs = media_of
    with pytest.raises(UnsupportedMediaType):
        media_of("cln_a").upload(data, content_type, "x")
