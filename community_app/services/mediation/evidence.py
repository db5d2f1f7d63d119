"""Evidence photos (证据照片) of a case: checked, re-encoded without metadata (a phone photo
carries the GPS position of the home in its EXIF), stored under ``upload_dir/mediation/<case>/``
with random names, and served only to whoever may see the timeline step they belong to.

The checks and re-encoding are the shared ``services/photos.py``.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from pathlib import Path

from sqlmodel import Session

from community_app.models import CasePhoto, CaseUpdate
from community_app.services.photos import MAX_PHOTO_BYTES, MAX_PHOTOS, PHOTO_TYPES, CleanPhotos, clean_photos
from community_app.services.photos import save_photos as save_files
from community_app.settings import get_settings

__all__ = ["MAX_PHOTOS", "MAX_PHOTO_BYTES", "PHOTO_TYPES", "CleanPhotos", "clean_photos", "photo_dir",
           "remove", "save_photos"]


def photo_dir(case_id: int) -> Path:
    return Path(get_settings().upload_dir) / "mediation" / str(int(case_id))


def save_photos(session: Session, step: CaseUpdate, photos: CleanPhotos, written: list[Path]) -> int:
    """Write the photos of a step (in the caller's transaction); ``written`` collects what to
    delete if the transaction fails."""
    if not photos:
        return 0
    folder = photo_dir(step.case_id)
    for name, content_type in save_files(folder, photos):
        written.append(folder / name)
        session.add(CasePhoto(case_id=step.case_id, update_id=step.id, filename=name, content_type=content_type))
    return len(photos)


def remove(paths: Iterable[Path]) -> None:
    for p in paths:
        if p.is_dir():
            shutil.rmtree(p, ignore_errors=True)
        else:
            p.unlink(missing_ok=True)
