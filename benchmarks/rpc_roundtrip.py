"""Child process: sequential RPC round trips through a standalone ``ClusterRpcProxy``.

The benchmark runs ``python -m benchmarks.rpc_roundtrip --calls N --warmup W`` once per transport,
with the INTERLUDE_* environment choosing the broker; it prints the latencies as one JSON line.

memory:// queues exist only inside one process, so the service and the proxy share this process.
The RabbitMQ run does the same, so that the transport is the only difference between the two.
Each transport gets a fresh process: nothing left over from one run (greenthreads, the memory
transport's 1 ms polling) can slow the other, and the parent stays free of monkey-patching.
"""
import warnings

# nameko 2.14 is built on eventlet; its deprecation notice is known and would only clutter stderr.
warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated", category=Warning)

import eventlet  # noqa: E402

eventlet.monkey_patch()  # noqa: E402  (nameko needs it, before anything else is imported)

import argparse  # noqa: E402
import json  # noqa: E402
import time  # noqa: E402

from nameko.rpc import rpc  # noqa: E402
from nameko.runners import ServiceRunner  # noqa: E402
from nameko.standalone.rpc import ClusterRpcProxy  # noqa: E402

from benchmarks.stats import Sample  # noqa: E402
from interlude import logging as interlude_logging  # noqa: E402
from interlude import settings as settings_module  # noqa: E402
from interlude.messaging import nameko_config  # noqa: E402

RPC_TIMEOUT_SECONDS = 10


class BenchEchoService:
    """As little work as a service can do, so that what is measured is the transport."""

    name = "bench_echo"

    @rpc
    def ping(self):
        return "pong"


def time_sequential_calls(config: dict, calls: int, warmup: int) -> Sample:
    with ClusterRpcProxy(config, timeout=RPC_TIMEOUT_SECONDS) as cluster:
        ping = cluster.bench_echo.ping
        # The first calls declare queues and warm caches; they are not the steady state.
        for _ in range(warmup):
            ping()
        latencies = []
        started = time.perf_counter()
        for _ in range(calls):
            begin = time.perf_counter()
            ping()
            latencies.append(time.perf_counter() - begin)
        elapsed = time.perf_counter() - started
    return Sample(latencies, elapsed)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, required=True, help="calls to time")
    parser.add_argument("--warmup", type=int, default=50, help="calls made first and not timed")
    args = parser.parse_args()

    settings = settings_module.load()
    interlude_logging.configure(settings.log_format, settings.log_level)
    config = nameko_config(settings)
    runner = ServiceRunner(config)
    runner.add_service(BenchEchoService)
    runner.start()
    try:
        sample = time_sequential_calls(config, args.calls, args.warmup)
    finally:
        # Killed rather than stopped: a graceful stop waits ~2 s for the memory transport's
        # consumers, and this trivial service has nothing in flight to finish.
        runner.kill()
    print(json.dumps(sample.to_dict()), flush=True)


if __name__ == "__main__":
    main()
