"""A clinic admin's path in Chromium (tests/browser/admin_scenario.py, run in its own process):
invite a user who sets a password by the link and logs in, upload a logo that is on the next tool
PDF, the settings; axe-core finds no serious or critical violation on the admin pages."""
import json

import pytest

from tests.browser.test_path import CHROMIUM, SHOTS, failure, scenario
from tests.conftest import free_port
from tests.platform import PASSWORD, running, seeded_settings

pytestmark = pytest.mark.slow


def test_clinic_admin_path_in_chromium(tmp_path_factory):
    settings = seeded_settings(tmp_path_factory.mktemp("admin") / "data", [("Harbour Clinic", "ana@harbour.example")],
                               port=free_port())
    with running(settings) as base:
        done = scenario("tests.browser.admin_scenario", base, str(SHOTS / "admin"), "ana@harbour.example", PASSWORD)
    assert done.returncode == 0, failure(done, "admin-scenario")
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["images_before"] == 0 and report["images_after"] >= 1
    assert {"admin-team", "admin-branding", "admin-settings", "set-password"} <= set(report["axe_pages"])
