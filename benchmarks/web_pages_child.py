"""Child of benchmarks.web_pages: the embedded platform and the timing in one patched process."""
import warnings

warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated", category=Warning)

import eventlet  # noqa: E402

eventlet.monkey_patch()  # noqa: E402

import http.client  # noqa: E402
import json  # noqa: E402
import re  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from urllib.parse import urlencode  # noqa: E402

from benchmarks.children import child_platform_settings  # noqa: E402
from benchmarks.stats import percentile  # noqa: E402
from gateway.identity import Identity  # noqa: E402
from interlude_app.runner import build_runner, stop_runner  # noqa: E402
from services.catalog.cli import load_and_build  # noqa: E402
from services.catalog.domain.catalogue import Catalogue  # noqa: E402

EMAIL, PASSWORD = "bench@bench.example", "benchmark password"


class Browser:
    """A keep-alive HTTP connection carrying the session cookie, as a browser would."""

    def __init__(self, port: int):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, dict, str]:
        headers = {"Accept": "text/html", "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]
        return response.status, dict(response.headers), text

    def csrf(self, html: str) -> str:
        return re.search(r'name="csrf-token" content="([0-9a-f]+)"', html).group(1)


def summary(path: str, latencies: list[float]) -> dict:
    ms = [value * 1000 for value in latencies]
    return {"path": path, "count": len(ms), "p50_ms": round(percentile(ms, 0.5), 1),
            "p99_ms": round(percentile(ms, 0.99), 1)}


def seed(browser: Browser) -> dict[str, str]:
    """Log in with the form; a client with three PHQ-9 scores; a workbook. Returns the page paths."""
    _, _, page = browser.request("GET", "/login")
    status, _, _ = browser.request("POST", "/login", {"email": EMAIL, "password": PASSWORD,
                                                      "csrf_token": browser.csrf(page), "next": "/"})
    assert status == 303, status
    token = browser.csrf(browser.request("GET", "/clients")[2])
    status, headers, _ = browser.request("POST", "/clients", {"display_name": "Bench client", "csrf_token": token})
    client_path = headers["Location"]
    for _ in range(3):
        _, _, done = browser.request("POST", client_path + "/measures", {"measure": "phq9", "due": "2030-01-01",
                                                                          "csrf_token": token})
        portal = re.search(r'class="portal-link" href="https?://[^/]+(/portal/[^"]+)"', done).group(1)
        browser.request("POST", portal + "/submit", {f"q{i}": "1" for i in range(1, 10)})
    status, headers, _ = browser.request("POST", "/workbooks", {"problem": ["insomnia", "ocd-contamination"],
                                                                "age_group": "adult", "client_name": "Bench",
                                                                "csrf_token": token})
    workbook_path = headers["Location"]
    _, _, results = browser.request("GET", "/tools?q=" + "can%27t+sleep")
    tool_path = re.search(r'<h3><a href="(/tools/[^"]+)">', results).group(1)
    return {"dashboard": "/", "catalogue": "/tools?format=worksheet&age=adult",
            "search": "/tools?q=can%27t+stop+washing+hands", "tool": tool_path, "client": client_path,
            "workbook": workbook_path}


def main(per_page: int) -> None:
    port, settings, store = child_platform_settings()
    Catalogue(store).publish(load_and_build()[1])
    Identity(store).create_clinic("Bench Clinic", EMAIL, "Bench", PASSWORD)
    store.close()
    runner = build_runner(settings, ["catalog", "search", "workbook", "progress", "gateway"])
    runner.start()
    try:
        browser = Browser(port)
        pages = seed(browser)
        results = {}
        for name, path in pages.items():
            status, _, _ = browser.request("GET", path)   # warm-up: thumbnails, caches
            assert status == 200, (name, path, status)
            times = []
            for _ in range(per_page):
                started = time.perf_counter()
                status, _, _ = browser.request("GET", path)
                times.append(time.perf_counter() - started)
                assert status == 200, (name, path, status)
            results[name] = summary(path.split("?")[0] if name not in ("catalogue", "search") else path, times)
        print(json.dumps(results))
    finally:
        stop_runner(runner)


if __name__ == "__main__":
    main(int(sys.argv[1]))
