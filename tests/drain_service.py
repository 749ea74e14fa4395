"""A service with one slow RPC, run the way `interlude serve` runs a service
(interlude_app.runner.run_until_signalled), for the drain test in
tests/integration/test_graceful_stop.py:  python -m tests.drain_service AMQP_URL GRACE_SECONDS"""
import eventlet

eventlet.monkey_patch()  # noqa: E402  (before nameko, as the CLI does)

import sys  # noqa: E402

from nameko.rpc import rpc  # noqa: E402
from nameko.runners import ServiceRunner  # noqa: E402

from interlude.metrics import Metrics  # noqa: E402
from interlude_app.runner import run_until_signalled  # noqa: E402


class SlowService:
    name = "slow"
    metrics = Metrics()

    @rpc
    def slow(self, seconds):
        print("slow call started", flush=True)
        eventlet.sleep(seconds)
        return "finished"


if __name__ == "__main__":
    runner = ServiceRunner({"AMQP_URI": sys.argv[1], "serializer": "json"})
    runner.add_service(SlowService)
    run_until_signalled(runner, lambda: print("started", flush=True), grace_s=float(sys.argv[2]))
