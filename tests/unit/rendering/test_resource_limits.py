"""Heavy documents end in a clear error, and the child is stopped, never the caller."""
import time

import pytest

from interlude.rendering import DocumentNotRenderable, RenderLimitExceeded, render_pdf

pytestmark = pytest.mark.slow  # every test starts a render child

ROW = "<tr><td>Monday</td><td>Walked for ten minutes</td><td>4</td><td>Felt calmer</td></tr>"


def big_table(rows: int) -> str:
    return f"<h1>Activity log</h1><table>{ROW * rows}</table>"


def test_a_render_over_its_time_limit_is_killed():
    html = big_table(5000)  # ~420 KB: under the default size cap, but a long layout
    assert len(html.encode()) < 500_000
    started = time.monotonic()
    with pytest.raises(RenderLimitExceeded) as error:
        render_pdf(html, time_limit_s=1.5)
    elapsed = time.monotonic() - started
    assert "time limit" in error.value.message and "1.5 s" in error.value.message
    assert error.value.status == 422
    assert elapsed < 6, f"the child was not stopped at its limit ({elapsed:.1f} s)"


def test_a_memory_cap_too_small_gives_a_clear_error():
    # Under 100 MB of address space the child fails, at WeasyPrint's import or during the render:
    # as a MemoryError, or as a native abort (SIGTRAP, SIGSEGV). All must read the same.
    with pytest.raises(RenderLimitExceeded) as error:
        render_pdf(big_table(50), memory_limit_bytes=100 * 1024 * 1024)
    assert "memory limit of 100 MB" in error.value.message
    assert error.value.status == 422
    assert "Traceback" not in error.value.message


def test_nesting_beyond_the_layout_engines_recursion_is_reported_not_raised_raw():
    # The parent's depth check is what normally stops this; with it lifted, the child's
    # RecursionError still comes back as a clean error.
    html = "<div>" * 400 + "deep" + "</div>" * 400
    with pytest.raises(DocumentNotRenderable) as error:
        render_pdf(html, max_depth=1000)
    assert error.value.status == 422
    assert "nests too deeply" in error.value.message
    assert "Traceback" not in error.value.message


def test_rendering_works_again_after_a_killed_render():
    with pytest.raises(RenderLimitExceeded):
        render_pdf(big_table(5000), time_limit_s=1.0)
    assert render_pdf("<p>after</p>").startswith(b"%PDF-")
