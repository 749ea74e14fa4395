"""The render runs beside the eventlet hub, never on it, and also works without eventlet.

tests/conftest.py monkey-patches the whole pytest process, as nameko services are."""
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import eventlet
import eventlet.patcher
import pytest

from interlude.rendering import discard_spare_child, render_pdf

pytestmark = pytest.mark.slow  # every test starts a render child


def test_the_test_process_is_monkey_patched():
    assert eventlet.patcher.is_monkey_patched("subprocess")
    assert eventlet.patcher.is_monkey_patched("thread")


def test_other_green_threads_keep_running_during_a_render():
    ticks = []

    def tick():
        while True:
            ticks.append(1)
            eventlet.sleep(0.01)

    ticker = eventlet.spawn(tick)
    try:
        eventlet.sleep(0)
        before = len(ticks)
        started = time.monotonic()
        pdf = render_pdf("<h1>Green</h1>" + "<p>Some text for the page.</p>" * 200)
        elapsed = time.monotonic() - started
        during = len(ticks) - before
    finally:
        ticker.kill()
    assert pdf.startswith(b"%PDF-")
    # A blocked hub would give one tick at most; a free one about one per 10 ms.
    assert during >= max(5, elapsed / 0.01 * 0.3), (during, elapsed)


def test_two_green_renders_run_at_the_same_time():
    first = eventlet.spawn(render_pdf, "<p>first</p>")
    second = eventlet.spawn(render_pdf, "<p>second</p>", paper="letter")
    assert first.wait().startswith(b"%PDF-") and second.wait().startswith(b"%PDF-")


def test_rendering_works_in_a_process_without_eventlet():
    script = textwrap.dedent("""
        import sys
        from interlude.rendering import discard_spare_child, render_pdf
        pdf = render_pdf("<h1>Plain</h1>", footer_text="No eventlet here")
        assert "eventlet" not in sys.modules, "this check needs a process without eventlet"
        sys.stdout.buffer.write(pdf)
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=120)
    assert result.returncode == 0, result.stderr.decode()[-2000:]
    assert result.stdout.startswith(b"%PDF-")


def render_children() -> list[int]:
    """Live render children of this process."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            command = (stat.parent / "cmdline").read_bytes()
        except OSError:
            continue
        state, parent = fields[0], int(fields[1])
        if parent == os.getpid() and state != "Z" and b"interlude.rendering.child" in command:
            found.append(int(stat.parent.name))
    return found


def test_killing_the_calling_green_thread_stops_its_child():
    discard_spare_child()
    row = "<tr><td>Monday</td><td>Walked for ten minutes</td><td>4</td><td>Felt calmer</td></tr>"
    caller = eventlet.spawn(render_pdf, f"<table>{row * 5000}</table>")
    eventlet.sleep(1.0)
    assert len(render_children()) == 1
    caller.kill()
    assert render_children() == []
