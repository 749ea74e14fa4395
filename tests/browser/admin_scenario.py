"""A clinic admin's path in a real Chromium (run by test_admin.py, in its own process like
scenario.py): the first-visit checklist, inviting a user who sets their password through the link
and logs in, uploading a logo that is then on the next tool PDF (an image in the PDF), the settings
page; axe-core finds no serious or critical violation on any of these pages.

    python -m tests.browser.admin_scenario URL SHOTS ADMIN_EMAIL PASSWORD
"""
from __future__ import annotations

import io
import secrets
import sys
from pathlib import Path

from PIL import Image
from playwright.sync_api import expect, sync_playwright
from pypdf import PdfReader

from tests.browser.scenario import DESKTOP, TIMEOUT_MS, Path_, desktop_page, login_with_keyboard, nav, run_signed_in

NEWCOMER = f"sam.{secrets.token_hex(3)}@harbour.example"
NEWCOMER_PASSWORD = "sam's long password"


def logo_png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (160, 48), (42, 127, 98)).save(out, format="PNG")
    return out.getvalue()


def images_on_first_page(pdf: bytes) -> int:
    resources = PdfReader(io.BytesIO(pdf)).pages[0]["/Resources"]
    return sum(1 for ref in (resources.get("/XObject") or {}).values() if ref.get_object().get("/Subtype") == "/Image")


def download_pdf(page) -> bytes:
    with page.expect_download() as waiting:
        page.get_by_role("link", name="Download PDF (A4)").click()
    return Path(waiting.value.path()).read_bytes()


def run(base: str, shots: Path, admin_email: str, password: str) -> dict:
    report: dict = {}
    with sync_playwright() as playwright:
        browser, context, page, errors = desktop_page(playwright)
        steps = Path_(shots)

        # the first visit: the checklist on the dashboard -----------------------------------------
        login_with_keyboard(page, base, admin_email, password)
        checklist = page.get_by_role("region", name="Set up your clinic")
        expect(checklist).to_be_visible()
        steps.page(page, "admin-dashboard-checklist")

        # a tool's PDF before any branding: no image on it
        page.goto(f"{base}/tools?q=sleep")
        page.locator(".results-list .result h3 a").first.click()
        tool_url = page.url
        report["images_before"] = images_on_first_page(download_pdf(page))

        # invite a user; they set a password through the link and log in -------------------------
        page.goto(f"{base}/")
        checklist_link = page.get_by_role("region", name="Set up your clinic").get_by_role("link", name="Invite your team")
        checklist_link.click()
        expect(page.get_by_role("heading", name="Your clinic's team", level=1)).to_be_visible()
        steps.page(page, "admin-team")
        page.get_by_label("Name", exact=True).fill("Sam Reyes")
        page.get_by_label("Email", exact=True).fill(NEWCOMER)
        page.get_by_label("Role", exact=True).select_option("practitioner")
        page.get_by_role("button", name="Invite").click()
        link = page.get_by_label("Link").input_value()
        assert "/set-password/" in link, link
        steps.page(page, "admin-invitation-link")

        newcomer = browser.new_context(**DESKTOP)
        newcomer.set_default_timeout(TIMEOUT_MS)
        their_page = newcomer.new_page()
        their_page.goto(link)
        expect(their_page.get_by_role("heading", name="Welcome, Sam Reyes")).to_be_visible()
        steps.page(their_page, "set-password")
        their_page.get_by_label("New password").fill(NEWCOMER_PASSWORD)
        their_page.get_by_label("The same password again").fill(NEWCOMER_PASSWORD)
        their_page.get_by_role("button", name="Set my password").click()
        expect(their_page.get_by_role("heading", name="Your password is set")).to_be_visible()
        their_page.get_by_role("link", name="Log in").click()
        login_with_keyboard(their_page, base, NEWCOMER, NEWCOMER_PASSWORD)
        expect(their_page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()
        assert their_page.goto(link).status == 410, "the link worked twice"
        page.goto(f"{base}/admin/team")
        expect(page.locator("tr", has_text=NEWCOMER)).to_contain_text("Active")

        # upload a logo: the next tool PDF carries it ---------------------------------------------
        nav(page, "Clinic")
        page.get_by_role("navigation", name="Clinic administration").get_by_role("link", name="Branding").click()
        steps.page(page, "admin-branding")
        page.get_by_label("Logo (PNG, JPEG or SVG").set_input_files(
            files=[{"name": "harbour-logo.png", "mimeType": "image/png", "buffer": logo_png()}])
        page.get_by_role("button", name="Save branding").click()
        expect(page.get_by_role("status")).to_contain_text("Saved")
        expect(page.get_by_role("img", name="Logo of Harbour Clinic")).to_be_visible()
        steps.page(page, "admin-branding-saved")
        # the new practitioner's next PDF (their own clinic's branding)
        their_page.goto(tool_url)
        report["images_after"] = images_on_first_page(download_pdf(their_page))
        assert report["images_before"] == 0 and report["images_after"] >= 1, report
        newcomer.close()

        # settings: reminder timing, link expiry, crisis numbers; the webhooks page is linked ------
        page.get_by_role("navigation", name="Clinic administration").get_by_role("link", name="Settings").click()
        steps.page(page, "admin-settings")
        page.get_by_label("Crisis numbers shown to your clients").fill("988 Suicide & Crisis Lifeline: call or text 988")
        page.get_by_role("button", name="Save settings").click()
        expect(page.get_by_role("status")).to_contain_text("Saved")
        expect(page.get_by_role("link", name="webhooks", exact=True)).to_have_attribute("href", "/webhooks")

        report["console_errors"] = errors
        assert not errors, f"console errors: {errors}"
        report["axe_pages"] = steps.checked
        context.close()
        browser.close()
    return report


if __name__ == "__main__":
    sys.exit(run_signed_in(run, sys.argv[1:]))
