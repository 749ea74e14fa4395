"""Input checks that run in the calling process, before any child starts (no rendering here)."""
import pytest

from interlude.errors import InvalidInput, PayloadTooLarge
from interlude.rendering import nesting_depth, render_pdf
from interlude.rendering.renderer import DEFAULT_MAX_HTML_BYTES


def test_depth_counts_nested_elements():
    assert nesting_depth("<div>" * 150) == 150
    assert nesting_depth("<div><div><p>text</p></div></div>") == 3


def test_depth_ignores_void_elements_and_implicitly_closed_siblings():
    assert nesting_depth("<p>a<br><img src=x><input><p>b<p>c") == 1
    assert nesting_depth("<ul><li>a<li>b<li><ul><li>c<li>d</ul><li>e</ul>") == 4
    rows = "<tr><td>a<td>b<tr><td>c<td>d" * 200
    assert nesting_depth(f"<table><tbody>{rows}</tbody></table>") == 4


def test_depth_closes_back_to_the_matching_end_tag():
    assert nesting_depth("<div><b><i>unclosed</div>" * 300) == 3


def test_html_over_the_default_size_limit_is_refused():
    html = "<p>" + "x" * DEFAULT_MAX_HTML_BYTES + "</p>"
    with pytest.raises(PayloadTooLarge) as error:
        render_pdf(html)
    assert error.value.status == 413
    assert f"{DEFAULT_MAX_HTML_BYTES:,}" in error.value.message


def test_size_limit_counts_utf8_bytes_and_is_a_parameter():
    with pytest.raises(PayloadTooLarge):
        render_pdf("<p>" + "é" * 600 + "</p>", max_html_bytes=1000)


def test_too_deep_nesting_is_invalid_input():
    with pytest.raises(InvalidInput) as error:
        render_pdf("<div>" * 101 + "deep" + "</div>" * 101)
    assert error.value.status == 400
    assert "101 deep" in error.value.message and "limit is 100" in error.value.message


@pytest.mark.parametrize("paper", ["a3", "A5", "legal", "", None])
def test_unknown_paper_is_invalid_input(paper):
    with pytest.raises(InvalidInput, match="'a4' or 'letter'"):
        render_pdf("<p>x</p>", paper=paper)


@pytest.mark.parametrize("name", ["../passwd", "a/b.png", ".hidden", "", "x" * 200])
def test_job_file_names_cannot_look_like_paths(name):
    with pytest.raises(InvalidInput):
        render_pdf("<p>x</p>", files={name: b"data"})


def test_job_files_over_their_limit_are_refused():
    with pytest.raises(PayloadTooLarge):
        render_pdf("<p>x</p>", files={"a.png": b"x" * 600, "b.png": b"x" * 600}, max_files_bytes=1000)


def test_footer_text_is_bounded():
    with pytest.raises(InvalidInput):
        render_pdf("<p>x</p>", footer_text="x" * 201)
