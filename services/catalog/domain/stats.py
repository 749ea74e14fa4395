"""Counts over a built catalogue, for the build report and for checking coverage."""
from __future__ import annotations

from collections import Counter


def catalogue_stats(tools: list[dict]) -> dict:
    """Totals and counts per format, approach, age group and problem.

    ``techniques`` counts real techniques only: psychoeducation handouts and measures are tools of
    their own kind, not techniques. A tool serving several problems counts once for each.
    """
    exercises = [tool for tool in tools if tool.get("kind") == "exercise"]
    by_problem = Counter(slug for tool in tools for slug in tool["problems"])
    return {
        "tools": len(tools),
        "problems": len(by_problem),
        "techniques": len({tool["technique"] for tool in exercises}),
        "by_format": _sorted(Counter(tool["format"] for tool in tools)),
        "by_approach": _sorted(Counter(tool["approach"] for tool in tools)),
        "by_age_group": _sorted(Counter(tool["age_group"] for tool in tools)),
        "by_problem": _sorted(by_problem),
    }


def _sorted(counts: Counter) -> dict[str, int]:
    # Sorted by name so that two builds of the same content report identically.
    return dict(sorted(counts.items()))
