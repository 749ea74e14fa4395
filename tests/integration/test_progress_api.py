"""Clients, assignments, the client portal and the permanent record through the gateway."""
import re

import pytest
import requests

from tests.conftest import free_port
from tests.platform import logged_in, running, seeded_settings


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    settings = seeded_settings(tmp_path_factory.mktemp("data"), [("Harbour Clinic", "ana@harbour.example"),
                                                                 ("Other Clinic", "bo@other.example")], port=free_port())
    with running(settings) as base:
        yield base, logged_in(base, "ana@harbour.example"), logged_in(base, "bo@other.example")


def page_csrf(page) -> dict:
    """The portal page's CSRF token (made for its link), as the page's script sends it."""
    return {"X-CSRF-Token": re.search(r'name="csrf-token" content="([^"]+)"', page.text).group(1)}


def test_measure_through_the_portal_scores_flags_and_records(api):
    base, ana, bo = api
    client = ana.post(f"{base}/api/v1/clients", json={"display_name": "J."})
    assert client.status_code == 201, client.text
    client_id = client.json()["id"]
    assert bo.get(f"{base}/api/v1/clients/{client_id}").status_code == 404
    assigned = ana.post(f"{base}/api/v1/clients/{client_id}/assignments", json={"measure": "phq9", "due": "2030-01-01"})
    assert assigned.status_code == 201, assigned.text
    token = assigned.json()["link"]["token"]
    assert assigned.json()["portal_url"].endswith(f"/portal/{token}")

    page = requests.get(f"{base}/portal/{token}")
    assert page.status_code == 200 and "PHQ-9" in page.text and 'type="radio"' in page.text
    answers = {f"q{i}": 1 for i in range(1, 10)}
    result = requests.post(f"{base}/portal/{token}/submit", json={"answers": answers, "submission_id": "sub-0001"},
                           headers=page_csrf(page))
    assert result.status_code == 200, result.text
    assert result.json()["score"]["total"] == 9 and result.json()["crisis"]
    again = requests.post(f"{base}/portal/{token}/submit", json={"answers": answers, "submission_id": "sub-0001"},
                          headers=page_csrf(page))
    assert again.status_code == 200  # a redelivered submission records nothing twice

    timeline = ana.get(f"{base}/api/v1/clients/{client_id}/timeline").json()
    types = [entry["type"] for entry in timeline]
    assert types.count("measure_scored") == 1 and "risk_flagged" in types and "opened" in types
    series = ana.get(f"{base}/api/v1/clients/{client_id}/measures/phq9").json()
    assert [p["total"] for p in series["series"]] == [9] and series["svg"].startswith("<svg")
    assert ana.get(f"{base}/api/v1/dashboard").status_code == 200
    bundle = ana.get(f"{base}/api/v1/clients/{client_id}/export/fhir")
    assert bundle.headers["Content-Type"] == "application/fhir+json"
    kinds = [entry["resource"]["resourceType"] for entry in bundle.json()["entry"]]
    assert kinds == ["Questionnaire", "QuestionnaireResponse", "Observation"]
    assert "J." not in bundle.text
    progress = requests.get(f"{base}/portal/{token}/progress")
    assert progress.status_code == 200 and "<svg" in progress.text


def test_worksheet_draft_submit_and_revoked_link(api):
    base, ana, _ = api
    client_id = ana.post(f"{base}/api/v1/clients", json={"display_name": "K."}).json()["id"]
    tool = ana.get(f"{base}/api/v1/tools", params={"problem": "insomnia", "format": "worksheet", "per_page": 1}).json()["items"][0]
    assigned = ana.post(f"{base}/api/v1/clients/{client_id}/assignments",
                        json={"tool_id": tool["id"], "due": "2030-01-01"}).json()
    token = assigned["link"]["token"]
    page = requests.get(f"{base}/portal/{token}")
    assert page.status_code == 200 and tool["title"].split("(")[0].strip()[:20] in page.text
    csrf = page_csrf(page)
    assert requests.post(f"{base}/portal/{token}/draft", json={"fields": {"note": "half done"}},
                         headers=csrf).status_code == 200
    done = requests.post(f"{base}/portal/{token}/submit", data={"note": "all done"}, headers=csrf)
    assert done.status_code == 200 and "Thank you" in done.text
    assert requests.post(f"{base}/portal/{token}/rating", json={"rating": 4}, headers=csrf).status_code == 200
    states = [a["state"]["status"] for a in ana.get(f"{base}/api/v1/clients/{client_id}/assignments").json()]
    assert states == ["submitted"]

    assert ana.delete(f"{base}/api/v1/assignments/{assigned['assignment']['id']}/links").status_code == 200
    revoked = requests.get(f"{base}/portal/{token}")
    assert revoked.status_code == 403 and "cannot be used" in revoked.text
    assert requests.get(f"{base}/portal/not-a-real-token-at-all").status_code == 404


def test_export_and_delete_on_request(api):
    base, ana, _ = api
    client_id = ana.post(f"{base}/api/v1/clients", json={"display_name": "L."}).json()["id"]
    exported = ana.get(f"{base}/api/v1/clients/{client_id}/export")
    assert exported.status_code == 200 and exported.json()["client"]["id"] == client_id
    assert ana.delete(f"{base}/api/v1/clients/{client_id}").status_code == 200
    assert ana.get(f"{base}/api/v1/clients/{client_id}").status_code == 404


def test_record_actions_each_have_their_route(api):
    base, ana, bo = api
    me = ana.get(f"{base}/api/v1/me").json()["user"]
    other_clinic_user = bo.get(f"{base}/api/v1/me").json()["user"]["id"]
    refused = ana.post(f"{base}/api/v1/clients", json={"display_name": "M.", "practitioner_id": other_clinic_user})
    assert refused.status_code == 400 and "practitioner_id" in refused.json()["message"]   # identity checks it
    client_id = ana.post(f"{base}/api/v1/clients", json={"display_name": "M.", "practitioner_id": me["id"]}).json()["id"]
    changed = ana.patch(f"{base}/api/v1/clients/{client_id}", json={"display_name": "M. R.", "phone": "+44 20 7946 0000"})
    assert changed.status_code == 200 and changed.json()["display_name"] == "M. R."
    assert ana.patch(f"{base}/api/v1/clients/{client_id}", json={"practitioner_id": other_clinic_user}).status_code == 400

    made = ana.post(f"{base}/api/v1/clients/{client_id}/assignments",
                    json={"measure": "phq9", "due": "2030-01-01", "recur": "session"}).json()
    assignment_id, token = made["assignment"]["id"], made["link"]["token"]
    assert ana.get(f"{base}/api/v1/assignments/{assignment_id}").json()["id"] == assignment_id
    assert bo.get(f"{base}/api/v1/assignments/{assignment_id}").status_code == 404
    paper = ana.post(f"{base}/api/v1/assignments/{assignment_id}/paper",
                     json={"taken_on": "2029-12-01", "answers": [3] * 9, "submission_id": "paper-1"})
    assert paper.status_code == 200, paper.text
    assert ana.post(f"{base}/api/v1/assignments/{assignment_id}/again", json={"due": "2030-02-01"}).status_code == 200
    timeline = ana.get(f"{base}/api/v1/clients/{client_id}/timeline").json()
    score = next(e for e in timeline if e["type"] == "measure_scored")
    flag = next(e for e in timeline if e["type"] == "risk_flagged")
    corrected = ana.post(f"{base}/api/v1/clients/{client_id}/events/{score['id']}/correction",
                         json={"answers": [1] * 9, "reason": "Misread the paper form"})
    assert corrected.status_code == 200, corrected.text
    assert ana.post(f"{base}/api/v1/clients/{client_id}/events/{flag['id']}/review",
                    json={"note": "Called; safe"}).status_code == 200
    series = ana.get(f"{base}/api/v1/clients/{client_id}/measures/phq9").json()["series"]
    assert [p["total"] for p in series] == [9]                      # the corrected score
    assert ana.post(f"{base}/api/v1/clients/{client_id}/events/{score['id']}/withdrawal",
                    json={"reason": "Entered for the wrong client"}).status_code == 200
    assert ana.get(f"{base}/api/v1/clients/{client_id}/measures/phq9").json()["series"] == []

    audio = requests.get(f"{base}/portal/{token}/audio")          # a measure has no audio: 404
    assert audio.status_code == 404
    assert requests.get(f"{base}/portal/{token}/progress").status_code == 200
    opened = [e for e in ana.get(f"{base}/api/v1/clients/{client_id}/timeline").json() if e["type"] == "opened"]
    assert opened == []                                             # reading records nothing
    assert requests.get(f"{base}/portal/{token}").status_code == 200
    opened = [e for e in ana.get(f"{base}/api/v1/clients/{client_id}/timeline").json() if e["type"] == "opened"]
    assert len(opened) == 1                                         # one open, one "opened"
    assert ana.post(f"{base}/api/v1/assignments/{assignment_id}/revoke", json={"reason": "Done"}).status_code == 200
    assert requests.get(f"{base}/portal/{token}").status_code == 403
