"""Request and response schemas of the health API."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from ninja import Field, Schema
from pydantic import ConfigDict, StrictInt

PersonRoleCode = Literal["kpps", "pps", "ppk", "linmas", "saksi", "pengawas", "pemilih", "lainnya"]
ConditionCode = Literal["sakit_ringan", "dirawat", "dirujuk_rs", "meninggal"]
ShiftCode = Literal["pagi", "siang", "malam"]
CheckCode = Literal["siap", "belum", "bermasalah"]


class Strict(Schema):
    model_config = ConfigDict(extra="forbid", strict=True)


class HealthIncidentIn(Strict):
    tps_code: str = Field(max_length=13)
    person_role: PersonRoleCode
    condition: ConditionCode
    occurred_at: datetime = Field(
        description="ISO 8601; without an offset it is read as WITA (Asia/Makassar)"
    )
    puskesmas: str | None = Field(
        None,
        max_length=60,
        description="The handling puskesmas (its code); by default the one serving the TPS's "
        "kelurahan when exactly one does",
    )
    note: str = Field("", max_length=2000)
    name: str = Field(
        "", max_length=100, description="Optional; never an NIK (a 16-digit number is refused)"
    )

    model_config = ConfigDict(extra="forbid", strict=False)


class HealthFollowUpIn(Strict):
    note: str = Field(max_length=2000)
    condition: ConditionCode | None = None
    puskesmas: str | None = Field(None, max_length=60)
    close: bool = False


class HealthFollowUpOut(Schema):
    id: int
    at: str
    actor: str
    note: str
    condition: str | None
    puskesmas: str | None
    closes: bool


class HealthIncidentOut(Schema):
    id: int
    election: str  # the code of the election (`pemilihan`) it belongs to
    tps: str
    tps_number: int
    kelurahan: str
    person_role: str
    person_role_label: str
    condition: str
    condition_label: str
    first_condition: str
    occurred_at: str
    puskesmas: str | None
    puskesmas_name: str | None
    note: str
    name: str | None = Field(description="Only for health staff and the desk")
    status: str
    reported_by: str
    created_at: str
    closed_at: str | None


class HealthIncidentDetailOut(HealthIncidentOut):
    followups: list[HealthFollowUpOut]


class CountsOut(Schema):
    total: int
    open: int
    sakit_ringan: int
    dirawat: int
    dirujuk_rs: int
    meninggal: int


class PuskesmasCountsOut(CountsOut):
    puskesmas: str | None
    name: str


class KecamatanCountsOut(CountsOut):
    kecamatan: str
    name: str


class HealthSummaryOut(Schema):
    region: str
    totals: CountsOut
    by_puskesmas: list[PuskesmasCountsOut]
    by_kecamatan: list[KecamatanCountsOut]


class PostIn(Strict):
    name: str = Field(max_length=150)
    address: str = Field("", max_length=300)
    hours: str = Field("", max_length=60, description="e.g. 07.00–22.00 WITA")
    has_ambulance: bool = False
    phone: str = Field("", max_length=30)
    lat: float | None = None
    lon: float | None = None


class ShiftIn(Schema):
    date: date
    shift: ShiftCode
    dokter: StrictInt = Field(0, ge=0, le=500)
    perawat: StrictInt = Field(0, ge=0, le=500)
    bidan: StrictInt = Field(0, ge=0, le=500)
    sopir_ambulans: StrictInt = Field(0, ge=0, le=500)
    note: str = Field("", max_length=300)

    model_config = ConfigDict(extra="forbid")


class CheckItemIn(Strict):
    status: CheckCode
    catatan: str = Field("", max_length=500)


class ChecksIn(Strict):
    items: dict[str, CheckItemIn]


class HealthCreatedOut(Schema):
    id: int
