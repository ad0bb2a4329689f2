from typing import Any

from django.core.management.base import BaseCommand

from deskpemilu.regions.services import seed_mataram


class Command(BaseCommand):
    help = "Load the default Kota Mataram dataset (regions, demo TPS, puskesmas, agencies)."

    def handle(self, *args: Any, **options: Any) -> None:
        counts = seed_mataram(actor=None)
        if any(counts.values()):
            self.stdout.write(
                "Data Kota Mataram dimuat: " + ", ".join(f"{k} {v}" for k, v in counts.items())
            )
        else:
            self.stdout.write("Data Kota Mataram sudah ada; tidak ada yang diubah.")
