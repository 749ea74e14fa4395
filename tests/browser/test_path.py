"""The practitioner's main path in Chromium (tests/browser/scenario.py, run in its own process),
against the embedded platform with a render worker: search, a tool and its PDF, a client and an
assignment, a workbook rendered and downloaded in at most 15 actions, a PHQ-9 answered on a phone,
the risk flag on the dashboard and the chart, acknowledged; a second clinic sees none of it; axe-core
finds no serious or critical violation. Screenshots: tests/browser/screenshots/ (git-ignored)."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from interlude_app.runner import start_embedded_render_worker
from tests.conftest import free_port
from tests.platform import PASSWORD, running, seeded_settings

ROOT = Path(__file__).resolve().parents[2]
SHOTS = Path(__file__).with_name("screenshots")
CHROMIUM = os.environ.get("INTERLUDE_CHROMIUM", "/usr/bin/chromium")

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def platform(tmp_path_factory):
    """One platform with a render worker, shared by this file's browser scenarios."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is not at {CHROMIUM}: run `make install` (deploy/dev/ensure-system-packages.sh "
                    "installs Debian's chromium) or set INTERLUDE_CHROMIUM to its path.")
    settings = seeded_settings(tmp_path_factory.mktemp("platform") / "data",
                               [("Harbour Clinic", "ana@harbour.example"), ("Other Clinic", "bo@other.example")],
                               port=free_port())
    with running(settings) as base:
        worker = start_embedded_render_worker(settings)
        try:
            yield base
        finally:
            worker.kill()


def scenario(module: str, *args: str, timeout: int = 900) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", module, *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, "INTERLUDE_CHROMIUM": CHROMIUM})


def failure(done: subprocess.CompletedProcess, name: str) -> str:
    SHOTS.mkdir(exist_ok=True)
    (SHOTS / f"{name}-stderr.txt").write_text(done.stderr)
    # the traceback's own lines, without Playwright's page snapshots
    reason = "\n".join(line for line in done.stderr.splitlines() if not line.lstrip().startswith(("- ", "E ")))
    return f"the browser path failed (full output: {SHOTS}/{name}-stderr.txt):\n{reason[-4000:]}"


def test_practitioner_main_path_in_chromium(platform):
    done = scenario("tests.browser.scenario", platform, str(SHOTS), "ana@harbour.example", "bo@other.example",
                    PASSWORD)
    assert done.returncode == 0, failure(done, "scenario")
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["workbook"]["actions"] <= 15
    assert {"login", "dashboard-empty", "search-results", "tool", "workbook-plan", "dashboard-flag",
            "client-chart"} <= set(report["axe_pages"])
    print(json.dumps(report, indent=1))


def test_main_path_with_the_keyboard_alone(platform):
    """Tab, Shift+Tab, Enter, Space and typing only, focus visible on every element reached
    (tests/browser/keyboard.py)."""
    done = scenario("tests.browser.keyboard", platform, "ana@harbour.example", PASSWORD, timeout=300)
    assert done.returncode == 0, failure(done, "keyboard")
    report = json.loads(done.stdout.strip().splitlines()[-1])
    print(json.dumps(report, indent=1))


def test_a_spanish_speaking_client_does_homework_on_a_phone(platform):
    """The practitioner sets Spanish; on a 390x844 touch screen the client answers a GAD-7 and a
    worksheet by 44 px targets, in Spanish, and it is recorded; axe-core on every portal page
    (tests/browser/portal_phone.py)."""
    done = scenario("tests.browser.portal_phone", platform, str(SHOTS), "ana@harbour.example", PASSWORD, timeout=600)
    assert done.returncode == 0, failure(done, "portal-phone")
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert {"portal-measure-es", "portal-submitted-es", "portal-progress-es", "portal-worksheet-es",
            "portal-refused-es"} <= set(report["axe_pages"])
    print(json.dumps(report, indent=1))
