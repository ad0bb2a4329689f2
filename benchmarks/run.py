"""`make bench`: every benchmark, figures printed as a table and written to var/bench.json."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> None:
    python = sys.executable
    # The statements and CPU of one PUT per database, then the load runs, then national scale.
    for args in (["--sheets", "150"], ["--sheets", "150", "--postgres"]):
        subprocess.run([python, str(HERE / "profile_put.py"), *args], check=True, cwd=HERE)
    for script in ("submit.py", "national.py", "pollers.py"):
        subprocess.run([python, str(HERE / script), *sys.argv[1:]], check=True, cwd=HERE)
    figures = json.loads((HERE.parent / "var" / "bench.json").read_text())["figures"]
    print("\nDesk Pemilu benchmark figures (var/bench.json)")
    for name, value in sorted(figures.items()):
        print(f"  {name:36} {value:>12}")


if __name__ == "__main__":
    main()
