"""The progress domain (issue #6), plain Python over the documents port.

- ``events``: the append-only event store (``progress_events``), per-client sequence numbers.
- ``clients`` and ``assignments``: who is helped, what they were asked to do, portal links.
- ``portal``: what a client does through a link (open, draft, submit, rate, listen).
- ``projections``: timeline, dashboard, assignment status, measure series and trend charts.
- ``records``: export and deletion of a client's record, corrections, the audit trail.
- ``reminders``: the reminder outbox and the adapters that deliver it.
"""
