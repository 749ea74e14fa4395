"""The API as a new partner meets it (issue #11, findings 6 and 8), each item with its own check."""
import pytest
import requests

from tests.conftest import free_port
from tests.integration.test_workbooks import REQUEST
from tests.platform import PASSWORD, logged_in, running, seeded_settings


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    settings = seeded_settings(tmp_path_factory.mktemp("data"), [("Harbour Clinic", "ana@harbour.example"),
                                                                 ("Other Clinic", "bo@other.example")], port=free_port())
    with running(settings) as base:
        ana, bo = logged_in(base, "ana@harbour.example"), logged_in(base, "bo@other.example")
        client = ana.post(f"{base}/api/v1/clients", json={"display_name": "J."}).json()
        yield {"base": base, "ana": ana, "bo": bo, "client": client, "settings": settings}


def assign(api, body, session="ana"):
    return api[session].post(f"{api['base']}/api/v1/clients/{api['client']['id']}/assignments", json=body)


def test_links_start_with_the_public_url_not_the_host_header(api):
    response = api["ana"].post(f"{api['base']}/api/v1/clients/{api['client']['id']}/assignments",
                               json={"measure": "gad7", "due": "2030-01-01"}, headers={"Host": "evil.example"})
    assert response.status_code == 201, response.text
    assert response.json()["portal_url"].startswith(api["settings"].public_url + "/portal/")
    assert "evil.example" not in response.text


def test_a_tool_assignment_is_checked_and_titled_when_made(api):
    tool = api["ana"].get(f"{api['base']}/api/v1/tools", params={"per_page": 1}).json()["items"][0]
    made = assign(api, {"tool_id": tool["id"], "due": "2030-01-01"})
    assert made.status_code == 201, made.text
    assignment = made.json()["assignment"]
    assert assignment["title"] == tool["title"] and assignment["clinic_id"] is not None
    unknown = assign(api, {"tool_id": "no-such-tool", "due": "2030-01-01"})
    assert unknown.status_code == 400 and unknown.json()["message"].startswith("tool_id:")
    theirs = api["bo"].post(f"{api['base']}/api/v1/clinic-tools", json={
        "title": "Bo's own", "summary": "Theirs.", "instructions": ["Step one."]}).json()
    other_clinic = assign(api, {"tool_id": theirs["id"], "due": "2030-01-01"})
    assert other_clinic.status_code == 400 and "tool_id" in other_clinic.json()["message"]


def test_a_due_date_in_the_past_is_refused_with_the_reason(api):
    response = assign(api, {"measure": "gad7", "due": "2020-01-01"})
    assert response.status_code == 400 and response.json()["message"].startswith("due: 2020-01-01 is in the past")


def test_a_workbook_chapter_can_be_assigned_and_a_logo_is_checked_at_edit_time(api):
    workbook = api["ana"].post(f"{api['base']}/api/v1/workbooks", json=REQUEST).json()
    made = assign(api, {"chapter": {"workbook_id": workbook["id"], "chapter": 1}, "due": "2030-01-01"})
    assert made.status_code == 201, made.text
    assert made.json()["assignment"]["title"] == workbook["plan"]["chapters"][0]["title"]
    too_far = assign(api, {"chapter": {"workbook_id": workbook["id"], "chapter": 99}, "due": "2030-01-01"})
    assert too_far.status_code == 400 and "chapter.chapter" in too_far.json()["message"]

    import io
    from PIL import Image
    png = io.BytesIO()
    Image.new("RGB", (4, 4)).save(png, "PNG")
    their_logo = api["bo"].post(f"{api['base']}/api/v1/media", data=png.getvalue(),
                                headers={"Content-Type": "image/png"}).json()["id"]
    edited = api["ana"].patch(f"{api['base']}/api/v1/workbooks/{workbook['id']}",
                              json={"edits": [{"op": "cover", "logo_media_id": their_logo}]})
    assert edited.status_code == 400 and edited.json()["message"].startswith("logo_media_id:")


def test_entity_encoded_names_are_stored_without_markup(api):
    created = api["ana"].post(f"{api['base']}/api/v1/clients", json={"display_name": "&lt;b&gt;Sam&lt;/b&gt; &amp; Jo"})
    assert created.status_code == 201 and created.json()["display_name"] == "Sam & Jo"


def test_a_clinic_admin_cannot_learn_whether_an_email_exists_in_another_clinic(api):
    created = api["bo"].post(f"{api['base']}/api/v1/users", json={
        "email": "ana@harbour.example", "name": "Another Ana", "role": "practitioner", "password": "another password 1"})
    assert created.status_code == 201, created.text
    again = api["bo"].post(f"{api['base']}/api/v1/users", json={
        "email": "ana@harbour.example", "name": "Ana", "role": "practitioner", "password": "another password 1"})
    assert again.status_code == 409   # within the admin's own clinic, saying so is fine
    # each account logs in with its own password
    for password, clinic in ((PASSWORD, "ana"), ("another password 1", "bo")):
        login = requests.post(f"{api['base']}/api/v1/auth/login", json={"email": "ana@harbour.example",
                                                                         "password": password})
        assert login.status_code == 200
        me = api[clinic].get(f"{api['base']}/api/v1/me").json()
        assert login.json()["user"]["clinic_id"] == me["clinic"]["id"]


def test_validation_errors_name_the_field_and_never_echo_the_body(api):
    secret = "s3cret-" + "x" * 900_000
    response = requests.post(f"{api['base']}/api/v1/auth/login", json={"email": "a@b.example", "password": secret})
    assert response.status_code == 400 and len(response.content) < 1000
    assert response.json()["message"].endswith("password: at most 1024 characters") and "s3cret" not in response.text


def test_errors_do_not_send_api_callers_to_a_cli(api):
    response = api["ana"].post(f"{api['base']}/api/v1/workbooks/plan", json={**REQUEST, "problems": ["nope"]})
    assert response.status_code == 400 and "interlude " not in response.json()["message"]
    assert "/api/v1/taxonomy" in response.json()["message"]


@pytest.mark.parametrize("path, params, named", [
    ("/api/v1/search", {"q": "sleep", "age": "teenager"}, "child, teen, adult"),
    ("/api/v1/search", {"q": "sleep", "format": "pdf"}, "worksheet, handout"),
    ("/api/v1/tools", {"age": "teenager"}, "child, teen, adult"),
])
def test_unknown_filter_values_answer_400_naming_the_allowed_ones(api, path, params, named):
    response = api["ana"].get(api["base"] + path, params=params)
    assert response.status_code == 400 and named in response.json()["message"], response.text


def test_405_says_which_methods_are_allowed(api):
    response = api["ana"].delete(f"{api['base']}/api/v1/me")
    assert response.status_code == 405 and response.headers["Allow"] == "GET, HEAD"


def test_odd_paths_answer_4xx_not_500(api):
    base = api["base"]
    assert requests.get(f"{base}/files/editions/x/1.pdf", params={"expires": "1", "signature": "é"}).status_code == 403
    workbook = api["ana"].post(f"{base}/api/v1/workbooks", json=REQUEST).json()
    assert api["ana"].get(f"{base}/api/v1/workbooks/{workbook['id']}/editions/{2 ** 64}.pdf").status_code == 404
