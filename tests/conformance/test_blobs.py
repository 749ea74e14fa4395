"""One suite for every blob adapter. The S3 adapter runs against nanio, an S3-compatible server
(it checks request signatures) started on 127.0.0.1 from its PyPI package."""
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from interlude.adapters.folder_blobs import FolderBlobStore
from interlude.adapters.s3_blobs import S3BlobStore
from interlude.errors import InvalidInput, NotFound
from tests.conftest import free_port


class BlobStoreContract:
    def test_put_get_stat(self, blobs):
        info = blobs.put("pdf/a.pdf", b"%PDF-1.7 hello", "application/pdf")
        assert (info.key, info.size) == ("pdf/a.pdf", 14)
        assert blobs.get("pdf/a.pdf") == b"%PDF-1.7 hello"
        stat = blobs.stat("pdf/a.pdf")
        assert (stat.size, stat.content_type) == (14, "application/pdf")
        assert blobs.exists("pdf/a.pdf")

    def test_missing_blob(self, blobs):
        assert blobs.stat("nope/x.bin") is None
        with pytest.raises(NotFound):
            blobs.get("nope/x.bin")
        assert blobs.delete("nope/x.bin") is False

    def test_replace_and_delete(self, blobs):
        blobs.put("k.txt", b"one", "text/plain")
        blobs.put("k.txt", b"two!", "text/plain")
        assert blobs.get("k.txt") == b"two!"
        assert blobs.delete("k.txt") is True
        assert not blobs.exists("k.txt")

    def test_list_by_prefix(self, blobs):
        for key in ("editions/wb1/1.pdf", "editions/wb1/2.pdf", "editions/wb2/1.pdf", "media/x.png"):
            blobs.put(key, b"x")
        assert blobs.list("editions/wb1/") == ["editions/wb1/1.pdf", "editions/wb1/2.pdf"]
        assert len(blobs.list()) == 4

    def test_large_blob_round_trips(self, blobs):
        data = os.urandom(6 * 1024 * 1024)
        blobs.put("big.bin", data)
        assert blobs.get("big.bin") == data

    @pytest.mark.parametrize("key", ["../etc/passwd", "/abs", "a/../../b", "", "a b", "a//b"])
    def test_unsafe_keys_are_refused(self, blobs, key):
        with pytest.raises(InvalidInput):
            blobs.put(key, b"x")

    def test_ping(self, blobs):
        blobs.ping()


class TestFolderBlobs(BlobStoreContract):
    @pytest.fixture
    def blobs(self, tmp_path):
        return FolderBlobStore(tmp_path / "blobs")

    def test_no_presigned_url(self, blobs):
        blobs.put("a.pdf", b"x")
        assert blobs.presigned_url("a.pdf") is None

    def test_survives_reopening(self, tmp_path):
        FolderBlobStore(tmp_path / "b").put("kept.txt", b"yes", "text/plain")
        assert FolderBlobStore(tmp_path / "b").stat("kept.txt").content_type == "text/plain"


ACCESS, SECRET = "interlude-test", "interlude-test-secret-key"


@pytest.fixture(scope="module")
def s3_endpoint(tmp_path_factory):
    port = free_port()
    data = tmp_path_factory.mktemp("nanio")
    env = {**os.environ, "NANIO_ACCESS_KEY": ACCESS, "NANIO_SECRET_KEY": SECRET}
    server = subprocess.Popen(
        [str(Path(sys.executable).with_name("nanio")), "serve", "--host", "127.0.0.1",
         "--port", str(port), "--data-dir", str(data), "--no-access-log", "--log-level", "warning"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1)
            break
        except urllib.error.HTTPError:
            break  # it answers (403 without a signature): up
        except OSError:
            if server.poll() is not None:
                pytest.fail(f"nanio exited: {server.stderr.read().decode()[-500:]}")
            time.sleep(0.1)
    yield f"127.0.0.1:{port}"
    server.terminate()
    server.wait(timeout=10)


class TestS3Blobs(BlobStoreContract):
    @pytest.fixture
    def blobs(self, s3_endpoint, request):
        bucket = f"t-{request.node.name[:20].lower().replace('_', '-')}-{os.getpid()}".rstrip("-")
        return S3BlobStore.from_url(f"s3://{s3_endpoint}/{bucket}", ACCESS, SECRET)

    def test_presigned_url_downloads_without_credentials(self, blobs):
        blobs.put("edition.pdf", b"%PDF-1.7 signed", "application/pdf")
        url = blobs.presigned_url("edition.pdf", expires_seconds=60)
        with urllib.request.urlopen(url, timeout=5) as response:
            assert response.read() == b"%PDF-1.7 signed"

    def test_wrong_secret_is_refused(self, s3_endpoint):
        from minio.error import S3Error
        with pytest.raises(S3Error):
            S3BlobStore.from_url(f"s3://{s3_endpoint}/other-bucket", ACCESS, "wrong-secret-key-123")
