"""A clinic admin writes their clinic's own tool in a real Chromium (run by test_clinic_tools.py in
its own process, like scenario.py): the live preview appears and changes as they type, a mistake
shows beside the Markdown while the last good preview stays, they publish and assign the tool to a
client whose portal link opens it. axe-core checks the editor and the tool's page. Prints a JSON
report; exits non-zero on the first failed expectation.

    python -m tests.browser.clinic_tool_scenario URL SHOTS EMAIL PASSWORD
"""
from __future__ import annotations

import secrets
import sys
from datetime import date, timedelta
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

from tests.browser.scenario import CHROMIUM, CHROMIUM_ARGS, DESKTOP, PHONE, TIMEOUT_MS, Path_, nav, run_signed_in

TITLE = f"Harbour Wind-Down {secrets.token_hex(2)}"
MARKDOWN = f"""# {TITLE}

A ten-minute routine for the hour before bed.

1. Dim the lights and put the phone in another room.
2. Write down what is still on your mind.

## Your turn
- What is still on my mind? (3 lines)
- How ready for sleep do I feel? (0-10)
"""
FIRST_PAGE = "#preview-pages img.preview-page"


def preview_src(page) -> str:
    return page.locator(FIRST_PAGE).first.get_attribute("src") or ""


def wait_for_new_preview(page, before: str) -> str:
    """The first page's image once it differs from ``before`` (the preview answered the typing)."""
    page.wait_for_function("(before) => { const img = document.querySelector('#preview-pages img.preview-page');"
                           " return img && img.getAttribute('src') !== before; }", arg=before, timeout=TIMEOUT_MS)
    return preview_src(page)


def run(base: str, shots: Path, email: str, password: str) -> dict:
    report: dict = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        context = browser.new_context(**DESKTOP)
        context.set_default_timeout(TIMEOUT_MS)
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        steps = Path_(shots)
        page.goto(f"{base}/login")
        page.get_by_label("Email").fill(email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(f"{base}/")

        # write in Markdown: the preview of the starter text, then of what is typed -----------
        nav(page, "Clinic tools")
        page.get_by_role("link", name="Write a tool in Markdown").click()
        expect(page.locator(FIRST_PAGE).first).to_be_visible(timeout=TIMEOUT_MS)   # the starter's, on load
        starter = preview_src(page)
        editor = page.get_by_label("The tool in Markdown")
        editor.fill(MARKDOWN)
        typed = wait_for_new_preview(page, starter)
        expect(page.locator(FIRST_PAGE).first).to_have_attribute("alt", f"Preview of {TITLE}, page 1 of 1")
        editor.press("Control+End")
        editor.press_sequentially("- [ ] I went to bed before eleven\n", delay=20)
        more = wait_for_new_preview(page, typed)
        assert more != typed
        steps.page(page, "clinic-tool-editor")
        report["preview_changes"] = 2

        # typing on while a preview renders: the newer draft's preview wins, and stays ---------
        editor.fill(MARKDOWN.replace(TITLE, "Older Draft"))
        page.wait_for_timeout(900)                            # its request has left (0.7 s debounce)
        editor.fill(MARKDOWN.replace(TITLE, "Newer Draft"))
        newest = "Preview of Newer Draft, page 1 of 1"
        expect(page.locator(FIRST_PAGE).first).to_have_attribute("alt", newest, timeout=TIMEOUT_MS)
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(2000)                           # a late answer would have arrived by now
        expect(page.locator(FIRST_PAGE).first).to_have_attribute("alt", newest)
        editor.fill(MARKDOWN)
        expect(page.locator(FIRST_PAGE).first).to_have_attribute("alt", f"Preview of {TITLE}, page 1 of 1",
                                                                 timeout=TIMEOUT_MS)
        page.wait_for_load_state("networkidle")
        more = preview_src(page)

        # a mistake shows beside the Markdown; the last good preview stays ----------------------
        editor.fill("no title yet")
        expect(page.locator("#error-markdown")).to_contain_text("# Title", timeout=TIMEOUT_MS)
        assert preview_src(page) == more
        steps.accessible(page, "clinic-tool-editor-error")
        editor.fill(MARKDOWN)                                 # corrected: the error goes, the same pages
        expect(page.locator("#error-markdown")).to_be_empty(timeout=TIMEOUT_MS)
        expect(page.locator("#preview-status")).to_have_text("Preview: 1 page", timeout=TIMEOUT_MS)
        page.get_by_label("Problems it is for").select_option(["insomnia"])
        form_mode = context.new_page()                       # the same tool written with the form
        form_mode.goto(f"{base}/clinic-tools/new?mode=form")
        form_mode.get_by_label("Title").fill("A form-written tool")
        form_mode.get_by_label("Introduction").fill("What the form-written tool is for.")
        form_mode.get_by_label("Steps, one per line").fill("One step.")
        expect(form_mode.locator(FIRST_PAGE).first).to_be_visible(timeout=TIMEOUT_MS)
        steps.accessible(form_mode, "clinic-tool-form")
        form_mode.close()

        # publish, then assign it to a client from its page --------------------------------------
        page.get_by_role("button", name="Publish").click()
        expect(page.get_by_role("heading", name=TITLE, level=1)).to_be_visible()
        expect(page.get_by_role("status").first).to_contain_text("Version 1 is published")
        tool_url = page.url.split("?")[0]
        steps.page(page, "clinic-tool-published")
        nav(page, "Clients")
        client = f"W.D. {secrets.token_hex(2)}"
        page.get_by_label("New client's name or pseudonym").fill(client)
        page.get_by_role("button", name="Add client").click()
        expect(page.get_by_role("heading", name=client, level=1)).to_be_visible()
        page.get_by_label("Language of the client's portal").select_option("es")   # this client reads Spanish
        page.get_by_role("button", name="Save language").click()
        expect(page.locator("#portal-language [role=status]")).to_be_visible()
        page.goto(tool_url)
        page.get_by_label(client, exact=True).check()
        page.get_by_label("Due", exact=True).fill((date.today() + timedelta(days=7)).isoformat())
        page.get_by_role("button", name="Assign", exact=True).click()
        expect(page.locator("a.portal-link")).to_have_count(1)
        link = page.locator("a.portal-link").get_attribute("href")
        # the client does it on a phone, with the portal in Spanish (the tool's own text stays as written)
        phone = browser.new_context(locale="es-US", **PHONE)
        phone.set_default_timeout(TIMEOUT_MS)
        portal = phone.new_page()
        portal.goto(link)
        expect(portal.locator("html")).to_have_attribute("lang", "es")
        expect(portal.get_by_text(TITLE).first).to_be_visible()
        expect(portal.get_by_text("How ready for sleep do I feel?")).to_be_visible()
        steps.shot(portal, "clinic-tool-portal")
        portal.locator("#tool-form textarea").first.tap()
        portal.keyboard.type("La reunión de mañana")
        portal.locator('#tool-form label.scale-point:has(input[value="6"])').first.tap()
        portal.get_by_role("button", name="Enviar a mi profesional").tap()
        expect(portal.get_by_role("heading", name="Gracias", level=1)).to_be_visible()
        steps.shot(portal, "clinic-tool-portal-sent")
        phone.close()
        page.goto(page.url.split("/tools/")[0] + "/clients")
        page.get_by_role("link", name=client).click()
        expect(page.get_by_text(f"Submitted “{TITLE}”").first).to_be_visible()   # in the client's timeline
        report["completed_in_spanish"] = True
        report["console_errors"] = errors
        assert not errors, f"console errors: {errors}"
        report["axe_pages"] = steps.checked
        context.close()
        browser.close()
    return report


if __name__ == "__main__":
    sys.exit(run_signed_in(run, sys.argv[1:]))
