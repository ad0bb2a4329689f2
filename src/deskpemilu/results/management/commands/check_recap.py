from typing import Any

from django.core.management.base import BaseCommand, CommandError

from deskpemilu.results.rollups import check_rollups


class Command(BaseCommand):
    help = "Check that every stored rollup equals the sum of the current sheets below it."

    def handle(self, *args: Any, **options: Any) -> None:
        problems = check_rollups()
        if problems:
            for line in problems[:50]:
                self.stderr.write(line)
            raise CommandError(f"{len(problems)} rollups differ from the sheets")
        self.stdout.write("OK rollups equal the sheets")
