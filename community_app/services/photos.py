"""Photos people attach (a leak, a broken lamp): checked, decoded and encoded again so nothing
but pixels is kept (no EXIF, no GPS position of the resident's home), and saved under the upload
folder with random names. Used by bookings, and by any domain that takes photos: call
``clean_photos`` before opening the write transaction (decoding is CPU work and must not hold the
database lock), then ``save_photos`` inside it.
"""

from __future__ import annotations

import io
import secrets
from pathlib import Path

from PIL import Image, ImageCms, ImageOps

from community_app.services.errors import ValidationError

__all__ = ["MAX_PHOTO_BYTES", "MAX_PHOTO_SIDE", "MAX_PHOTOS", "PHOTO_TYPES", "CleanPhotos", "clean_photos",
           "reencode_photo", "save_photos", "sniff_image"]

PHOTO_TYPES = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}
# Pillow's format names per type (MPO: the JPEG some phones write for portrait shots).
PHOTO_FORMATS = {"image/jpeg": ("JPEG", "MPO"), "image/png": ("PNG",), "image/webp": ("WEBP",)}
MAX_PHOTOS = 3
MAX_PHOTO_BYTES = 5 * 1024 * 1024
MAX_PHOTO_SIDE = 2560  # px, longest side kept (enough to see a leak or a broken part)
# Refused before decoding: a 5 MB PNG can claim any size (40 Mpx RGBA is 160 MB in memory).
# JPEGs are checked at the size the decoder scales them down to (a 48 Mpx phone photo passes).
MAX_PHOTO_PIXELS = 40_000_000


def sniff_image(data: bytes) -> str | None:
    if data[:3] == b"\xff\xd8\xff":
        return "image/jpeg"
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return "image/png"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


def reencode_photo(data: bytes, content_type: str) -> bytes:
    """Decode the photo and encode its pixels again, so that nothing but pixels is kept.

    Phones write EXIF into every photo, often with the GPS position of the resident's home,
    the camera and the time; a request photo must never carry that to staff or volunteers.
    The EXIF orientation is applied first (the picture stays upright), the longest side is
    capped at ``MAX_PHOTO_SIDE`` and the result is saved in the same format from a fresh
    image with no metadata (EXIF, XMP, ICC profile, comments, PNG text). Pixels in another
    colour space (an embedded ICC profile, e.g. Display P3 from an iPhone) are converted to
    sRGB first, so colours stay right without the profile. Refuses files that do not decode
    as a JPEG, PNG or WebP (ValidationError "photo.error.type").
    """
    refused = ValidationError("photo.error.type", field="photos")
    try:
        with Image.open(io.BytesIO(data), formats=list(PHOTO_FORMATS[content_type])) as img:
            if img.format not in PHOTO_FORMATS[content_type]:
                raise refused
            # JPEG only: let the decoder scale down by 1/2, 1/4 or 1/8 while reading when the
            # photo is far larger than what we keep (fast, and far less memory).
            img.draft("RGB", (MAX_PHOTO_SIDE, MAX_PHOTO_SIDE))
            if img.width * img.height > MAX_PHOTO_PIXELS:  # what would be decoded, before decoding it
                raise ValidationError("photo.error.too_large", field="photos",
                                      mb=MAX_PHOTO_BYTES // 2**20)
            img.load()
            icc = img.info.get("icc_profile")
            upright = ImageOps.exif_transpose(img)
    except ValidationError:
        raise
    except Exception:  # noqa: BLE001 - a decoder fed hostile bytes may raise almost anything
        raise refused from None
    has_alpha = "A" in upright.getbands() or "transparency" in upright.info
    if content_type == "image/jpeg":
        mode = upright.mode if upright.mode in ("L", "RGB") else "RGB"
    else:
        mode = upright.mode if upright.mode in ("L", "RGB", "RGBA") else ("RGBA" if has_alpha else "RGB")
    if upright.mode != mode:
        upright = upright.convert(mode)
    if icc and mode in ("RGB", "RGBA"):
        upright = to_srgb(upright, icc)
    upright.thumbnail((MAX_PHOTO_SIDE, MAX_PHOTO_SIDE), Image.Resampling.LANCZOS)
    # A new image from the raw pixels: no info dict, no EXIF, whatever Pillow would carry over.
    clean = Image.frombytes(upright.mode, upright.size, upright.tobytes())
    out = io.BytesIO()
    if content_type == "image/jpeg":
        clean.save(out, "JPEG", quality=85)
    elif content_type == "image/png":
        clean.save(out, "PNG")
    else:
        clean.save(out, "WEBP", quality=85)
    return out.getvalue()


def to_srgb(img: Image.Image, icc: bytes) -> Image.Image:
    """The pixels converted from the embedded profile to sRGB; unchanged when the profile
    is not a usable RGB profile (a broken or odd profile must not refuse the photo)."""
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        return ImageCms.profileToProfile(img, source, ImageCms.createProfile("sRGB"), outputMode=img.mode)
    except Exception:  # noqa: BLE001 - littlecms refuses bad profiles with several error types
        return img


class CleanPhotos(list):
    """Photos already checked and re-encoded by ``clean_photos``: [(bytes, content_type)]."""


def clean_photos(photos) -> list[tuple[bytes, str]]:
    """[(bytes, content_type)] after checking count, size and that each really is a JPEG,
    PNG or WebP (by its first bytes, not by its name or declared type alone, and then by
    decoding it), re-encoded without metadata (``reencode_photo``). CPU work: the public
    functions call it before their transaction starts, so no write lock waits for it."""
    if isinstance(photos, CleanPhotos):
        return photos
    photos = list(photos or ())
    if len(photos) > MAX_PHOTOS:
        raise ValidationError("photo.error.too_many", field="photos", n=MAX_PHOTOS)
    checked = []
    for item in photos:
        try:
            _name, data, declared = item
        except (TypeError, ValueError):
            raise ValidationError("photo.error.type", field="photos") from None
        if not isinstance(data, bytes | bytearray):
            raise ValidationError("photo.error.type", field="photos")
        if len(data) > MAX_PHOTO_BYTES:
            raise ValidationError("photo.error.too_large", field="photos", mb=MAX_PHOTO_BYTES // 2**20)
        declared = (declared if isinstance(declared, str) else "").split(";")[0].strip().lower()
        declared = declared.replace("image/jpg", "image/jpeg")
        sniffed = sniff_image(bytes(data[:16]))
        if sniffed is None or declared not in PHOTO_TYPES or declared != sniffed:
            raise ValidationError("photo.error.type", field="photos")
        checked.append((bytes(data), sniffed))
    # Decode only once every photo passed the cheap checks.
    return CleanPhotos((reencode_photo(data, ctype), ctype) for data, ctype in checked)


def save_photos(folder: Path, photos: list[tuple[bytes, str]]) -> list[tuple[str, str]]:
    """Write cleaned photos into ``folder`` (created) under random names; returns (filename,
    content type) of each. The caller records them and removes the folder if its transaction
    fails."""
    if not photos:
        return []
    folder.mkdir(parents=True, exist_ok=True)
    saved = []
    for data, content_type in photos:
        name = f"{secrets.token_hex(16)}.{PHOTO_TYPES[content_type]}"
        (folder / name).write_bytes(data)
        saved.append((name, content_type))
    return saved
