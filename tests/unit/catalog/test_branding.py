"""A clinic's branding on tool PDFs (services/catalog/domain/branding.py): a band with the logo as
a file of the render (nothing fetched), text escaped, a bad colour never reaches the CSS, and the
PDF's cache key changes with the branding so no cached PDF shows the old one."""
from interlude.rendering.cache import render_key
from services.catalog.domain.branding import DEFAULT_COLOUR, branded_html, logo_file_name

HTML = "<!doctype html><html><head></head><body><h1>Tool</h1></body></html>"


def test_the_band_carries_the_logo_as_a_job_file_and_escapes_the_name():
    html = branded_html(HTML, name="Harbour <Clinic>", colour="#2a7f62", logo_file="clinic-logo.png")
    assert '<img src="file-in-job:clinic-logo.png" alt="Harbour &lt;Clinic&gt;">' in html
    assert "<span>Harbour &lt;Clinic&gt;</span>" in html and "#2a7f62" in html
    assert html.index("clinic-brand") < html.index("<h1>")


def test_a_colour_that_is_not_a_hex_colour_falls_back_and_nothing_means_no_band():
    html = branded_html(HTML, name="X", colour="red;} body { display:none", logo_file=None)
    assert "display:none" not in html and DEFAULT_COLOUR in html
    assert branded_html(HTML, name="", colour="#000000", logo_file=None) == HTML


def test_logo_names_follow_the_key_and_unknown_kinds_are_left_out():
    assert logo_file_name("branding/cln_1/logo-ab.svg") == "clinic-logo.svg"
    assert logo_file_name("branding/cln_1/logo-ab.gif") is None and logo_file_name(None) is None


def test_the_cache_key_changes_with_the_logo_and_the_colour():
    one = branded_html(HTML, name="H", colour="#2a7f62", logo_file="clinic-logo.png")
    keys = {render_key(one, files={"clinic-logo.png": b"first"}), render_key(one, files={"clinic-logo.png": b"second"}),
            render_key(branded_html(HTML, name="H", colour="#123456", logo_file="clinic-logo.png"),
                       files={"clinic-logo.png": b"first"})}
    assert len(keys) == 3
