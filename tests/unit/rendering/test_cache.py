"""render_cached: one render per distinct (HTML, output options, renderer version)."""
import re

import pytest

from interlude.adapters.folder_blobs import FolderBlobStore
from interlude.errors import InvalidInput
from interlude.rendering import render_cached, render_key, renderer_version

from .pdf_helpers import text_of

HTML = "<h1>Grounding</h1><p>Name five things you can see.</p>"


@pytest.fixture
def blobs(tmp_path):
    return FolderBlobStore(tmp_path / "blobs")


@pytest.mark.slow
def test_renders_on_a_miss_and_serves_the_stored_pdf_on_a_hit(blobs):
    first = render_cached(blobs, HTML, footer_text="Sunny Side Clinic")
    assert first.rendered
    assert re.fullmatch(r"renders/[0-9a-f]{64}\.pdf", first.key)
    stored = blobs.get(first.key)
    assert first.size == len(stored) and "Grounding" in text_of(stored)
    assert blobs.stat(first.key).content_type == "application/pdf"

    second = render_cached(blobs, HTML, footer_text="Sunny Side Clinic")
    assert (second.key, second.size, second.rendered) == (first.key, first.size, False)
    assert blobs.list("renders/") == [first.key]


@pytest.mark.slow
def test_a_different_option_is_a_different_pdf(blobs):
    a4 = render_cached(blobs, HTML)
    letter = render_cached(blobs, HTML, paper="letter")
    assert letter.rendered and letter.key != a4.key
    assert len(blobs.list("renders/")) == 2


def test_key_covers_what_changes_the_output():
    base = render_key(HTML)
    assert render_key(HTML + " ") != base
    assert render_key(HTML, paper="letter") != base
    assert render_key(HTML, footer_text="Clinic") != base
    assert render_key(HTML, forms=True) != base
    assert render_key(HTML, files={"a.png": b"1"}) != render_key(HTML, files={"a.png": b"2"})


def test_key_ignores_what_does_not():
    base = render_key(HTML)
    assert render_key(HTML, paper="a4") == base == render_key(HTML, paper="A4")
    assert render_key(HTML, forms=False, files={}) == base
    assert render_key(HTML, time_limit_s=5, memory_limit_bytes=10 ** 9, max_html_bytes=10 ** 7,
                      max_depth=50) == base


def test_unknown_options_are_refused_even_on_a_hit(blobs):
    with pytest.raises(TypeError):
        render_key(HTML, papr="letter")
    with pytest.raises(TypeError):
        render_cached(blobs, HTML, footer="Clinic")


def test_renderer_version_names_weasyprint_and_the_assets():
    assert re.fullmatch(r"interlude-rendering-\d+/weasyprint-70\.0/assets-[0-9a-f]{16}",
                        renderer_version())


@pytest.mark.slow
def test_a_failed_render_stores_nothing(blobs):
    with pytest.raises(InvalidInput):
        render_cached(blobs, "<div>" * 101)
    assert blobs.list("renders/") == []
