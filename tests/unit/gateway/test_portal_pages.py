"""The portal's pages and protections without a platform: CSRF tokens bound to one link, a CSP
made per response, pages with no inline script or style, the Spanish catalogue complete, and the
wording progress sends matched word for word by the catalogue's entries."""
import re

import pytest
import yaml
from babel.messages.pofile import read_po

from gateway import portal_pages, portal_security
from gateway.clinic_profile import ClinicProfile
from gateway.web.rendering import TRANSLATIONS
from services.catalog.domain.measures import MEASURES
from services.progress.domain import portal_rules

SECRET = "test secret key"
WORKSHEET = {"title": "Thought record", "summary": "Catch a thought.",
             "sections": [{"id": "why", "heading": "Why this helps", "text": "A.", "items": []},
                          {"id": "your_turn", "heading": "Your turn: the thought", "text": "", "items": []},
                          {"id": "looking_back", "heading": "Looking back", "text": "", "items": ["What helped?"]}],
             "fields": [{"id": "situation", "kind": "lines", "label": "Situation", "lines": 3},
                        {"id": "mood", "kind": "scale", "label": "Mood", "low": "calm", "high": "upset"}]}


def frame(locale="en", lines=("988: call or text",)):
    clinic = ClinicProfile("cln_a", "Harbour <Clinic>", "#ffcc00", None, tuple(lines))
    return portal_pages.PortalPage(locale, "n0nce", "tok.mac", "/portal/abc", clinic)


def test_a_csrf_token_works_for_its_own_link_only():
    token = portal_security.csrf_token(SECRET, "link-a")
    assert portal_security.csrf_valid(SECRET, "link-a", token)
    assert not portal_security.csrf_valid(SECRET, "link-b", token)
    assert not portal_security.csrf_valid("another secret", "link-a", token)
    for bad in (None, "", "nodot", token + "0", "." + token.split(".")[1], "x" * 300):
        assert not portal_security.csrf_valid(SECRET, "link-a", bad)
    assert portal_security.csrf_token(SECRET, "link-a") != token            # a fresh one per render


def test_the_policy_allows_only_this_responses_nonce_and_no_inline_style():
    policy = portal_security.content_security_policy("abc123")
    assert "script-src 'nonce-abc123'" in policy and "'self'" not in policy.split("script-src")[1].split(";")[0]
    assert "style-src 'self'" in policy and "unsafe-inline" not in policy and "frame-ancestors 'none'" in policy


@pytest.mark.parametrize("locale", ["en", "es"])
def test_pages_have_no_inline_script_style_or_handler_and_escape_text(locale):
    view = {"client_name": "<b>Sam</b>", "due": "2030-01-01", "draft": {}, "submitted": False, "has_audio": False,
            "tool": WORKSHEET}
    pages = [portal_pages.assignment_page(frame(locale), view),
             portal_pages.progress_page(frame(locale), {"client_name": "<b>Sam</b>", "completed": 1, "assigned": 5,
                                                        "charts": []}),
             portal_pages.submitted_page(frame(locale), {"crisis": "x", "messages": [], "score": None}),
             portal_pages.error_page(frame(locale), 410, "expired")]
    for response in pages:
        html = response.get_data(as_text=True)
        assert f'<html lang="{locale}">' in html and "<b>Sam</b>" not in html and "Harbour &lt;Clinic&gt;" in html
        assert re.findall(r"<script\b[^>]*>", html) == ['<script nonce="n0nce" src="/static/js/portal.js" defer>']
        assert not re.search(r"\son[a-z]+\s*=|\sstyle\s*=|<style\b", html)


def test_a_worksheet_is_not_taken_for_a_measure_whatever_keys_it_has():
    tool = {**WORKSHEET, "instructions": ["Step one"]}
    html = portal_pages.assignment_page(frame("es"), {"client_name": "S", "due": None, "draft": {}, "submitted": False,
                                                      "has_audio": False, "tool": tool}).get_data(as_text=True)
    assert "El texto de este ejercicio está en inglés" in html and "Step one" not in html


def test_the_form_comes_at_your_turn_before_looking_back_and_no_scale_is_chosen():
    html = portal_pages.assignment_page(frame(), {"client_name": "S", "due": None, "draft": {}, "submitted": False,
                                                  "has_audio": False, "tool": WORKSHEET}).get_data(as_text=True)
    assert html.index("Why this helps") < html.index('id="tool-form"') < html.index("Looking back")
    assert html.count('name="mood"') == 11 and not re.search(r"<input[^>]*\schecked", html)


def test_a_scale_anchor_says_its_number_once():
    numbered = {**WORKSHEET, "fields": [{"id": "mood", "kind": "scale", "label": "Mood", "low": "0 = not at all",
                                         "high": "10 = the most I can imagine"}]}
    for tool, low in ((WORKSHEET, "0 = calm"), (numbered, "0 = not at all")):
        html = portal_pages.assignment_page(frame(), {"client_name": "S", "due": None, "draft": {}, "submitted": False,
                                                      "has_audio": False, "tool": tool}).get_data(as_text=True)
        assert f"<span>{low}</span>" in html and "0 = 0 =" not in html and "10 = 10 =" not in html


def test_a_tables_printed_first_column_is_a_row_heading_and_a_drawing_is_asked_for_on_paper():
    plan = {**WORKSHEET, "fields": [
        {"id": "plan", "kind": "table", "label": "My plan", "columns": ["Step", "What I will say"],
         "row_labels": ["Describe", "Express"], "rows": 2},
        {"id": "safe_place", "kind": "drawing", "label": "Draw your safe place"}]}
    html = portal_pages.assignment_page(frame(), {"client_name": "S", "due": None, "draft": {}, "submitted": False,
                                                  "has_audio": False, "tool": plan}).get_data(as_text=True)
    assert '<p class="row-label">Describe</p>' in html and '<p class="row-label">Express</p>' in html
    # only the column to fill is an input: the printed step is not asked for again
    assert 'name="plan.r0c1"' in html and 'name="plan.r1c1"' in html and 'name="plan.r0c0"' not in html
    assert "Draw this on paper" in html and 'name="safe_place"' in html


def test_crisis_numbers_beside_a_risk_item_and_in_the_crisis_message():
    tool = {"title": "PHQ-9", "measure": True, "summary": portal_rules.MEASURE_SUMMARY, "instructions": "Over the last 2 weeks",
            "sections": [], "fields": [{"id": "q9", "kind": "scale", "label": "Thoughts", "risk": True,
                                        "options": [{"value": 0, "label": "Not at all"}]},
                                       {"id": "q1", "kind": "scale", "label": "Interest", "risk": False,
                                        "options": [{"value": 0, "label": "Not at all"}]}]}
    html = portal_pages.assignment_page(frame("es"), {"client_name": "S", "due": None, "draft": {}, "submitted": False,
                                                      "has_audio": False, "tool": tool}).get_data(as_text=True)
    assert html.count("988: call or text") == 1 and 'aria-describedby="q9-crisis"' in html
    assert "Elija una respuesta para cada pregunta." in html and "Este cuestionario se muestra en inglés" in html
    done = portal_pages.submitted_page(frame("es"), {"crisis": "x", "messages": list(portal_pages.FLAG_MESSAGES),
                                                     "score": {"total": 9}}).get_data(as_text=True)
    assert "988: call or text" in done and "Gracias por decírnoslo" in done and 'role="alert"' in done


def test_the_brand_colour_comes_with_a_readable_text_colour():
    assert portal_pages.brand_css("#FFCC00") == ":root{--brand:#ffcc00;--brand-ink:#111111}\n"
    assert portal_pages.brand_css("1d5c8c") == ":root{--brand:#1d5c8c;--brand-ink:#ffffff}\n"
    assert portal_pages.brand_css("red;}body{x") == portal_pages.brand_css(None)     # anything else: the default


def test_the_wording_progress_sends_is_in_the_catalogue_word_for_word():
    phq9 = yaml.safe_load((MEASURES / "phq9.yaml").read_text())
    assert phq9["flags"][0]["message"] in portal_pages.FLAG_MESSAGES
    assert {portal_rules.MEASURE_SUMMARY, portal_rules.EMPTY_WORKSHEET} <= set(portal_pages.PROGRESS_WORDING)


def test_the_spanish_catalogue_translates_every_message():
    with open(TRANSLATIONS / "es" / "LC_MESSAGES" / "portal.po", "rb") as po:
        catalogue = read_po(po)
    untranslated = [m.id for m in catalogue if m.id and not m.string]
    assert untranslated == [] and not [m.id for m in catalogue if m.fuzzy and m.id]


@pytest.mark.parametrize("locale, worksheet, recording", [
    ("en", "A worksheet to fill in", "A recording to listen to"),
    ("es", "Una hoja de trabajo para rellenar", "Una grabación para escuchar")])
def test_the_worksheet_and_the_recording_of_one_exercise_say_which_they_are(locale, worksheet, recording):
    def page(tool):
        return portal_pages.assignment_page(frame(locale), {"client_name": "S", "due": None, "draft": {},
                                                            "submitted": False, "has_audio": True,
                                                            "tool": tool}).get_data(as_text=True)
    sheet, audio = page({**WORKSHEET, "format": "worksheet"}), page({**WORKSHEET, "format": "audio", "fields": []})
    assert f'<p class="kind">{worksheet}</p>' in sheet and recording not in sheet
    assert f'<p class="kind">{recording}</p>' in audio
    assert re.search(rf"<title>Thought record · {recording}", audio)


def test_a_summary_the_first_section_opens_with_is_shown_once():
    handout = {"title": "Loneliness", "format": "handout", "summary": "Feeling alone is common.",
               "sections": [{"id": "what", "heading": "What is going on",
                             "text": "Feeling alone is common. It can change.", "items": []}], "fields": []}
    html = portal_pages.assignment_page(frame(), {"client_name": "S", "due": None, "draft": {}, "submitted": False,
                                                  "has_audio": False, "tool": handout}).get_data(as_text=True)
    assert html.count("Feeling alone is common.") == 1
    assert "A handout to read" in html
    worksheet = portal_pages.assignment_page(frame(), {"client_name": "S", "due": None, "draft": {}, "submitted": False,
                                                       "has_audio": False, "tool": WORKSHEET}).get_data(as_text=True)
    assert "<p>Catch a thought.</p>" in worksheet
