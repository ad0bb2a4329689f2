from typing import Any

from django.core.management.base import BaseCommand, CommandError

from deskpemilu.audit.services import verify_chain


class Command(BaseCommand):
    help = "Recompute the audit hash chain: 'OK <entries> <head-hash>' or the first broken entry."

    def handle(self, *args: Any, **options: Any) -> None:
        report = verify_chain()
        if not report.ok:
            raise CommandError(
                f"BROKEN at entry {report.broken_seq}: {report.problem} "
                f"({report.entries} entries verified before it)"
            )
        self.stdout.write(f"OK {report.entries} {report.head_hash}")
