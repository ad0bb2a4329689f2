"""Check the audit log and what it vouches for; exit 1 on the first kind of problem found.

    deskpemilu verify_audit [--checkpoint N:HASH ...]

(a) the hash chain; (b) every sheet version's numbers against the content hash its audit entry
recorded; (c) each sheet's state against its verifications, and those against their entries;
(d) the rollups against the sums of the counted versions (the same check as `check_recap`);
(e) each checkpoint, a head printed earlier: entry N must still have hash HASH.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from deskpemilu.audit.services import check_checkpoint, verify_chain
from deskpemilu.audit.vouched import registered
from deskpemilu.core.heads import head_text, parse_checkpoint

SHOWN = 50


def checkpoint(text: str) -> tuple[int, str]:
    parsed = parse_checkpoint(text)
    if parsed is None:
        raise CommandError(f"--checkpoint {text!r}: expected N:HASH (64 hex digits)")
    return parsed


class Command(BaseCommand):
    help = (
        "Recompute the audit hash chain, check every version's numbers against its audit entry,"
        " the sheets against their verifications and the rollups against the sheets:"
        " 'OK <entries> <N:HASH>' or what is broken (exit 1)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--checkpoint",
            action="append",
            default=[],
            metavar="N:HASH",
            help="a head printed earlier (repeatable): fail unless entry N still has hash HASH",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        checkpoints = [checkpoint(text) for text in options["checkpoint"]]
        report = verify_chain()
        if not report.ok:
            raise CommandError(
                f"BROKEN at entry {report.broken_seq}: {report.problem} "
                f"({report.entries} entries verified before it)"
            )
        problems = [p for p in (check_checkpoint(n, h) for n, h in checkpoints) if p]
        held = []
        for vouched in registered():  # the apps' checks (audit/vouched.py)
            count, found = vouched.check()
            problems += found
            held.append(f"{count} {vouched.what}")
        if problems:
            for line in problems[:SHOWN]:
                self.stderr.write(line)
            raise CommandError(f"BROKEN: {len(problems)} problem(s); first: {problems[0]}")
        self.stdout.write(f"OK {report.entries} {head_text(report.entries, report.head_hash)}")
        self.stdout.write(f"  {', '.join(held)}; {len(checkpoints)} checkpoint(s) hold")
