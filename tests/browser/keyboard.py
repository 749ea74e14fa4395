"""The main path with the keyboard alone (run by test_path.py, in its own process like scenario.py).

Tab, Shift+Tab, Enter, Space and typing only: no clicks, no navigation after the first URL. Every
element that takes focus on the way must show a focus indicator.

    python -m tests.browser.keyboard URL EMAIL PASSWORD
"""
from __future__ import annotations

import json
import re
import secrets
import sys
from datetime import date, timedelta

from playwright.sync_api import expect, sync_playwright

from tests.browser.scenario import CHROMIUM, CHROMIUM_ARGS, DESKTOP, login_with_keyboard

MAX_TABS = 250
CLIENT = f"K.B. {secrets.token_hex(2)}"
FOCUSED = """() => { const e = document.activeElement; const s = getComputedStyle(e);
  return {tag: e.tagName, id: e.id, text: (e.innerText || e.value || '').trim().slice(0, 120),
          label: e.labels && e.labels[0] ? e.labels[0].innerText.trim() : '', href: e.getAttribute('href') || '',
          focus: [e.matches(':focus'), e.matches(':focus-within')], cls: e.className || '', outline: [s.outlineStyle, s.outlineWidth], shadow: s.boxShadow}; }"""


def visible_focus(info: dict) -> None:
    outline = info["outline"][0] != "none" and info["outline"][1] not in ("0px", "")
    shadow = info["shadow"] not in ("none", "")
    assert outline or shadow, f"focus is invisible on {info}"


def tab_to(page, matches, back: bool = False) -> dict:
    """Tab (or Shift+Tab) until the focused element matches; each element on the way shows its focus."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Shift+Tab" if back else "Tab")
        info = page.evaluate(FOCUSED)
        if info["tag"] == "BODY":
            continue
        visible_focus(info)
        if matches(info):
            return info
    raise AssertionError(f"no focusable element matched after {MAX_TABS} Tab presses on {page.url}")


def run(base: str, email: str, password: str) -> dict:
    report: dict = {"tabs_checked": True}
    due = date.today() + timedelta(days=9)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        context = browser.new_context(locale="en-US", **DESKTOP)
        context.set_default_timeout(30_000)
        page = context.new_page()
        login_with_keyboard(page, base, email, password)

        # a client, so that the tool can be assigned
        tab_to(page, lambda i: i["href"] == "/clients")
        page.keyboard.press("Enter")
        page.wait_for_url(f"{base}/clients")
        tab_to(page, lambda i: i["label"].startswith("New client"))
        page.keyboard.type(CLIENT)
        page.keyboard.press("Enter")
        expect(page.get_by_role("heading", name=CLIENT, level=1)).to_be_visible()

        # catalogue, search, a tool
        tab_to(page, lambda i: i["href"] == "/tools")
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(r"/tools$"))
        tab_to(page, lambda i: i["id"] == "q")
        page.keyboard.type("can't stop washing hands")
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(r"/tools\?q=can"))
        tab_to(page, lambda i: re.fullmatch(r"/tools/[^/?]+", i["href"]) is not None
               and page.evaluate("() => !!document.activeElement.closest('.results-list .result h3')"))
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(r"/tools/[^/?]+$"))
        report["tool"] = page.locator("h1").inner_text()

        # assign it to the client with a due date
        tab_to(page, lambda i: i["label"] == CLIENT)
        page.keyboard.press("Space")
        assert page.evaluate("document.activeElement.checked")
        tab_to(page, lambda i: i["id"] == "due")
        page.keyboard.type(due.strftime("%m%d%Y"))
        assert page.evaluate("document.activeElement.value") == due.isoformat()
        tab_to(page, lambda i: i["tag"] == "BUTTON" and i["text"] == "Assign")
        page.keyboard.press("Enter")
        expect(page.locator("a.portal-link")).to_have_count(1)

        # a workbook: new, a problem chosen, the plan proposed, a tool moved down by keyboard
        tab_to(page, lambda i: i["href"] == "/workbooks")
        page.keyboard.press("Enter")
        page.wait_for_url(f"{base}/workbooks")
        tab_to(page, lambda i: i["href"] == "/workbooks/new")
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(r"/workbooks/new"))
        tab_to(page, lambda i: i["tag"] == "SUMMARY" and i["text"].startswith("Ocd related"))
        page.keyboard.press("Enter")
        tab_to(page, lambda i: i["label"].startswith("Obsessive-compulsive disorder, contamination type"))
        page.keyboard.press("Space")
        tab_to(page, lambda i: i["tag"] == "BUTTON" and i["text"] == "Propose a plan")
        page.keyboard.press("Enter")
        expect(page.locator(".chapter")).to_have_count(1)
        order = lambda: page.locator(".chapter").first.locator("li.plan-tool").evaluate_all(  # noqa: E731
            "items => items.map(i => i.dataset.toolId)")
        before = order()
        tab_to(page, lambda i: "move-down" in i["cls"])
        page.keyboard.press("Enter")
        page.wait_for_load_state()
        expect(page.locator(".chapter").first.locator("li.plan-tool").first).to_have_attribute(
            "data-tool-id", before[1])
        after = order()
        assert after[:2] == [before[1], before[0]], (before, after)
        # back up the page with Shift+Tab to the main navigation, focus visible all the way
        tab_to(page, lambda i: i["href"] == "/tools", back=True)

        context.close()
        browser.close()
    return report


def main(argv: list[str]) -> int:
    base, email, password = argv
    print(json.dumps(run(base.rstrip("/"), email, password)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
