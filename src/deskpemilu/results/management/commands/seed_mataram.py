from typing import Any

from django.core.management.base import BaseCommand

from deskpemilu.regions.seed import seed_mataram
from deskpemilu.results.contests import read_election
from deskpemilu.results.setup import election_load


class Command(BaseCommand):
    help = (
        "Load the default Kota Mataram dataset: regions, demo TPS, puskesmas, agencies, and the "
        "Pemilu 2024 contests. Running it twice changes nothing."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        counts = seed_mataram(actor=None)
        counts.update(election_load(actor=None, data=read_election()))
        if any(counts.values()):
            loaded = ", ".join(f"{k} {v}" for k, v in counts.items() if v)
            self.stdout.write(f"Data Kota Mataram dimuat: {loaded}")
        else:
            self.stdout.write("Data Kota Mataram sudah ada; tidak ada yang diubah.")
