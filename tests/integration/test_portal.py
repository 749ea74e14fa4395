"""The client portal through the live gateway (issue #16): a strict CSP and no inline script on
every page, CSRF bound to the link, untouched scales recording nothing, an empty worksheet
refused with nothing recorded, "Your turn" before "Looking back", homework counted across the
client's assignments, the clinic's branding and crisis numbers, and Spanish set per client."""
import re

import pytest
import requests

from tests.conftest import free_port
from tests.platform import logged_in, running, seeded_settings

LOGO = (b'<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40"><rect width="40" height="40" '
        b'fill="#c05621"/></svg>')
CRISIS = "Harbour line: call 0800 123 456"


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    from gateway.identity import Identity
    from interlude import wiring
    settings = seeded_settings(tmp_path_factory.mktemp("data"), [("Harbour Clinic", "ana@harbour.example")],
                               port=free_port())
    store, blobs = wiring.documents(settings), wiring.blobs(settings)
    clinic = Identity(store).clinics.find({"name": "Harbour Clinic"})[0]
    blobs.put(f"clinics/{clinic['id']}/logo.svg", LOGO, "image/svg+xml")
    Identity(store).clinics.update(clinic["id"], {"branding": {"colour": "#C05621",
                                                               "logo_key": f"clinics/{clinic['id']}/logo.svg"},
                                                  "settings": {"crisis_lines": [CRISIS]}})
    store.close()
    with running(settings) as base:
        yield base, logged_in(base, "ana@harbour.example")


def new_client(base, ana, name="P.") -> str:
    return ana.post(f"{base}/api/v1/clients", json={"display_name": name}).json()["id"]


def assign(base, ana, client_id, **target) -> str:
    made = ana.post(f"{base}/api/v1/clients/{client_id}/assignments", json={"due": "2030-01-01", **target})
    assert made.status_code == 201, made.text
    return made.json()["link"]["token"]


def hidden(html: str, name: str) -> str:
    return re.search(rf'name="{name}" value="([^"]+)"', html).group(1)


def recorded(ana, base, client_id, kind="submitted") -> list[dict]:
    return [e for e in ana.get(f"{base}/api/v1/clients/{client_id}/timeline").json() if e["type"] == kind]


def worksheet_with_a_scale(ana, base) -> dict:
    listed = ana.get(f"{base}/api/v1/tools", params={"format": "worksheet", "per_page": 60}).json()["items"]
    for item in listed:
        tool = ana.get(f"{base}/api/v1/tools/{item['id']}").json()
        kinds = {f["kind"] for f in tool.get("fields", [])}
        if "scale" in kinds and "lines" in kinds and any(s["id"] == "looking_back" for s in tool["sections"]):
            return tool
    raise AssertionError("no worksheet with a 0-10 scale and a text field among the first 60")


def assert_strict(response):
    policy = response.headers["Content-Security-Policy"]
    nonce = re.search(r"script-src 'nonce-([^']+)'", policy).group(1)
    assert "unsafe-inline" not in policy and "style-src 'self'" in policy and "frame-ancestors 'none'" in policy
    html = response.text
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert all(f'nonce="{nonce}"' in tag and "src=" in tag for tag in scripts), scripts
    assert not re.search(r"<script\b[^>]*>\s*[^<\s]", html), "an inline script"
    assert not re.search(r"\son[a-z]+\s*=", html), "an inline event handler"
    assert not re.search(r"\sstyle\s*=|<style\b", html), "an inline style"


def test_every_portal_page_has_a_per_request_csp_and_no_inline_script(api):
    base, ana = api
    client_id = new_client(base, ana)
    tool = worksheet_with_a_scale(ana, base)
    worksheet = assign(base, ana, client_id, tool_id=tool["id"])
    measure = assign(base, ana, client_id, measure="phq9")
    pages = [requests.get(f"{base}/portal/{worksheet}"), requests.get(f"{base}/portal/{measure}"),
             requests.get(f"{base}/portal/{measure}/progress"), requests.get(f"{base}/portal/no-such-link-at-all")]
    page = requests.get(f"{base}/portal/{measure}")
    done = requests.post(f"{base}/portal/{measure}/submit", data={
        **{f"q{i}": "0" for i in range(1, 10)}, "submission_id": hidden(page.text, "submission_id"),
        "csrf_token": hidden(page.text, "csrf_token")})
    pages += [page, done]
    assert [p.status_code for p in pages] == [200, 200, 200, 404, 200, 200]
    for response in pages:
        assert_strict(response)
    policies = {p.headers["Content-Security-Policy"] for p in pages}
    assert len(policies) == len(pages)                                  # a nonce per response


def test_a_post_without_this_links_csrf_token_is_refused_and_records_nothing(api):
    base, ana = api
    client_id = new_client(base, ana)
    token, other = assign(base, ana, client_id, measure="gad7"), assign(base, ana, client_id, measure="gad7")
    page, other_page = requests.get(f"{base}/portal/{token}"), requests.get(f"{base}/portal/{other}")
    answers = {f"q{i}": "1" for i in range(1, 8)}
    form = {**answers, "submission_id": hidden(page.text, "submission_id")}
    missing = requests.post(f"{base}/portal/{token}/submit", data=form)
    borrowed = requests.post(f"{base}/portal/{token}/submit",
                             data={**form, "csrf_token": hidden(other_page.text, "csrf_token")})
    forged = requests.post(f"{base}/portal/{token}/submit", data={**form, "csrf_token": "abc.def"})
    as_json = requests.post(f"{base}/portal/{token}/submit", json={"answers": answers})
    draft = requests.post(f"{base}/portal/{token}/rating", data={"rating": "4"})
    for refused in (missing, borrowed, forged, draft):
        assert refused.status_code == 403 and "This form has expired" in refused.text
    assert as_json.status_code == 403 and as_json.json()["error"] == "forbidden"
    assert recorded(ana, base, client_id) == [] and recorded(ana, base, client_id, "rated") == []
    sent = requests.post(f"{base}/portal/{token}/submit", data={**form, "csrf_token": hidden(page.text, "csrf_token")})
    assert sent.status_code == 200 and len(recorded(ana, base, client_id)) == 1
    again = requests.post(f"{base}/portal/{token}/submit", data={**form, "csrf_token": hidden(page.text, "csrf_token")})
    assert again.status_code == 200 and len(recorded(ana, base, client_id)) == 1   # the same submission_id


def test_a_worksheet_in_the_pdfs_order_untouched_scales_recording_nothing(api):
    base, ana = api
    client_id = new_client(base, ana)
    tool = worksheet_with_a_scale(ana, base)
    token = assign(base, ana, client_id, tool_id=tool["id"])
    page = requests.get(f"{base}/portal/{token}").text
    assert page.index('id="tool-form"') < page.index("Looking back")          # "Your turn" first, as printed
    scale = next(f for f in tool["fields"] if f["kind"] == "scale")
    text = next(f for f in tool["fields"] if f["kind"] == "lines")
    assert not re.search(r"<input[^>]*\schecked", page)                    # no scale starts at 5: none chosen
    assert not re.search(r"Circle the\b", page)                               # worded for a screen
    form = {"submission_id": hidden(page, "submission_id"), "csrf_token": hidden(page, "csrf_token")}

    empty = requests.post(f"{base}/portal/{token}/submit", data={**form, text["id"]: "  "})
    assert empty.status_code == 400 and "fill in at least one answer" in empty.text
    assert recorded(ana, base, client_id) == []                               # nothing recorded

    sent = requests.post(f"{base}/portal/{token}/submit", data={**form, text["id"]: "On the bus"})
    assert sent.status_code == 200, sent.text
    fields = recorded(ana, base, client_id)[0]["data"]["fields"]
    assert fields == {text["id"]: "On the bus"}                               # no 5 for the untouched scale


def test_homework_counts_cover_all_of_the_clients_assignments(api):
    base, ana = api
    client_id = new_client(base, ana)
    tokens = [assign(base, ana, client_id, measure="gad7") for _ in range(5)]
    answered = requests.post(f"{base}/portal/{tokens[0]}/submit",
                             headers={"X-CSRF-Token": hidden(requests.get(f"{base}/portal/{tokens[0]}").text,
                                                             "csrf_token")},
                             json={"answers": [0] * 7, "submission_id": "count-1"})
    assert answered.status_code == 200, answered.text
    for token in (tokens[0], tokens[4]):
        assert "Homework done: 1 of 5." in requests.get(f"{base}/portal/{token}/progress").text


def test_branding_and_crisis_numbers_beside_item_9_and_after_submission(api):
    base, ana = api
    client_id = new_client(base, ana)
    token = assign(base, ana, client_id, measure="phq9")
    page = requests.get(f"{base}/portal/{token}")
    assert "Harbour Clinic" in page.text and '/portal-brand/c05621.css' in page.text
    logo = re.search(r'<img class="logo" src="([^"]+)"', page.text).group(1)
    assert requests.get(base + logo.replace("&amp;", "&")).content == LOGO
    assert requests.get(f"{base}/portal-brand/c05621.css").text.startswith(":root{--brand:#c05621")
    risk = re.search(r'<fieldset class="field choices risk" aria-describedby="q9-crisis">.*?</fieldset>', page.text,
                     re.S)
    assert risk and CRISIS in risk.group(0) and page.text.count(CRISIS) == 1   # only beside the risk item
    sent = requests.post(f"{base}/portal/{token}/submit", data={
        **{f"q{i}": "1" for i in range(1, 10)}, "submission_id": hidden(page.text, "submission_id"),
        "csrf_token": hidden(page.text, "csrf_token")})
    alert = re.search(r'<div class="crisis" role="alert">.*?</div>', sent.text, re.S).group(0)
    assert CRISIS in alert and "Thank you for telling us" in alert


def test_the_practitioner_sets_spanish_for_a_client(api):
    base, ana = api
    client_id = new_client(base, ana)
    token = assign(base, ana, client_id, measure="phq9")
    assert "Send to my practitioner" in requests.get(f"{base}/portal/{token}").text
    wrong = ana.patch(f"{base}/api/v1/clients/{client_id}", json={"language": "fr"})
    assert wrong.status_code == 400 and "language" in wrong.json()["message"]
    changed = ana.patch(f"{base}/api/v1/clients/{client_id}", json={"language": "es"})
    assert changed.status_code == 200 and changed.json()["language"] == "es"
    page = requests.get(f"{base}/portal/{token}").text
    assert '<html lang="es">' in page and "Enviar a mi profesional" in page
    assert "Este cuestionario se muestra en inglés" in page                   # no official translation held
    assert 'lang="en"' in page and "Little interest or pleasure in doing things" in page
    assert "Tareas hechas: 0 de 1." in requests.get(f"{base}/portal/{token}/progress").text


def test_the_client_page_of_the_web_app_sets_the_portal_language(api):
    from tests.integration.test_web_pages import browser, csrf_of
    base, ana = api
    client_id = new_client(base, ana)
    token = assign(base, ana, client_id, measure="gad7")
    web = browser(base, "ana@harbour.example")
    page = web.get(f"{base}/clients/{client_id}").text
    assert 'id="portal-language"' in page and '<option value="en" lang="en" selected>' in page
    refused = web.post(f"{base}/clients/{client_id}/language", data={"language": "es"})
    assert refused.status_code == 403                                        # the web app's CSRF
    saved = web.post(f"{base}/clients/{client_id}/language", data={"language": "es", "csrf_token": csrf_of(page)})
    assert saved.status_code == 200 and '<option value="es" lang="es" selected>' in saved.text
    assert '<html lang="es">' in requests.get(f"{base}/portal/{token}").text
    wrong = web.post(f"{base}/clients/{client_id}/language", data={"language": "xx", "csrf_token": csrf_of(page)})
    assert wrong.status_code == 400 and "language must be one of en, es" in wrong.text
