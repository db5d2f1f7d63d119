"""Photos of goods in the points shop: checked by their bytes, decoded, turned upright, made
at most 800 px and saved as a fresh JPEG that carries nothing but pixels (no EXIF, GPS, ICC).

(Bookings have the same steps for request photos in ``services/booking.py``; both could move
to the shared core.)"""

from __future__ import annotations

import io
import secrets
from pathlib import Path

from PIL import Image, ImageOps

from community_app.services.errors import ValidationError
from community_app.settings import get_settings

__all__ = ["MAX_BYTES", "clean_photo", "goods_dir", "photo_path", "remove_photo", "save_photo"]

MAX_BYTES = 5 * 1024 * 1024
MAX_SIDE = 800
MAX_PIXELS = 40_000_000


def _sniff(data: bytes) -> str | None:
    if data[:3] == b"\xff\xd8\xff":
        return "JPEG"
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return "PNG"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    return None


def clean_photo(data) -> bytes:
    """JPEG bytes of the photo, or ValidationError ``shop.error.photo`` (field "photo"). CPU
    work: call it before a write transaction starts."""
    refused = ValidationError("shop.error.photo", field="photo", mb=MAX_BYTES // 2**20)
    if not isinstance(data, bytes | bytearray) or not data or len(data) > MAX_BYTES:
        raise refused
    fmt = _sniff(bytes(data[:16]))
    if fmt is None:
        raise refused
    try:
        with Image.open(io.BytesIO(bytes(data)), formats=[fmt]) as img:
            img.draft("RGB", (MAX_SIDE * 2, MAX_SIDE * 2))
            if img.width * img.height > MAX_PIXELS:
                raise refused
            img.load()
            upright = ImageOps.exif_transpose(img).convert("RGB")
    except ValidationError:
        raise
    except Exception:  # noqa: BLE001 - a decoder fed hostile bytes may raise almost anything
        raise refused from None
    upright.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    clean = Image.frombytes("RGB", upright.size, upright.tobytes())
    out = io.BytesIO()
    clean.save(out, "JPEG", quality=85)
    return out.getvalue()


def goods_dir() -> Path:
    return Path(get_settings().upload_dir) / "goods"


def save_photo(jpeg: bytes) -> str:
    """Write a cleaned photo; returns its file name."""
    folder = goods_dir()
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{secrets.token_hex(16)}.jpg"
    (folder / name).write_bytes(jpeg)
    return name


def photo_path(name: str) -> Path | None:
    """The file of a stored photo name (never outside the goods folder)."""
    if not name or "/" in name or "\\" in name or not name.endswith(".jpg") or name.startswith("."):
        return None
    path = goods_dir() / name
    return path if path.is_file() else None


def remove_photo(name: str) -> None:
    path = photo_path(name)
    if path is not None:
        path.unlink(missing_ok=True)
