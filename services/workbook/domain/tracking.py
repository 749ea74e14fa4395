"""The book's tracking pages (homework log, mood chart, measure chart) and, from the second
edition, the progress record (homework done, the measure's trend as an inline SVG chart).

Grids reuse the catalogue's field writer, so they are fillable PDF fields like the tools' own.
``check_progress`` validates the progress data before anything is laid out.
"""
from __future__ import annotations

from html import escape

from interlude.errors import InvalidInput
from services.catalog.contract import field_html
from interlude import charts
from services.workbook.domain import checks

MAX_PROGRESS_POINTS = 200
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

HOMEWORK = {"id": "log", "kind": "table", "label": "What I tried between sessions", "rows": 14,
            "columns": ["Date", "What I agreed to try", "Done? (yes / partly / no)", "How it went",
                        "To bring to my next session"]}
MOOD = {"id": "mood", "kind": "table", "label": "My mood, day by day", "rows": 8,
        "columns": ["Week starting", *WEEKDAYS],
        "legend": "Write a number for each day: 0 = the lowest I have felt, 10 = the best I have felt."}
SCORES = {"id": "scores", "kind": "table", "label": "My totals", "rows": 8,
          "columns": ["Date", "Total", "What was going on"]}


def tracking_html(pages: list[dict], scale: charts.Scale | None, measure_name: str) -> str:
    """The tracking pages, the first carrying the part's level-1 bookmark."""
    out = []
    for index, page in enumerate(pages):
        kicker = ('<p class="part-kicker bm1">Tracking pages</p>' if index == 0 else "")
        head = (f'<section class="new-page" id="track-{escape(page["kind"])}">{kicker}'
                f'<h1 class="bm2">{escape(page["title"])}</h1>')
        if page["kind"] == "homework_log":
            out.append(head + "<p>Each week, write down what you agreed to try. Afterwards, note how it "
                       "went and anything you want to talk about next time.</p>"
                       + field_html(HOMEWORK, 0, "homework_") + "</section>")
        elif page["kind"] == "mood_chart":
            out.append(head + "<p>A minute at the end of each day is enough. Over a few weeks the "
                       "numbers show patterns that are hard to see day by day.</p>"
                       + field_html(MOOD, 0, "mood_") + "</section>")
        elif page["kind"] == "measure_chart" and scale is not None:
            out.append(head + f"<p>Each time you fill in the {escape(measure_name)}, write the date under "
                       "the next column and mark your total with a dot. The shaded bands show the "
                       "published score ranges; your practitioner will talk them through with you.</p>"
                       f'<div class="chart">{charts.trend_svg([], scale, title=measure_name)}</div>'
                       + field_html(SCORES, 0, "scores_") + "</section>")
    return "".join(out)


def check_progress(progress) -> dict:
    """``{"homework_done": n, "homework_set": m (optional), "measure": slug (optional),
    "points": [[date, total], ...] or [{"date": ..., "total": ...}, ...]}``, checked."""
    if not isinstance(progress, dict):
        raise InvalidInput("progress must be an object with homework_done and points.")
    done = checks.whole_number(progress.get("homework_done", 0), "progress.homework_done", low=0, high=100_000)
    total = progress.get("homework_set")
    if total is not None:
        total = checks.whole_number(total, "progress.homework_set", low=done, high=100_000)
    points = progress.get("points") or []
    if not isinstance(points, list) or len(points) > MAX_PROGRESS_POINTS:
        raise InvalidInput(f"progress.points must be a list of at most {MAX_PROGRESS_POINTS} "
                           "(date, total) pairs.")
    checked = []
    for number, point in enumerate(points, start=1):
        when, value = (point.get("date"), point.get("total")) if isinstance(point, dict) else (
            point if isinstance(point, (list, tuple)) and len(point) == 2 else (None, None))
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
            raise InvalidInput(f"progress point {number} must be a date and a numeric total.")
        checked.append((checks.text(str(when) if when is not None else "", f"progress point {number} date",
                                    max_len=30, required=True), value))
    measure = progress.get("measure")
    if measure is not None and (not isinstance(measure, str) or len(measure) > 40):
        raise InvalidInput("progress.measure must be a measure slug such as phq9.")
    return {"homework_done": done, "homework_set": total, "measure": measure, "points": checked}


def progress_html(progress: dict, scale: charts.Scale | None, measure_name: str) -> str:
    """The progress record: what was done, and the measure's totals as a chart and a table."""
    done, total = progress["homework_done"], progress["homework_set"]
    homework = (f"You completed {done} of the {total} homework tasks set so far." if total is not None
                else f"You completed {done} homework task{'s' if done != 1 else ''} so far.")
    parts = ['<section class="new-page" id="progress"><h1 class="bm1">Progress record</h1>',
             f'<p class="progress-summary">{escape(homework)}</p>']
    points = progress["points"]
    if points:
        if scale is None:
            values = [value for _, value in points]
            scale = charts.Scale(int(min(0, min(values))), int(max(values)) + 1)
        first, last = points[0], points[-1]
        heading = f"My {measure_name} over time" if measure_name else "My scores over time"
        parts.append(f'<h2 class="bm2">{escape(heading)}</h2>'
                     f"<p>{_point_text('First', first, scale)} {_point_text('Latest', last, scale)}</p>"
                     f'<div class="chart">{charts.trend_svg(points, scale, title=heading)}</div>')
        rows = "".join(f"<tr><td>{escape(when)}</td><td>{escape(_number(value))}</td>"
                       f"<td>{escape(charts.band_of(value, scale))}</td></tr>" for when, value in points)
        parts.append("<table><thead><tr><th>Date</th><th>Total</th><th>Range</th></tr></thead>"
                     f"<tbody>{rows}</tbody></table>")
    parts.append("</section>")
    return "".join(parts)


def _point_text(which: str, point: tuple[str, float], scale: charts.Scale) -> str:
    when, value = point
    band = charts.band_of(value, scale)
    return escape(f"{which}: {_number(value)}{f' ({band})' if band else ''} on {when}.")


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"
