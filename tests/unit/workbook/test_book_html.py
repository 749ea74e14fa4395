"""book_html and the chart without rendering: structure, escaping, limits and input errors."""
import re

import pytest

from interlude.errors import InvalidInput, NotFound
from interlude.rendering.limits import check_html
from interlude import charts
from services.workbook.domain.book_html import MAX_BOOK_HTML_BYTES, book_html
from services.workbook.domain.plan import apply_edits, propose_plan

PEOPLE = {"client_name": "Sam", "practitioner_name": "Dr Ada Lee", "clinic_name": "Sunny Side Clinic",
          "date": "2026-03-01"}
PROGRESS = {"homework_done": 3, "homework_set": 4, "points": [["2026-01-05", 16], ["2026-02-02", 9]]}


@pytest.fixture(scope="module")
def plan(content, tools):
    return propose_plan(content, tools, {"problems": ["panic", "depression"], "age_group": "adult",
                                         "length": "standard", "goals": ["Drive to work again"]})


def html_of(plan, tools_by_id, **options):
    return book_html(plan, tools_by_id, **{**PEOPLE, "edition": 1, **options})


def test_one_document_in_book_order(plan, tools_by_id):
    html = html_of(plan, tools_by_id)
    assert html.count("<html") == 1 and html.count("<body>") == 1
    order = [html.index(marker) for marker in (
        'class="cover"', 'id="my-plan"', 'id="contents"', 'bm1">Before you begin', 'id="ch-1"', 'id="ch-2"',
        'id="track-homework_log"', 'id="track-mood_chart"', 'id="track-measure_chart"')]
    assert order == sorted(order)
    assert 'id="progress"' not in html


def test_one_level_one_bookmark_per_chapter(plan, tools_by_id):
    html = html_of(plan, tools_by_id)
    for number, chapter in enumerate(plan["chapters"], start=1):
        section = html[html.index(f'id="ch-{number}"'):]
        end = f'id="ch-{number + 1}"' if number < len(plan["chapters"]) else 'id="track-'
        section = section[:section.index(end)]
        assert section.count("bm1") == 1
        assert section.count('class="tool-title"') == len(chapter["tools"])


def test_every_tool_of_the_plan_is_laid_out_with_unique_anchors_and_field_names(plan, tools_by_id):
    html = html_of(plan, tools_by_id)
    for chapter in plan["chapters"]:
        for entry in chapter["tools"]:
            assert tools_by_id[entry["tool_id"]]["title"].replace("'", "&#x27;") in html
    anchors = re.findall(r' id="([^"]+)"', html)
    assert len(anchors) == len(set(anchors))
    # Every field has its own name, except a radio group's buttons, which share theirs (one answer).
    names = re.findall(r'<(?:input|textarea)(?! type="radio")[^>]* name="([^"]+)"', html)
    assert len(names) > 100 and len(names) == len(set(names))
    radio_groups = set(re.findall(r'type="radio" name="([^"]+)"', html))
    assert radio_groups and not radio_groups & set(names)
    for link in re.findall(r'href="#([^"]+)"', html):
        assert link in anchors


def test_within_the_renderer_limits(content, tools, tools_by_id):
    big = propose_plan(content, tools, {"problems": ["panic", "depression", "insomnia", "ptsd", "burnout"],
                                        "age_group": "adult", "length": 40})
    html = html_of(big, tools_by_id, edition=3, progress=PROGRESS)
    check_html(html, MAX_BOOK_HTML_BYTES, 100)


def test_everything_is_escaped(plan, tools_by_id, clinic_tool):
    hostile = {**plan, "goals": ["<img src=x onerror=alert(1)>"],
               "chapters": [{**plan["chapters"][0], "note": "<script>alert(1)</script>",
                             "title": "<b>Panic</b>"}, plan["chapters"][1]]}
    tools = {**tools_by_id, clinic_tool["id"]: clinic_tool}
    hostile = apply_edits(hostile, [{"op": "add", "tool_id": clinic_tool["id"]}], find_tool=tools,
                          clinic_id="clinic-a")
    html = html_of(hostile, tools, client_name='Sam & "Jo"', practitioner_name="Dr <i>Lee</i>",
                   clinic_name="Clinic</style>")
    for raw in ("<img src=x", "<script>", "<b>Panic</b>", "<b>walking</b>", "Clinic</style>"):
        assert raw not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "&lt;b&gt;Panic&lt;/b&gt;" in html
    assert "Sam &amp; &quot;Jo&quot;" in html and "Dr Lee" in html


def test_the_progress_record_only_from_the_second_edition(plan, tools_by_id):
    assert 'id="progress"' not in html_of(plan, tools_by_id, edition=1, progress=PROGRESS)
    second = html_of(plan, tools_by_id, edition=2, progress=PROGRESS)
    record = second[second.index('id="progress"'):]
    assert "Progress record" in record and "3 of the 4 homework tasks" in record
    assert record.count("<svg") == 1 and record.count("<circle") == 2 and "Moderate (10-14)" in record
    assert 'href="#progress"' in second
    assert 'id="progress"' not in html_of(plan, tools_by_id, edition=2)


def test_cover_colour_and_logo(plan, tools_by_id):
    html = html_of(plan, tools_by_id, colour="#AA3300", logo_file="logo.png")
    assert "#aa3300" in html and 'src="file-in-job:logo.png"' in html
    coloured = apply_edits(plan, [{"op": "cover", "colour": "#005500"}])
    assert "#005500" in html_of(coloured, tools_by_id)


@pytest.mark.parametrize("options, error, message", [
    ({"client_name": ""}, InvalidInput, "client_name is required"),
    ({"client_name": "x" * 81}, InvalidInput, "client_name is too long"),
    ({"practitioner_name": None}, InvalidInput, "practitioner_name is required"),
    ({"edition": 0}, InvalidInput, "edition must be"),
    ({"edition": "2"}, InvalidInput, "edition must be"),
    ({"colour": "blue"}, InvalidInput, "#rrggbb"),
    ({"logo_file": "../logo.png"}, InvalidInput, "logo_file"),
    ({"date": 20260301}, InvalidInput, "date must be"),
    ({"edition": 2, "progress": {"points": [["2026-01-01", "high"]]}}, InvalidInput, "numeric total"),
    ({"edition": 2, "progress": {"points": [["2026-01-01", 1]] * 201}}, InvalidInput, "at most 200"),
    ({"edition": 2, "progress": {"homework_done": -1}}, InvalidInput, "homework_done"),
    ({"edition": 2, "progress": {"homework_done": 5, "homework_set": 4}}, InvalidInput, "homework_set"),
    ({"edition": 2, "progress": []}, InvalidInput, "progress must be an object"),
])
def test_input_errors(plan, tools_by_id, options, error, message):
    with pytest.raises(error) as caught:
        html_of(plan, tools_by_id, **options)
    assert message in caught.value.message


def test_a_tool_no_longer_available(plan, tools_by_id):
    missing = dict(tools_by_id)
    del missing[plan["chapters"][1]["tools"][0]["tool_id"]]
    with pytest.raises(NotFound, match="no longer available"):
        html_of(plan, missing)


def test_dates_are_written_out(plan, tools_by_id):
    import datetime
    assert "4 March 2026" in html_of(plan, tools_by_id, date=datetime.date(2026, 3, 4))
    assert "1 March 2026" in html_of(plan, tools_by_id)


def test_chart_bands_points_and_escaping(tools):
    gad7 = next(t for t in tools if (t.get("measure") or {}).get("slug") == "gad7")["measure"]
    scale = charts.measure_scale(gad7)
    assert (scale.low, scale.high, len(scale.bands)) == (0, 21, 4)
    svg = charts.trend_svg([("2026-01-05", 16), ("<b>week 3</b>", 9.5), ("2026-03-01", 30)], scale)
    assert svg.startswith("<svg") and svg.count("<circle") == 3 and svg.count('fill="#') >= 4
    assert "<b>" not in svg and "&lt;b&gt;week 3" in svg and "5 Jan" in svg and ">9.5<" in svg
    points = re.search(r'<polyline[^>]*points="([^"]+)"', svg).group(1).split()
    assert len(points) == 3 and float(points[2].split(",")[1]) == pytest.approx(charts.TOP)  # 30 clipped to 21
    blank = charts.trend_svg([], scale)
    assert "<circle" not in blank and "stroke-dasharray" in blank


def test_pcl5_has_its_cut_off_as_bands(tools):
    pcl5 = next(t for t in tools if (t.get("measure") or {}).get("slug") == "pcl5")["measure"]
    scale = charts.measure_scale(pcl5)
    assert scale.bands == ((0, 30, "Below the cut-off"), (31, 80, "Cut-off 31-33 and above"))
    assert charts.measure_scale({"scoring": {"min": 5, "max": 5}}) is None


def test_progress_on_another_measure_or_an_unknown_one(plan, tools_by_id):
    phq9 = html_of(plan, tools_by_id, edition=2, progress={**PROGRESS, "measure": "phq9"})
    record = phq9[phq9.index('id="progress"'):]
    assert "My PHQ-9 over time" in record and "Moderately severe (15-19)" in record
    unknown = {key: tool for key, tool in tools_by_id.items() if tool.get("format") != "measure"}
    unmeasured = apply_edits(plan, [{"op": "measure", "measure": None}])
    html = html_of(unmeasured, unknown, edition=2, progress={**PROGRESS, "measure": "phq9"})
    record = html[html.index('id="progress"'):]
    assert "My scores over time" in record and record.count("<circle") == 2 and "<rect" in record
    assert "Before you begin" not in html and 'id="track-measure_chart"' not in html


def test_a_tool_twice_in_the_book_keeps_anchors_and_fields_apart(plan, tools_by_id):
    twice = apply_edits(plan, [{"op": "add", "tool_id": plan["measure"]["tool_id"], "chapter": "panic"}],
                        find_tool=tools_by_id)
    html = html_of(twice, tools_by_id)
    anchors = re.findall(r' id="([^"]+)"', html)
    names = re.findall(r'<(?:input|textarea)(?! type="radio")[^>]* name="([^"]+)"', html)
    assert len(anchors) == len(set(anchors)) and len(names) == len(set(names))
    # the measure's answers: one radio group per item and per copy of the measure
    groups = set(re.findall(r'type="radio" name="([^"]+)"', html))
    for item in tools_by_id[plan["measure"]["tool_id"]]["measure"]["items"]:
        assert len([g for g in groups if g.endswith("_" + item["id"])]) == 2, item["id"]
    assert html.count(f'>{plan["measure"]["title"]}</h1>') == 2
