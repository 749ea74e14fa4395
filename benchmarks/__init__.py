"""Benchmarks for `make bench`: what RabbitMQ costs next to the embedded memory:// transport.

Both measurements run on both transports in one run and are printed side by side, with the ratio
RabbitMQ / embedded:

* RPC round trip (``rpc_roundtrip``): sequential nameko RPC calls to a trivial method through a
  standalone ``ClusterRpcProxy``; service and proxy share one process, because memory:// queues
  exist only inside one process.
* HTTP -> RPC (``http_load``): concurrent clients against an authenticated gateway endpoint that
  makes one RPC, with the platform started as subprocesses (``interlude run``, or one
  ``interlude serve SERVICE`` per service), so the load generator has its own process.

Run ``make bench`` or ``.venv/bin/python -m benchmarks [--quick]`` from the repository root.
RabbitMQ must answer on 127.0.0.1:5672 (guest/guest); ``make bench`` starts it if needed.
"""
