"""`deskpemilu notify_worker [--once]`: send the outbox and escalate overdue incidents.

Runs beside `deskpemilu serve` (a systemd unit or a second terminal). Each round: the features'
round tasks run (incidents past their SLA are escalated, which writes new notifications; see
notify/rounds.py), windows of failed sign-ins that have ended are audited, the audit head is put
in the outbox for the witness when its interval has passed, then due emails and webhook calls
are sent; failures are retried with exponential back-off. Several workers may run at once.
"""

from __future__ import annotations

import signal
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

from deskpemilu.accounts.services import login_failures_flush
from deskpemilu.core.heads import head_text
from deskpemilu.notify import worker
from deskpemilu.notify.rounds import run_round_tasks
from deskpemilu.notify.witness import audit_witness_due


class Command(BaseCommand):
    help = "Send pending notifications (email, webhooks) and escalate overdue incidents."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="one round, then exit")
        parser.add_argument("--interval", type=float, default=5.0, help="seconds between rounds")
        parser.add_argument("--limit", type=int, default=100, help="deliveries per round")

    def handle(self, *args: Any, **options: Any) -> None:
        stopping = False

        def stop(signum: int, frame: Any) -> None:
            nonlocal stopping
            stopping = True

        if not options["once"]:
            signal.signal(signal.SIGTERM, stop)
            signal.signal(signal.SIGINT, stop)
        while True:
            done = run_round_tasks()  # features' work first: it may write notifications
            witnessed = audit_witness_due()
            if witnessed is not None:
                self.stdout.write(f"witness {head_text(witnessed.seq, witnessed.hash)}")
            # Failed sign-ins are audited when their window ends, even if no one signs in then.
            login_failures_flush()
            summary = worker.run_once(limit=options["limit"])
            if options["once"] or options["verbosity"] > 1 or summary.sent or summary.gave_up:
                tasks = "".join(f"{name}={count} " for name, count in done.items())
                self.stdout.write(
                    f"{tasks}sent={summary.sent} retry={summary.retried} gave_up={summary.gave_up}"
                )
            if options["once"] or stopping:
                return
            deadline = time.monotonic() + options["interval"]
            while not stopping and time.monotonic() < deadline:
                time.sleep(0.2)
            if stopping:
                return
            # A long-running worker drops connections that broke or aged between rounds.
            close_old_connections()
