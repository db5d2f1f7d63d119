"""Shared pieces of the catalogue: constants, field checks, loading a type, eligibility."""

from __future__ import annotations

import re
from datetime import date

from sqlmodel import Session, select

from community_app.models import (
    Resident,
    ResidentCare,
    ServiceType,
    utcnow,
)
from community_app.services.errors import NotFound, ValidationError

CATEGORIES = ("haircut", "repair", "gas", "plumbing", "facility", "room", "other")
LIMIT_PERIODS = ("day", "week", "month", "year")
DAY_OPEN = "open"
DAY_CANCELLED = "cancelled"

CODE_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,31}$")
UNSET: object = object()



def care_categories(service_type: ServiceType) -> list[str]:
    return [c for c in (service_type.eligible_care or "").split(",") if c]


def has_eligibility_rule(service_type: ServiceType) -> bool:
    return bool(care_categories(service_type)) or service_type.eligible_min_age is not None


def is_eligible(session: Session, service_type: ServiceType, resident: Resident, today: date | None = None) -> bool:
    """Server-side eligibility: a type with a rule (care categories and/or a minimum age) is
    open to residents matching any part of it; a type without a rule is open to everyone."""
    if not has_eligibility_rule(service_type):
        return True
    today = today or utcnow().date()
    min_age = service_type.eligible_min_age
    if min_age is not None and resident.birth_year and today.year - resident.birth_year >= min_age:
        return True
    cats = care_categories(service_type)
    if cats:
        hit = session.exec(
            select(ResidentCare.id).where(
                ResidentCare.resident_id == resident.id, ResidentCare.category.in_(cats)
            )
        ).first()
        return hit is not None
    return False



def clean_field(raw: str | None, *, field: str, max_len: int, required_key: str | None = None,
          long_key: str = "catalogue.error.too_long") -> str:
    value = (raw or "").strip()
    if required_key and not value:
        raise ValidationError(required_key, field=field)
    if len(value) > max_len:
        raise ValidationError(long_key, field=field, n=max_len)
    return value


def int_or_none(value, *, field: str, key: str, lo: int, hi: int) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValidationError(key, field=field)
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValidationError(key, field=field) from None
    if number != value and not isinstance(value, str):
        raise ValidationError(key, field=field)
    if not lo <= number <= hi:
        raise ValidationError(key, field=field)
    return number


def get_type(session: Session, service_type_id: int) -> ServiceType:
    stype = session.get(ServiceType, service_type_id) if service_type_id else None
    if stype is None:
        raise NotFound("catalogue.error.type_not_found")
    return stype


