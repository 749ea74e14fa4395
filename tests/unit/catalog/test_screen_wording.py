"""A tool's paper instructions worded for the portal's screen; the PDF's wording is untouched."""
import pytest

from services.catalog.domain.screen_wording import for_screen, tool_for_screen


@pytest.mark.parametrize("paper, screen", [
    ("Circle the thought that stings most.", "Pick out the thought that stings most."),
    ("Write it, then circle the one that stings most.", "Write it, then pick out the one that stings most."),
    ("Tick each day it worked.", "Mark each day it worked."),
    ("Tick or write one comfort.", "Mark or write one comfort."),
    ("Underline any blame words.", "Pick out any blame words."),
    ("Cross out any that no longer bother you.", "Drop any that no longer bother you."),
])
def test_paper_instructions_become_screen_instructions(paper, screen):
    assert for_screen(paper) == screen


@pytest.mark.parametrize("kept", ["Circle (inner, middle, outer)", "Turning Going Round in Circles Into a Next Step",
                                  "Ticking it off builds confidence.", "Keep or cross out"])
def test_the_same_words_as_nouns_or_titles_stay(kept):
    assert for_screen(kept) == kept


def test_every_shown_text_of_a_tool_is_worded_for_the_screen_and_the_original_is_kept():
    tool = {"title": "Thought record", "summary": "Circle the thought.",
            "sections": [{"id": "how", "heading": "How", "text": "", "items": ["Circle the hot thought."]}],
            "fields": [{"id": "f", "label": "Tick each one you did"}]}
    shown = tool_for_screen(tool)
    assert shown["sections"][0]["items"] == ["Pick out the hot thought."]
    assert shown["fields"][0]["label"] == "Mark each one you did" and shown["summary"] == "Pick out the thought."
    assert tool["sections"][0]["items"] == ["Circle the hot thought."]      # the catalogue's own text
