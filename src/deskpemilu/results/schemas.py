"""Response schemas and the documented request bodies of the results API."""

from __future__ import annotations

from typing import Any

from ninja import Field, Schema

PPWP_EXAMPLE: dict[str, Any] = {
    "administrasi": {
        "pemilih_dpt_l": 120,
        "pemilih_dpt_p": 125,
        "pengguna_dpt_l": 100,
        "pengguna_dpt_p": 110,
        "pengguna_dptb_l": 1,
        "pengguna_dptb_p": 0,
        "pengguna_non_dpt_l": 2,
        "pengguna_non_dpt_p": 1,
        "surat_suara_diterima": 250,
        "surat_suara_digunakan": 214,
        "surat_suara_rusak": 1,
        "surat_suara_tidak_digunakan": 35,
        "suara_sah": 210,
        "suara_tidak_sah": 4,
    },
    "suara": {"1": 60, "2": 120, "3": 30},
    "catatan": "optional note",
    "konfirmasi_tidak_konsisten": False,
}
LEGISLATIVE_EXAMPLE: dict[str, Any] = {
    "administrasi": {**PPWP_EXAMPLE["administrasi"]},
    "suara": {"1": 10, "1.1": 5, "1.2": 3, "2": 12, "2.1": 20, "...": 0},
    "catatan": "",
}


def json_body_doc(schema: dict[str, Any]) -> dict[str, Any]:
    """The OpenAPI description of a required JSON request body (ninja's openapi_extra)."""
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": schema}}}}


_INT = {"type": "integer", "minimum": 0, "maximum": 1000}
_ADMIN_KEYS = list(PPWP_EXAMPLE["administrasi"])
_OPTIONAL_KEYS = [
    "pemilih_disabilitas_l",
    "pemilih_disabilitas_p",
    "pengguna_disabilitas_l",
    "pengguna_disabilitas_p",
]
SHEET_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["administrasi", "suara"],
    "additionalProperties": False,
    "properties": {
        "administrasi": {
            "type": "object",
            "required": _ADMIN_KEYS,
            "additionalProperties": False,
            "properties": {k: _INT for k in _ADMIN_KEYS + _OPTIONAL_KEYS},
        },
        "suara": {
            "type": "object",
            "description": (
                "Votes per choice; every choice of the TPS's dapil is required. Keys: the paslon "
                "number (ppwp), the candidate's ballot number (dpd), the party number for party "
                "votes and '<party>.<candidate>' for a legislative candidate (dpr, dprd-prov, "
                "dprd-kabkota). A party's total is its party votes plus its candidates' votes."
            ),
            "additionalProperties": _INT,
        },
        "catatan": {"type": "string", "maxLength": 2000},
        "konfirmasi_tidak_konsisten": {
            "type": "boolean",
            "description": "true when the form itself breaks the arithmetic; needs catatan.",
        },
        "alasan_koreksi": {
            "type": "string",
            "maxLength": 500,
            "description": "Why a later version corrects the earlier one (required to change a "
            "verified sheet, which only an admin may do).",
        },
    },
}
SHEET_BODY_DOC: dict[str, Any] = {
    "parameters": [
        {
            "name": "Idempotency-Key",
            "in": "header",
            "required": False,
            "schema": {"type": "string", "maxLength": 100},
            "description": "The same key again answers the first response and stores nothing.",
        },
        {
            "name": "If-Match",
            "in": "header",
            "required": False,
            "schema": {"type": "string"},
            "description": "The version the client last saw; another current version answers 409.",
        },
    ],
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": SHEET_SCHEMA,
                "examples": {
                    "ppwp": {"summary": "PPWP (CONTRACT.md)", "value": PPWP_EXAMPLE},
                    "legislatif": {
                        "summary": "DPR / DPRD (party and candidate keys)",
                        "value": LEGISLATIVE_EXAMPLE,
                    },
                },
            }
        },
    },
}
VERIFY_BODY_DOC: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["version"],
                    "properties": {
                        "version": {"type": "integer"},
                        "sheet": SHEET_SCHEMA,
                        "catatan_verifikasi": {"type": "string", "maxLength": 500},
                    },
                    "description": (
                        "A photo check sends only the version. A blind re-entry sends the whole "
                        "sheet, either under 'sheet' or as top-level 'administrasi' and 'suara'."
                    ),
                },
                "examples": {
                    "foto": {"summary": "Checked against the photo", "value": {"version": 1}},
                    "buta": {
                        "summary": "Blind re-entry",
                        "value": {"version": 1, "sheet": PPWP_EXAMPLE},
                    },
                },
            }
        },
    },
}


class Flag(Schema):
    code: str
    field: str = ""
    message: str


class SubmitOut(Schema):
    version: int
    status: str
    flags: list[Flag]


class HistoryEntry(Schema):
    version: int
    author: str
    at: str
    source: str
    reason: str
    verified_by: list[str]


class SheetPhotoOut(Schema):
    sha256: str
    url: str


class ReturnedOut(Schema):
    by: str
    at: str
    reason: str


class SheetOut(Schema):
    contest: str
    tps: str
    version: int
    status: str
    verification_mode: str = Field(
        description="How the contest is verified: 'photo' (checked against the form photo) or "
        "'blind' (the verifier types the whole sheet again and sends it with the verify call)."
    )
    numbers_hidden: bool = Field(
        description="true while a blind re-entry is due and the caller may be the one to type "
        "it: `administrasi` and `suara` are then empty objects, `catatan` empty and `flags` an "
        "empty list. Type the numbers from the photos."
    )
    administrasi: dict[str, int]
    suara: dict[str, int]
    catatan: str
    flags: list[Flag]
    counted: bool = Field(
        description="Whether the sheet is in the provisional totals now (verified totals: "
        "`status` is `terverifikasi`)."
    )
    perlu_diperiksa: bool = Field(
        description="Stored with `konfirmasi_tidak_konsisten` and not yet verified: held out of "
        "every total until a second person verifies it or it is corrected."
    )
    returned: ReturnedOut | None = Field(
        default=None,
        description="Set while `status` is `dikembalikan`: who sent it back, when and why.",
    )
    photos: list[SheetPhotoOut]
    history: list[HistoryEntry]
    updated_at: str


class ContestOut(Schema):
    code: str
    name: str
    verification_mode: str


class RecapRegion(Schema):
    code: str
    name: str
    level: str


class RecapChild(Schema):
    code: str
    name: str
    level: str
    totals: dict[str, int]
    suara_sah: int
    suara_tidak_sah: int
    tps_total: int
    tps_reported: int
    tps_verified: int
    tps_held: int = Field(
        default=0,
        description="TPS whose sheet is held out of every total: 'perlu diperiksa' (stored as "
        "inconsistent, not yet verified) or returned to its operator.",
    )
    status: str | None = None


class RecapOut(Schema):
    region: RecapRegion
    contest: str
    verified_only: bool
    totals: dict[str, int]
    suara_sah: int
    suara_tidak_sah: int
    surat_suara_digunakan: int
    pemilih_dpt: int
    tps_total: int
    tps_reported: int
    tps_verified: int
    tps_held: int = Field(
        default=0,
        description="TPS whose sheet is held out of every total ('perlu diperiksa' or returned).",
    )
    children: list[RecapChild]
    updated_at: str | None
    party_totals: dict[str, int] | None = None
    shares: dict[str, str] = Field(
        default_factory=dict,
        description="Each choice's share of the counted votes in percent, two decimals as a "
        "string, summing to exactly 100 (largest remainder); per party in legislative contests.",
    )
