"""The form-reading child: ``python -m interlude.paper_child --memory-limit BYTES``.

An uploaded PDF is read here, never in a service: the process caps its own address space and CPU
time before pypdf sees the file, reads the PDF from stdin, and writes one JSON line to stdout:
``{"stamp", "values", "pages"}``, or ``{"error": <InterludeError class name>, "message"}`` for a
file refused with a reason. Anything else (a crash, the memory cap) is a non-zero exit, which the
parent (paper_forms.read_form_isolated) reports as an unreadable PDF; it kills a child past its time.
"""
from __future__ import annotations

import argparse
import json
import resource
import sys

CPU_SECONDS = 20


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m interlude.paper_child")
    parser.add_argument("--memory-limit", type=int, required=True, help="address-space cap, bytes")
    args = parser.parse_args(argv)
    resource.setrlimit(resource.RLIMIT_AS, (args.memory_limit, args.memory_limit))
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS + 2))
    from interlude.errors import InterludeError
    from interlude.paper_forms import read_form
    data = sys.stdin.buffer.read()
    try:
        form = read_form(data)
        answer = {"stamp": form.stamp, "values": form.values, "pages": form.pages}
    except InterludeError as error:
        answer = {"error": type(error).__name__, "message": error.message}
    sys.stdout.write(json.dumps(answer))
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
