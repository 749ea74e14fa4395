"""The clinic tool editor over HTTP: the live preview (htmx, CSRF header), a mistake shown beside its
field with nothing lost, publish, a new version (earlier assignments keep theirs, new ones get the
newest), retire (gone from the catalogue and new assignments, still readable where used), and
another clinic neither sees, edits nor previews from the first one's tools."""
import base64
import re
import time

import pytest
import requests

# web: the two-clinic platform of test_web_pages (a platform of its own for this module)
from tests.integration.test_web_pages import assert_secure, csrf_of, web  # noqa: F401
from tests.platform import logged_in

MARKDOWN = """# Harbour Breathing Log

Three slow breaths before the day starts.

1. Sit down.
2. Breathe out slowly, three times.

## Your turn
- How calm do I feel? (0-10)
- What I noticed (2 lines)
"""


def wait_for(check, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.3)
    pytest.fail("timed out")


def editor_post(session, base, **data):
    token = csrf_of(session.get(f"{base}/clinic-tools/new").text)
    return session.post(f"{base}/clinic-tools/editor", data={"csrf_token": token, "mode": "markdown", **data},
                        allow_redirects=False)


def publish(session, base, markdown, **extra) -> str:
    answer = editor_post(session, base, markdown=markdown, action="publish", age_group="adult",
                         format="worksheet", problems="insomnia", **extra)
    assert answer.status_code == 303, answer.text
    return re.match(r"/tools/(ct_[\w-]+)\?published=\d+", answer.headers["Location"]).group(1)


def assign(session, base, tool_id, client_id) -> str:
    token = csrf_of(session.get(f"{base}/tools/{tool_id}").text)
    done = session.post(f"{base}/tools/{tool_id}/assign", data={"csrf_token": token, "client_id": client_id,
                                                                "due": "2030-01-07", "confirm": "yes"})
    assert done.status_code == 200, done.text
    return re.search(r'class="portal-link" href="[^"]*(/portal/[^"]+)"', done.text).group(1)


def new_client(session, base, name) -> str:
    token = csrf_of(session.get(f"{base}/clients").text)
    return session.post(f"{base}/clients", data={"display_name": name, "csrf_token": token}).url.rsplit("/", 1)[1]


def test_the_editor_previews_as_you_type_and_needs_this_browsers_token(web):
    base, ana, bo = web
    page = ana.get(f"{base}/clinic-tools/new")
    assert page.status_code == 200 and 'hx-post="/clinic-tools/preview"' in page.text
    assert_secure(page)
    assert '<script src="/static/js/clinic_tools.js" defer></script>' in page.text
    token = csrf_of(page.text)
    preview = ana.post(f"{base}/clinic-tools/preview", data={"mode": "markdown", "markdown": MARKDOWN,
                                                             "preview_seq": "7"},
                       headers={"X-CSRF-Token": token, "HX-Request": "true"})
    assert preview.status_code == 200 and preview.headers["X-Preview-Seq"] == "7"
    assert 'src="data:image/png;base64,iVBOR' in preview.text and "Harbour Breathing Log, page 1 of 1" in preview.text
    assert_secure(preview)
    assert ana.post(f"{base}/clinic-tools/preview", data={"markdown": MARKDOWN}).status_code == 403
    others = ana.post(f"{base}/clinic-tools/preview", data={"markdown": MARKDOWN},
                      headers={"X-CSRF-Token": csrf_of(bo.get(f"{base}/clinic-tools").text)})
    assert others.status_code == 403
    form_mode = ana.get(f"{base}/clinic-tools/new?mode=form")
    assert 'id="field-0-label"' in form_mode.text and 'id="error-title"' in form_mode.text


def test_a_mistake_is_shown_beside_its_field_and_the_last_preview_stays(web):
    base, ana, _ = web
    token = csrf_of(ana.get(f"{base}/clinic-tools/new").text)
    headers = {"X-CSRF-Token": token, "HX-Request": "true"}
    wrong = ana.post(f"{base}/clinic-tools/preview", data={"mode": "markdown", "markdown": "no title <b>here</b>"},
                     headers=headers)
    assert wrong.status_code == 200 and wrong.headers["HX-Reswap"] == "none"
    assert re.search(r'id="error-markdown" class="field-error" hx-swap-oob="true">markdown: start with a `# Title`',
                     wrong.text)
    steps = ana.post(f"{base}/clinic-tools/preview", headers=headers, data={
        "mode": "form", "title": "T", "summary": "S", "steps": "One", "field_rows": "2",
        "field-0-label": "Grid", "field-0-kind": "table", "field-0-count": "99"})
    assert re.search(r'id="error-field-0" [^>]*>field 1 rows must be a whole number from 1 to 14', steps.text)
    assert re.search(r'id="error-title" [^>]*></p>', steps.text)          # the other slots are emptied
    kept = editor_post(ana, base, markdown="# Title only <script>x</script>", action="publish")
    assert kept.status_code == 400 and "instructions must be a list of 1 to 12 steps" in kept.text
    assert "# Title only &lt;script&gt;x&lt;/script&gt;</textarea>" in kept.text      # nothing typed is lost
    no_js = editor_post(ana, base, markdown=MARKDOWN, action="preview")
    assert no_js.status_code == 200 and 'class="preview-page"' in no_js.text


def test_publish_version_assign_and_retire(web):
    base, ana, bo = web
    tool_id = publish(ana, base, MARKDOWN)
    shown = ana.get(f"{base}/tools/{tool_id}?published=1")
    assert "Version 1 is published" in shown.text and "Write a new version" in shown.text
    wait_for(lambda: tool_id in ana.get(f"{base}/tools", params={"q": "Harbour Breathing"}).text)
    assert tool_id not in bo.get(f"{base}/tools", params={"q": "Harbour Breathing"}).text
    client_id = new_client(ana, base, "Versions")
    first_link = assign(ana, base, tool_id, client_id)

    edit = ana.get(f"{base}/clinic-tools/{tool_id}/edit")
    assert edit.status_code == 200 and "Harbour Breathing Log" in edit.text and "Publish version 2" in edit.text
    second = editor_post(ana, base, markdown=MARKDOWN.replace("Harbour Breathing Log", "Harbour Breathing Log Two"),
                         action="publish", tool_id=tool_id)
    assert second.headers["Location"] == f"/tools/{tool_id}?published=2"
    newest = requests.get(base + assign(ana, base, tool_id, client_id))
    assert newest.status_code == 200 and "Harbour Breathing Log Two" in newest.text
    kept = requests.get(base + first_link)                                             # keeps version 1
    assert kept.status_code == 200 and "Harbour Breathing Log" in kept.text and "Log Two" not in kept.text
    wait_for(lambda: tool_id in ana.get(f"{base}/tools", params={"q": "Log Two"}).text)   # search took v2 in
    assert tool_id not in bo.get(f"{base}/tools", params={"q": "Log Two"}).text
    old_pdf = ana.get(f"{base}/clinic-tools/{tool_id}/versions/1.pdf")
    assert old_pdf.status_code == 200 and old_pdf.content.startswith(b"%PDF")

    token = csrf_of(ana.get(f"{base}/tools/{tool_id}").text)
    assert ana.post(f"{base}/clinic-tools/{tool_id}/retire", data={"csrf_token": token}).status_code == 200
    retired = ana.get(f"{base}/tools/{tool_id}")
    assert "Retired." in retired.text and f'action="/tools/{tool_id}/assign"' not in retired.text
    refused = ana.post(f"{base}/tools/{tool_id}/assign", data={"csrf_token": token, "client_id": client_id,
                                                                "confirm": "yes"})
    assert refused.status_code == 400 and "retired" in refused.text
    wait_for(lambda: tool_id not in ana.get(f"{base}/tools", params={"q": "Harbour Breathing"}).text)
    still = requests.get(base + first_link)                                         # still readable where used
    assert still.status_code == 200 and "Harbour Breathing Log" in still.text
    assert "Harbour Breathing Log Two" in ana.get(f"{base}/clinic-tools").text


def test_another_clinic_cannot_see_edit_preview_or_retire_the_tool(web):
    base, ana, bo = web
    tool_id = publish(ana, base, MARKDOWN.replace("Harbour Breathing Log", "Harbour Private Tool"))
    assert "Harbour Private Tool" not in bo.get(f"{base}/clinic-tools").text
    for path in [f"/tools/{tool_id}", f"/clinic-tools/{tool_id}/edit", f"/clinic-tools/{tool_id}/versions/1.pdf",
                 f"/tools/{tool_id}/pages/1.png"]:
        assert bo.get(base + path).status_code == 404, path
    token = csrf_of(bo.get(f"{base}/clinic-tools").text)
    preview = bo.post(f"{base}/clinic-tools/preview", data={"markdown": MARKDOWN, "tool_id": tool_id},
                      headers={"X-CSRF-Token": token, "HX-Request": "true"})
    assert preview.status_code == 404 and "data:image/png" not in preview.text
    assert bo.post(f"{base}/clinic-tools/{tool_id}/retire", data={"csrf_token": token}).status_code == 404
    version = bo.post(f"{base}/clinic-tools/editor", data={"csrf_token": token, "markdown": MARKDOWN,
                                                           "tool_id": tool_id, "action": "publish"})
    assert version.status_code == 404
    assert "Retired." not in ana.get(f"{base}/tools/{tool_id}").text


def test_the_api_previews_drafts_and_reads_versions(web):
    base, _, _ = web
    ana, bo = logged_in(base, "ana@harbour.example"), logged_in(base, "bo@other.example")
    preview = ana.post(f"{base}/api/v1/clinic-tools/preview", json={"markdown": MARKDOWN})
    assert preview.status_code == 200 and preview.json()["title"] == "Harbour Breathing Log"
    assert base64.b64decode(preview.json()["pages"][0]).startswith(b"\x89PNG")
    wrong = ana.post(f"{base}/api/v1/clinic-tools/preview", json={"markdown": "no title"})
    assert wrong.status_code == 400 and "# Title" in wrong.text
    made = ana.post(f"{base}/api/v1/clinic-tools", json={"markdown": MARKDOWN}).json()
    ana.put(f"{base}/api/v1/clinic-tools/{made['id']}", json={"markdown": MARKDOWN.replace("Log", "Log v2")})
    history = ana.get(f"{base}/api/v1/clinic-tools/{made['id']}/versions").json()
    assert [(v["version"], v["title"]) for v in history] == [(2, "Harbour Breathing Log v2"), (1, "Harbour Breathing Log")]
    assert ana.get(f"{base}/api/v1/clinic-tools/{made['id']}/versions/1").json()["title"] == "Harbour Breathing Log"
    assert bo.get(f"{base}/api/v1/clinic-tools/{made['id']}/versions/1").status_code == 404
    assert bo.post(f"{base}/api/v1/clinic-tools/preview", json={"markdown": MARKDOWN,
                                                                "tool_id": made["id"]}).status_code == 404
