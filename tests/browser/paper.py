"""Paper and online meet in a real Chromium (run by test_paper.py in its own process): the client,
at home on a phone, opens their portal link, follows it to the upload page, downloads the fillable
PDF, fills it (pypdf stands in for their PDF reader) and sends it; the practitioner then sees the
submission in the client's timeline with its answers and the kept PDF. axe-core checks both pages.

    python -m tests.browser.paper URL SHOTS PORTAL_URL CLIENT_URL EMAIL PASSWORD VALUES_JSON EXPECTED_JSON
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

from tests.browser.scenario import CHROMIUM, CHROMIUM_ARGS, DESKTOP, PHONE, TIMEOUT_MS, Path_
from tests.paper_helpers import fill


def run(base: str, shots: Path, portal_url: str, client_url: str, email: str, password: str,
        values: dict, expected: dict) -> dict:
    steps = Path_(shots)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)

        # the client at home, on a phone -----------------------------------------------------------
        home = browser.new_context(accept_downloads=True, **PHONE)
        home.set_default_timeout(TIMEOUT_MS)
        client_page = home.new_page()
        client_page.goto(portal_url)
        client_page.get_by_role("link", name="Filled the PDF at home? Send it here").click()
        expect(client_page.get_by_role("heading", name="Send your filled PDF")).to_be_visible()
        steps.page(client_page, "paper-upload")
        with client_page.expect_download() as downloading:
            client_page.get_by_role("link", name="Download the fillable PDF of this homework").click()
        blank = Path(downloading.value.path()).read_bytes()
        filled = shots / "filled.pdf"
        filled.write_bytes(fill(blank, values))
        client_page.get_by_label("Your filled PDF").set_input_files(str(filled))
        client_page.get_by_role("button", name="Send to my practitioner").click()
        result = client_page.locator("#paper-result")
        expect(result).to_contain_text("your answers have reached your practitioner")
        for answer in expected.values():
            expect(result).to_contain_text(answer)
        steps.page(client_page, "paper-sent")

        # the practitioner, later, at the practice ---------------------------------------------------
        practice = browser.new_context(**DESKTOP)
        practice.set_default_timeout(TIMEOUT_MS)
        page = practice.new_page()
        page.goto(f"{base}/login")
        page.get_by_label("Email").fill(email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(f"{base}/")
        page.goto(client_url)
        entry = page.locator("ul.timeline li", has_text="Filled PDF of")
        expect(entry).to_have_count(1)
        for answer in expected.values():
            expect(entry).to_contain_text(answer)
        pdf_link = entry.get_by_role("link", name="The filled PDF")
        kept = page.request.get(base + pdf_link.get_attribute("href"))
        assert kept.status == 200 and kept.body() == filled.read_bytes(), "the kept PDF is not the one sent"
        steps.page(page, "paper-in-timeline")
        browser.close()
    return {"axe_pages": steps.checked}


def main(argv: list[str]) -> int:
    base, shots, portal_url, client_url, email, password, values, expected = argv
    print(json.dumps(run(base.rstrip("/"), Path(shots), portal_url, client_url, email, password,
                         json.loads(values), json.loads(expected))))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
