"""`deskpemilu serve`: the production WSGI server (gunicorn, embedded; never runserver)."""

from __future__ import annotations

import multiprocessing
import os
import signal
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections
from gunicorn.app.base import BaseApplication
from gunicorn.arbiter import Arbiter


class GracefulArbiter(Arbiter):  # type: ignore[misc]
    """Ctrl-C stops as gracefully as SIGTERM: requests in flight finish (a result being saved
    is not cut off); a second Ctrl-C during that wait forces the quick shutdown."""

    def handle_int(self) -> None:
        self.handle_term()


def worker_ignores_ctrl_c(worker: Any) -> None:
    # A terminal's Ctrl-C reaches every process of the group; only the master acts on it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


class DeskApplication(BaseApplication):  # type: ignore[misc]
    """gunicorn serving deskpemilu.wsgi:application with the options given here only."""

    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            if key in self.cfg.settings:  # settings of newer gunicorn releases are optional
                self.cfg.set(key, value)

    def load(self) -> Any:
        from deskpemilu.wsgi import application

        return application

    def run(self) -> None:
        try:
            GracefulArbiter(self).run()
        except RuntimeError as e:  # gunicorn's start-up errors, e.g. the port is taken
            raise CommandError(str(e)) from e


def default_workers() -> int:
    # One worker per core (at least 2, so a slow request never blocks the rest): a sheet write
    # is CPU-bound and serialised by the database, and on 2 cores 5 workers measured a p99 2-3×
    # worse than 2 (issue 16); more workers than cores only queue for the CPU.
    return max(2, multiprocessing.cpu_count())


def gunicorn_options(bind: str, workers: int, when_ready: Any) -> dict[str, Any]:
    """How Desk Pemilu is served (also the benchmarks' floor server, so both run alike)."""
    return {
        "bind": bind,
        "workers": workers,
        "worker_class": "sync",
        "timeout": 60,
        "graceful_timeout": 10,
        "accesslog": "-",
        "errorlog": "-",
        "loglevel": "info",
        "proc_name": "deskpemilu",
        "when_ready": when_ready,
        "post_worker_init": worker_ignores_ctrl_c,
        # gunicorn 24+: no control socket (one fixed path per user would clash when two
        # servers run, e.g. the demo and the tests).
        "control_socket_disable": True,
    }


def url_for(host: str, port: int) -> str:
    shown = "127.0.0.1" if host in {"0.0.0.0", ""} else host  # noqa: S104 - only for display
    if ":" in shown and not shown.startswith("["):
        shown = f"[{shown}]"
    return f"http://{shown}:{port}/"


class Command(BaseCommand):
    help = (
        "Serve Desk Pemilu with gunicorn (the production WSGI server). Ctrl-C or SIGTERM stops it"
        " gracefully."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="address to bind (127.0.0.1)")
        parser.add_argument(
            "--port",
            type=int,
            default=None,
            help="port to bind (default: $PORT, else 8000)",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help=f"worker processes (default: CPU cores, at least 2 = {default_workers()})",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        host: str = options["host"]
        port: int = options["port"] or int(os.environ.get("PORT") or 8000)
        workers: int = options["workers"] or default_workers()
        if not 0 < port < 65536:
            raise CommandError(f"invalid port {port}")
        if workers < 1:
            raise CommandError("--workers must be at least 1")
        bind = f"[{host}]:{port}" if ":" in host and not host.startswith("[") else f"{host}:{port}"
        url = url_for(host, port)
        stdout = self.stdout

        def when_ready(server: Arbiter) -> None:
            stdout.write(f"Desk Pemilu siap / ready: {url}  (Ctrl-C untuk berhenti / to stop)")
            stdout.flush()

        # Nothing opened in the master may be shared with the forked workers.
        connections.close_all()
        DeskApplication(gunicorn_options(bind, workers, when_ready)).run()
