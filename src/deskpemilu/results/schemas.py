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


# --- the operations' long descriptions and their bodies (api.py stays a list of operations) ---

SHEET_PUT_DESCRIPTION = (
    "201 for the sheet's first version, 200 for a later one. Any contest of any election "
    "(`GET /api/v1/elections`) is readable, but only the active election's take writes: a "
    "`PUT` (and a verification, return or photo) into a contest of another election answers "
    "409 `pemilihan_tidak_aktif`. Pilkada contests (`pkwkp`, `pkwkk`) use the same "
    "`administrasi`, with `suara` keyed by paslon number. A contest none of whose dapil "
    "covers the TPS (DPRD Kota Mataram at a TPS of another kabupaten) is not on its ballot: "
    "422 `kontes_tidak_di_tps`."
)

SHEET_GET_DESCRIPTION = (
    "The same shape for every caller, with one difference by role. In a contest verified "
    'by blind re-entry (`verification_mode: "blind"`), until the sheet is verified '
    "(`terverifikasi`) or awaits the supervisor (`selisih`), a caller who may type the "
    "re-entry (a verifier, or an admin who is not the current version's author) gets "
    "`numbers_hidden: true`: `administrasi` and `suara` are empty objects, `catatan` is "
    "empty, `flags` an empty list and the history's reasons blank, so the re-entry is "
    "typed from the photos, not copied. The version number, status, photos and history "
    "are shown, as the verify call needs them. The author, operators, viewers and the "
    "other roles get the numbers (`numbers_hidden: false`). `counted` says whether the "
    "sheet is in the provisional totals: a sheet stored with `konfirmasi_tidak_konsisten` "
    "is not until it is verified or corrected (`perlu_diperiksa: true`), and a sheet "
    'returned to its operator (`status: "dikembalikan"`, with `returned`) is in no total.'
)

RETURN_DESCRIPTION = (
    'The sheet leaves every total (`status: "dikembalikan"`) until its operator stores '
    "a correction, and the operator is notified. Not by the version's author (409 "
    "`verifikator_sama_dengan_pengentri`); a version that is no longer current answers 409 "
    "`versi_bukan_terkini`; a reason is required (422 `alasan_wajib`)."
)

CONTEST_UPDATE_DESCRIPTION = (
    'Body `{"verification_mode": "photo" | "blind"}`, optionally with `alasan` '
    "(the reason, at most 500 characters, recorded in the audit log). Takes effect for the "
    "next verification; verified sheets stay verified."
)

RECAP_DESCRIPTION = (
    "Provisional totals count every current version that is clean or checked (not one "
    "stored with `konfirmasi_tidak_konsisten` until it is verified, not one returned to its "
    "operator: those are `tps_held`); `?verified_only=true` counts only verified sheets. "
    "A caller who may type blind re-entries of this contest (a verifier or an admin, when "
    "its `verification_mode` is `blind`) always gets the verified figures "
    "(`verified_only: true` in the answer): a provisional total would show the entries "
    "they are to re-type. `shares`: each choice's share of the votes counted, in percent "
    "with two decimals, rounded by largest remainder so that they sum to exactly 100 (the "
    "recap page's table and chart, the situation room, its PDF and the portal print the "
    "same). Children at kelurahan level are its TPS: a TPS's `totals` are its sheet's "
    "numbers only where the sheet counts in the figures shown (`status` always; a held "
    "sheet has `tps_held: 1` and no numbers). Responses carry an ETag (it varies with "
    "what the caller may read): send it back as If-None-Match to get 304 while nothing "
    "changed (cheap live polling). Legislative contests add `party_totals` "
    "(party votes + candidates' votes). Region code `0` is the whole installation (all "
    "top-level regions), for accounts that see all of it."
)

RETURN_BODY_DOC: dict[str, Any] = json_body_doc(
    {
        "type": "object",
        "required": ["version", "reason"],
        "properties": {
            "version": {"type": "integer", "minimum": 1},
            "reason": {"type": "string", "maxLength": 500},
        },
    }
)

CONTEST_BODY_DOC: dict[str, Any] = json_body_doc(
    {
        "type": "object",
        "required": ["verification_mode"],
        "properties": {
            "verification_mode": {"type": "string", "enum": ["photo", "blind"]},
            "alasan": {"type": "string", "maxLength": 500},
        },
    }
)

RESOLVE_BODY_DOC: dict[str, Any] = json_body_doc(
    {
        "type": "object",
        "required": ["accept", "note"],
        "properties": {
            "accept": {"type": "string", "enum": ["pertama", "kedua"]},
            "note": {"type": "string", "maxLength": 500},
        },
    }
)
