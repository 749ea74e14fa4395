"""Paper and online meet in Chromium (tests/browser/paper.py, in its own process): a client's filled
PDF, uploaded at home through the portal, shows up in the practitioner's client timeline with its
answers; axe-core finds no serious or critical violation on the upload page or the timeline."""
import json
from pathlib import Path

import pytest

from tests.browser.test_path import CHROMIUM, SHOTS, failure, scenario
from tests.conftest import free_port
from tests.integration.test_paper import answers_for, worksheet_with_lines
from tests.platform import PASSWORD, logged_in, running, seeded_settings

pytestmark = pytest.mark.slow


def test_a_pdf_filled_at_home_shows_up_in_the_timeline_with_its_answers(tmp_path):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is not at {CHROMIUM}: run `make install` or set INTERLUDE_CHROMIUM.")
    settings = seeded_settings(tmp_path / "data", [("Harbour Clinic", "ana@harbour.example")], port=free_port())
    with running(settings) as base:
        api = logged_in(base, "ana@harbour.example")
        tool = worksheet_with_lines(api, base)
        client_id = api.post(f"{base}/api/v1/clients", json={"display_name": "Home H."}).json()["id"]
        made = api.post(f"{base}/api/v1/clients/{client_id}/assignments", json={"tool_id": tool["id"], "due": "2030-01-10"})
        values, expected = answers_for(tool)
        done = scenario("tests.browser.paper", base, str(SHOTS / "paper"), made.json()["portal_url"],
                        f"{base}/clients/{client_id}", "ana@harbour.example", PASSWORD, json.dumps(values),
                        json.dumps(expected), timeout=300)
    assert done.returncode == 0, failure(done, "paper")
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert {"paper-upload", "paper-sent", "paper-in-timeline"} <= set(report["axe_pages"])
