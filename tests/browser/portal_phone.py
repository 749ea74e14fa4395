"""A Spanish-speaking client's homework on a phone, in a real Chromium (run by test_path.py in its
own process, like scenario.py).

The practitioner sets the client's portal to Spanish on the client page, sends a GAD-7 and a
worksheet with a 0-10 scale. On a 390x844 touch screen the client opens each link, sees the
Spanish wording, answers by tapping targets of at least 44x44 px, and sends; the record holds
what was sent (and nothing for the scale left untouched). axe-core finds no serious or critical
violation on any portal page, and no page logs a CSP violation.

    python -m tests.browser.portal_phone URL SHOTS EMAIL PASSWORD
"""
from __future__ import annotations

import json
import re
import secrets
import sys
from pathlib import Path

import requests
from playwright.sync_api import expect, sync_playwright

from tests.browser.scenario import CHROMIUM, CHROMIUM_ARGS, DESKTOP, PHONE, Path_, login_with_keyboard, no_overflow, run_signed_in

TIMEOUT_MS = 60_000
MIN_TARGET = 44
CLIENT = f"M.G. {secrets.token_hex(2)}"
TARGETS = "main label.choice, main label.scale-point, main button, main a.big-link, main textarea, main input[type=text]"


def small_targets(page) -> list[str]:
    """Every visible control a finger uses that is under 44x44 CSS px."""
    return page.evaluate(f"""() => Array.from(document.querySelectorAll({json.dumps(TARGETS)}))
        .filter(e => e.offsetParent !== null)
        .map(e => [e.getBoundingClientRect(), (e.innerText || e.name || e.tagName).trim().slice(0, 40)])
        .filter(([r]) => r.height < {MIN_TARGET} - 0.5 || r.width < {MIN_TARGET} - 0.5)
        .map(([r, name]) => `${{name}} ${{Math.round(r.width)}}x${{Math.round(r.height)}}`)""")


def worksheet_with_a_scale(api: requests.Session, base: str) -> dict:
    listed = api.get(f"{base}/api/v1/tools", params={"format": "worksheet", "per_page": 60}).json()["items"]
    for item in listed:
        tool = api.get(f"{base}/api/v1/tools/{item['id']}").json()
        kinds = [f["kind"] for f in tool.get("fields", [])]
        if "scale" in kinds and "lines" in kinds and len(kinds) <= 6:
            return tool
    raise AssertionError("no short worksheet with a 0-10 scale among the first 60")


def run(base: str, shots: Path, email: str, password: str) -> dict:
    report: dict = {}
    api = requests.Session()
    api.headers["Authorization"] = "Bearer " + api.post(f"{base}/api/v1/auth/login",
                                                        json={"email": email, "password": password}).json()["token"]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        steps = Path_(shots)

        # the practitioner: a client whose portal speaks Spanish, a GAD-7 sent ---------------------
        desk = browser.new_context(**DESKTOP)
        desk.set_default_timeout(TIMEOUT_MS)
        page = desk.new_page()
        login_with_keyboard(page, base, email, password)
        page.goto(f"{base}/clients")
        page.get_by_label("New client's name or pseudonym").fill(CLIENT)
        page.get_by_role("button", name="Add client").click()
        expect(page.get_by_role("heading", name=CLIENT, level=1)).to_be_visible()
        client_id = page.url.rstrip("/").rsplit("/", 1)[-1]
        page.get_by_label("Language of the client's portal").select_option("es")
        page.get_by_role("button", name="Save language").click()
        expect(page.locator("#portal-language [role=status]")).to_be_visible()
        steps.accessible(page, "client-language")
        page.get_by_label("Measure", exact=True).select_option("gad7")
        page.get_by_role("button", name="Send measure").click()
        measure_link = page.locator("a.portal-link").first.get_attribute("href")
        tool = worksheet_with_a_scale(api, base)
        made = api.post(f"{base}/api/v1/clients/{client_id}/assignments", json={"tool_id": tool["id"], "due": "2030-01-01"})
        worksheet_link = made.json()["portal_url"]
        desk.close()

        # the client, on a phone -----------------------------------------------------------------
        phone = browser.new_context(locale="es-US", **PHONE)
        phone.set_default_timeout(TIMEOUT_MS)
        client = phone.new_page()
        csp_errors: list[str] = []
        client.on("console", lambda m: csp_errors.append(m.text) if "Content Security Policy" in m.text else None)

        client.goto(measure_link)
        expect(client.locator("html")).to_have_attribute("lang", "es")
        expect(client.get_by_role("button", name="Enviar a mi profesional")).to_be_visible()
        expect(client.get_by_text("Este cuestionario se muestra en inglés")).to_be_visible()
        assert small_targets(client) == [], small_targets(client)
        steps.page(client, "portal-measure-es")
        for item in range(1, 8):   # one tap per question, on the label's whole 44 px row
            client.locator(f'fieldset:has(input[name="q{item}"]) label.choice').nth(item % 4).tap()
        client.get_by_role("button", name="Enviar a mi profesional").tap()
        expect(client.get_by_role("heading", name="Gracias", level=1)).to_be_visible()
        steps.page(client, "portal-submitted-es")
        client.get_by_role("link", name="Ver mi progreso").tap()
        expect(client.get_by_text(re.compile(r"Tareas hechas: 1 de 2\."))).to_be_visible()
        steps.page(client, "portal-progress-es")

        client.goto(worksheet_link)
        expect(client.get_by_role("button", name="Enviar a mi profesional")).to_be_visible()
        expect(client.get_by_text("El texto de este ejercicio está en inglés")).to_be_visible()
        assert client.locator("input[type=radio]:checked").count() == 0      # no scale starts at 5
        assert small_targets(client) == [], small_targets(client)
        steps.page(client, "portal-worksheet-es")
        form = client.locator("#tool-form")
        form.get_by_role("button", name="Enviar a mi profesional").tap()       # nothing written yet: refused
        expect(client.get_by_role("heading", name="Revise sus respuestas")).to_be_visible()
        expect(client.get_by_role("alert")).to_contain_text("No se ha enviado nada")
        steps.page(client, "portal-refused-es")
        client.go_back()
        text_field = next(f for f in tool["fields"] if f["kind"] == "lines")
        scales = [f for f in tool["fields"] if f["kind"] == "scale"]
        client.locator(f'textarea[name="{text_field["id"]}"]').tap()
        client.keyboard.type("En el autobús")
        first_scale = scales[0]["id"]
        client.locator(f'label.scale-point:has(input[name="{first_scale}"][value="7"])').tap()
        no_overflow(client, "worksheet with answers")
        client.get_by_role("button", name="Enviar a mi profesional").tap()
        expect(client.get_by_role("heading", name="Gracias", level=1)).to_be_visible()
        assert csp_errors == [], csp_errors
        phone.close()

        # what the record holds -----------------------------------------------------------------
        timeline = api.get(f"{base}/api/v1/clients/{client_id}/timeline").json()
        sent = [e["data"] for e in timeline if e["type"] == "submitted"]
        assert len(sent) == 2, sent
        scored = [e["data"] for e in timeline if e["type"] == "measure_scored"]
        assert len(scored) == 1 and scored[0]["measure"] == "gad7"
        fields = next(s["fields"] for s in sent if "fields" in s)
        assert fields.get(text_field["id"]) == "En el autobús" and fields.get(first_scale) == "7"
        assert all(s["id"] not in fields for s in scales[1:]), fields             # untouched scales: nothing
        report.update(axe_pages=steps.checked, gad7_total=scored[0]["total"], worksheet=tool["id"])
        browser.close()
    return report


if __name__ == "__main__":
    sys.exit(run_signed_in(run, sys.argv[1:]))
