"""The compatibility shim that lets nameko 2.14.1 RPC work over kombu's memory:// transport."""
import uuid

import kombu
import pytest
from kombu.transport import memory as kombu_memory
from nameko.rpc import rpc
from nameko.standalone.rpc import ClusterRpcProxy

from interlude.messaging import memory_transport, nameko_config


def _roundtrip_message(transport_cls):
    queue_name = f"shim-{uuid.uuid4().hex}"
    with kombu.Connection(transport=transport_cls) as conn:
        queue = kombu.Queue(queue_name, exchange=kombu.Exchange(queue_name), routing_key=queue_name)
        with conn.Producer() as producer:
            producer.publish({"x": 1}, exchange=queue.exchange, routing_key=queue_name,
                             declare=[queue], serializer="json", reply_to="r", correlation_id="c")
        received = []
        with conn.Consumer(queue, callbacks=[lambda body, message: received.append(message)]):
            conn.drain_events(timeout=2)
        return received[0]


def test_plain_memory_transport_hides_content_type_where_nameko_looks():
    message = _roundtrip_message(kombu_memory.Transport)
    # This is what nameko's Responder reads, and why every reply failed without the shim.
    assert "content_type" not in message.properties
    assert message.content_type == "application/json"


def test_shim_exposes_content_type_in_properties():
    message = _roundtrip_message(memory_transport.Transport)
    assert message.properties["content_type"] == "application/json"
    assert message.properties["reply_to"] == "r"


def test_install_points_memory_urls_at_the_shim_with_fast_polling():
    memory_transport.install()
    with kombu.Connection("memory://") as conn:
        assert isinstance(conn.transport, memory_transport.Transport)
        assert conn.transport.polling_interval == pytest.approx(0.001)


class EchoService:
    name = "echo"

    @rpc
    def echo(self, value):
        return {"echo": value}

    @rpc
    def fail(self):
        raise ValueError("refused")


def test_nameko_rpc_replies_over_memory_transport(make_settings):
    settings = make_settings()
    from nameko.runners import ServiceRunner
    from interlude_app.runner import stop_runner
    runner = ServiceRunner(nameko_config(settings))
    runner.add_service(EchoService)
    runner.start()
    try:
        with ClusterRpcProxy(nameko_config(settings), timeout=10) as cluster:
            assert [cluster.echo.echo(i) for i in range(20)] == [{"echo": i} for i in range(20)]
            from nameko.exceptions import RemoteError
            with pytest.raises(RemoteError) as raised:
                cluster.echo.fail()
            assert raised.value.exc_type == "ValueError"
    finally:
        stop_runner(runner)
