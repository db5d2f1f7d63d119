"""Evidence photos (证据照片) of a case: checked, re-encoded without metadata (a phone photo
carries the GPS position of the home in its EXIF), stored under ``upload_dir/mediation/<case>/``
with random names, and served only to whoever may see the timeline step they belong to.

The checks follow the booking photos (``services/booking.py``); both should move to one shared
core helper when the lead reorganises bookings.
"""

from __future__ import annotations

import io
import secrets
import shutil
from collections.abc import Iterable, Sequence
from pathlib import Path

from PIL import Image, ImageOps
from sqlmodel import Session

from community_app.models import CasePhoto, CaseUpdate
from community_app.services.errors import ValidationError
from community_app.settings import get_settings

__all__ = ["MAX_PHOTOS", "MAX_PHOTO_BYTES", "PHOTO_TYPES", "CleanPhotos", "clean_photos", "photo_dir",
           "remove", "save_photos"]

PHOTO_TYPES = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}
_FORMATS = {"image/jpeg": ("JPEG", "MPO"), "image/png": ("PNG",), "image/webp": ("WEBP",)}
MAX_PHOTOS = 3
MAX_PHOTO_BYTES = 5 * 1024 * 1024
MAX_SIDE = 2560
MAX_PIXELS = 40_000_000


class CleanPhotos(list):
    """[(bytes, content_type)] already checked and re-encoded."""


def _sniff(data: bytes) -> str | None:
    if data[:3] == b"\xff\xd8\xff":
        return "image/jpeg"
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return "image/png"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


def _reencode(data: bytes, content_type: str) -> bytes:
    refused = ValidationError("mediation.error.photo_type", field="photos")
    try:
        with Image.open(io.BytesIO(data), formats=list(_FORMATS[content_type])) as img:
            img.draft("RGB", (MAX_SIDE, MAX_SIDE))
            if img.width * img.height > MAX_PIXELS:
                raise ValidationError("mediation.error.photo_too_large", field="photos", mb=MAX_PHOTO_BYTES // 2**20)
            img.load()
            upright = ImageOps.exif_transpose(img)
    except ValidationError:
        raise
    except Exception:  # noqa: BLE001 - a decoder fed hostile bytes may raise almost anything
        raise refused from None
    mode = "RGB" if content_type == "image/jpeg" or "A" not in upright.getbands() else "RGBA"
    if upright.mode != mode:
        upright = upright.convert(mode)
    upright.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    clean = Image.frombytes(upright.mode, upright.size, upright.tobytes())  # pixels only, no metadata
    out = io.BytesIO()
    clean.save(out, {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}[content_type],
               **({} if content_type == "image/png" else {"quality": 85}))
    return out.getvalue()


def clean_photos(photos: Sequence[tuple[str, bytes, str]] | None) -> CleanPhotos:
    """Up to three photos ``(name, bytes, declared type)``: JPEG, PNG or WebP by their first bytes
    and by decoding, 5 MB each, re-encoded. CPU work: call it before the write transaction."""
    if isinstance(photos, CleanPhotos):
        return photos
    items = list(photos or ())
    if len(items) > MAX_PHOTOS:
        raise ValidationError("mediation.error.too_many_photos", field="photos", n=MAX_PHOTOS)
    checked = []
    for item in items:
        try:
            _name, data, declared = item
        except (TypeError, ValueError):
            raise ValidationError("mediation.error.photo_type", field="photos") from None
        if not isinstance(data, bytes | bytearray):
            raise ValidationError("mediation.error.photo_type", field="photos")
        if len(data) > MAX_PHOTO_BYTES:
            raise ValidationError("mediation.error.photo_too_large", field="photos", mb=MAX_PHOTO_BYTES // 2**20)
        declared = (declared if isinstance(declared, str) else "").split(";")[0].strip().lower()
        sniffed = _sniff(bytes(data[:16]))
        if sniffed is None or declared.replace("image/jpg", "image/jpeg") != sniffed:
            raise ValidationError("mediation.error.photo_type", field="photos")
        checked.append((bytes(data), sniffed))
    return CleanPhotos((_reencode(d, t), t) for d, t in checked)


def photo_dir(case_id: int) -> Path:
    return Path(get_settings().upload_dir) / "mediation" / str(int(case_id))


def save_photos(session: Session, step: CaseUpdate, photos: CleanPhotos, written: list[Path]) -> int:
    """Write the photos of a step (in the caller's transaction); ``written`` collects what to
    delete if the transaction fails."""
    if not photos:
        return 0
    folder = photo_dir(step.case_id)
    folder.mkdir(parents=True, exist_ok=True)
    for data, content_type in photos:
        name = f"{secrets.token_hex(16)}.{PHOTO_TYPES[content_type]}"
        path = folder / name
        path.write_bytes(data)
        written.append(path)
        session.add(CasePhoto(case_id=step.case_id, update_id=step.id, filename=name, content_type=content_type))
    return len(photos)


def remove(paths: Iterable[Path]) -> None:
    for p in paths:
        if p.is_dir():
            shutil.rmtree(p, ignore_errors=True)
        else:
            p.unlink(missing_ok=True)

