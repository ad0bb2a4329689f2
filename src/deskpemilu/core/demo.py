"""The embedded demo's sample data: each feature registers what it seeds, `setup_demo` runs them.

Like `core.nav`: a feature registers its seeder in AppConfig.ready(), so the accounts app that
runs the demo imports no feature. A seeder is idempotent (a second run changes nothing) and
returns one line saying what it did, or "" when there was nothing to do.
"""

from __future__ import annotations

from collections.abc import Callable

_seeders: dict[str, Callable[[], str]] = {}


def register(name: str, seeder: Callable[[], str]) -> None:
    _seeders[name] = seeder


def run_all() -> list[str]:
    """Run every registered seeder in name order; the lines they report."""
    return [line for name in sorted(_seeders) if (line := _seeders[name]())]
