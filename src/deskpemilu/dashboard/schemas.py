"""Schemas of the dashboard's API (the anomaly list)."""

from __future__ import annotations

from ninja import Schema


class FlagOut(Schema):
    code: str
    field: str
    message: str


class KelurahanRef(Schema):
    code: str
    name: str


class AnomalyOut(Schema):
    contest: str
    tps: str
    kelurahan: KelurahanRef
    kecamatan: str
    status: str
    version: int
    flags: list[FlagOut]
    author: str
    at: str
    sheet_url: str
    photo_url: str | None


class AnomalyPage(Schema):
    count: int
    page: int
    pages: int
    per_page: int
    items: list[AnomalyOut]
