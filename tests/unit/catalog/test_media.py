import pytest

from interlude.actor import Actor
from interlude.adapters.folder_blobs import FolderBlobStore
from interlude.adapters.sqlite_documents import SqliteDocumentStore
from interlude.errors import InvalidInput, NotFound, PayloadTooLarge, UnsupportedMediaType
from services.catalog.domain.media import MAX_BYTES, ClinicMedia, check_upload

JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 100


@pytest.fixture
def media_of(tmp_path):
    store, blobs = SqliteDocumentStore(tmp_path / "d.db"), FolderBlobStore(tmp_path / "blobs")
    return lambda clinic: ClinicMedia(store, blobs, Actor("usr_1", clinic, "practitioner")), blobs


def test_upload_is_stored_under_the_clinic_and_only_it_sees_it(media_of):
    media_of, blobs = media_of
    record = media_of("cln_a").upload(JPEG, "image/jpeg; charset=binary", "../../etc/passwd.jpg")
    assert record["key"].startswith("media/cln_a/") and blobs.get(record["key"]) == JPEG
    assert "/" not in record["filename"]
    assert media_of("cln_a").get(record["id"])["size"] == len(JPEG)
    with pytest.raises(NotFound):
        media_of("cln_b").get(record["id"])
    assert media_of("cln_b").list() == []


@pytest.mark.parametrize("data, content_type, error", [
    (b"", "image/png", InvalidInput),
    (JPEG, "image/gif", UnsupportedMediaType),
    (JPEG, "image/png", UnsupportedMediaType),
    (b"%PDF-" + b"0" * MAX_BYTES, "application/pdf", PayloadTooLarge),
])
def test_bad_uploads_say_what_is_wrong(data, content_type, error):
    with pytest.raises(error):
        check_upload(data, content_type)
