"""Paper and online meet through the real platform (services over RabbitMQ, the gateway over HTTP):
a client uploads the filled PDF of their assignment through the portal page, a practitioner
uploads one on the client's page; the timeline shows the answers, the PDF is kept and downloads
as it was uploaded, and the same PDF uploaded again records once. Another client's PDF, a
catalogue PDF with no assignment, a file that is no PDF and a form without CSRF are refused."""
from __future__ import annotations

import re

import pytest
import requests

from tests.conftest import TEST_SECRET, free_port
from tests.integration.test_web_pages import browser
from tests.paper_helpers import fill, phq9_values
from tests.platform import logged_in, running, seeded_settings

pytestmark = pytest.mark.rabbitmq


@pytest.fixture(scope="module")
def platform(tmp_path_factory, rabbit_url):
    settings = seeded_settings(tmp_path_factory.mktemp("data"), [("Harbour Clinic", "ana@harbour.example"),
                                                                 ("Other Clinic", "bo@other.example")],
                               port=free_port(), broker_url=rabbit_url, secret_key=TEST_SECRET)
    with running(settings) as base:
        yield base, logged_in(base, "ana@harbour.example"), browser(base, "ana@harbour.example"), \
            logged_in(base, "bo@other.example")


def form_token(html: str) -> str:
    return re.search(r'name="csrf_token" value="([0-9a-f]+)"', html).group(1)


def worksheet_with_lines(api, base) -> dict:
    """A catalogue worksheet whose fields include written lines and a 0-10 scale."""
    for summary in api.get(f"{base}/api/v1/tools", params={"format": "worksheet", "per_page": 40}).json()["items"]:
        tool = api.get(f"{base}/api/v1/tools/{summary['id']}").json()
        kinds = [field.get("kind") for field in tool.get("fields", [])]
        if "lines" in kinds and "scale" in kinds:
            return tool
    raise AssertionError("no worksheet with lines and a scale")


def answers_for(tool: dict) -> tuple[dict, dict]:
    """(PDF field values to fill, the fields the record should hold) for every lines and scale field."""
    values, expected = {}, {}
    for index, field in enumerate(tool["fields"]):
        name = f"f{index}_{field['id']}"
        if field.get("kind") == "lines":
            values[name], expected[field["id"]] = f"Answer {index} on paper", f"Answer {index} on paper"
        elif field.get("kind") == "scale" and not field.get("options"):
            values[f"{name}_6"], expected[field["id"]] = "/on", "6"
    return values, expected


def new_client(api, base, name) -> str:
    return api.post(f"{base}/api/v1/clients", json={"display_name": name}).json()["id"]


def assign(api, base, client_id, **target) -> dict:
    made = api.post(f"{base}/api/v1/clients/{client_id}/assignments", json={"due": "2030-01-10", **target})
    assert made.status_code == 201, made.text
    return made.json()


def submitted(api, base, client_id) -> list[dict]:
    return [e for e in api.get(f"{base}/api/v1/clients/{client_id}/timeline").json() if e["type"] == "submitted"]


def test_a_client_uploads_the_filled_pdf_through_the_portal(platform):
    base, api, _, other_clinic = platform
    tool = worksheet_with_lines(api, base)
    client_id = new_client(api, base, "Paper P.")
    token = assign(api, base, client_id, tool_id=tool["id"])["link"]["token"]
    assert "/paper" in requests.get(f"{base}/portal/{token}").text        # the portal page links to it

    home = requests.Session()                                            # the client's browser: no account
    page = home.get(f"{base}/portal/{token}/paper")
    assert page.status_code == 200 and "written by hand" in page.text
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    blank = home.get(f"{base}/portal/{token}/fillable.pdf")
    assert blank.headers["Content-Type"] == "application/pdf"
    values, expected = answers_for(tool)
    pdf = fill(blank.content, values)

    unprotected = home.post(f"{base}/portal/{token}/paper", files={"pdf": ("mine.pdf", pdf, "application/pdf")})
    assert unprotected.status_code == 403                                 # no CSRF token: refused
    for _ in range(2):                                                    # sent twice: recorded once
        sent = home.post(f"{base}/portal/{token}/paper", data={"csrf_token": form_token(page.text)},
                         files={"pdf": ("mine.pdf", pdf, "application/pdf")})
        assert sent.status_code == 200 and "reached your practitioner" in sent.text, sent.text
        assert expected[next(iter(expected))] in sent.text
    entries = submitted(api, base, client_id)
    assert len(entries) == 1 and entries[0]["data"]["fields"] == expected
    assert entries[0]["summary"].startswith("Filled PDF of") and entries[0]["actor"] == "client"
    kept = api.get(f"{base}/api/v1/clients/{client_id}/paper-pdfs/{entries[0]['id']}")
    assert kept.status_code == 200 and kept.content == pdf
    assert other_clinic.get(f"{base}/api/v1/clients/{client_id}/paper-pdfs/{entries[0]['id']}").status_code == 404

    expired = requests.get(f"{base}/portal/{'x' * 43}/paper")      # an unknown link: the portal's words
    assert expired.status_code == 404 and "Ask your practitioner for a new link" in expired.text
    not_pdf = home.post(f"{base}/portal/{token}/paper", data={"csrf_token": form_token(page.text)},
                        files={"pdf": ("photo.jpg", b"\xff\xd8\xff\xe0 a photo", "image/jpeg")})
    assert not_pdf.status_code == 415 and "not a PDF" in not_pdf.text


def test_a_practitioner_uploads_a_measure_on_the_client_page(platform):
    base, api, web, _ = platform
    client_id = new_client(api, base, "Measure M.")
    assignment_id = assign(api, base, client_id, measure="phq9")["assignment"]["id"]
    client_page = web.get(f"{base}/clients/{client_id}")
    assert f"/api/v1/assignments/{assignment_id}/fillable-pdf" in client_page.text
    blank = web.get(f"{base}/api/v1/assignments/{assignment_id}/fillable-pdf")
    assert blank.status_code == 200 and blank.content.startswith(b"%PDF")
    pdf = fill(blank.content, phq9_values([2, 2, 1, 1, 0, 0, 1, 1, 0]))
    url = f"{base}/clients/{client_id}/assignments/{assignment_id}/paper"
    for _ in range(2):
        done = web.post(url, data={"csrf_token": form_token(client_page.text), "taken_on": "2029-12-30"},
                        files={"pdf": ("phq9.pdf", pdf, "application/pdf")})
        assert done.status_code == 200 and "Recorded in the timeline" in done.text and "Score: 8" in done.text
    entries = submitted(api, base, client_id)
    assert len(entries) == 1 and entries[0]["data"]["answers"]["q1"] == 2
    timeline = web.get(f"{base}/clients/{client_id}").text
    assert "Filled PDF of “PHQ-9”" in timeline and f"/paper-pdfs/{entries[0]['id']}" in timeline
    assert "PHQ-9: 8" in timeline


def test_another_clients_or_an_unstamped_pdf_is_refused_over_the_api(platform):
    base, api, _, _ = platform
    tool = worksheet_with_lines(api, base)
    first, second = new_client(api, base, "One O."), new_client(api, base, "Two T.")
    first_assignment = assign(api, base, first, tool_id=tool["id"])["assignment"]["id"]
    second_assignment = assign(api, base, second, tool_id=tool["id"])["assignment"]["id"]
    values, _ = answers_for(tool)
    seconds_pdf = fill(api.get(f"{base}/api/v1/assignments/{second_assignment}/fillable-pdf").content, values)
    upload = f"{base}/api/v1/assignments/{first_assignment}/paper-pdf"
    wrong_client = api.post(upload, data=seconds_pdf, headers={"Content-Type": "application/pdf"})
    assert wrong_client.status_code == 403 and "another client" in wrong_client.json()["message"]
    catalogue_pdf = api.get(f"{base}/api/v1/tools/{tool['id']}.pdf", allow_redirects=True).content
    unstamped = api.post(upload, data=fill(catalogue_pdf, values), headers={"Content-Type": "application/pdf"})
    assert unstamped.status_code == 400 and "Download the fillable PDF" in unstamped.json()["message"]
    accepted = api.post(f"{base}/api/v1/assignments/{second_assignment}/paper-pdf", data=seconds_pdf,
                        headers={"Content-Type": "application/pdf"})
    assert accepted.status_code == 201 and accepted.json()["paper_pdf"]["sha256"]
    assert submitted(api, base, first) == [] and len(submitted(api, base, second)) == 1
