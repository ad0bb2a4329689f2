"""The checklist in force and the expected quantity of an item at a TPS."""

from __future__ import annotations

from deskpemilu.readiness.models import ChecklistItem, TargetRule
from deskpemilu.regions.models import Tps

RESERVE_PERCENT = 2  # surat suara: DPT + 2% cadangan of each kind


def ballots_needed(dpt: int) -> int:
    """DPT plus the 2% reserve, rounded up: ceil(DPT × 1.02) in exact integer arithmetic."""
    return (dpt * (100 + RESERVE_PERCENT) + 99) // 100


def items_in_force() -> list[ChecklistItem]:
    return list(ChecklistItem.objects.filter(is_active=True).order_by("ordering", "code"))


def fixed_target(item: ChecklistItem) -> int | None:
    """The target of GET /readiness/items: a fixed number, or None (none, or per TPS)."""
    if item.target_rule == TargetRule.FIXED:
        return item.target_value
    return None


def target_for(item: ChecklistItem, tps: Tps) -> int | None:
    """The quantity expected at this TPS, or None when the item has no target."""
    if item.target_rule == TargetRule.FIXED:
        return item.target_value
    if item.target_rule == TargetRule.DPT_RESERVE:
        return ballots_needed(tps.dpt)
    return None
