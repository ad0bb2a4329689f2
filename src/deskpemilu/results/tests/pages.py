"""Helpers for the results page tests: a sheet body as the entry form posts it, a photo."""

from __future__ import annotations

import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def form_data(body: dict[str, Any], version: int = 0, **extra: Any) -> dict[str, Any]:
    """The entry page's POST for an API sheet body (CONTRACT.md's shape)."""
    data: dict[str, Any] = {f"administrasi.{k}": v for k, v in body["administrasi"].items()}
    data.update({f"suara.{k}": v for k, v in body["suara"].items()})
    data["catatan"] = body.get("catatan", "")
    if body.get("konfirmasi_tidak_konsisten"):
        data["konfirmasi_tidak_konsisten"] = "1"
    data["versi"] = str(version)
    data.update(extra)
    return data


def photo(name: str = "c-hasil.jpg", colour: tuple[int, int, int] = (240, 240, 230)) -> Any:
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), colour).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), "image/jpeg")


def text(response: Any) -> str:
    return str(response.content.decode())
