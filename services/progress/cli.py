"""`interlude progress …`: the progress service's commands.

  interlude progress reminders [--json]   one reminders pass, as the service's timer runs it
"""
from __future__ import annotations

import json


def cmd_reminders(args) -> int:
    from interlude import wiring
    from interlude.commands import load_settings
    from services.progress.application import reminders, storage
    settings = load_settings()
    store = wiring.documents(settings)
    try:
        storage.ensure_indexes(store)
        created, outcome = reminders.send_due(store)
    finally:
        store.close()
    counts = {"created": len(created), **{k: v for k, v in outcome.items() if isinstance(v, int)}}
    print(json.dumps(counts) if args.json else
          f"Reminders: {counts['created']} created, {counts.get('sent', 0)} sent, "
          f"{counts.get('failed', 0)} failed (they are tried again on the next pass); the webhook "
          "deliveries they queued go out from the progress service.")
    return 0


def register(commands) -> None:
    progress = commands.add_parser("progress", help="clients' progress: reminders")
    sub = progress.add_subparsers(dest="progress_command", required=True)
    remind = sub.add_parser("reminders", help="create the reminders now due and send what is waiting "
                                              "(the progress service does this every minute)")
    remind.add_argument("--json", action="store_true", help="print the counts as JSON")
    remind.set_defaults(func=cmd_reminders)
