"""`interlude workbook build`: a workbook PDF straight from the catalogue, no server needed."""
from __future__ import annotations

import time
from datetime import date
from pathlib import Path


def cmd_build(args) -> int:
    from interlude.commands import CliError
    from interlude.errors import InterludeError
    from interlude.progress import ProgressBar
    from interlude.rendering import render_pdf
    from services.catalog.contract import load_and_build
    from services.workbook.domain.book_html import book_html
    from services.workbook.domain.plan import propose_plan
    from services.workbook.application.render_jobs import BOOK_MAX_HTML_BYTES, BOOK_TIME_LIMIT_S
    from services.workbook.application.workbooks import plan_tool_ids

    steps = ProgressBar("Building workbook", min_interval=0)
    started = time.monotonic()
    steps(0, 4)
    content, tools = load_and_build()
    steps(1, 4)
    request = {"problems": [p.strip() for p in args.problems.split(",") if p.strip()], "age_group": args.age,
               "goals": args.goal or [], "length": int(args.length) if args.length.isdigit() else args.length,
               "paper": args.paper}
    try:
        plan = propose_plan(content, tools, request)
        by_id = {tool["id"]: tool for tool in tools}
        html = book_html(plan, {tool_id: by_id[tool_id] for tool_id in plan_tool_ids(plan)},
                         client_name=args.client, practitioner_name=args.practitioner, clinic_name=args.clinic,
                         edition=1, date=date.today())
        steps(2, 4)
        pdf = render_pdf(html, paper=args.paper, footer_text=args.clinic, forms=True,
                         max_html_bytes=BOOK_MAX_HTML_BYTES, time_limit_s=BOOK_TIME_LIMIT_S)
    except InterludeError as exc:
        raise CliError(exc.message) from None
    steps(3, 4)
    Path(args.out).write_bytes(pdf)
    steps(4, 4)
    chapters = len(plan["chapters"])
    tool_count = sum(len(c["tools"]) for c in plan["chapters"])
    print(f"Wrote {args.out}: {chapters} chapters, {tool_count} tools, {len(pdf) // 1024} KB "
          f"in {time.monotonic() - started:.1f} s.")
    return 0


def register(commands) -> None:
    workbook = commands.add_parser("workbook", help="build workbooks")
    sub = workbook.add_subparsers(dest="workbook_command", required=True)
    build = sub.add_parser("build", help="a workbook PDF for problems and an age group, from the catalogue")
    build.add_argument("--problems", required=True, help="problem slugs, comma-separated (interlude catalog problems)")
    build.add_argument("--age", required=True, choices=("child", "teen", "adult"))
    build.add_argument("--out", required=True, help="the PDF file to write")
    build.add_argument("--length", default="standard", help="short, standard, full, or a number of tools")
    build.add_argument("--goal", action="append", help="a goal of the client's (repeatable)")
    build.add_argument("--paper", choices=("a4", "letter"), default="a4")
    build.add_argument("--client", default="Client", help="first name or pseudonym on the cover")
    build.add_argument("--practitioner", default="Your practitioner", help="name on the cover")
    build.add_argument("--clinic", default="Interlude", help="clinic name on the cover and footer")
    build.set_defaults(func=cmd_build)


def clinic_transfer():
    """This service's share of `interlude export` / `interlude import` (interlude_app orchestrates)."""
    from services.workbook.application import transfer
    return transfer
