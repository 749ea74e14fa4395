"""The web app over HTTP (no browser): security headers on every HTML response, error pages
included; CSRF on every state-changing request, forms and htmx alike; user-written text escaped;
one clinic's data never reaches another's pages. The browser path is tests/browser/."""
import datetime
import re

import pytest
import requests

from tests.conftest import free_port
from tests.platform import PASSWORD, logged_in, running, seeded_settings

HEADERS = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf-token" content="([0-9a-f]+)"', html).group(1)


def browser(base: str, email: str) -> requests.Session:
    session = requests.Session()
    token = csrf_of(session.get(f"{base}/login").text)
    answer = session.post(f"{base}/login", data={"email": email, "password": PASSWORD, "csrf_token": token,
                                                 "next": "/clients"}, allow_redirects=False)
    assert answer.status_code == 303 and answer.headers["Location"] == "/clients", answer.text
    return session


def assert_secure(response):
    for name, value in HEADERS.items():
        assert response.headers.get(name) == value, (response.url, name)
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp and "unsafe-inline" not in csp
    if response.headers.get("Content-Type", "").startswith("text/html"):
        assert "<script>" not in response.text   # no inline script: only <script src=…>


@pytest.fixture(scope="module")
def web(tmp_path_factory):
    settings = seeded_settings(tmp_path_factory.mktemp("data"), [("Harbour Clinic", "ana@harbour.example"),
                                                                 ("Other Clinic", "bo@other.example")], port=free_port())
    with running(settings) as base:
        yield base, browser(base, "ana@harbour.example"), browser(base, "bo@other.example")


def test_login_sets_a_safe_cookie_and_wrong_password_says_so(web):
    base, _, _ = web
    session = requests.Session()
    token = csrf_of(session.get(f"{base}/login").text)
    wrong = session.post(f"{base}/login", data={"email": "ana@harbour.example", "password": "nope", "csrf_token": token})
    assert wrong.status_code == 401 and "Wrong email or password." in wrong.text
    assert_secure(wrong)
    right = session.post(f"{base}/login", data={"email": "ana@harbour.example", "password": PASSWORD,
                                                 "csrf_token": token, "next": "//evil.example/"}, allow_redirects=False)
    assert right.headers["Location"] == "/"
    cookie = right.headers["Set-Cookie"]
    assert "interlude_session=" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert requests.get(f"{base}/", allow_redirects=False).headers["Location"] == "/login?next=/"


def test_every_page_and_error_page_has_the_security_headers(web):
    base, ana, _ = web
    client_id = re.search(r"/clients/(prc_\w+|cli_\w+|\w+_\w+)", ana.post(
        f"{base}/clients", data={"display_name": "Headers", "csrf_token": csrf_of(ana.get(f"{base}/clients").text)}).url).group(1)
    for path in ["/", "/tools", "/tools?q=sleep&format=worksheet", "/tools/suggest?q=sle", "/clients",
                 f"/clients/{client_id}", "/workbooks", "/workbooks/new", "/login", "/no-such-page",
                 "/tools/no-such-tool", "/clients/no-such-client", "/static/css/app.css"]:
        response = ana.get(base + path, headers={"Accept": "text/html"})
        assert_secure(response)
        assert response.status_code == (404 if "no-such" in path else 200), path
    static = ana.get(f"{base}/static/vendor/htmx/htmx.min.js")
    assert static.status_code == 200 and static.headers["Content-Type"].startswith("text/javascript")
    assert ana.get(f"{base}/static/../service.py").status_code == 404


def test_state_changes_need_this_browsers_csrf_token(web):
    base, ana, bo = web
    page = ana.get(f"{base}/clients").text
    missing = ana.post(f"{base}/clients", data={"display_name": "No token"})
    assert missing.status_code == 403 and "expired" in missing.text
    assert_secure(missing)
    others = ana.post(f"{base}/clients", data={"display_name": "Bo's token", "csrf_token": csrf_of(bo.get(f"{base}/clients").text)})
    assert others.status_code == 403
    header = ana.post(f"{base}/clients", data={"display_name": "By htmx"},
                      headers={"X-CSRF-Token": csrf_of(page), "HX-Request": "true"})
    assert header.status_code == 200 and "By htmx" in header.text
    assert "No token" not in ana.get(f"{base}/clients").text
    assert requests.post(f"{base}/logout").status_code == 403


def test_user_written_text_is_shown_as_text(web):
    base, ana, _ = web
    token = csrf_of(ana.get(f"{base}/clients").text)
    made = ana.post(f"{base}/clients", data={"display_name": 'Tom & Jo <3 "x"', "csrf_token": token})
    assert made.status_code == 200
    assert 'Tom & Jo <3' not in made.text and "Tom &amp; Jo &lt;3 &#34;x&#34;" in made.text
    api = logged_in(base, "ana@harbour.example")
    tool = api.post(f"{base}/api/v1/clinic-tools", json={
        "title": "<script>alert('t')</script> Urge surfing", "summary": "<b>bold</b> claim",
        "instructions": ["Notice the urge."], "fields": [{"label": "Urge (0-10)", "kind": "scale"}],
        "problems": ["ocd-contamination"]})
    assert tool.status_code == 201, tool.text
    shown = ana.get(f"{base}/tools/{tool.json()['id']}")
    assert shown.status_code == 200 and "<script>alert" not in shown.text and "<b>bold" not in shown.text


def test_a_second_clinic_sees_none_of_the_first_clinics_data(web):
    base, ana, bo = web
    token = csrf_of(ana.get(f"{base}/clients").text)
    client_url = ana.post(f"{base}/clients", data={"display_name": "Harbour Only", "csrf_token": token}).url
    assert "Harbour Only" in ana.get(f"{base}/clients").text
    for path in ["/", "/clients", "/workbooks"]:
        assert "Harbour Only" not in bo.get(base + path).text
    assert bo.get(client_url).status_code == 404
    bo_token = csrf_of(bo.get(f"{base}/clients").text)
    client_id = client_url.rsplit("/", 1)[1]
    assert bo.post(f"{base}/clients/{client_id}/measures", data={"measure": "phq9", "due": "2030-01-01",
                                                                 "csrf_token": bo_token}).status_code == 404
    assert bo.post(f"{base}/clients/{client_id}/delete", data={"confirm_name": "Harbour Only",
                                                               "csrf_token": bo_token}).status_code == 404
    assert ana.get(client_url).status_code == 200


def test_measure_schedule_pathway_export_and_deletion_through_the_pages(web):
    base, ana, _ = web
    token = csrf_of(ana.get(f"{base}/clients").text)
    client_url = ana.post(f"{base}/clients", data={"display_name": "Pathway P.", "csrf_token": token}).url
    client_id = client_url.rsplit("/", 1)[1]
    sent = ana.post(f"{client_url}/measures", data={"measure": "gad7", "due": "2030-01-06", "every_days": "14",
                                                    "csrf_token": token})
    assert sent.status_code == 200 and sent.text.count('class="portal-link"') == 1
    assert "/portal/" in sent.text and "GAD-7" in sent.text

    made = ana.post(f"{base}/workbooks", data={"problem": ["insomnia", "ocd-contamination"], "age_group": "adult",
                                               "client_id": client_id, "csrf_token": token})
    assert made.status_code == 200 and "Workbook for Pathway P." in made.text
    workbook_url = made.url
    chapter_tools = re.findall(r'data-tool-id="([^"]+)"', made.text)
    pathway = ana.post(f"{workbook_url}/pathway", data={"client_id": client_id, "start": "2030-01-07",
                                                        "chapter_every_days": "7", "measure_every_days": "14",
                                                        "csrf_token": token})
    assert pathway.status_code == 200, pathway.text
    assert pathway.text.count('class="portal-link"') == len(chapter_tools) + 1   # every tool, and the measure
    assert "2030-01-14" in pathway.text   # the second chapter a week later

    page = ana.get(client_url).text
    assert page.count("New portal link") == len(chapter_tools) + 2
    bad = ana.post(f"{client_url}/measures", data={"measure": "nope", "due": "2030-01-06", "csrf_token": token})
    assert bad.status_code == 400 and "measure must be one of" in bad.text
    assert ana.get(f"{base}/api/v1/clients/{client_id}/export/fhir").headers["Content-Type"] == "application/fhir+json"

    wrong = ana.post(f"{client_url}/delete", data={"confirm_name": "someone else", "csrf_token": token})
    assert wrong.status_code == 400 and ana.get(client_url).status_code == 200
    deleted = ana.post(f"{client_url}/delete", data={"confirm_name": "Pathway P.", "csrf_token": token})
    assert deleted.status_code == 200 and deleted.url.endswith("/clients?deleted=1")
    assert ana.get(client_url).status_code == 404


def test_workbook_edits_without_javascript(web):
    base, ana, _ = web
    token = csrf_of(ana.get(f"{base}/workbooks/new").text)
    page = ana.post(f"{base}/workbooks", data={"problem": ["insomnia"], "age_group": "adult",
                                               "client_name": "Edits", "csrf_token": token})
    url = page.url
    assert "Chapter 1" in page.text and 'class="why"' in page.text   # the reason for each tool
    found = ana.get(url, params={"q": "nightmares"}).text
    tool_id = re.search(r'name="op" value="add"><input type="hidden" name="tool_id" value="([^"]+)"', found).group(1)
    added = ana.post(f"{url}/edit", data={"op": "add", "tool_id": tool_id, "csrf_token": token})
    assert f'data-tool-id="{tool_id}"' in added.text
    goals = ana.post(f"{url}/edit", data={"op": "goals", "goals": "Sleep by midnight\nFewer naps", "csrf_token": token})
    assert "Sleep by midnight\nFewer naps" in goals.text
    noted = ana.post(f"{url}/edit", data={"op": "note", "chapter": "insomnia", "text": "Start with the diary",
                                          "csrf_token": token})
    assert 'value="Start with the diary"' in noted.text
    drag = ana.post(f"{url}/edit", data={"edits": '[{"op": "reorder", "chapter": "insomnia", "tool_ids": ["x"]}]'},
                    headers={"X-CSRF-Token": token})
    assert drag.status_code == 400 and "tool_ids must list every tool" in drag.text
    tool_page = ana.get(f"{base}/tools/{tool_id}").text
    workbook_id = url.rsplit("/", 1)[1]
    assert f'<option value="{workbook_id}">' in tool_page
    again = ana.post(f"{base}/tools/{tool_id}/add-to-workbook", data={"workbook_id": workbook_id, "csrf_token": token})
    assert again.status_code == 400 and "already in the chapter" in again.text


def test_tools_sharing_a_title_read_apart_in_every_list(web):
    """All formats and ages of one exercise share its title: lists say which each one is."""
    base, ana, _ = web
    html = ana.get(f"{base}/tools", params={"q": "fear ladder contamination"}).text
    links = re.findall(r'<h3><a href="/tools/([^"]+)">([^<]+)</a></h3>', html)
    labels = [label for _id, label in links]
    titles = [label.split(" · ")[0] for label in labels]
    shared = next(t for t in titles if titles.count(t) > 1)   # a title several results share
    assert len(set(labels)) == len(labels) and all(" · " in label for label in labels)

    # its suggestion stands for all of them: it leads to the search for the title, not to one tool
    suggested = ana.get(f"{base}/tools/suggest", params={"q": shared}).text
    assert f'<a href="/tools?q={requests.utils.quote(shared, safe="")}">' in suggested.replace("%20", "%20")
    assert "several formats or ages" in suggested

    # a client with two of them sees which is which on their page
    token = csrf_of(ana.get(f"{base}/clients").text)
    client_url = ana.post(f"{base}/clients", data={"display_name": "Two Formats", "csrf_token": token}).url
    client_id = client_url.rsplit("/", 1)[1]
    pair = [(tool_id, label) for tool_id, label in links if label.startswith(shared + " · ")][:2]
    due_soon = (datetime.date.today() + datetime.timedelta(days=3)).isoformat()
    for tool_id, label in pair:
        done = ana.post(f"{base}/tools/{tool_id}/assign", data={"client_id": client_id, "due": due_soon,
                                                                "csrf_token": token})
        assert done.status_code == 200, done.text
        assert f"Assigned: {label}</h1>" in done.text
    page = ana.get(client_url).text
    shown = re.findall(r'<li><strong>([^<]+)</strong><span class="muted"> · ([^<]+)</span>', page)
    assert len(shown) == 2 and len(set(shown)) == 2
    assert {f"{title} · {kind}" for title, kind in shown} == {label for _id, label in pair}
    # and so does the dashboard's "Due this week"
    dashboard = ana.get(f"{base}/").text
    due = re.findall(r'Two Formats</a>: ([^<]+)<span class="muted"> · ([^<]+)</span>', dashboard)
    assert {f"{title} · {kind}" for title, kind in due} == {label for _id, label in pair}


def test_a_handouts_summary_is_not_shown_twice_on_its_page(web):
    """A problem handout's summary opens its "What is going on": the page says it once (the PDF's rule);
    a worksheet's summary is its own line and stays."""
    base, ana, _ = web
    seen = {}
    for params in ({"technique": "psychoeducation"}, {"format": "worksheet"}):
        html = ana.get(f"{base}/tools", params=params).text
        for tool_id in re.findall(r'<h3><a href="/tools/([^"]+)">', html):
            tool = ana.get(f"{base}/api/v1/tools/{tool_id}").json()
            opening = " ".join(tool["sections"][0]["text"].split())
            seen.setdefault(opening.startswith(" ".join(tool["summary"].split()).rstrip(".")), tool_id)
    assert set(seen) == {True, False}   # both cases are in the catalogue
    assert 'class="lead"' not in ana.get(f"{base}/tools/{seen[True]}").text
    assert 'class="lead"' in ana.get(f"{base}/tools/{seen[False]}").text
