"""`interlude catalog …`: build, inspect, render and review the catalogue."""
from __future__ import annotations

import json
from pathlib import Path

from interlude.progress import ProgressBar

from services.catalog import CONTENT_DIR


def load_and_build(progress: bool = False):
    from services.catalog.domain.build import build_catalogue
    from services.catalog.domain.content import load_content
    content = load_content(CONTENT_DIR)
    tools = build_catalogue(content, ProgressBar("Composing tools") if progress else None)
    return content, tools


def cmd_build(args) -> int:
    from interlude import wiring
    from interlude.cli import load_settings
    from services.catalog.domain.catalogue import Catalogue
    settings = load_settings()
    _content, tools = load_and_build(progress=not args.quiet)
    store = wiring.documents(settings)
    try:
        report = Catalogue(store).publish(tools, None if args.quiet else ProgressBar("Publishing  "))
    finally:
        store.close()
    summary = report.to_dict()
    print(json.dumps(summary) if args.json else
          f"Catalogue: {len(tools)} tools ({summary['added']} added, {summary['updated']} updated, "
          f"{summary['retired']} retired, {summary['unchanged']} unchanged).")
    return 0


def cmd_stats(args) -> int:
    from services.catalog.domain.stats import catalogue_stats
    _content, tools = load_and_build()
    stats = catalogue_stats(tools)
    if args.json:
        print(json.dumps(stats, indent=2))
    else:
        print(f"{stats['tools']} tools, {stats['problems']} problems, {stats['techniques']} techniques")
        for facet in ("by_format", "by_approach", "by_age_group"):
            print(f"{facet[3:]}: " + ", ".join(f"{k} {v}" for k, v in stats[facet].items()))
    return 0


def cmd_problems(args) -> int:
    from services.catalog.domain.content import load_content
    content = load_content(CONTENT_DIR)
    problems = [{"slug": p.slug, "name": p.name, "short_name": p.short_name, "domain": p.domain,
                 "ages": list(p.ages), "lay_phrases": list(p.lay_phrases)}
                for p in sorted(content.problems.values(), key=lambda p: (p.domain, p.slug))]
    if args.json:
        print(json.dumps(problems, indent=2, ensure_ascii=False))
    else:
        for problem in problems:
            print(f"{problem['slug']:32} {problem['name']}")
    return 0


def register(commands) -> None:
    catalog = commands.add_parser("catalog", help="build and inspect the tool catalogue")
    sub = catalog.add_subparsers(dest="catalog_command", required=True)

    build = sub.add_parser("build", help="compose every tool from the content files and publish them")
    build.add_argument("--json", action="store_true", help="print the publish report as JSON")
    build.add_argument("--quiet", action="store_true", help="no progress bar")
    build.set_defaults(func=cmd_build)

    stats = sub.add_parser("stats", help="counts of tools by format, approach and age group")
    stats.add_argument("--json", action="store_true")
    stats.set_defaults(func=cmd_stats)

    problems = sub.add_parser("problems", help="the problems, with the slugs other commands take")
    problems.add_argument("--json", action="store_true")
    problems.set_defaults(func=cmd_problems)
