"""Compatibility shim that lets nameko 2.14.1 run over kombu's in-process ``memory://`` transport.

Two problems, both measured on this project's machine (shared/research/feasibility.md):

1. nameko's RPC ``Responder.send_response`` reads ``message.properties['content_type']``. AMQP
   messages carry it there; kombu's virtual transports keep it on the message object
   (``message.content_type``) instead, so every RPC reply fails with ``KeyError: 'content_type'``.
   ``Message`` below copies content type and encoding into the properties, where nameko looks.
2. Virtual transports poll their queues, by default once a second, so each RPC hop took ~1 s.
   ``POLLING_INTERVAL`` brings that to ~1 ms (measured ~1.6 ms per RPC call in one process).

``install()`` points kombu's ``memory`` alias at this module, so ``memory://`` URLs use it. It is
called by ``interlude.messaging.nameko_config`` and is idempotent. Messages here live in the
process's memory: one process, no durability; a restart's lost jobs are requeued from the documents
store by the services that own them.
"""
from __future__ import annotations

from kombu.transport import TRANSPORT_ALIASES, memory, virtual

POLLING_INTERVAL = 0.001
ALIAS = "interlude.messaging.memory_transport:Transport"


class Message(virtual.Message):
    def __init__(self, payload, channel=None, **kwargs):
        super().__init__(payload, channel=channel, **kwargs)
        self.properties.setdefault("content_type", self.content_type)
        self.properties.setdefault("content_encoding", self.content_encoding)


class Channel(memory.Channel):
    Message = Message


class Transport(memory.Transport):
    Channel = Channel
    polling_interval = POLLING_INTERVAL


def install() -> None:
    TRANSPORT_ALIASES["memory"] = ALIAS
