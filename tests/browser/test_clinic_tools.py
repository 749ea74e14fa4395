"""A clinic admin authors a clinic tool in Chromium with the live preview, publishes it and assigns
it to a client whose portal is in Spanish, who completes it on a phone-sized touch screen
(tests/browser/clinic_tool_scenario.py, in its own process); axe-core finds no serious or
critical violation on the editor or the tool's page."""
import json
from pathlib import Path

import pytest

from tests.browser.test_path import CHROMIUM, SHOTS, failure, scenario
from tests.conftest import free_port
from tests.platform import PASSWORD, running, seeded_settings

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def authoring_platform(tmp_path_factory):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is not at {CHROMIUM}: run `make install` or set INTERLUDE_CHROMIUM to its path.")
    settings = seeded_settings(tmp_path_factory.mktemp("authoring") / "data",
                               [("Harbour Clinic", "ana@harbour.example")], port=free_port())
    with running(settings) as base:
        yield base


def test_a_clinic_admin_authors_previews_publishes_and_assigns_a_tool(authoring_platform):
    done = scenario("tests.browser.clinic_tool_scenario", authoring_platform, str(SHOTS), "ana@harbour.example",
                    PASSWORD, timeout=300)
    assert done.returncode == 0, failure(done, "clinic-tool")
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert {"clinic-tool-editor", "clinic-tool-editor-error", "clinic-tool-form", "clinic-tool-published"} <= set(report["axe_pages"])
    assert report["completed_in_spanish"]       # the client did it on a phone, the portal in Spanish
    print(json.dumps(report, indent=1))
