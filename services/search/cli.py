"""``interlude search``: query, rebuild and measure the search index from the command line.

  interlude search "QUERY" [--json] [--problem P] [--format F] [--age A] [--page N] [--sort title]
  interlude search reindex            rebuild from the catalogue (and clinics' tools), with progress
  interlude search evaluate           nDCG@10, MRR and recall@10 on the judged queries, per engine
  interlude search suggest PREFIX     what the search box would offer
"""
from __future__ import annotations

import json
import os
import sys
import tempfile
import time

from interlude.progress import ProgressBar
from interlude.commands import CliError, load_settings

COMMANDS = ("reindex", "evaluate", "suggest")


def register(subparsers) -> None:
    parser = subparsers.add_parser("search", help="search the tools, or reindex / evaluate the index",
                                   description=__doc__.split("\n\n")[1])
    parser.add_argument("words", nargs="+", metavar="QUERY | reindex | evaluate | suggest PREFIX")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    for name, help_text in (("problem", "problem slug"), ("technique", "technique slug"),
                            ("format", "worksheet, handout, tracker, audio, game, measure"),
                            ("age", "child, teen or adult"), ("approach", "CBT, DBT, ACT, ..."),
                            ("phase", "understand, skills, practice, maintain"),
                            ("source", "clinic or shared")):
        parser.add_argument(f"--{name}", action="append", help=f"filter: {help_text} (repeatable)")
    parser.add_argument("--page", type=int, default=1)
    parser.add_argument("--per-page", type=int, default=10)
    parser.add_argument("--sort", default="relevance", choices=("relevance", "title"))
    parser.add_argument("--clinic", default="", help="search as this clinic (its own tools too)")
    parser.add_argument("--verbose", action="store_true", help="evaluate: list the weakest queries")
    parser.set_defaults(func=run)


def run(args) -> int:
    command = args.words[0] if args.words[0] in COMMANDS else "query"
    settings = load_settings()
    from interlude import wiring
    from services.search.application.indexing import IndexSource, reindex
    if command == "evaluate":
        return _evaluate(args, settings)
    try:
        engine = wiring.search_engine(settings, writable=command != "query")
    except ValueError as exc:
        if "LockBusy" in str(exc):
            raise CliError("the search service is running and holds the index; stop it first, "
                           "or restart it: it rebuilds an outdated index at start") from None
        raise CliError(f"the search index cannot be read ({exc}): run `interlude search reindex`, "
                       "or restart the search service, to rebuild it") from None
    catalogue = IndexSource()
    if command == "reindex":
        store = wiring.documents(settings)
        started = time.perf_counter()
        try:
            count = reindex(engine, catalogue, store, progress=ProgressBar("Indexing"))
        finally:
            store.close()
        print(f"Indexed {count} tools in {time.perf_counter() - started:.1f} s "
              f"(catalogue {catalogue.fingerprint}).")
        return 0
    if engine.count() == 0:
        raise CliError("the search index is empty: run `interlude search reindex` first")
    if command == "suggest":
        found = engine.suggest(" ".join(args.words[1:]), args.clinic, 8)
        for suggestion in found:
            print(f"{suggestion.kind:8} {suggestion.text}")
        return 0
    return _query(args, engine, catalogue, settings)


def _query(args, engine, catalogue, settings) -> int:
    from services.search.adapters.expander_cache import expander_for
    from services.search.domain.queries import parse_query, result_to_dict
    params = {"q": " ".join(args.words), "page": args.page, "per_page": args.per_page, "sort": args.sort}
    for name in ("problem", "technique", "format", "age", "approach", "phase", "source"):
        if getattr(args, name):
            params[name] = ",".join(getattr(args, name))
    expander = expander_for(settings.data_dir, engine.metadata().get("catalogue"), catalogue)
    query = parse_query(args.clinic, params, expander)
    result = result_to_dict(engine.search(query), query)
    if args.json:
        print(json.dumps(result, indent=2, ensure_ascii=False))
        return 0
    print(f"{result['total']} tools" + (f", page {query.page}" if query.page > 1 else ""))
    for rank, hit in enumerate(result["hits"], start=(query.page - 1) * query.per_page + 1):
        print(f"{rank:3}. {hit['title']}  [{', '.join(hit['problems'])} | {hit['technique'] or '-'} | "
              f"{hit['format']} | {hit['age_group']}]")
    return 0


def _evaluate(args, settings) -> int:
    from services.search.domain import evaluation
    from services.search.application.indexing import IndexSource
    from services.search.adapters.evaluation_engines import engines_to_evaluate
    catalogue = IndexSource()
    judged = evaluation.load_judged()
    results = []
    with tempfile.TemporaryDirectory(prefix="interlude-evaluate-") as scratch:
        for name, search in engines_to_evaluate(catalogue, scratch, os.environ.get("ELASTICSEARCH_URL")):
            print(f"evaluating {name} on {len(judged)} judged queries", file=sys.stderr, flush=True)
            results.append(evaluation.evaluate(name, search, judged, catalogue.documents))
    print(evaluation.table(results))
    if args.verbose:
        for result in results:
            print(f"\nweakest queries on {result.engine}:")
            for score in evaluation.worst(result):
                print(f"  nDCG {score.ndcg:.2f}  RR {score.reciprocal_rank:.2f}  {score.text}")
    return 0


def clinic_transfer():
    """This service's share of `interlude export` / `interlude import` (interlude_app orchestrates)."""
    from services.search.application import transfer
    return transfer
