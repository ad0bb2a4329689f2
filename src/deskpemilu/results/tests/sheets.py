"""Realistic C.Hasil sheets for tests, consistent with a TPS's master DPT."""

from __future__ import annotations

import copy
import functools
import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from deskpemilu.regions.models import Tps, tps_key
from deskpemilu.results.contests import contest_info, dapil_for


def sheet_for_tps(
    tps_code: str, contest: str = "ppwp", turnout: float = 0.8, invalid: int = 4, seed: int = 0
) -> dict[str, Any]:
    """A correct sheet: every sum holds, DPT equals the master data (of the TPS in the
    contest's election)."""
    info = contest_info(contest)
    assert info is not None
    tps = Tps.every.get(code=tps_key(tps_code, info.election))
    dapil = dapil_for(info, tps_code)
    assert dapil is not None
    voted_l = int(tps.dpt_l * turnout)
    voted_p = int(tps.dpt_p * turnout)
    used = voted_l + voted_p + 1  # one DPK voter
    valid = used - invalid
    keys = list(dapil.keys)
    votes = dict.fromkeys(keys, 0)
    # Spread the valid votes over the first choices, deterministic per seed.
    weights = [((i + seed) % 5) + 1 for i in range(min(len(keys), 6))]
    remaining = valid
    for i, w in enumerate(weights):
        share = valid * w // sum(weights) if i < len(weights) - 1 else remaining
        votes[keys[i]] = share
        remaining -= share
    received = tps.dpt + (tps.dpt * 2 + 99) // 100
    return {
        "administrasi": {
            "pemilih_dpt_l": tps.dpt_l,
            "pemilih_dpt_p": tps.dpt_p,
            "pengguna_dpt_l": voted_l,
            "pengguna_dpt_p": voted_p,
            "pengguna_dptb_l": 0,
            "pengguna_dptb_p": 0,
            "pengguna_non_dpt_l": 1,
            "pengguna_non_dpt_p": 0,
            "surat_suara_diterima": received,
            "surat_suara_digunakan": used,
            "surat_suara_rusak": 0,
            "surat_suara_tidak_digunakan": received - used,
            "suara_sah": valid,
            "suara_tidak_sah": invalid,
        },
        "suara": votes,
        "catatan": "",
        "konfirmasi_tidak_konsisten": False,
    }


def with_votes(body: dict[str, Any], votes: dict[str, int]) -> dict[str, Any]:
    """The same sheet with some votes changed, still consistent: the valid total follows and
    the invalid votes make up the difference."""
    new = copy.deepcopy(body)
    new["suara"].update(votes)
    a = new["administrasi"]
    total = sum(new["suara"].values())
    a["suara_tidak_sah"] -= total - a["suara_sah"]
    a["suara_sah"] = total
    assert a["suara_tidak_sah"] >= 0
    return new


@functools.cache
def form_photo() -> bytes:
    """A small JPEG standing for a photo of the form (photo-mode verification needs one)."""
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (240, 240, 230)).save(buffer, "JPEG")
    return buffer.getvalue()


def attach_photo(client: Client, contest: str, tps: str, photo: bytes | None = None) -> None:
    """Upload the form photo to the sheet's current version, as its operator does."""
    upload = SimpleUploadedFile("c-hasil.jpg", photo or form_photo(), "image/jpeg")
    response = client.post(f"/api/v1/results/{contest}/{tps}/photos", {"foto": [upload]})
    assert response.status_code == 201, response.content
