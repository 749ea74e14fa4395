"""Measure charts as inline SVG: totals over time on the measure's range, severity bands shaded.

``measure_scale(measure)`` reads the range and bands from a measure as the catalogue stores it
(a measure tool's ``measure`` dict: ``scoring`` min/max and ``bands``, or PCL-5's ``cutoff``).
``trend_svg(points, scale)`` draws the chart; with no points it is a blank chart to fill by hand.
Every text is escaped; every number is computed here, so nothing a user wrote reaches an attribute.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from html import escape

WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 44, 150, 14, 46
# Light to strong, for bands from the mildest to the most severe.
BAND_COLOURS = ("#e3f1e3", "#eef3d8", "#fbf0cc", "#fbdcc4", "#f6c9c9")
MAX_POINTS = 60
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class Scale:
    low: int
    high: int
    bands: tuple[tuple[int, int, str], ...] = ()   # (min, max, label), mildest first


def measure_scale(measure: dict | None) -> Scale | None:
    """The chart scale of a stored measure, or None when it has no usable score range."""
    measure = measure or {}
    scoring = measure.get("scoring") or {}
    low, high = scoring.get("min"), scoring.get("max")
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in (low, high)) or high <= low:
        return None
    bands = tuple((b["min"], b["max"], str(b["label"])) for b in measure.get("bands") or ()
                  if isinstance(b, dict) and isinstance(b.get("min"), int) and isinstance(b.get("max"), int))
    cutoff = measure.get("cutoff") or {}
    if not bands and isinstance(cutoff.get("min"), int) and low < cutoff["min"] <= high:
        top = cutoff.get("max", cutoff["min"])
        bands = ((low, cutoff["min"] - 1, "Below the cut-off"),
                 (cutoff["min"], high, f"Cut-off {cutoff['min']}-{top} and above"))
    return Scale(low, high, bands)


def trend_svg(points: list[tuple[str, float]], scale: Scale, *, title: str = "",
              blank_columns: int = 12) -> str:
    """The chart: one dot per (date, total), joined in order; with no points, ``blank_columns``
    empty session columns to fill by hand."""
    points = list(points)[-MAX_POINTS:]
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    span = scale.high - scale.low

    def y(value: float) -> float:
        clipped = min(max(value, scale.low), scale.high)
        return round(TOP + plot_h * (1 - (clipped - scale.low) / span), 2)

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="trend-chart" viewBox="0 0 {WIDTH} {HEIGHT}" '
             f'width="{WIDTH}" height="{HEIGHT}" font-family="DejaVu Sans, sans-serif" font-size="10">']
    if title:
        parts.append(f"<title>{escape(title)}</title>")
    for index, (band_low, band_high, label) in enumerate(scale.bands):
        colour = BAND_COLOURS[round(index * (len(BAND_COLOURS) - 1) / max(1, len(scale.bands) - 1))]
        top_value = band_high + 1 if band_high < scale.high else scale.high
        y_top, y_bottom = y(top_value), y(band_low)
        parts.append(f'<rect x="{LEFT}" y="{y_top}" width="{plot_w}" height="{round(y_bottom - y_top, 2)}" '
                     f'fill="{colour}"/>')
        parts.append(f'<text x="{LEFT + plot_w + 6}" y="{round((y_top + y_bottom) / 2 + 3, 2)}" '
                     f'fill="#333">{escape(label)} ({band_low}-{band_high})</text>')
    for tick in _ticks(scale):
        parts.append(f'<line x1="{LEFT}" y1="{y(tick)}" x2="{LEFT + plot_w}" y2="{y(tick)}" '
                     'stroke="#b8c2cc" stroke-width="0.5"/>')
        parts.append(f'<text x="{LEFT - 6}" y="{y(tick) + 3}" text-anchor="end" fill="#333">{tick}</text>')
    columns = len(points) if points else max(1, blank_columns)
    step = plot_w / columns
    xs = [round(LEFT + step * (index + 0.5), 2) for index in range(columns)]
    if not points:
        parts.extend(f'<line x1="{x}" y1="{TOP}" x2="{x}" y2="{TOP + plot_h}" stroke="#b8c2cc" '
                     'stroke-width="0.5" stroke-dasharray="2 2"/>' for x in xs)
    parts.append(f'<rect x="{LEFT}" y="{TOP}" width="{plot_w}" height="{plot_h}" fill="none" '
                 'stroke="#4a5560" stroke-width="0.8"/>')
    if points:
        coords = [(x, y(total)) for x, (_, total) in zip(xs, points)]
        parts.append('<polyline fill="none" stroke="#17324d" stroke-width="2" points="'
                     + " ".join(f"{cx},{cy}" for cx, cy in coords) + '"/>')
        label_every = max(1, len(points) // 12)
        for index, ((cx, cy), (when, total)) in enumerate(zip(coords, points)):
            parts.append(f'<circle cx="{cx}" cy="{cy}" r="3.5" fill="#17324d"/>')
            parts.append(f'<text x="{cx}" y="{round(cy - 7, 2)}" text-anchor="middle" '
                         f'fill="#17324d">{_number(total)}</text>')
            if index % label_every == 0 or index == len(points) - 1:
                parts.append(f'<text x="{cx}" y="{TOP + plot_h + 14}" text-anchor="middle" '
                             f'fill="#333" font-size="8">{escape(short_date(when))}</text>')
    parts.append(f'<text x="{LEFT + plot_w / 2}" y="{HEIGHT - 8}" text-anchor="middle" fill="#333">'
                 f'{"Date" if points else "Date of each check (write it under its column)"}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _ticks(scale: Scale) -> list[int]:
    if scale.bands:
        edges = [band[0] for band in scale.bands] + [scale.high]
        return sorted(set(edges) | {scale.low})
    step = max(1, round((scale.high - scale.low) / 5))
    return list(range(scale.low, scale.high, step)) + [scale.high]


def short_date(value) -> str:
    """'2026-03-04' as '4 Mar'; any other text as written (it is escaped by the caller)."""
    try:
        parsed = date.fromisoformat(str(value)[:10])
    except ValueError:
        return str(value)[:12]
    return f"{parsed.day} {MONTHS[parsed.month - 1]}"


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def band_of(total: float, scale: Scale) -> str:
    return next((label for low, high, label in scale.bands if low <= total <= high), "")
