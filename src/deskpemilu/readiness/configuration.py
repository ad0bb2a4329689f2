"""The checklist's configuration: the desk adds, changes and retires items. When the items in
force change, every summary and rollup is recomputed in the same transaction."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from deskpemilu.audit.services import record
from deskpemilu.readiness.models import ChecklistItem, TargetRule
from deskpemilu.readiness.rollups import rebuild_readiness
from deskpemilu.readiness.services import ReadinessError, error

if TYPE_CHECKING:
    from deskpemilu.accounts.models import User


@dataclass(frozen=True)
class ItemSpec:
    code: str
    label: str
    needs_quantity: bool = False
    target_rule: str = TargetRule.NONE
    target_value: int | None = None
    help_text: str = ""
    ordering: int = 100
    is_active: bool = True


def _check_spec(spec: ItemSpec) -> list[dict[str, str]]:
    errors: list[dict[str, str]] = []
    code = spec.code
    if not (2 <= len(code) <= 40 and code.replace("_", "").isalnum() and code == code.lower()):
        errors.append(error("kode_tidak_valid", "code", _("Kode: huruf kecil, angka dan _.")))
    if "\x00" in spec.label or "\x00" in spec.help_text:
        errors.append(error("karakter_nul", "label", _("Teks berisi karakter NUL.")))
    if not spec.label.strip() or len(spec.label) > 120:
        errors.append(error("nama_wajib", "label", _("Nama wajib diisi (paling 120 huruf).")))
    if spec.target_rule not in TargetRule.values:
        errors.append(error("target_tidak_valid", "target_rule", _("Aturan target tidak dikenal.")))
    if spec.target_rule == TargetRule.FIXED and spec.target_value is None:
        errors.append(error("target_wajib", "target_value", _("Isi jumlah target.")))
    if spec.target_rule != TargetRule.NONE and not spec.needs_quantity:
        message = _("Butir dengan target harus memakai jumlah.")
        errors.append(error("perlu_jumlah", "needs_quantity", message))
    return errors


def checklist_item_save(*, actor: User, spec: ItemSpec) -> tuple[ChecklistItem, bool]:
    """Create or change an item of the checklist. When the items in force change, every TPS
    summary and region rollup is recomputed in the same transaction."""
    errors = _check_spec(spec)
    if errors:
        raise ReadinessError(422, errors)
    with transaction.atomic():
        item = ChecklistItem.objects.select_for_update().filter(code=spec.code).first()
        created = item is None
        was_active = item.is_active if item else False
        if item is None:
            item = ChecklistItem(code=spec.code)
        item.label = spec.label.strip()
        item.needs_quantity = spec.needs_quantity
        item.target_rule = spec.target_rule
        item.target_value = spec.target_value if spec.target_rule == TargetRule.FIXED else None
        item.help_text = spec.help_text.strip()
        item.ordering = spec.ordering
        item.is_active = spec.is_active
        item.save()
        if was_active != item.is_active:
            rebuild_readiness()
        record(
            actor=actor,
            action="readiness.item_save",
            object_type="readiness_item",
            object_id=item.code,
            payload={
                "created": created,
                "label": item.label,
                "needs_quantity": item.needs_quantity,
                "target_rule": item.target_rule,
                "target_value": item.target_value,
                "is_active": item.is_active,
            },
        )
    return item, created
