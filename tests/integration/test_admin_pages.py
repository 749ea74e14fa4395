"""The clinic admin's pages and API over HTTP (no browser): the team (invite with a one-time link,
deactivate, reactivate, reset, roles, the last admin), branding with a logo on the next tool PDF,
settings reaching the assignments, the first-visit checklist; CSRF refusals and 403 for a
practitioner. The browser path is tests/browser/test_admin.py."""
import io
import re
from datetime import date, datetime, timedelta, timezone

import pytest
import requests
from PIL import Image
from pypdf import PdfReader

from tests.conftest import free_port
from tests.integration.test_web_pages import assert_secure, browser, csrf_of
from tests.platform import PASSWORD, logged_in, running, seeded_settings

TOOL = "thought-record-for-anxious-thoughts"   # replaced below by the first tool the catalogue lists


def png_logo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (120, 40), (42, 127, 98)).save(out, format="PNG")
    return out.getvalue()


def image_xobjects(pdf: bytes) -> int:
    first = PdfReader(io.BytesIO(pdf)).pages[0]
    xobjects = first["/Resources"].get("/XObject") or {}
    return sum(1 for ref in xobjects.values() if ref.get_object().get("/Subtype") == "/Image")


@pytest.fixture(scope="module")
def web(tmp_path_factory):
    settings = seeded_settings(tmp_path_factory.mktemp("data"), [("Harbour Clinic", "ana@harbour.example"),
                                                                 ("Other Clinic", "bo@other.example")], port=free_port())
    with running(settings) as base:
        api = logged_in(base, "ana@harbour.example")
        made = api.post(f"{base}/api/v1/users", json={"email": "pat@harbour.example", "name": "Pat",
                                                       "role": "practitioner", "password": PASSWORD})
        assert made.status_code == 201, made.text
        yield base, browser(base, "ana@harbour.example"), browser(base, "pat@harbour.example"), api


def form_token(session, url) -> str:
    return csrf_of(session.get(url).text)


def test_practitioners_get_403_and_forms_need_the_csrf_token(web):
    base, ana, pat, _ = web
    for path in ("/admin/team", "/admin/branding", "/admin/settings"):
        page = pat.get(base + path)
        assert page.status_code == 403 and "clinic_admin" in page.text, path
        assert_secure(page)
        assert ana.get(base + path).status_code == 200
    token = form_token(pat, f"{base}/clients")
    assert pat.post(f"{base}/admin/team/invite", data={"csrf_token": token, "email": "x@harbour.example",
                                                       "name": "X", "role": "clinic_admin"}).status_code == 403
    for path, data in (("/admin/team/invite", {"email": "y@harbour.example", "name": "Y", "role": "practitioner"}),
                       ("/admin/settings", {"link_days": "5", "reminder_hours": "3", "crisis_lines": ""}),
                       ("/admin/branding", {"name": "Taken", "colour": "#000000"}),
                       ("/admin/checklist/dismiss", {})):
        refused = ana.post(base + path, data=data)
        assert refused.status_code == 403 and "expired" in refused.text, path
    assert 'href="/admin/team"' not in pat.get(f"{base}/").text.split("<main")[0]   # no admin link in their menu


def test_an_invited_user_sets_a_password_once_then_is_deactivated_and_reactivated(web):
    base, ana, _, api = web
    page = ana.post(f"{base}/admin/team/invite", data={"csrf_token": form_token(ana, f"{base}/admin/team"),
                                                        "email": "Cy@Harbour.example", "name": "Cy <b>", "role": "practitioner"})
    assert page.status_code == 200 and "Cy &lt;b&gt;" in page.text
    url = re.search(r'id="link-url"[^>]*value="([^"]+)"', page.text).group(1)
    path = "/set-password/" + url.rsplit("/", 1)[-1]
    newcomer = requests.Session()
    form = newcomer.get(base + path)
    assert form.status_code == 200 and "cy@harbour.example" in form.text
    assert_secure(form)
    differ = newcomer.post(base + path, data={"csrf_token": csrf_of(form.text), "password": "cy's own password",
                                              "confirm": "something else"})
    assert differ.status_code == 400 and "differ" in differ.text
    done = newcomer.post(base + path, data={"csrf_token": csrf_of(form.text), "password": "cy's own password",
                                            "confirm": "cy's own password"})
    assert done.status_code == 200 and "Your password is set" in done.text
    assert newcomer.get(base + path).status_code == 410   # once only
    login = requests.post(f"{base}/api/v1/auth/login", json={"email": "cy@harbour.example", "password": "cy's own password"})
    assert login.status_code == 200
    cy_token, cy_id = login.json()["token"], login.json()["user"]["id"]
    cy = {"Authorization": f"Bearer {cy_token}"}
    assert requests.get(f"{base}/api/v1/me", headers=cy).status_code == 200

    token = form_token(ana, f"{base}/admin/team")
    off = ana.post(f"{base}/admin/team/{cy_id}/active", data={"csrf_token": token, "active": "no"})
    assert off.status_code == 200 and "deactivated" in off.text
    assert requests.get(f"{base}/api/v1/me", headers=cy).status_code == 401            # at once
    again = requests.post(f"{base}/api/v1/auth/login", json={"email": "cy@harbour.example", "password": "cy's own password"})
    assert again.status_code == 401 and "deactivated" in again.json()["message"]
    web_login = requests.Session()
    refused = web_login.post(f"{base}/login", data={"email": "cy@harbour.example", "password": "cy's own password",
                                                    "csrf_token": csrf_of(web_login.get(f"{base}/login").text)})
    assert refused.status_code == 401 and "deactivated" in refused.text
    assert ana.post(f"{base}/admin/team/{cy_id}/active", data={"csrf_token": token, "active": "yes"}).status_code == 200
    assert requests.post(f"{base}/api/v1/auth/login", json={"email": "cy@harbour.example",
                                                             "password": "cy's own password"}).status_code == 200

    reset = ana.post(f"{base}/admin/team/{cy_id}/password-link", data={"csrf_token": token})
    assert reset.status_code == 200 and "Password reset" in reset.text
    reset_token = re.search(r'id="link-url"[^>]*value="[^"]+/set-password/([^"]+)"', reset.text).group(1)
    assert api.post(f"{base}/api/v1/auth/set-password", json={"token": reset_token, "password": "cy's new password"}).status_code == 200
    assert requests.post(f"{base}/api/v1/auth/set-password",
                         json={"token": reset_token, "password": "cy's third password"}).status_code == 410


def test_roles_the_last_admin_and_the_api(web):
    base, ana, _, api = web
    me = api.get(f"{base}/api/v1/me").json()["user"]
    last = api.patch(f"{base}/api/v1/users/{me['id']}", json={"role": "practitioner"})
    assert last.status_code == 409 and "last admin" in last.json()["message"]
    page = ana.post(f"{base}/admin/team/{me['id']}/active", data={"csrf_token": form_token(ana, f"{base}/admin/team"),
                                                                  "active": "no"})
    assert page.status_code == 409 and "last admin" in page.text
    invited = api.post(f"{base}/api/v1/users/invitations", json={"email": "dee@harbour.example", "name": "Dee",
                                                                 "role": "clinic_admin"})
    assert invited.status_code == 201 and invited.json()["user"]["invited"] is True
    assert invited.json()["link"]["url"].endswith("/set-password/" + invited.json()["link"]["token"])
    assert api.patch(f"{base}/api/v1/users/{invited.json()['user']['id']}", json={"email": "x@y.example"}).status_code == 400
    other = logged_in(base, "bo@other.example")
    assert other.patch(f"{base}/api/v1/users/{me['id']}", json={"active": False}).status_code == 404
    pat_id = next(u["id"] for u in api.get(f"{base}/api/v1/users").json() if u["email"] == "pat@harbour.example")
    pat_api = logged_in(base, "pat@harbour.example")
    assert pat_api.patch(f"{base}/api/v1/users/{pat_id}", json={"role": "clinic_admin"}).status_code == 403
    assert pat_api.patch(f"{base}/api/v1/clinic/profile", json={"link_days": 3}).status_code == 403


def test_a_logo_is_on_the_next_tool_pdf_and_bad_files_are_refused(web):
    base, ana, pat, api = web
    tool_id = api.get(f"{base}/api/v1/tools", params={"limit": 1}).json()["items"][0]["id"]
    before = pat.get(f"{base}/api/v1/tools/{tool_id}.pdf")
    assert before.status_code == 200 and image_xobjects(before.content) == 0
    token = form_token(ana, f"{base}/admin/branding")
    bad = ana.post(f"{base}/admin/branding", data={"csrf_token": token, "name": "Harbour Clinic", "colour": "#2a7f62"},
                   files={"logo": ("logo.png", b"<html>not an image</html>", "image/png")})
    assert bad.status_code == 400 and "logo" in bad.text
    assert ana.post(f"{base}/admin/branding", data={"csrf_token": token, "name": "Harbour Clinic", "colour": "red"},
                    files={"logo": ("logo.png", png_logo(), "image/png")}).status_code == 400
    saved = ana.post(f"{base}/admin/branding", data={"csrf_token": token, "name": "Harbour Clinic", "colour": "#2a7f62"},
                     files={"logo": ("logo.png", png_logo(), "image/png")})
    assert saved.status_code == 200 and "/admin/logo" in saved.text
    logo = ana.get(f"{base}/admin/logo")
    assert logo.headers["Content-Type"] == "image/png" and logo.content == png_logo()
    after = pat.get(f"{base}/api/v1/tools/{tool_id}.pdf")   # any user of the clinic: the clinic's PDF
    assert image_xobjects(after.content) == 1 and after.content != before.content
    page = pat.get(f"{base}/tools/{tool_id}")
    assert re.search(r'/pages/1\.png\?b=[0-9a-f]{12}', page.text)   # the thumbnails' URLs follow the branding
    other = logged_in(base, "bo@other.example")
    assert image_xobjects(other.get(f"{base}/api/v1/tools/{tool_id}.pdf").content) == 0   # not another clinic's
    svg = api.put(f"{base}/api/v1/clinic/logo", data=b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 4">'
                  b'<script>alert(1)</script><rect width="4" height="4" fill="#2a7f62"/></svg>')
    assert svg.status_code == 200 and svg.json()["logo_key"].endswith(".svg")
    assert b"script" not in ana.get(f"{base}/admin/logo").content
    assert api.get(f"{base}/api/v1/tools/{tool_id}.pdf").status_code == 200


def test_settings_reach_new_assignments(web):
    base, ana, _, api = web
    token = form_token(ana, f"{base}/admin/settings")
    too_many = ana.post(f"{base}/admin/settings", data={"csrf_token": token, "link_days": "10", "reminder_hours": "6",
                                                        "crisis_lines": "\n".join(f"line {n}" for n in range(6))})
    assert too_many.status_code == 400 and "crisis_lines" in too_many.text
    assert ana.post(f"{base}/admin/settings", data={"csrf_token": token, "link_days": "0", "reminder_hours": "6",
                                                    "crisis_lines": ""}).status_code == 400
    saved = ana.post(f"{base}/admin/settings", data={"csrf_token": token, "link_days": "10", "reminder_hours": "6",
                                                     "crisis_lines": "988 Suicide & Crisis Lifeline: call or text 988"})
    assert saved.status_code == 200 and 'href="/webhooks"' in saved.text
    profile = api.get(f"{base}/api/v1/clinic/profile").json()
    assert (profile["link_days"], profile["reminder_hours"]) == (10, 6)
    assert profile["crisis_lines"] == ["988 Suicide & Crisis Lifeline: call or text 988"]
    client = api.post(f"{base}/api/v1/clients", json={"display_name": "Settings"}).json()
    made = api.post(f"{base}/api/v1/clients/{client['id']}/assignments",
                    json={"measure": "phq9", "due": (date.today() + timedelta(days=3)).isoformat()})
    assert made.status_code == 201, made.text
    expires = datetime.fromisoformat(made.json()["link"]["expires_at"].replace("Z", "+00:00"))
    assert timedelta(days=9) < expires - datetime.now(timezone.utc) <= timedelta(days=10)


def test_the_first_visit_checklist_until_dismissed(web):
    base, ana, pat, api = web
    home = ana.get(f"{base}/").text
    assert "Set up your clinic" in home and 'href="/admin/team"' in home
    assert "Set up your clinic" not in pat.get(f"{base}/").text
    assert ana.post(f"{base}/admin/checklist/dismiss", data={"csrf_token": csrf_of(home)}).status_code == 200
    assert "Set up your clinic" not in ana.get(f"{base}/").text
