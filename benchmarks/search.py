"""Search benchmark: index build and query latency, tantivy against SQLite FTS5 in the same run.

``python -m benchmarks.search [--quick]`` prints a table; ``run(quick)`` returns its rows.
Measured: build time for the real catalogue and for a synthetic catalogue of 100,000 tools
(10,000 with --quick) made by recombining the real tools' titles, summaries and bodies; query
latency p50/p99 over the judged queries and the problems' lay phrases, on both indexes:
  - tantivy, as the search service runs it (query expansion, facet counts, snippets, top 20);
  - tantivy, plain: the typed words only, top 20 and the total (the same work FTS5 does), as the
    search service's engine runs it (decoded hits cached) and through a read-only engine on the
    same index (no cache: every hit's stored document fetched and decoded);
  - SQLite FTS5: the same words OR-ed, bm25 with the same field weights, top 20 and the total.
The ratio is FTS5 p50 / tantivy plain p50 (the issue's goal: at least 10x).
"""
from __future__ import annotations

import argparse
import random
import re
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.stats import markdown_table, percentile
from interlude.adapters.tantivy_search import TantivySearchEngine
from interlude.ports.search import FIELD_BOOSTS, QUERY_STOPWORDS, TEXT_FIELDS, SearchQuery
from services.search.application.indexing import IndexSource, reindex
from services.search.domain.evaluation import load_judged
from services.search.domain.queries import parse_query

FTS_COLUMNS = ("id",) + TEXT_FIELDS


def note(message: str) -> None:
    print(f"benchmarks.search: {message}", file=sys.stderr, flush=True)


def synthetic_catalogue(documents: list[dict], size: int, seed: int = 7) -> list[dict]:
    """``size`` tools, each mixing the title, summary and body of three real ones."""
    pick = random.Random(seed).choice
    tools = []
    for number in range(size):
        a, b, c = pick(documents), pick(documents), pick(documents)
        tools.append({**a, "id": f"syn_{number}", "title": f"{a['title']} {number}",
                      "summary": b["summary"], "body": c["body"]})
    return tools


def benchmark_queries(catalogue: IndexSource) -> list[str]:
    texts = [j.text for j in load_judged()]
    texts += [phrase for problem in catalogue.content.problems.values() for phrase in problem.lay_phrases]
    return texts


def timed(function, *args) -> float:
    started = time.perf_counter()
    function(*args)
    return time.perf_counter() - started


def latencies(search, texts: list[str], rounds: int) -> dict:
    for text in texts[:20]:
        search(text)                        # warm caches first
    samples = [timed(search, text) for _ in range(rounds) for text in texts]
    return {"p50_ms": percentile(samples, 0.5) * 1000, "p99_ms": percentile(samples, 0.99) * 1000,
            "queries": len(samples)}


# -- SQLite FTS5 -----------------------------------------------------------------------------
def fts_build(path: Path, documents: list[dict]) -> sqlite3.Connection:
    connection = sqlite3.connect(path)
    connection.execute(f"CREATE VIRTUAL TABLE tools USING fts5({', '.join(FTS_COLUMNS)}, "
                       "tokenize='porter unicode61')")
    rows = ((doc["id"], *(" ".join(v) if isinstance(v := doc.get(f), list) else str(v or "")
                          for f in TEXT_FIELDS)) for doc in documents)
    connection.executemany(f"INSERT INTO tools VALUES ({', '.join('?' * len(FTS_COLUMNS))})", rows)
    connection.commit()
    return connection


def fts_search(connection: sqlite3.Connection):
    weights = ", ".join(["0"] + [str(FIELD_BOOSTS[f]) for f in TEXT_FIELDS])

    def search(text: str) -> None:
        words = [w for w in re.findall(r"\w+", text.casefold()) if w not in QUERY_STOPWORDS]
        if not words:
            return
        match = " OR ".join(f'"{w}"' for w in words)
        # The id, title and summary: what a result list shows (tantivy hits carry the same).
        connection.execute(f"SELECT id, title, summary FROM tools WHERE tools MATCH ? "
                           f"ORDER BY bm25(tools, {weights}) "
                           "LIMIT 20", (match,)).fetchall()
        connection.execute("SELECT count(*) FROM tools WHERE tools MATCH ?", (match,)).fetchone()
    return search


# -- tantivy ---------------------------------------------------------------------------------
def tantivy_searches(engine: TantivySearchEngine, catalogue: IndexSource):
    def full(text: str) -> None:
        engine.search(parse_query("", {"q": text, "per_page": 20}, catalogue.expander))
    return full, plain_search(engine)


def plain_search(engine: TantivySearchEngine):
    def plain(text: str) -> None:
        engine.search(SearchQuery(text=text, per_page=20, facets=False, highlight=False))
    return plain


def measure(label: str, documents: list[dict], catalogue: IndexSource, texts: list[str], rounds: int,
            scratch: Path) -> list[dict]:
    note(f"{label}: building tantivy and FTS5 indexes of {len(documents):,} tools")
    engine = TantivySearchEngine(scratch / f"tantivy-{len(documents)}")
    tantivy_build = timed(engine.rebuild, documents)
    started = time.perf_counter()
    connection = fts_build(scratch / f"fts-{len(documents)}.db", documents)
    fts_build_seconds = time.perf_counter() - started
    note(f"{label}: {len(texts) * rounds:,} queries on each engine")
    full, plain = tantivy_searches(engine, catalogue)
    full_latency, plain_latency = latencies(full, texts, rounds), latencies(plain, texts, rounds)
    uncached = latencies(plain_search(TantivySearchEngine(engine.path, writable=False)), texts, rounds)
    fts_latency = latencies(fts_search(connection), texts, rounds)
    connection.close()
    return [
        {"measurement": f"index build, {label} ({len(documents):,} tools)", "unit": "s",
         "tantivy": tantivy_build, "fts5": fts_build_seconds, "ratio": fts_build_seconds / tantivy_build},
        {"measurement": f"query p50, {label}", "unit": "ms", "tantivy": plain_latency["p50_ms"],
         "tantivy_uncached": uncached["p50_ms"],
         "tantivy_service": full_latency["p50_ms"], "fts5": fts_latency["p50_ms"],
         "ratio": fts_latency["p50_ms"] / plain_latency["p50_ms"], "queries": plain_latency["queries"]},
        {"measurement": f"query p99, {label}", "unit": "ms", "tantivy": plain_latency["p99_ms"],
         "tantivy_uncached": uncached["p99_ms"],
         "tantivy_service": full_latency["p99_ms"], "fts5": fts_latency["p99_ms"],
         "ratio": fts_latency["p99_ms"] / plain_latency["p99_ms"], "queries": plain_latency["queries"]},
    ]


def run(quick: bool = False) -> list[dict]:
    """Rows: measurement, unit, tantivy, tantivy_service (queries only), fts5, ratio (FTS5 / tantivy)."""
    catalogue = IndexSource()
    texts = benchmark_queries(catalogue)
    size, rounds = (10_000, 1) if quick else (100_000, 3)
    with tempfile.TemporaryDirectory(prefix="interlude-bench-search-") as scratch:
        engine = TantivySearchEngine(Path(scratch) / "warm")
        reindex(engine, catalogue)                    # builds the catalogue and expander once
        del engine
        rows = measure("catalogue", catalogue.documents, catalogue, texts, rounds, Path(scratch))
        rows += measure("synthetic", synthetic_catalogue(catalogue.documents, size), catalogue, texts,
                        1, Path(scratch))
    expansion = latencies(catalogue.expander.expand, texts, rounds)
    rows.append({"measurement": "query expansion p50 (Python, per query)", "unit": "ms",
                 "tantivy_service": expansion["p50_ms"]})
    return rows


def table(rows: list[dict]) -> str:
    def cell(row, key):
        value = row.get(key)
        return "" if value is None else (f"{value:.1f}x" if key == "ratio" else f"{value:.2f}")
    headers = ["measurement", "unit", "tantivy plain", "tantivy plain, no hit cache", "tantivy as served",
               "SQLite FTS5", "FTS5 / tantivy"]
    return markdown_table(headers, [[r["measurement"], r["unit"], cell(r, "tantivy"), cell(r, "tantivy_uncached"),
                                     cell(r, "tantivy_service"), cell(r, "fts5"), cell(r, "ratio")]
                                    for r in rows])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.search", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="10,000 synthetic tools, one round")
    args = parser.parse_args(argv)
    print(table(run(args.quick)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
