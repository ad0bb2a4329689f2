"""The photo store moved to core (incidents and readiness store photos too); kept for imports."""

from deskpemilu.core.photos import (
    ALLOWED_FORMATS,
    MAX_PIXELS,
    MAX_REQUEST_PIXELS,
    MAX_SIDE,
    MAX_UPLOAD_BYTES,
    PhotoError,
    StoredPhoto,
    photos_body_doc,
    store_photo,
    store_photos,
)

__all__ = [
    "ALLOWED_FORMATS",
    "MAX_PIXELS",
    "MAX_REQUEST_PIXELS",
    "MAX_SIDE",
    "MAX_UPLOAD_BYTES",
    "PhotoError",
    "StoredPhoto",
    "photos_body_doc",
    "store_photo",
    "store_photos",
]
