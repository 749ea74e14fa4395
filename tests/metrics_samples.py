"""Read a Prometheus `/metrics` answer with prometheus_client's own parser, for the tests."""
import requests
from prometheus_client.parser import text_string_to_metric_families


def scrape(url):
    """The exposition text at ``url`` and its samples: {(name, sorted label pairs): value}."""
    response = requests.get(url, timeout=10)
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("text/plain")
    samples = {}
    for family in text_string_to_metric_families(response.text):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return response.text, samples


def value(samples, name, **labels):
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def total(samples, name, **labels):
    """The sum over every sample of ``name`` whose labels include ``labels``."""
    return sum(v for (n, pairs), v in samples.items() if n == name and set(labels.items()) <= set(pairs))
