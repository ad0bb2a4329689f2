from typing import Any

from django.core.management.base import BaseCommand

from deskpemilu.results.rollups import rebuild_rollups


class Command(BaseCommand):
    help = "Recompute every rollup from the current sheets (after a restore or a repair)."

    def handle(self, *args: Any, **options: Any) -> None:
        count = rebuild_rollups(actor=None)  # the command's own name is the actor
        self.stdout.write(f"OK {count} rollups rebuilt")
