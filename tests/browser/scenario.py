"""The practitioner's main path in a real Chromium, driven by Playwright (run by test_path.py).

It runs in its own Python process: Playwright's sync API needs a plain asyncio loop, and the test
process is monkey-patched by eventlet for the services. Arguments: the platform's URL, the folder
for screenshots, the two practitioners' emails and the password. It prints a JSON report (actions
counted, pages checked by axe-core) and exits non-zero on the first failed expectation.

    python -m tests.browser.scenario URL SHOTS EMAIL_A EMAIL_B PASSWORD
"""
from __future__ import annotations

import json
import os
import re
import secrets
import sys
from datetime import date, timedelta
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect, sync_playwright

CHROMIUM = os.environ.get("INTERLUDE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
BLOCKING = ("serious", "critical")
MAX_WORKBOOK_ACTIONS = 15
TIMEOUT_MS = 60_000
CLIENT = f"R.M. {secrets.token_hex(2)}"   # one run's client, whatever else the platform holds


class Path_:
    """Screenshots of each step, axe-core on each page, and the counted actions of a task."""

    def __init__(self, shots: Path):
        self.shots, self.step, self.axe = shots, 0, Axe()
        self.checked: list[str] = []
        self.actions = 0
        shots.mkdir(parents=True, exist_ok=True)

    def shot(self, page, name: str) -> None:
        self.step += 1
        page.screenshot(path=str(self.shots / f"{self.step:02d}-{name}.png"), full_page=True)

    def accessible(self, page, name: str) -> None:
        """No serious or critical axe-core violation on this page."""
        results = self.axe.run(page)
        bad = [v for v in results.response["violations"] if v.get("impact") in BLOCKING]
        assert not bad, f"axe-core on {name} ({page.url}): " + "; ".join(
            f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}" for v in bad)
        self.checked.append(name)

    def page(self, page, name: str) -> None:
        self.accessible(page, name)
        self.shot(page, name)
        no_overflow(page, name)

    def act(self, locator, how: str = "click", *args) -> None:
        """One user action (a click, a keypress, a choice), counted."""
        self.actions += 1
        getattr(locator, how)(*args)


def no_overflow(page, name: str) -> None:
    """Nothing wider than the screen (a phone-sized page must not scroll sideways)."""
    width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1] + 1, f"{name} is {width[0]} px wide on a {width[1]} px screen"


def login_with_keyboard(page, base: str, email: str, password: str) -> None:
    page.goto(f"{base}/login")
    page.keyboard.press("Tab")   # the skip link
    page.keyboard.press("Tab")   # the brand link
    page.keyboard.press("Tab")   # email
    assert page.evaluate("document.activeElement.id") == "email"
    focus_visible(page)
    page.keyboard.type(email)
    page.keyboard.press("Tab")
    page.keyboard.type(password)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/")


def nav(page, name: str) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name=name, exact=True).click()   # "Clinic" is not "Clinic tools"


def focus_visible(page) -> None:
    style = page.evaluate("() => { const s = getComputedStyle(document.activeElement); "
                          "return [s.outlineStyle, s.outlineWidth]; }")
    assert style[0] != "none" and style[1] != "0px", f"the focused element shows no outline: {style}"


def desktop_page(playwright):
    """Debian's Chromium, a desktop-sized context (downloads allowed) and a page whose console
    errors are collected: ``(browser, context, page, errors)``."""
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
    context = browser.new_context(accept_downloads=True, **DESKTOP)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    return browser, context, page, errors


def run(base: str, shots: Path, email_a: str, email_b: str, password: str) -> dict:
    report: dict = {}
    due = (date.today() + timedelta(days=5)).isoformat()
    with sync_playwright() as playwright:
        browser, context, page, errors = desktop_page(playwright)
        steps = Path_(shots)

        # log in with the keyboard alone --------------------------------------------------------
        page.goto(f"{base}/login")
        steps.page(page, "login")
        login_with_keyboard(page, base, email_a, password)
        expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()
        steps.page(page, "dashboard-empty")

        # search in the client's words, with suggestions as you type ---------------------------
        nav(page, "Catalogue")
        search = page.get_by_label("Search tools, in your words or your client's")
        search.press_sequentially("wash", delay=40)
        expect(page.locator("#suggestions li").first).to_be_visible()
        steps.shot(page, "suggestions")
        search.fill("can't stop washing hands")
        search.press("Enter")
        expect(page.locator(".results-list .result").first).to_be_visible()
        page.wait_for_url(re.compile(r"/tools\?q=can"))
        first = page.locator(".results-list .result h3 a").first
        assert re.search(r"wash|germ|contamin", first.inner_text(), re.I), first.inner_text()
        expect(page.locator(".results-list .result .meta").first).to_contain_text(" min")   # minutes at a glance
        steps.page(page, "search-results")
        # facets: a filter narrows the results, its count reads "N of M", the URL keeps it
        page.locator("details.facet", has_text="Format").locator("a", has_text="worksheet").first.click()
        page.wait_for_url(re.compile(r"format=worksheet"))
        expect(page.locator("a.facet-value.selected")).to_have_count(1)
        assert re.search(r"\d+ of \d+", page.locator("a.facet-value.selected .count").inner_text())
        steps.page(page, "catalogue-filtered")

        # a tool: thumbnails, PDF download ------------------------------------------------------
        page.locator(".results-list .result h3 a").first.click()
        expect(page.locator(".thumbs img").first).to_be_visible()
        # The first thumbnail is drawn on first request (the PDF, then a PNG): wait for it to load
        # rather than read its size while it is still arriving (a fresh data folder has no cache).
        page.wait_for_function("() => { const img = document.querySelector('.thumbs img');"
                               " return img && img.complete && img.naturalWidth > 100; }", timeout=90_000)
        tool_url, tool_title = page.url, page.locator("h1").inner_text()
        steps.page(page, "tool")
        with page.expect_download() as download:
            page.get_by_role("link", name="Download PDF (A4)").click()
        pdf = Path(download.value.path()).read_bytes()
        assert pdf.startswith(b"%PDF"), "the tool's download is not a PDF"
        report["tool"] = {"title": tool_title, "pdf_bytes": len(pdf)}
        favourite = page.locator('form[action$="/favourite"] button')
        pressed = favourite.get_attribute("aria-pressed")
        favourite.click()
        expect(page.locator('form[action$="/favourite"] button')).not_to_have_attribute("aria-pressed", pressed)

        nav(page, "Catalogue")   # favourites and recently used tools, on the catalogue's first page
        expect(page.locator("#shelf-recent + ul")).to_contain_text(tool_title)

        # a client, and the tool assigned with a due date --------------------------------------
        nav(page, "Clients")
        page.get_by_label("New client's name or pseudonym").fill(CLIENT)
        steps.accessible(page, "clients")
        page.get_by_role("button", name="Add client").click()
        expect(page.get_by_role("heading", name=CLIENT, level=1)).to_be_visible()
        client_url = page.url
        page.goto(tool_url)
        page.get_by_label(CLIENT, exact=True).check()
        page.get_by_label("Due", exact=True).fill(due)
        page.get_by_role("button", name="Assign", exact=True).click()
        expect(page.locator("a.portal-link")).to_have_count(1)
        steps.page(page, "assigned")
        page.goto(tool_url)   # assigning it again warns that the client already has it
        page.get_by_label(CLIENT, exact=True).check()
        page.get_by_role("button", name="Assign", exact=True).click()
        expect(page.get_by_role("alert")).to_contain_text("already have")
        steps.page(page, "already-assigned")

        # a workbook for OCD and insomnia: reorder, remove, render, download (actions counted) --
        nav(page, "Workbooks")
        steps.accessible(page, "workbooks")
        steps.act(page.get_by_role("link", name="New workbook").first)
        steps.page(page, "workbook-new")
        steps.act(page.locator("summary", has_text="Ocd related"))
        steps.act(page.get_by_label("Obsessive-compulsive disorder, contamination type"), "check")
        steps.act(page.locator("summary", has_text="Sleep"))
        steps.act(page.get_by_label("Insomnia disorder", exact=True), "check")
        steps.act(page.get_by_role("button", name="Propose a plan"))
        expect(page.locator(".chapter")).to_have_count(2)
        first_chapter = page.locator(".chapter").first.locator("li.plan-tool")
        before = first_chapter.evaluate_all("items => items.map(i => i.dataset.toolId)")
        steps.page(page, "workbook-plan")
        steps.act(first_chapter.first.locator("button.move-down"))            # reorder
        after = page.locator(".chapter").first.locator("li.plan-tool").evaluate_all(
            "items => items.map(i => i.dataset.toolId)")
        assert after[:2] == [before[1], before[0]], (before, after)
        removed = page.locator(".chapter").nth(1).locator("li.plan-tool").last.get_attribute("data-tool-id")
        steps.act(page.locator(".chapter").nth(1).locator("li.plan-tool").last.locator("button.remove"))
        expect(page.locator(f'li.plan-tool[data-tool-id="{removed}"]')).to_have_count(0)
        steps.act(page.get_by_role("button", name="Render the workbook"))
        expect(page.locator("#download-edition")).to_be_visible(timeout=180_000)   # live status, no action
        steps.page(page, "workbook-rendered")
        with page.expect_download() as download:
            steps.act(page.locator("#download-edition"))
        book = Path(download.value.path()).read_bytes()
        assert book.startswith(b"%PDF") and len(book) > 20_000
        assert steps.actions <= MAX_WORKBOOK_ACTIONS, f"{steps.actions} actions from new workbook to download"
        report["workbook"] = {"actions": steps.actions, "pdf_bytes": len(book)}
        # drag and drop reorders too (the Up/Down buttons above are its keyboard equivalent)
        items = page.locator(".chapter").first.locator("li.plan-tool")
        order = items.evaluate_all("items => items.map(i => i.dataset.toolId)")
        with page.expect_navigation():
            items.nth(0).drag_to(items.nth(2))
        dragged = page.locator(".chapter").first.locator("li.plan-tool").evaluate_all(
            "items => items.map(i => i.dataset.toolId)")
        assert dragged != order and sorted(dragged) == sorted(order), (order, dragged)

        # a PHQ-9 for the client, answered on a phone -----------------------------------------
        page.goto(client_url)
        page.get_by_label("Measure", exact=True).select_option("phq9")
        page.get_by_role("button", name="Send measure").click()
        portal_link = page.locator("a.portal-link").first.get_attribute("href")
        phone = browser.new_context(**PHONE)
        phone.set_default_timeout(TIMEOUT_MS)
        client_page = phone.new_page()
        client_page.goto(portal_link)
        for item in range(1, 9):
            client_page.locator(f'input[name="q{item}"][value="1"]').check()
        client_page.locator('input[name="q9"][value="2"]').check()
        steps.shot(client_page, "portal-phone")
        client_page.get_by_role("button", name="Send to my practitioner").click()
        expect(client_page.get_by_role("alert")).to_be_visible()   # crisis text for item 9
        steps.shot(client_page, "portal-submitted")
        phone.close()

        # back as the practitioner: flag, score and band, chart; acknowledge -------------------
        page.goto(f"{base}/")
        flag = page.locator("li.flag", has_text=CLIENT)
        expect(flag).to_contain_text("PHQ-9")
        expect(flag).to_contain_text("score 10")
        expect(page.locator("#inbox-heading + ul")).to_contain_text("10 (Moderate)")
        steps.page(page, "dashboard-flag")
        page.goto(client_url)
        expect(page.locator(".chart .latest")).to_contain_text("10")
        expect(page.locator(".chart .latest")).to_contain_text("Moderate")
        assert page.locator(".chart svg").count() == 1
        page.get_by_text("Answers per item").click()
        steps.page(page, "client-chart")
        page.get_by_role("link", name="3 months").click()
        expect(page.locator(".chart svg")).to_have_count(1)
        page.goto(f"{base}/")
        page.locator("li.flag", has_text=CLIENT).get_by_label("What you did (kept in the record)").fill(
            f"Phoned {CLIENT} the same day; safety plan reviewed.")
        page.locator("li.flag", has_text=CLIENT).get_by_role("button", name="Acknowledge").click()
        expect(page.locator("li.flag", has_text=CLIENT)).to_have_count(0)
        expect(page.locator("details", has_text="Acknowledged flags")).to_contain_text(CLIENT)
        page.goto(client_url)
        expect(page.locator(".timeline")).to_contain_text(f"Reviewed: Phoned {CLIENT}")
        steps.page(page, "client-acknowledged")
        report["console_errors"] = errors
        assert not errors, f"console errors: {errors}"

        # phone-sized practitioner pages, and the basics without JavaScript --------------------
        small = browser.new_context(**PHONE, storage_state=context.storage_state())
        small_page = small.new_page()
        for path in ("/", "/tools?q=sleep", tool_url.replace(base, ""), client_url.replace(base, ""), "/workbooks"):
            small_page.goto(base + path)
            no_overflow(small_page, f"{path} on a phone")
        steps.shot(small_page, "phone-workbooks")
        small.close()
        plain = browser.new_context(java_script_enabled=False, **DESKTOP)
        plain_page = plain.new_page()
        plain_page.goto(f"{base}/login")
        plain_page.get_by_label("Email").fill(email_a)
        plain_page.get_by_label("Password").fill(password)
        plain_page.get_by_role("button", name="Log in").click()
        expect(plain_page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()
        plain_page.goto(f"{base}/tools")
        plain_page.get_by_label("Search tools, in your words or your client's").fill("nightmares")
        plain_page.get_by_role("button", name="Search").click()
        expect(plain_page.locator(".results-list .result").first).to_be_visible()
        plain.close()

        # a second clinic sees none of this ------------------------------------------------------
        other = browser.new_context(**DESKTOP)
        other_page = other.new_page()
        login_with_keyboard(other_page, base, email_b, password)
        for path in ("/", "/clients", "/workbooks"):
            other_page.goto(base + path)
            assert CLIENT not in other_page.content(), f"{path} of the second clinic shows the first's client"
        response = other_page.goto(client_url)
        assert response.status == 404
        steps.accessible(other_page, "not-found")
        other.close()

        report["axe_pages"] = steps.checked
        context.close()
        browser.close()
    return report


def run_signed_in(run, argv: list[str]) -> int:
    """The command line of a scenario that one user runs: ``BASE SHOTS EMAIL PASSWORD``; prints
    the scenario's report as the JSON line its test reads."""
    base, shots, email, password = argv
    print(json.dumps(run(base.rstrip("/"), Path(shots), email, password)))
    return 0


def main(argv: list[str]) -> int:
    base, shots, email_a, email_b, password = argv
    print(json.dumps(run(base.rstrip("/"), Path(shots), email_a, email_b, password)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
