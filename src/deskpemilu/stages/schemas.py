"""Schemas of the stage calendar API."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from ninja import Field, Schema

StateCode = Literal["belum", "berjalan", "selesai", "bermasalah"]


class KecamatanStatusOut(Schema):
    kecamatan_code: str
    kecamatan: str
    status: StateCode
    note: str
    updated_at: datetime | None


class StageOut(Schema):
    code: str
    name: str
    description: str
    election: str
    starts_on: date
    ends_on: date
    active: bool
    today: bool
    counts: dict[str, int]
    kecamatan: list[KecamatanStatusOut]


class StageUpdateOut(Schema):
    kecamatan_code: str
    status: StateCode
    note: str
    at: datetime
    actor: str


class StageDetailOut(StageOut):
    history: list[StageUpdateOut]


class StatusIn(Schema):
    kecamatan_code: str = Field(..., max_length=10)
    status: StateCode
    note: str = Field("", max_length=500)


class StageIn(Schema):
    starts_on: date
    ends_on: date
    active: bool = Field(True, description="followed by the desk")


class StatusOut(Schema):
    stage: str
    kecamatan_code: str
    status: StateCode
    note: str
    updated_at: datetime
