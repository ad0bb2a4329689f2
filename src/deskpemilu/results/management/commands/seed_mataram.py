from typing import Any

from django.core.management.base import BaseCommand

from deskpemilu.regions.seed import seed_mataram
from deskpemilu.results.contests import shipped_elections
from deskpemilu.results.setup import election_load


class Command(BaseCommand):
    help = (
        "Load the default Kota Mataram dataset: regions, demo TPS, puskesmas, agencies, and the "
        "contests of Pemilu 2024 and Pilkada 2024. Running it twice changes nothing."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        counts = seed_mataram(actor=None)
        for data in shipped_elections():
            for key, value in election_load(actor=None, data=data).items():
                counts[key] = counts.get(key, 0) + value
        if any(counts.values()):
            loaded = ", ".join(f"{k} {v}" for k, v in counts.items() if v)
            self.stdout.write(f"Data Kota Mataram dimuat: {loaded}")
        else:
            self.stdout.write("Data Kota Mataram sudah ada; tidak ada yang diubah.")
