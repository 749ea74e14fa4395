"""The ``interlude`` command.

  interlude run [--port N] [--host H]     the whole platform in one process (embedded default)
  interlude serve SERVICE                 one service against the configured broker and stores
  interlude admin create-clinic ...       a clinic and its first admin
  interlude settings                      the engines the environment selects (no secrets)
  interlude export --clinic ID --to DIR   one clinic's documents and files (or --to FILE.tar.gz)
  interlude import --from DIR|FILE        add an exported clinic to this deployment

Service packages add their own commands (``services/<name>/cli.py``, a ``register(subparsers)``
function). Errors print one line saying what to do and exit non-zero.
"""
from __future__ import annotations

import argparse
import importlib
import getpass
import json
import os
import sys

from interlude import logging as interlude_logging
from interlude import settings as settings_module
from interlude.commands import CliError, load_settings

SERVE_CHOICES = ("catalog", "search", "workbook", "progress", "gateway", "render-worker")
# Each service package may add its own commands: a module with `register(subparsers)`.
COMMAND_MODULES = ("services.catalog.cli", "services.search.cli", "services.workbook.cli",
                   "services.progress.cli")


def _green():
    """Monkey-patch before nameko and the adapters are imported: nameko runs on eventlet."""
    import warnings
    # nameko 2.14 is built on eventlet; its deprecation notice is known and says nothing new.
    warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated", category=Warning)
    import eventlet
    eventlet.monkey_patch()


def cmd_run(args) -> int:
    _green()
    settings = load_settings(args.port, args.host)
    if not settings.embedded:
        raise CliError("`interlude run` hosts every service in one process over memory://; "
                       "unset INTERLUDE_BROKER_URL, or use `interlude serve SERVICE` per process.")
    from interlude_app import demo, runner
    account = demo.ensure_demo_data(settings)
    service_runner = runner.build_runner(settings, runner.SERVICES)

    def announce():
        runner.start_embedded_render_worker(settings)
        url = f"http://{settings.http_host}:{settings.http_port}"
        print(f"Interlude is running at {url}  (data in {settings.data_dir})", flush=True)
        if account:
            print(f"Demo account: {account['email']} / {account['password']}  "
                  f"(log in: POST {url}/api/v1/auth/login)", flush=True)
        print("Stop with Ctrl-C.", flush=True)

    runner.run_until_signalled(service_runner, announce)
    return 0


def cmd_serve(args) -> int:
    if args.service == "render-worker":
        return cmd_render_worker(args)
    _green()
    settings = load_settings(args.port, args.host)
    if settings.embedded:
        raise CliError("`interlude serve` runs one service, so the services need a shared broker: "
                       "set INTERLUDE_BROKER_URL=amqp://user:pass@host:5672/ (or use `interlude run`).")
    from interlude_app import runner
    service_runner = runner.build_runner(settings, [args.service])
    readiness = start_metrics_server(settings)
    runner.run_until_signalled(
        service_runner, lambda: print(f"{args.service} service started", flush=True),
        grace_s=settings.shutdown_grace_seconds, readiness=readiness)
    return 0


def start_metrics_server(settings):
    """This process's /metrics, /healthz and /readyz when INTERLUDE_METRICS_PORT is set; returns
    the Readiness those probes report (kept by the caller either way)."""
    from interlude.metrics_server import Readiness, start_metrics_server as start
    readiness = Readiness()
    if settings.metrics_port is not None:
        try:
            start(settings.http_host, settings.metrics_port, readiness)
        except OSError as exc:
            raise CliError(f"INTERLUDE_METRICS_PORT={settings.metrics_port}: cannot listen there "
                           f"({exc.strerror}): choose a free port, or unset it.") from None
    return readiness


def cmd_render_worker(args) -> int:
    """A plain process, not monkey-patched: it blocks on one render at a time by design. SIGTERM:
    the render in hand finishes within INTERLUDE_SHUTDOWN_GRACE_SECONDS or goes back to the queue."""
    settings = load_settings()
    if settings.embedded:
        raise CliError("Render workers take jobs from a shared broker: set INTERLUDE_BROKER_URL=amqp://… "
                       "(the embedded `interlude run` has its own render worker).")
    from interlude.shutdown import GracefulStop
    from services.workbook.worker import run_render_worker
    readiness = start_metrics_server(settings)
    graceful = GracefulStop(settings.shutdown_grace_seconds, on_stop=readiness.stopping).install()
    readiness.started()
    print("render worker started", flush=True)
    run_render_worker(settings, graceful=graceful)
    return 0


def cmd_create_clinic(args) -> int:
    settings = load_settings()
    password = os.environ.get("INTERLUDE_ADMIN_PASSWORD")
    if not password:
        if not sys.stdin.isatty():
            raise CliError("Set INTERLUDE_ADMIN_PASSWORD (at least 10 characters) to give the admin's password.")
        password = getpass.getpass("Password for the clinic admin (at least 10 characters): ")
    from gateway.identity import Identity, ensure_indexes
    from interlude import wiring
    store = wiring.documents(settings)
    try:
        ensure_indexes(store)
        clinic, user = Identity(store).create_clinic(args.name, args.email, args.admin_name, password)
    finally:
        store.close()
    print(json.dumps({"clinic": clinic, "admin": user}, indent=2) if args.json else
          f"Created clinic {clinic['name']} ({clinic['id']}); admin {user['email']} can log in now.")
    return 0


def cmd_export(args) -> int:
    from interlude_app.clinic_transfer import export_clinic
    export_clinic(load_settings(), args.clinic, args.to)
    return 0


def cmd_import(args) -> int:
    from interlude_app.clinic_transfer import import_clinic
    import_clinic(load_settings(), getattr(args, "from"))
    return 0


def cmd_settings(args) -> int:
    settings = load_settings()
    print(json.dumps({**settings.safe_summary(), "embedded": settings.embedded}, indent=2))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="interlude", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser("run", help="run the whole platform in one process")
    run.add_argument("--port", type=int, default=None, help="HTTP port (default 8080)")
    run.add_argument("--host", default=None, help="HTTP host (default 127.0.0.1)")
    run.set_defaults(func=cmd_run)

    serve = commands.add_parser("serve", help="run one service against RabbitMQ")
    serve.add_argument("service", choices=SERVE_CHOICES)
    serve.add_argument("--port", type=int, default=None, help="HTTP port for the gateway")
    serve.add_argument("--host", default=None, help="HTTP host for the gateway")
    serve.set_defaults(func=cmd_serve)

    admin = commands.add_parser("admin", help="administration")
    admin_commands = admin.add_subparsers(dest="admin_command", required=True)
    create = admin_commands.add_parser("create-clinic", help="create a clinic and its first admin "
                                       "(password from INTERLUDE_ADMIN_PASSWORD or a prompt)")
    create.add_argument("--name", required=True, help="the clinic's name")
    create.add_argument("--email", required=True, help="the admin's email, used to log in")
    create.add_argument("--admin-name", required=True, help="the admin's name")
    create.add_argument("--json", action="store_true", help="print the result as JSON")
    create.set_defaults(func=cmd_create_clinic)

    export = commands.add_parser("export", help="write one clinic's documents and files to a folder or .tar.gz")
    export.add_argument("--clinic", required=True, help="the clinic's id")
    export.add_argument("--to", required=True, help="a new folder, or a file ending .tar.gz")
    export.set_defaults(func=cmd_export)
    load = commands.add_parser("import", help="add a clinic exported elsewhere (refused if its id exists here)")
    load.add_argument("--from", required=True, help="the folder or .tar.gz `interlude export` wrote")
    load.set_defaults(func=cmd_import)

    show = commands.add_parser("settings", help="show the engines the environment selects")
    show.set_defaults(func=cmd_settings)

    for module_name in COMMAND_MODULES:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            continue
        module.register(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    # Quiet by default for one-off commands; `run` and `serve` reconfigure from the settings.
    interlude_logging.configure("console", os.environ.get("INTERLUDE_LOG_LEVEL", "warning"))
    try:
        return args.func(args)
    except settings_module.SettingsError as exc:
        print(f"interlude: configuration error: {exc}", file=sys.stderr)
        return 2
    except CliError as exc:
        print(f"interlude: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # Output piped into `head` and the like: stop quietly.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:
        from interlude.errors import InterludeError
        if isinstance(exc, InterludeError):
            print(f"interlude: {exc.message}", file=sys.stderr)
            return 2
        raise


if __name__ == "__main__":
    sys.exit(main())
