"""Work the notification worker does at the start of each round for the features (the incidents'
SLA escalation, which writes new notifications). Features register it from their
`AppConfig.ready`, so that notify, below them, imports none of them."""

from __future__ import annotations

from collections.abc import Callable

_TASKS: dict[str, Callable[[], int]] = {}


def every_round(name: str, task: Callable[[], int]) -> None:
    """Run `task` at the start of every round; it returns how many things it did, printed as
    `name=count`."""
    _TASKS[name] = task


def run_round_tasks() -> dict[str, int]:
    return {name: task() for name, task in _TASKS.items()}
