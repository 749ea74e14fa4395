"""Published measures on paper: numbered items, one answer per item (a radio group in the fillable
PDF), a total box, the scoring key, and the published forms' own marks."""
import re

import pytest

from services.catalog.cli import load_and_build
from services.catalog.domain.measure_html import PAPER_TEXT
from services.catalog.domain.tool_html import tool_html


@pytest.fixture(scope="module")
def measures():
    return {t["measure"]["slug"]: t for t in load_and_build()[1] if t["format"] == "measure"}


def _radio_groups(html: str) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = {}
    for name, value in re.findall(r'<input type="radio" name="([^"]+)" value="([^"]+)"', html):
        groups.setdefault(name, []).append(value)
    return groups


def test_every_item_is_numbered_with_one_radio_group_of_the_published_answers(measures):
    for slug, tool in measures.items():
        html = tool_html(tool)
        measure = tool["measure"]
        values = [str(o["value"]) for o in measure["options"]]
        groups = _radio_groups(html)
        for number, item in enumerate(measure["items"], start=1):
            assert groups[item["id"]] == values, (slug, item["id"])
            assert f'<td class="item-number">{number}.</td>' in html, (slug, number)
        assert '<input type="checkbox"' not in html, slug
        assert 'name="total"' in html and PAPER_TEXT["total"] in html, slug
        assert PAPER_TEXT["key"] in html, slug


def test_scoring_key_gives_the_range_and_every_band(measures):
    html = tool_html(measures["phq9"])
    assert "Scores run from 0 to 27" in html
    for band in measures["phq9"]["measure"]["bands"]:
        assert f'{band["min"]}–{band["max"]} {band["label"].lower()}' in html
    assert "31-33" in tool_html(measures["pcl5"])   # PCL-5 has a cut-off, not bands


def test_phq15_marks_its_menstrual_item_women_only(measures):
    html = tool_html(measures["phq15"])
    row = html[html.index("Menstrual cramps"):]
    row = row[: row.index("</tr>")]
    assert "Women only" in row


def test_phq9_item_9_carries_a_help_line_note_right_below_it(measures):
    html = tool_html(measures["phq9"])
    after_item_9 = html[html.index("Thoughts that you would be better off dead"):]
    next_rows = after_item_9[: after_item_9.index("</tbody>")]
    assert PAPER_TEXT["flag_note"] in next_rows and "crisis line" in next_rows
    assert html.count(PAPER_TEXT["flag_note"]) == 1


def test_pcl5_instructions_match_its_layout(measures):
    html = tool_html(measures["pcl5"])
    # "circle one of the numbers to the right": every answer cell prints its number after the item.
    assert "circle one of the numbers to the right" in html
    row = html[html.index("Repeated, disturbing, and unwanted"):]
    row = row[: row.index("</tr>")]
    assert [n for n in re.findall(r'<span class="answer-number">(\d)</span>', row)] == list("01234")


def test_the_unscored_follow_up_question_takes_one_answer(measures):
    groups = _radio_groups(tool_html(measures["phq9"]))
    assert len(groups["difficulty"]) == 4
