"""Durable work queues for long jobs (rendering), on plain kombu.

A job is a JSON message ``{"job_id", "kind", "payload"}`` on a durable queue. A worker takes one
at a time (prefetch 1) and acknowledges it only after its handler returned, so a worker killed
mid-job leaves the message to RabbitMQ, which hands it to another worker. A failing job is
retried after a back-off (RabbitMQ: a per-delay queue whose messages expire back into the work
queue); after ``max_attempts`` it goes to the dead-letter queue and ``on_dead`` records why.
Handlers must be idempotent by ``job_id``: a redelivered job may already be done.

On ``memory://`` (the embedded default) the same code runs in-process; the transport has no
expiry, so a retry waits on a timer instead, and since nothing survives a restart the owner of the
jobs re-publishes unfinished ones at start (see services/workbook).
"""
from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass
from typing import Callable

import kombu

from interlude.logging import get_logger
from interlude.messaging import memory_transport

log = get_logger(__name__)

EXCHANGE = kombu.Exchange("interlude.jobs", type="direct", durable=True)
ATTEMPT_HEADER = "x-interlude-attempt"
BACKOFF_SECONDS = (2, 10, 30)


class PermanentJobError(Exception):
    """A job that can never succeed (bad input): dead-lettered at once, without retries."""


class JobHandedBack(BaseException):
    """Raised in a job's handler when its worker must stop before the job is done
    (interlude/shutdown.py): the message goes back to the queue for another worker, and the worker
    stops. A BaseException, like KeyboardInterrupt, so that no ``except Exception`` takes it for
    the job failing (which would retry or dead-letter it)."""


@dataclass(frozen=True)
class Job:
    job_id: str
    kind: str
    payload: dict
    attempt: int
    redelivered: bool


Handler = Callable[[Job], None]
OnDead = Callable[[Job, str], None]
OnHandBack = Callable[[Job], None]


class JobQueue:
    def __init__(self, broker_url: str, name: str, *, max_attempts: int = 4,
                 backoff: tuple[int, ...] = BACKOFF_SECONDS):
        memory_transport.install()
        self.broker_url, self.name = broker_url, name
        self.max_attempts, self.backoff = max_attempts, backoff
        self.embedded = broker_url.startswith("memory://")
        self.work = kombu.Queue(f"{name}.jobs", EXCHANGE, routing_key=name, durable=True)
        self.dead = kombu.Queue(f"{name}.dead", EXCHANGE, routing_key=f"{name}.dead", durable=True)
        self.retry = [kombu.Queue(
            f"{name}.retry.{seconds}s", EXCHANGE, routing_key=f"{name}.retry.{seconds}s", durable=True,
            queue_arguments={"x-message-ttl": seconds * 1000, "x-dead-letter-exchange": EXCHANGE.name,
                             "x-dead-letter-routing-key": name}) for seconds in backoff]

    def connection(self) -> kombu.Connection:
        return kombu.Connection(self.broker_url, transport_options={"confirm_publish": True})

    def declare(self, conn) -> None:
        channel = conn.default_channel
        for queue in [self.work, self.dead] + ([] if self.embedded else self.retry):
            queue.bind(channel).declare()

    def publish(self, job_id: str, kind: str, payload: dict, *, attempt: int = 1, routing_key: str | None = None,
                conn=None) -> None:
        def send(connection):
            self.declare(connection)
            connection.Producer().publish(
                {"job_id": job_id, "kind": kind, "payload": payload}, exchange=EXCHANGE,
                routing_key=routing_key or self.name, delivery_mode=2, serializer="json",
                headers={ATTEMPT_HEADER: attempt}, retry=True)
        if conn is not None:
            send(conn)
            return
        with self.connection() as connection:
            send(connection)

    def size(self, queue: kombu.Queue | None = None) -> int:
        with self.connection() as conn:
            self.declare(conn)
            return (queue or self.work).bind(conn.default_channel).queue_declare(passive=True).message_count

    def _retry_later(self, conn, job: Job, reason: str) -> None:
        delay = self.backoff[min(job.attempt - 1, len(self.backoff) - 1)]
        log.warning("job_retry", job_id=job.job_id, attempt=job.attempt, delay_s=delay, reason=reason)
        if self.embedded:
            timer = threading.Timer(delay, self.publish, (job.job_id, job.kind, job.payload),
                                    {"attempt": job.attempt + 1})
            timer.daemon = True
            timer.start()
        else:
            self.publish(job.job_id, job.kind, job.payload, attempt=job.attempt + 1,
                         routing_key=f"{self.name}.retry.{delay}s", conn=conn)

    def _handle(self, conn, message, handler: Handler, on_dead: OnDead, on_hand_back: OnHandBack | None,
                stop: threading.Event) -> None:
        if stop.is_set():
            # Delivered while stopping (the consumer's cancel can bring one): left unacknowledged,
            # the broker gives it back when this connection closes, a moment from now.
            return
        body = message.decode()
        job = Job(job_id=str(body.get("job_id")), kind=str(body.get("kind")), payload=body.get("payload") or {},
                  attempt=int((message.headers or {}).get(ATTEMPT_HEADER, 1)),
                  redelivered=bool(message.delivery_info.get("redelivered")))
        try:
            handler(job)
        except JobHandedBack:
            if on_hand_back is not None:
                on_hand_back(job)   # before the broker has it again: another worker may take it at once
            log.warning("job_handed_back", job_id=job.job_id, attempt=job.attempt)
            # Never acknowledged, so the broker gives the job back when this connection closes (on
            # the way out). Not message.requeue(): that would hand it straight back to this
            # consumer, which is still subscribed until its cancel.
            raise
        except Exception as exc:  # any failure of the job: retry or dead-letter, never lose it
            reason = f"{type(exc).__name__}: {getattr(exc, 'message', None) or exc}"[:500]
            if isinstance(exc, PermanentJobError) or job.attempt >= self.max_attempts:
                self.publish(job.job_id, job.kind, {**job.payload, "dead_reason": reason}, attempt=job.attempt,
                             routing_key=f"{self.name}.dead", conn=conn)
                on_dead(job, reason)
                log.error("job_dead", job_id=job.job_id, attempts=job.attempt, error_type=type(exc).__name__)
            else:
                self._retry_later(conn, job, type(exc).__name__)
        message.ack()

    def work_forever(self, handler: Handler, on_dead: OnDead, *, stop: threading.Event | None = None,
                     idle_timeout: float = 1.0, on_hand_back: OnHandBack | None = None) -> None:
        """Take jobs one at a time until ``stop`` is set (the job in hand is finished first, or
        handed back: ``JobHandedBack``); reconnect if the broker goes away."""
        stop = stop or threading.Event()
        try:
            self._consume(handler, on_dead, stop, idle_timeout, on_hand_back)
        except JobHandedBack:
            stop.set()

    def _consume(self, handler: Handler, on_dead: OnDead, stop: threading.Event, idle_timeout: float,
                 on_hand_back: OnHandBack | None) -> None:
        while not stop.is_set():
            try:
                with self.connection() as conn:
                    self.declare(conn)
                    channel = conn.channel()
                    consumer = kombu.Consumer(
                        channel, queues=[self.work], prefetch_count=1, accept=["json"],
                        on_message=lambda m: self._handle(conn, m, handler, on_dead, on_hand_back, stop))
                    with consumer:
                        while not stop.is_set():
                            try:
                                conn.drain_events(timeout=idle_timeout)
                            except socket.timeout:
                                conn.heartbeat_check()
            except conn_errors() as exc:
                log.warning("job_queue_reconnect", error_type=type(exc).__name__)
                time.sleep(1)


def conn_errors() -> tuple[type[BaseException], ...]:
    import amqp
    return (ConnectionError, OSError, amqp.exceptions.ConnectionError)
