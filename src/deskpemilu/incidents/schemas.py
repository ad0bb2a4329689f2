"""Request and response schemas of the incidents and requests API (CONTRACT.md)."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema
from pydantic import ConfigDict, JsonValue

from deskpemilu.incidents.models import Category, RequestKind, RequestStatus, Severity, Status


def _enum(values: list[str]) -> dict[str, JsonValue]:
    enum: list[JsonValue] = list(values)
    return {"enum": enum}


class StrictIn(Schema):
    model_config = ConfigDict(extra="forbid")


class IncidentIn(StrictIn):
    category: str = Field(json_schema_extra=_enum(Category.values))
    severity: str = Field(json_schema_extra=_enum(Severity.values))
    tps_code: str | None = Field(None, max_length=13, description="13-digit KPU TPS code")
    region_code: str | None = Field(
        None, max_length=10, description="the kelurahan (when no TPS is given)"
    )
    occurred_at: datetime = Field(description="ISO 8601; without an offset it is WITA")
    description: str = Field(max_length=4000)
    lat: float | None = None
    lon: float | None = None


class CreatedOut(Schema):
    id: int
    number: str
    status: str


class TimelineOut(Schema):
    at: str
    actor: str
    note: str
    status: str | None
    forward_to: list[str]


class PhotoOut(Schema):
    sha256: str
    url: str


class IncidentOut(Schema):
    id: int
    number: str
    election: str = Field(description="the election's code (`pemilihan`) it belongs to")
    category: str
    severity: str
    status: str
    tps_code: str | None
    region_code: str
    region_name: str
    occurred_at: str
    reported_at: str
    description: str
    lat: float | None
    lon: float | None
    reporter: str
    forwarded_to: list[str]
    duplicate_of: int | None
    version: int
    acknowledged_at: str | None
    resolved_at: str | None
    ack_due: str
    resolve_due: str
    overdue: bool


class IncidentDetailOut(IncidentOut):
    duplicate_of_number: str | None
    photos: list[PhotoOut]
    timeline: list[TimelineOut]


class IncidentPage(Schema):
    count: int
    page: int
    pages: int
    per_page: int
    items: list[IncidentOut]


class EventIn(StrictIn):
    note: str = Field("", max_length=4000)
    status: str | None = Field(None, json_schema_extra=_enum(Status.values))
    forward_to: list[str] = Field(default_factory=list, description="agency slugs", max_length=20)
    duplicate_of: str | None = Field(
        None, max_length=20, description="id or number of the incident this one duplicates"
    )
    expected_status: str | None = Field(
        None, description="the status the caller saw; another current status answers 409"
    )


class EventOut(Schema):
    id: int
    incident: int
    status: str
    version: int


class RequestIn(StrictIn):
    kind: str = Field(json_schema_extra=_enum(RequestKind.values))
    description: str = Field(max_length=4000)
    region_code: str = Field(max_length=10)
    needed_by: datetime
    requested_by_agency: str = Field(max_length=40, description="kpu or bawaslu")
    requested_by_unit: str = Field("", max_length=120, description="e.g. PPK Ampenan")


class RequestOut(Schema):
    id: int
    number: str
    election: str = Field(description="the election's code (`pemilihan`) it belongs to")
    kind: str
    description: str
    region_code: str
    region_name: str
    needed_by: str
    requested_by_agency: str
    requested_by_unit: str
    assigned_agency: str | None
    status: str
    requester: str
    version: int
    created_at: str
    due: str


class RequestTimelineOut(Schema):
    at: str
    actor: str
    note: str
    status: str | None
    assigned_to: str | None


class RequestDetailOut(RequestOut):
    timeline: list[RequestTimelineOut]


class RequestPage(Schema):
    count: int
    page: int
    pages: int
    per_page: int
    items: list[RequestOut]


class RequestCreatedOut(Schema):
    id: int
    number: str
    status: str


class RequestEventOut(Schema):
    id: int
    request: int
    status: str
    version: int


class RequestEventIn(StrictIn):
    note: str = Field("", max_length=4000)
    status: str | None = Field(None, json_schema_extra=_enum(RequestStatus.values))
    assign_to: str | None = Field(None, max_length=40, description="agency slug (the desk's)")
    expected_status: str | None = None
