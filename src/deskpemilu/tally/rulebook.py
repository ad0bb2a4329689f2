"""The rules of a C.Hasil sheet as one JSON-ready description, for the entry page's script.

The page checks a sheet while offline with the same rules as the server: it evaluates this
description (results/static/results/rules.js) instead of a copy of the rules, and a browser test
runs both on the same sheets. Only what a single sheet can tell is here; the signs that compare
with other sheets (other ballots of the TPS, neighbouring TPS) need the server and come when the
sheet is stored.
"""

from __future__ import annotations

from typing import Any

from deskpemilu.tally.codes import RULES
from deskpemilu.tally.sheet import (
    ADMINISTRASI_OPTIONAL,
    ADMINISTRASI_REQUIRED,
    ALL_VOTES,
    AT_MOST_RULES,
    DPT_MARGIN_PERCENT,
    MAX_NOTE,
    MAX_VALUE,
    SUM_RULES,
    TOP_LEVEL,
)

# Codes the page may give without the server (structure, arithmetic and one sheet's signs).
OFFLINE_CODES = (
    "bukan_objek",
    "kunci_wajib",
    "kunci_tidak_dikenal",
    "bukan_bilangan_bulat",
    "bilangan_negatif",
    "bilangan_terlalu_besar",
    "catatan_terlalu_panjang",
    "bukan_boolean",
    "bukan_teks",
    *(r.code for r in SUM_RULES),
    *sorted({r.code for r in AT_MOST_RULES}),
    "konfirmasi_tanpa_catatan",
    "suara_sah_melebihi_dpt",
    "dpt_beda_data_induk",
    "pilihan_melebihi_batas",
    "dikonfirmasi_tidak_konsisten",
    "alasan_wajib",
)


def describe() -> dict[str, Any]:
    """The description the script evaluates; plain JSON types only."""
    return {
        "top_level": sorted(TOP_LEVEL),
        "administrasi_required": list(ADMINISTRASI_REQUIRED),
        "administrasi_optional": list(ADMINISTRASI_OPTIONAL),
        "max_value": MAX_VALUE,
        "max_note": MAX_NOTE,
        "all_votes": ALL_VOTES,
        "sums": [
            {"code": r.code, "field": r.field, "left": list(r.left), "right": list(r.right)}
            for r in SUM_RULES
        ],
        "at_most": [{"code": r.code, "key": r.key, "limit": r.limit} for r in AT_MOST_RULES],
        "dpt_margin_percent": DPT_MARGIN_PERCENT,
        "messages": {
            code: {"kind": RULES[code].kind.value, "id": RULES[code].id, "en": RULES[code].en}
            for code in OFFLINE_CODES
        },
    }
