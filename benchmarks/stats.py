"""Latency summaries, and the markdown tables they are printed in."""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass


def percentile(samples: list[float], fraction: float) -> float:
    """Nearest-rank percentile: always a value that was actually observed, never interpolated."""
    ordered = sorted(samples)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def latency_summary(latencies: list[float]) -> dict:
    """Count, p50 and p99 in milliseconds of latencies given in seconds."""
    ms = [value * 1000 for value in latencies]
    return {"count": len(ms), "p50_ms": round(percentile(ms, 0.5), 2), "p99_ms": round(percentile(ms, 0.99), 2)}


@dataclass(frozen=True)
class Sample:
    """The raw result of one timed run: each operation's latency, and the wall time of the run."""

    latencies: list[float]
    seconds: float
    errors: int = 0

    @property
    def per_second(self) -> float:
        return len(self.latencies) / self.seconds

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "Sample":
        return cls(**data)


@dataclass(frozen=True)
class Summary:
    """What one measurement produced: how many operations, in how long, and how long each took."""

    count: int
    seconds: float
    p50_ms: float
    p99_ms: float
    errors: int
    # The spread between rounds says how much the machine's noise moved the figures.
    slowest_round_per_second: float
    fastest_round_per_second: float

    @classmethod
    def of(cls, samples: list[Sample]) -> "Summary":
        """Pool the samples of several rounds: all their latencies, and their summed wall time."""
        latencies = [latency for sample in samples for latency in sample.latencies]
        if not latencies:
            raise ValueError("no operation succeeded, so there is nothing to summarise")
        return cls(count=len(latencies), seconds=sum(sample.seconds for sample in samples),
                   p50_ms=percentile(latencies, 0.50) * 1000, p99_ms=percentile(latencies, 0.99) * 1000,
                   errors=sum(sample.errors for sample in samples),
                   slowest_round_per_second=min(sample.per_second for sample in samples),
                   fastest_round_per_second=max(sample.per_second for sample in samples))

    @property
    def per_second(self) -> float:
        return self.count / self.seconds


def ratio(rabbitmq: float, embedded: float) -> str:
    return f"{rabbitmq / embedded:.2f}x" if embedded else "n/a"


def rate_range(summary: Summary) -> str:
    return f"{summary.slowest_round_per_second:.0f}-{summary.fastest_round_per_second:.0f}"


def comparison_rows(embedded: Summary, rabbitmq: Summary, rate_label: str) -> list[list[str]]:
    """One row per figure, embedded beside RabbitMQ, with the ratio RabbitMQ / embedded."""
    figures = [
        ("p50 latency (ms)", embedded.p50_ms, rabbitmq.p50_ms, "{:.2f}"),
        ("p99 latency (ms)", embedded.p99_ms, rabbitmq.p99_ms, "{:.2f}"),
        (rate_label, embedded.per_second, rabbitmq.per_second, "{:.0f}"),
    ]
    rows = [[label, fmt.format(left), fmt.format(right), ratio(right, left)]
            for label, left, right, fmt in figures]
    rows.append([f"{rate_label}, slowest-fastest round", rate_range(embedded), rate_range(rabbitmq), ""])
    if embedded.errors or rabbitmq.errors:
        # Failed requests are left out of the latencies; say how many there were.
        rows.append(["failed requests", str(embedded.errors), str(rabbitmq.errors), ""])
    return rows


def markdown_table(headers: list[str], rows: list[list[str]]) -> str:
    """A plain-text table that is also valid markdown: first column left, the others right."""
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows)]

    def line(cells):
        padded = [str(cell).ljust(width) if index == 0 else str(cell).rjust(width)
                  for index, (cell, width) in enumerate(zip(cells, widths))]
        return "| " + " | ".join(padded) + " |"

    rule = "|" + "|".join(("-" * (width + 1)) + (":" if index else "-")
                          for index, width in enumerate(widths)) + "|"
    return "\n".join([line(headers), rule, *(line(row) for row in rows)])
