"""The URL allow-list: a document reaches only bundled assets and the job's own files.

WeasyPrint's default fetcher read file:///etc/passwd, fetched 127.0.0.1 and embedded files
named by <link rel=attachment> (feasibility.md, PDF). None of that may happen here.
"""
import http.server
import os
import threading

import pytest

from interlude.rendering import child, render_pdf

from .pdf_helpers import PASSWD_LINE, attachment_names, every_byte, text_of

pytestmark = pytest.mark.slow  # every test starts a render child

ASSETS_DIR = child.ASSETS_DIR


def references_to(url: str) -> str:
    """Every way a document can make WeasyPrint fetch a URL."""
    return f"""<html><head>
      <link rel="attachment" href="{url}" title="leak">
      <link rel="stylesheet" href="{url}">
      <style>
        @import url("{url}");
        @font-face {{ font-family: Leak; src: url("{url}"); }}
        body {{ background-image: url("{url}"); font-family: Leak, sans-serif; }}
        h1::before {{ content: url("{url}"); }}
      </style></head>
      <body><h1>Visible text</h1>
        <img src="{url}" alt="">
        <object data="{url}"></object><embed src="{url}">
        <svg width="10" height="10"><image href="{url}" width="10" height="10"/></svg>
        <a rel="attachment" href="{url}">attachment link</a>
      </body></html>"""


@pytest.mark.skipif(not os.path.exists("/etc/passwd"), reason="needs /etc/passwd")
@pytest.mark.parametrize("url", ["file:///etc/passwd", "/etc/passwd", "../../../../../../etc/passwd",
                                 "asset:../../../../../../../etc/passwd",
                                 "asset:%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
                                 "asset:/etc/passwd", "file-in-job:../../etc/passwd"])
def test_local_files_are_not_embedded(url):
    pdf = render_pdf(references_to(url))
    assert "Visible text" in text_of(pdf)  # the render went through; only the resources were refused
    assert attachment_names(pdf) == []
    assert PASSWD_LINE not in every_byte(pdf)


@pytest.mark.skipif(not os.path.exists("/etc/passwd"), reason="needs /etc/passwd")
def test_control_weasyprints_default_fetcher_would_embed_the_file():
    """Shows the checks above can fail: plain WeasyPrint embeds the file they look for."""
    from weasyprint import HTML
    pdf = HTML(string='<link rel="attachment" href="file:///etc/passwd"><p>x</p>').write_pdf()
    assert attachment_names(pdf) == ["passwd"]
    assert PASSWD_LINE in every_byte(pdf)


class _RecordingHandler(http.server.BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self):  # noqa: N802 (http.server's name)
        self.requests.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        self.wfile.write(b"root:x:0:0 served over http")

    def log_message(self, *args):
        pass


@pytest.fixture
def recording_server():
    _RecordingHandler.requests = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _RecordingHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"127.0.0.1:{server.server_address[1]}", _RecordingHandler.requests
    server.shutdown()
    server.server_close()


def test_no_request_reaches_a_local_http_server(recording_server):
    address, requests = recording_server
    for url in (f"http://{address}/secret.png", f"https://{address}/secret.css", f"//{address}/x",
                f"ftp://{address}/x"):
        pdf = render_pdf(references_to(url))
        assert attachment_names(pdf) == []
        assert PASSWD_LINE not in every_byte(pdf)
    assert requests == []
    # The control: the server does answer when something actually asks it.
    import urllib.request
    with urllib.request.urlopen(f"http://{address}/control") as response:
        assert response.status == 200
    assert requests == ["/control"]


def test_base_href_does_not_open_a_way_out():
    html = '<base href="file:///etc/"><link rel="attachment" href="passwd"><img src="passwd"><p>x</p>'
    pdf = render_pdf(html)
    assert attachment_names(pdf) == []
    assert PASSWD_LINE not in every_byte(pdf)


def test_data_urls_are_refused():
    html = ('<link rel="attachment" href="data:text/plain,root:x:0:0%20via%20data">'
            '<img src="data:image/svg+xml,<svg xmlns=\'http://www.w3.org/2000/svg\'/>"><p>x</p>')
    pdf = render_pdf(html)
    assert attachment_names(pdf) == []
    assert PASSWD_LINE not in every_byte(pdf)


class TestFetcherDirectly:
    """The allow-list itself, without a render (WeasyPrint is imported into the test process)."""

    @pytest.fixture
    def fetcher(self):
        from interlude.rendering.fetcher import AllowListFetcher
        return AllowListFetcher(ASSETS_DIR, {"chart.png": b"png-bytes"})

    def test_allowed_urls(self, fetcher):
        stylesheet = fetcher.fetch("asset:base.css")
        assert stylesheet.content_type == "text/css" and b"@page" in stylesheet.read()
        chart = fetcher.fetch("file-in-job:chart.png")
        assert chart.content_type == "image/png" and chart.read() == b"png-bytes"

    def test_a_symbolic_link_in_the_assets_folder_cannot_lead_out(self, tmp_path):
        from interlude.rendering.fetcher import AllowListFetcher, RefusedURL
        (tmp_path / "style.css").write_text("p { color: red }")
        (tmp_path / "escape.txt").symlink_to("/etc/passwd")
        fetcher = AllowListFetcher(str(tmp_path), {})
        assert fetcher.fetch("asset:style.css").read() == b"p { color: red }"
        with pytest.raises(RefusedURL):
            fetcher.fetch("asset:escape.txt")

    @pytest.mark.parametrize("url", [
        "asset:../child.py", "asset:../../../../../etc/passwd", "asset:%2e%2e/child.py",
        "asset:/etc/passwd", "asset:", "asset:.", "ASSET:../child.py", "file-in-job:../chart.png",
        "file-in-job:", "file:///etc/passwd", "http://127.0.0.1/", "https://example.org/",
        "ftp://127.0.0.1/", "data:text/plain,hello", "chart.png", "/etc/passwd"])
    def test_refused_urls(self, fetcher, url):
        from interlude.rendering.fetcher import RefusedURL
        with pytest.raises(RefusedURL):
            fetcher.fetch(url)
