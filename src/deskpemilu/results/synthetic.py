"""Made-up PPWP sheets whose numbers agree the way the form's must: for the load and crash
tests, the browser tests, the benchmarks and the synthetic national dataset. No Django here, so
the benchmark scripts import it as they are."""

from __future__ import annotations

from typing import Any


def ppwp_sheet(
    dpt_l: int,
    dpt_p: int,
    *,
    turnout_pct: tuple[int, int] = (80, 80),
    invalid: int = 0,
    shares_pct: tuple[int, int] = (33, 33),
) -> dict[str, Any]:
    """A consistent sheet for a TPS with this master DPT (men, women): `turnout_pct` of each
    voted, `invalid` of the ballots were invalid, paslon 1 and 2 got `shares_pct` of the valid
    votes and paslon 3 the rest. Ballots received are the DPT plus the 2 % reserve."""
    voted_l, voted_p = dpt_l * turnout_pct[0] // 100, dpt_p * turnout_pct[1] // 100
    used = voted_l + voted_p
    valid = used - invalid
    first, second = valid * shares_pct[0] // 100, valid * shares_pct[1] // 100
    dpt = dpt_l + dpt_p
    received = dpt + (dpt * 2 + 99) // 100
    return {
        "administrasi": {
            "pemilih_dpt_l": dpt_l,
            "pemilih_dpt_p": dpt_p,
            "pengguna_dpt_l": voted_l,
            "pengguna_dpt_p": voted_p,
            "pengguna_dptb_l": 0,
            "pengguna_dptb_p": 0,
            "pengguna_non_dpt_l": 0,
            "pengguna_non_dpt_p": 0,
            "surat_suara_diterima": received,
            "surat_suara_digunakan": used,
            "surat_suara_rusak": 0,
            "surat_suara_tidak_digunakan": received - used,
            "suara_sah": valid,
            "suara_tidak_sah": invalid,
        },
        "suara": {"1": first, "2": second, "3": valid - first - second},
    }
