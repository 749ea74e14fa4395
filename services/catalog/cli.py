"""`interlude catalog …`: build, inspect, render and review the catalogue."""
from __future__ import annotations

import json
from pathlib import Path

from interlude.progress import ProgressBar

from services.catalog import CONTENT_DIR


def load_and_build(progress: bool = False):
    from services.catalog import contract
    return contract.load_and_build(ProgressBar("Composing tools") if progress else None)


def cmd_build(args) -> int:
    from interlude import wiring
    from interlude.commands import load_settings
    from services.catalog.domain.catalogue import Catalogue, ensure_indexes
    settings = load_settings()
    _content, tools = load_and_build(progress=not args.quiet)
    store = wiring.documents(settings)
    try:
        ensure_indexes(store)
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


def _render_tool(tool: dict, paper: str, footer: str) -> bytes:
    from interlude.rendering import render_pdf
    from services.catalog.domain.tool_html import tool_html
    return render_pdf(tool_html(tool), paper=paper, footer_text=footer, forms=True, fit_last_page=True)


def _find_tool(tools: list[dict], wanted: str) -> dict:
    from interlude.commands import CliError
    for tool in tools:
        if wanted in (tool["id"], tool["slug"]):
            return tool
    raise CliError(f"No tool {wanted!r}: give an id or slug as `interlude catalog stats` and the API list them.")


def cmd_render(args) -> int:
    _content, tools = load_and_build()
    pdf = _render_tool(_find_tool(tools, args.tool), args.paper, args.clinic)
    Path(args.out).write_bytes(pdf)
    print(f"Wrote {args.out} ({len(pdf) // 1024} KB).")
    if args.png:
        # One image per page, for a person to look at without a PDF viewer.
        import pypdfium2
        document = pypdfium2.PdfDocument(pdf)
        stem = Path(args.out).with_suffix("")
        for number in range(len(document)):
            document[number].render(scale=args.scale).to_pil().save(f"{stem}-p{number + 1}.png")
        print(f"Wrote {len(document)} page image(s) {stem}-p1.png ...")
        document.close()
    return 0


def gallery_sample(tools: list[dict], count: int) -> list[dict]:
    """A spread for review: formats and age groups in turn, each taken evenly across the
    catalogue, so a small gallery still shows every kind of page."""
    groups: dict[tuple, list[dict]] = {}
    for tool in tools:
        groups.setdefault((tool["format"], tool["age_group"]), []).append(tool)
    queues = [iter(group[::max(1, len(group) // count)]) for _key, group in sorted(groups.items())]
    sample: list[dict] = []
    while len(sample) < count and queues:
        for queue in list(queues):
            tool = next(queue, None)
            if tool is None:
                queues.remove(queue)
            elif len(sample) < count:
                sample.append(tool)
    return sample


def cmd_gallery(args) -> int:
    import pypdfium2
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    _content, tools = load_and_build()
    sample = gallery_sample(tools, args.count)
    progress = ProgressBar("Rendering gallery")
    for done, tool in enumerate(sample, start=1):
        pdf = pypdfium2.PdfDocument(_render_tool(tool, "a4", args.clinic))
        for page_number in range(min(len(pdf), args.pages)):
            image = pdf[page_number].render(scale=args.scale).to_pil()
            image.save(out / f"{done:03d}-{tool['slug']}-p{page_number + 1}.png")
        pdf.close()
        progress(done, len(sample))
    print(f"Wrote thumbnails of {len(sample)} tools to {out}/")
    return 0


def cmd_score(args) -> int:
    from interlude.commands import CliError
    from services.catalog.domain.measures import load_measures, score
    measures = load_measures()
    if args.measure not in measures:
        raise CliError(f"Unknown measure {args.measure!r}: choose one of {', '.join(sorted(measures))}.")
    try:
        answers = [None if a.strip() in ("", "-") else int(a) for a in args.answers.split(",")]
    except ValueError:
        raise CliError("--answers takes whole numbers separated by commas, e.g. 0,1,2,3") from None
    result = score(measures[args.measure], answers).to_dict()
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        band = f" ({result['band']})" if result.get("band") else ""
        flags = f"; flags: {', '.join(result['flags'])}" if result["flags"] else ""
        print(f"{args.measure}: {result['total']} of {result['max_possible']}{band}{flags}")
    return 0


METRICS_FILE = CONTENT_DIR / "metrics.yaml"


def cmd_metrics(args) -> int:
    import yaml
    from interlude.commands import CliError
    from services.catalog.domain import content_metrics as cm
    _content, tools = load_and_build()
    if args.tool:
        # "!" marks a sentence found word for word in another problem's or another age's tool.
        slug = _find_tool(tools, args.tool)["slug"]
        shares = cm.measure(tools).per_tool.get(slug, {})
        print(f"{slug}: " + ", ".join(f"{k} {v}%" for k, v in shares.items()) + " of its words repeated")
        for sentence, problems, ages in cm.shared_sentences(tools, _find_tool(tools, args.tool)["slug"]):
            marks = (f" [also in: {', '.join(problems)}]" if problems else "") + (
                f" [also at: {', '.join(ages)}]" if ages else "")
            print(("! " if marks else "  ") + sentence + marks)
        return 0
    result = cm.measure(tools)
    figures = result.figures()
    saved = yaml.safe_load(METRICS_FILE.read_text(encoding="utf-8")) if METRICS_FILE.exists() else {}
    limits = saved.get("limits", {})
    if args.ratchet:
        new = cm.ratcheted(figures, limits) if limits else {k: figures[k] if k != "tools" else cm.TARGETS[k]
                                                           for k in cm.TARGETS}
        METRICS_FILE.write_text(cm.limits_file_text(saved.get("before", figures), new), encoding="utf-8")
        print(f"Wrote {METRICS_FILE}: {new}")
        limits = new
    chosen = [t for t in tools if t["format"] != "measure" and (
        not args.domain or any(_content.problems[p].domain == args.domain for p in t["problems"]
                               if p in _content.problems))]
    if args.domain and not chosen:
        raise CliError(f"No tools in domain {args.domain!r}: give a file name from content/problems/, "
                       "e.g. ocd-related.")
    if args.json:
        print(json.dumps({"figures": figures, "limits": limits, "targets": cm.TARGETS,
                          "domain": _domain_figures(result, chosen) if args.domain else None,
                          "child_adult_matters": [v.to_dict() for v in result.child_adult_matters],
                          "teen_addressed_as_child": [v.to_dict() for v in result.teen_addressed_as_child]},
                         indent=2))
    else:
        print(f"{'figure':26} {'now':>8} {'limit':>8} {'target':>8}")
        for name, value in figures.items():
            print(f"{name:26} {value:>8} {limits.get(name, '-'):>8} {cm.TARGETS[name]:>8}")
        if args.domain:
            print(f"\n{args.domain}: " + ", ".join(f"{k} {v}" for k, v in _domain_figures(result, chosen).items()))
        slugs = {t["slug"] for t in chosen}
        wrong = [v for v in result.child_adult_matters + result.teen_addressed_as_child if v.slug in slugs]
        for violation in wrong[: args.worst if not args.domain else len(wrong)]:
            print(f"  wrong reader: {violation.slug} ({violation.kind}): {violation.sentence}")
        if args.worst:
            ranked = sorted(chosen, key=lambda t: -max(result.per_tool[t["slug"]].values(), default=0))
            print(f"\nThe {args.worst} tools with the most repeated text (across problems / across ages, %):")
            for tool in ranked[: args.worst]:
                shares = result.per_tool[tool["slug"]]
                print(f"  {shares.get('across_problems', '-'):>5} {shares.get('across_ages', '-'):>5}  {tool['slug']}")
    broken = cm.broken_limits(figures, limits)
    for message in broken:
        print(f"WORSE: {message}")
    return 1 if broken and args.check else 0


def _domain_figures(result, chosen: list[dict]) -> dict:
    import statistics
    shares = {key: [result.per_tool[t["slug"]][key] for t in chosen if key in result.per_tool[t["slug"]]]
              for key in ("across_problems", "across_ages")}
    return {f"median_{key}": round(statistics.median(values), 1) if values else None
            for key, values in shares.items()} | {"tools": len(chosen)}


def register(commands) -> None:
    measures = commands.add_parser("measures", help="published outcome measures")
    measures_sub = measures.add_subparsers(dest="measures_command", required=True)
    score_cmd = measures_sub.add_parser("score", help="score a measure from its answers")
    score_cmd.add_argument("measure", help="phq9, gad7, phq15, pcl5 or k10")
    score_cmd.add_argument("--answers", required=True, help="answers in item order, comma-separated")
    score_cmd.add_argument("--json", action="store_true")
    score_cmd.set_defaults(func=cmd_score)

    catalog = commands.add_parser("catalog", help="build and inspect the tool catalogue")
    sub = catalog.add_subparsers(dest="catalog_command", required=True)

    build = sub.add_parser("build", help="compose every tool from the content files and publish them")
    build.add_argument("--json", action="store_true", help="print the publish report as JSON")
    build.add_argument("--quiet", action="store_true", help="no progress bar")
    build.set_defaults(func=cmd_build)

    stats = sub.add_parser("stats", help="counts of tools by format, approach and age group")
    stats.add_argument("--json", action="store_true")
    stats.set_defaults(func=cmd_stats)

    render = sub.add_parser("render", help="render one tool to a PDF file")
    render.add_argument("tool", help="the tool's id or slug")
    render.add_argument("--paper", choices=("a4", "letter"), default="a4")
    render.add_argument("--out", required=True, help="the PDF file to write")
    render.add_argument("--clinic", default="Interlude", help="the name in the page footer")
    render.add_argument("--png", action="store_true", help="also write each page as a PNG beside the PDF")
    render.add_argument("--scale", type=float, default=1.0, help="PNG scale (1.0 = 72 dpi)")
    render.set_defaults(func=cmd_render)

    gallery = sub.add_parser("gallery", help="PNG thumbnails of N tools for a person to review")
    gallery.add_argument("count", type=int, help="how many tools")
    gallery.add_argument("--out", required=True, help="the folder to write PNG files to")
    gallery.add_argument("--pages", type=int, default=1, help="pages per tool (default 1)")
    gallery.add_argument("--scale", type=float, default=0.5, help="image scale (1.0 = 72 dpi)")
    gallery.add_argument("--clinic", default="Interlude", help="the name in the page footer")
    gallery.set_defaults(func=cmd_gallery)

    metrics = sub.add_parser("metrics", help="how much text is repeated between problems and ages (issue #15)")
    metrics.add_argument("--domain", help="also give the figures for one problems/<domain>.yaml")
    metrics.add_argument("--worst", type=int, default=0, help="list the N tools with the most repeated text")
    metrics.add_argument("--tool", help="show one tool's sentences, marking those repeated verbatim elsewhere")
    metrics.add_argument("--ratchet", action="store_true",
                         help="tighten content/metrics.yaml to the measured figures where they are better")
    metrics.add_argument("--check", action="store_true", help="exit 1 if a figure is worse than its limit")
    metrics.add_argument("--json", action="store_true")
    metrics.set_defaults(func=cmd_metrics)

    problems = sub.add_parser("problems", help="the problems, with the slugs other commands take")
    problems.add_argument("--json", action="store_true")
    problems.set_defaults(func=cmd_problems)


def clinic_transfer():
    """This service's share of `interlude export` / `interlude import` (interlude_app orchestrates)."""
    from services.catalog import transfer
    return transfer
