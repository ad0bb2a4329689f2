"""The photo store of every upload (C.Hasil pages, incident scenes, readiness checks): validated,
decoded and re-encoded by Pillow, stored by SHA-256.

Re-encoding drops whatever else the upload carried (scripts in a polyglot, EXIF). The GPS
position, if the phone recorded one, is read first and kept in the database for the desk only.

Decoding is the expensive part (a 39-megapixel PNG of 131 KB takes seconds), so the pixel counts
are read from the headers of every photo of a request before any is decoded, and a request whose
photos together would decode too many pixels is refused whole (413). JPEGs are decoded already
reduced (`draft`), so a phone's full-resolution photo costs only what is kept.
"""

from __future__ import annotations

import hashlib
import io
import os
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from deskpemilu.core.files import private_dir

MAX_UPLOAD_BYTES = 15 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a 40-megapixel camera; anything larger is refused as a bomb
MAX_SIDE = 3000  # stored images are scaled down to this, enough to read every digit
# Pixels decoded for one request, all its photos together (about 0.02 s a megapixel here): ten
# 12-megapixel phone photos fit (larger JPEGs are reduced while decoding); ten 39-megapixel PNGs,
# which must be decoded whole, do not (they held a worker for 10-40 s).
MAX_REQUEST_PIXELS = 130_000_000
ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP", "HEIF", "MPO"}


class PhotoError(ValueError):
    def __init__(self, code: str, message: str, status: int = 422) -> None:
        super().__init__(message)
        self.code = code
        self.status = status
        self.index: int | None = None  # which photo of the request, when it is one photo's fault


@dataclass(frozen=True)
class StoredPhoto:
    sha256: str
    relative_path: str
    width: int
    height: int
    size: int
    gps: dict[str, Any] | None


def _gps(image: Image.Image) -> dict[str, Any] | None:
    try:
        info = image.getexif().get_ifd(0x8825)  # GPSInfo
    except Exception:  # a damaged EXIF block must not refuse a readable photo
        return None
    if not info:
        return None

    def degrees(values: Any, ref: Any) -> float | None:
        try:
            d, m, s = (float(v) for v in values)
        except (TypeError, ValueError, ZeroDivisionError):
            return None
        value = d + m / 60 + s / 3600
        return -value if ref in ("S", "W") else value

    lat = degrees(info.get(2), info.get(1))
    lon = degrees(info.get(4), info.get(3))
    if lat is None or lon is None:
        return None
    return {"lat": round(lat, 6), "lon": round(lon, 6)}


def _open(data: bytes) -> Image.Image:
    """The photo with only its header read; a JPEG set to decode reduced towards MAX_SIDE."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise PhotoError("foto_terlalu_besar", "Foto paling besar 15 MB.")
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data))
            if image.format not in ALLOWED_FORMATS:
                raise PhotoError("foto_format", "Foto harus JPEG, PNG atau WebP.")
            if image.width * image.height > MAX_PIXELS:
                raise PhotoError("foto_terlalu_besar", "Resolusi foto terlalu besar.")
            if image.format in {"JPEG", "MPO"}:
                # Decode at 1/2, 1/4 or 1/8 scale while still at least what is kept.
                scale = min(1.0, MAX_SIDE / max(image.width, image.height))
                image.draft("RGB", (round(image.width * scale), round(image.height * scale)))
        except PhotoError:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise PhotoError("foto_terlalu_besar", "Resolusi foto terlalu besar.") from exc
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
            raise PhotoError("foto_rusak", "Berkas bukan foto yang dapat dibaca.") from exc
    return image


def _load(image: Image.Image) -> Image.Image:
    try:
        image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise PhotoError("foto_terlalu_besar", "Resolusi foto terlalu besar.") from exc
    except (OSError, SyntaxError, ValueError) as exc:
        raise PhotoError("foto_rusak", "Berkas bukan foto yang dapat dibaca.") from exc
    return image


def _reencode(image: Image.Image) -> StoredPhoto:
    """Decode, re-encode as JPEG and write under MEDIA_ROOT/photos/ab/<sha256>.jpg."""
    image = _load(image)
    gps = _gps(image)
    image = ImageOps.exif_transpose(image).convert("RGB")
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85, optimize=True)
    encoded = buffer.getvalue()
    digest = hashlib.sha256(encoded).hexdigest()
    relative = f"photos/{digest[:2]}/{digest}.jpg"
    path = Path(settings.MEDIA_ROOT) / relative
    if not path.exists():
        make_private_dir(path.parent)
        tmp = path.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(encoded)
            f.flush()
            os.fsync(f.fileno())  # on disk before the version that names it commits
        tmp.replace(path)  # atomic: a reader never sees half a photo
    return StoredPhoto(digest, relative, image.width, image.height, len(encoded), gps)


def make_private_dir(path: Path) -> None:
    """Create `path` under MEDIA_ROOT, it and every directory between readable by the service
    user only (core/files.py)."""
    directory = Path(settings.MEDIA_ROOT)
    private_dir(directory)
    for part in path.relative_to(directory).parts:
        directory = directory / part
        private_dir(directory)


def store_photos(uploads: Sequence[bytes]) -> list[StoredPhoto]:
    """Store every photo of one request, or none: the headers of all are checked first."""
    opened = [_one(i, _open, data) for i, data in enumerate(uploads)]
    if sum(image.width * image.height for image in opened) > MAX_REQUEST_PIXELS:
        message = _("Foto dalam satu kiriman terlalu besar; kirim lebih sedikit foto sekaligus.")
        raise PhotoError("foto_kiriman_terlalu_besar", message, status=413)
    return [_one(i, _reencode, image) for i, image in enumerate(opened)]


def _one(index: int, step: Callable[[Any], Any], value: Any) -> Any:
    try:
        return step(value)
    except PhotoError as exc:
        exc.index = index
        raise


def store_photo(data: bytes) -> StoredPhoto:
    return store_photos([data])[0]


def photos_body_doc(max_photos: int) -> dict[str, Any]:
    """OpenAPI of a multipart upload of form or scene photos in the field 'foto'."""
    return {
        "requestBody": {
            "required": True,
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "required": ["foto"],
                        "properties": {
                            "foto": {
                                "type": "array",
                                "maxItems": max_photos,
                                "items": {"type": "string", "format": "binary"},
                            }
                        },
                    }
                }
            },
        }
    }
