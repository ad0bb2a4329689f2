"""Response schemas and the documented request body of the readiness API."""

from __future__ import annotations

from typing import Any

from ninja import Schema


class ItemOut(Schema):
    code: str
    label: str
    needs_quantity: bool
    target: int | None  # a fixed expected quantity; per-TPS targets are in the TPS response
    target_rule: str
    help_text: str


class WarningOut(Schema):
    item: str
    code: str
    jumlah: int
    target: int
    message: str


class ReportOut(Schema):
    tps: str
    percent_ready: float
    ready: bool
    items_ready: int
    items_total: int
    changed: list[str]
    warnings: list[WarningOut]


class TpsItemOut(Schema):
    code: str
    label: str
    needs_quantity: bool
    target: int | None
    status: str | None
    jumlah: int | None
    catatan: str
    photo: str
    updated_at: str | None
    below_target: bool


class TpsReadinessOut(Schema):
    tps: str
    number: int
    kelurahan: str
    dpt: int
    items_ready: int
    items_total: int
    problems: int
    percent_ready: float
    ready: bool
    updated_at: str | None
    at: str | None
    items: list[TpsItemOut]


class HistoryOut(Schema):
    at: str
    item: str
    label: str
    status: str
    jumlah: int | None
    catatan: str
    photo: str
    reporter: str
    source: str


class ProblemOut(Schema):
    tps: str
    tps_name: str
    kelurahan: str
    item: str
    item_label: str
    status: str
    catatan: str
    since: str


class ChildOut(Schema):
    code: str
    name: str
    level: str
    tps_total: int
    tps_ready: int
    percent_ready: float


class ReadinessSummaryOut(Schema):
    region: str
    name: str
    level: str
    tps_total: int
    tps_ready: int
    percent_ready: float
    tps_reported: int
    tps_problem: int
    problems: list[ProblemOut]
    problems_total: int
    children: list[dict[str, Any]]
    updated_at: str | None
    at: str | None


_ITEM = {
    "type": "object",
    "required": ["status"],
    "additionalProperties": False,
    "properties": {
        "status": {"type": "string", "enum": ["siap", "belum", "bermasalah"]},
        "jumlah": {
            "type": "integer",
            "minimum": 0,
            "maximum": 100000,
            "description": "Only for items with needs_quantity. Below the target: a warning.",
        },
        "catatan": {"type": "string", "maxLength": 1000},
    },
}
REPORT_BODY_DOC: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["items"],
                    "additionalProperties": False,
                    "properties": {
                        "items": {
                            "type": "object",
                            "minProperties": 1,
                            "description": "Any subset of the items in force, by code.",
                            "additionalProperties": _ITEM,
                        }
                    },
                },
                "example": {
                    "items": {
                        "lokasi": {"status": "siap"},
                        "kotak_suara": {"status": "siap", "jumlah": 5},
                        "listrik": {"status": "bermasalah", "catatan": "Genset belum datang"},
                    }
                },
            }
        },
    }
}
MOMENT_DOC = (
    "`?pada=` shows the state as it was then: `h-3`, `h-1`, `hari-h`, or `YYYY-MM-DDTHH:MM` "
    "(WITA unless an offset is given), rebuilt from the kept reports."
)
