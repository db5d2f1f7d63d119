"""Photos people attach (a 诉求, a repair request): checked and re-encoded so that nothing but
pixels is kept, then stored under random names.

Phones write EXIF into every photo, often with the GPS position of the home it was taken in; a
photo must never carry that (or the camera, the time, an ICC profile, XMP or PNG text) to staff
and volunteers. ``clean_photos`` checks what was sent (count, size, that the first bytes are a
JPEG, PNG or WebP matching the declared type), decodes it (refusing decompression bombs before
decoding), turns it upright by its EXIF orientation, converts an embedded colour profile to
sRGB, caps the longest side and saves a brand-new image from the raw pixels. It is CPU work:
call it before a write transaction starts. ``save_photos`` writes the cleaned bytes.
"""

from __future__ import annotations

import io
import secrets
from collections.abc import Iterable
from pathlib import Path

from PIL import Image, ImageCms, ImageOps

from community_app.services.errors import ValidationError

__all__ = ["MAX_PHOTOS", "MAX_PHOTO_BYTES", "MAX_SIDE", "PHOTO_TYPES", "clean_photos", "remove_files",
           "save_photos"]

MAX_PHOTOS = 3
MAX_PHOTO_BYTES = 5 * 2**20  # as a booking's photos
MAX_SIDE = 2560  # px, longest side kept (enough to see a leak or a broken lamp)
MAX_PIXELS = 40_000_000  # what a decoder would unpack; a 12 MP phone photo is 12 000 000
PHOTO_TYPES = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}
_PIL_FORMAT = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}


def _sniff(head: bytes) -> str | None:
    """The type the first bytes say, whatever the name or the declared type claim."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


def _srgb(img: Image.Image, icc: bytes | None) -> Image.Image:
    """Pixels converted from an embedded profile to sRGB (unchanged if the profile is unusable:
    an odd profile must not refuse the photo)."""
    if not icc or img.mode not in ("RGB", "RGBA"):
        return img
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        return ImageCms.profileToProfile(img, source, ImageCms.createProfile("sRGB"), outputMode=img.mode)
    except Exception:  # noqa: BLE001 - littlecms refuses broken profiles in several ways
        return img


def _decode(data: bytes, ctype: str, field: str) -> tuple[Image.Image, bytes | None]:
    bad = ValidationError("photo.error.type", field=field)
    try:
        img = Image.open(io.BytesIO(data), formats=[_PIL_FORMAT[ctype]])
        if img.format != _PIL_FORMAT[ctype]:
            raise bad
        img.draft("RGB", (MAX_SIDE, MAX_SIDE))  # JPEG: decode at 1/2, 1/4 or 1/8 when far larger
        if img.width * img.height > MAX_PIXELS:
            raise ValidationError("photo.error.too_large", field=field, mb=MAX_PHOTO_BYTES // 2**20)
        img.load()
        icc = img.info.get("icc_profile")
        return ImageOps.exif_transpose(img), icc
    except ValidationError:
        raise
    except Exception:  # noqa: BLE001 - hostile bytes make decoders raise nearly anything
        raise bad from None


def _reencode(data: bytes, ctype: str, field: str) -> bytes:
    img, icc = _decode(data, ctype, field)
    alpha = "A" in img.getbands() or "transparency" in img.info
    if ctype == "image/jpeg":
        mode = img.mode if img.mode in ("L", "RGB") else "RGB"
    else:
        mode = img.mode if img.mode in ("L", "RGB", "RGBA") else ("RGBA" if alpha else "RGB")
    if img.mode != mode:
        img = img.convert(mode)
    img = _srgb(img, icc)
    img.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    fresh = Image.frombytes(img.mode, img.size, img.tobytes())  # no info dict at all
    out = io.BytesIO()
    if ctype == "image/jpeg":
        fresh.save(out, "JPEG", quality=85, optimize=True)
    elif ctype == "image/png":
        fresh.save(out, "PNG", optimize=True)
    else:
        fresh.save(out, "WEBP", quality=85)
    return out.getvalue()


def clean_photos(photos: Iterable | None, *, max_count: int = MAX_PHOTOS, field: str = "photos"
                 ) -> list[tuple[bytes, str]]:
    """[(clean bytes, content type)] from [(name, bytes, declared content type)]; refuses the
    lot with a ValidationError (``photo.error.*``, on ``field``) if any photo is wrong."""
    items = list(photos or ())
    if len(items) > max_count:
        raise ValidationError("photo.error.too_many", field=field, n=max_count)
    checked: list[tuple[bytes, str]] = []
    for item in items:
        try:
            _name, data, declared = item
        except (TypeError, ValueError):
            raise ValidationError("photo.error.type", field=field) from None
        if not isinstance(data, bytes | bytearray) or not data:
            raise ValidationError("photo.error.type", field=field)
        if len(data) > MAX_PHOTO_BYTES:
            raise ValidationError("photo.error.too_large", field=field, mb=MAX_PHOTO_BYTES // 2**20)
        declared = (declared if isinstance(declared, str) else "").split(";")[0].strip().lower()
        declared = declared.replace("image/jpg", "image/jpeg")
        sniffed = _sniff(bytes(data[:16]))
        if sniffed is None or sniffed != declared:
            raise ValidationError("photo.error.type", field=field)
        checked.append((bytes(data), sniffed))
    return [(_reencode(data, ctype, field), ctype) for data, ctype in checked]


def save_photos(folder: Path, photos: Iterable[tuple[bytes, str]]) -> list[str]:
    """Write cleaned photos into ``folder`` (created) under random names; returns the names in
    order. The caller removes them again if its transaction fails (``remove_files``)."""
    photos = list(photos)
    if not photos:
        return []
    folder.mkdir(parents=True, exist_ok=True)
    names = []
    for data, ctype in photos:
        name = f"{secrets.token_hex(16)}.{PHOTO_TYPES[ctype]}"
        (folder / name).write_bytes(data)
        names.append(name)
    return names


def remove_files(folder: Path, names: Iterable[str]) -> None:
    for name in names:
        (folder / name).unlink(missing_ok=True)
