"""Service types (服务目录) staff manage per community, and the types a resident is offered."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from community_app.models import (
    Booking,
    CareCategory,
    Community,
    Resident,
    ServiceDay,
    ServiceKind,
    ServiceType,
)
from community_app.services import audit
from community_app.services.access import Actor, require_resident, require_staff
from community_app.services.catalogue.common import (
    CATEGORIES,
    CODE_RE,
    LIMIT_PERIODS,
    UNSET,
    care_categories,
    clean_field,
    get_type,
    int_or_none,
    is_eligible,
)
from community_app.services.core.clock import (
    community_zone,
    local_today,
)
from community_app.services.core.tx import mutating
from community_app.services.errors import Conflict, NotFound, ValidationError
from community_app.services.phone import clean_phone

# --------------------------------------------------------------------------- service types


@dataclass(frozen=True)
class TypeFields:
    name: str
    description: str
    kind: str
    category: str
    icon: str
    home_visit: bool
    staff_only: bool
    eligible_care: str
    eligible_min_age: int | None
    cancel_cutoff_minutes: int
    limit_count: int | None
    limit_period: str | None
    contact_phone: str
    location: str
    name_en: str = ""
    description_en: str = ""


def clean_type_fields(
    *, name, description, kind, category, icon, home_visit, eligible_care, eligible_min_age, staff_only=False,
    cancel_cutoff_minutes, limit_count, limit_period, contact_phone, location, name_en="", description_en="",
) -> TypeFields:
    name = clean_field(name, field="name", max_len=64, required_key="catalogue.error.name_required")
    description = clean_field(description, field="description", max_len=500)
    # The English name and description may stay empty: English readers then see the Chinese.
    name_en = clean_field(name_en, field="name_en", max_len=64)
    description_en = clean_field(description_en, field="description_en", max_len=500)
    if kind not in (ServiceKind.SLOT, ServiceKind.REQUEST):
        raise ValidationError("catalogue.error.kind_invalid", field="kind")
    if category not in CATEGORIES:
        raise ValidationError("catalogue.error.category_invalid", field="category")
    icon = clean_field(icon or "wrench", field="icon", max_len=32)
    if isinstance(eligible_care, str):
        eligible_care = [c.strip() for c in eligible_care.split(",") if c.strip()]
    care: list[str] = []
    for c in eligible_care or ():
        if c not in {cc.value for cc in CareCategory}:
            raise ValidationError("catalogue.error.care_invalid", field="eligible_care")
        if c not in care:
            care.append(c)
    min_age = int_or_none(eligible_min_age, field="eligible_min_age", key="catalogue.error.age_invalid",
                           lo=1, hi=120)
    cutoff = int_or_none(cancel_cutoff_minutes, field="cancel_cutoff_minutes",
                          key="catalogue.error.cutoff_invalid", lo=0, hi=7 * 24 * 60)
    if cutoff is None:
        raise ValidationError("catalogue.error.cutoff_invalid", field="cancel_cutoff_minutes")
    count = int_or_none(limit_count, field="limit_count", key="catalogue.error.limit_invalid", lo=1, hi=100)
    period = (limit_period or None) if count is not None else None
    if count is not None and period not in LIMIT_PERIODS:
        raise ValidationError("catalogue.error.limit_period_invalid", field="limit_period")
    phone = clean_phone(contact_phone, field="contact_phone", kind="hotline", invalid_key="catalogue.error.phone_invalid")
    location = clean_field(location, field="location", max_len=120)
    return TypeFields(
        name=name, description=description, kind=str(kind), category=category, icon=icon,
        home_visit=bool(home_visit), staff_only=staff_only is True, eligible_care=",".join(care),
        eligible_min_age=min_age,
        cancel_cutoff_minutes=cutoff, limit_count=count, limit_period=period,
        contact_phone=phone, location=location, name_en=name_en, description_en=description_en,
    )


@mutating
def create_service_type(
    session: Session,
    actor: Actor,
    *,
    code: str,
    name: str,
    kind: str,
    category: str = "other",
    description: str = "",
    icon: str = "wrench",
    home_visit: bool = False,
    staff_only: bool = False,
    eligible_care: Sequence[str] | str = (),
    eligible_min_age: int | None = None,
    cancel_cutoff_minutes: int = 120,
    limit_count: int | None = None,
    limit_period: str | None = None,
    contact_phone: str = "",
    location: str = "",
    community_id: int | None = None,
    name_en: str = "",
    description_en: str = "",
) -> ServiceType:
    """Staff add a service type to their community. Audited. Commits."""
    cid = actor.community_id if community_id is None and actor is not None else community_id
    require_staff(actor, cid)
    code = (code or "").strip().lower()
    if not CODE_RE.match(code):
        raise ValidationError("catalogue.error.code_invalid", field="code")
    fields = clean_type_fields(
        name=name, description=description, kind=kind, category=category, icon=icon,
        home_visit=home_visit, staff_only=staff_only, eligible_care=eligible_care, eligible_min_age=eligible_min_age,
        cancel_cutoff_minutes=cancel_cutoff_minutes, limit_count=limit_count,
        limit_period=limit_period, contact_phone=contact_phone, location=location,
        name_en=name_en, description_en=description_en,
    )
    if session.exec(
        select(ServiceType.id).where(ServiceType.community_id == cid, ServiceType.code == code)
    ).first() is not None:
        raise Conflict("catalogue.error.code_taken", field="code")
    stype = ServiceType(community_id=cid, code=code, **fields.__dict__)
    session.add(stype)
    try:
        session.flush()
    except IntegrityError:
        raise Conflict("catalogue.error.code_taken", field="code") from None
    audit.record(session, actor, "service_type.create", target_type="servicetype", target_id=stype.id,
                 community_id=cid, code=code, name=stype.name)
    session.commit()
    return stype


@mutating
def update_service_type(
    session: Session,
    actor: Actor,
    *,
    service_type_id: int,
    name=UNSET,
    description=UNSET,
    kind=UNSET,
    category=UNSET,
    icon=UNSET,
    home_visit=UNSET,
    staff_only=UNSET,
    eligible_care=UNSET,
    eligible_min_age=UNSET,
    cancel_cutoff_minutes=UNSET,
    limit_count=UNSET,
    limit_period=UNSET,
    contact_phone=UNSET,
    location=UNSET,
    name_en=UNSET,
    description_en=UNSET,
) -> ServiceType:
    """Change some fields of a type (the ones passed). The kind cannot change once the type
    has bookings or days. Audited. Commits."""
    stype = get_type(session, service_type_id)
    require_staff(actor, stype.community_id)
    given = {
        k: v for k, v in dict(
            name=name, description=description, kind=kind, category=category, icon=icon,
            home_visit=home_visit, staff_only=staff_only, eligible_care=eligible_care,
            eligible_min_age=eligible_min_age,
            cancel_cutoff_minutes=cancel_cutoff_minutes, limit_count=limit_count,
            limit_period=limit_period, contact_phone=contact_phone, location=location,
            name_en=name_en, description_en=description_en,
        ).items() if v is not UNSET
    }
    current = dict(
        name=stype.name, description=stype.description, kind=stype.kind, category=stype.category,
        icon=stype.icon, home_visit=stype.home_visit, staff_only=stype.staff_only,
        eligible_care=stype.eligible_care,
        eligible_min_age=stype.eligible_min_age, cancel_cutoff_minutes=stype.cancel_cutoff_minutes,
        limit_count=stype.limit_count, limit_period=stype.limit_period,
        contact_phone=stype.contact_phone, location=stype.location,
        name_en=stype.name_en, description_en=stype.description_en,
    )
    fields = clean_type_fields(**{**current, **given})
    if fields.kind != stype.kind:
        used = session.exec(select(Booking.id).where(Booking.service_type_id == stype.id)).first()
        days = session.exec(select(ServiceDay.id).where(ServiceDay.service_type_id == stype.id)).first()
        if used is not None or days is not None:
            raise Conflict("catalogue.error.kind_locked", field="kind")
    changed = {k: v for k, v in fields.__dict__.items() if getattr(stype, k) != v}
    for k, v in changed.items():
        setattr(stype, k, v)
    session.add(stype)
    if changed:
        audit.record(session, actor, "service_type.update", target_type="servicetype", target_id=stype.id,
                     community_id=stype.community_id, **{k: v for k, v in changed.items()})
    session.commit()
    return stype


@mutating
def set_service_type_active(session: Session, actor: Actor, *, service_type_id: int, active: bool) -> ServiceType:
    """Deactivate (hide from residents, stop generating days) or reactivate a type. Existing
    bookings stay as they are. Audited. Commits."""
    stype = get_type(session, service_type_id)
    require_staff(actor, stype.community_id)
    if stype.active != bool(active):
        stype.active = bool(active)
        session.add(stype)
        audit.record(session, actor, "service_type.activate" if active else "service_type.deactivate",
                     target_type="servicetype", target_id=stype.id, community_id=stype.community_id)
    session.commit()
    return stype


def deactivate_service_type(session: Session, actor: Actor, *, service_type_id: int) -> ServiceType:
    return set_service_type_active(session, actor, service_type_id=service_type_id, active=False)


def list_service_types(
    session: Session, actor: Actor, *, include_inactive: bool = True, community_id: int | None = None
) -> list[ServiceType]:
    """Staff: every type of the community."""
    cid = actor.community_id if community_id is None and actor is not None else community_id
    require_staff(actor, cid)
    stmt = select(ServiceType).where(ServiceType.community_id == cid)
    if not include_inactive:
        stmt = stmt.where(ServiceType.active.is_(True))
    return list(session.exec(stmt.order_by(ServiceType.id)).all())


def get_service_type(session: Session, actor: Actor, *, service_type_id: int) -> ServiceType:
    """A type, for staff of its community or a resident of it (active types only)."""
    stype = get_type(session, service_type_id)
    if actor is not None and actor.can_staff(stype.community_id):
        return stype
    require_resident(actor)
    if actor.community_id != stype.community_id or not stype.active or stype.staff_only:
        raise NotFound("catalogue.error.type_not_found")
    return stype


@dataclass(frozen=True)
class ServiceOffer:
    """A type as a resident sees it; ``eligible`` is False for home-visit types they cannot use."""

    id: int
    code: str
    name: str
    description: str
    kind: str
    category: str
    icon: str
    home_visit: bool
    eligible: bool
    location: str
    contact_phone: str
    cancel_cutoff_minutes: int
    limit_count: int | None
    limit_period: str | None
    # The eligibility rule of the type (both empty: open to everyone), so a page can say who
    # it is for instead of a generic "not for you" (``eligibility_text``).
    eligible_care: tuple[str, ...] = ()
    eligible_min_age: int | None = None


def eligibility_text(
    *, service_name: str, care: Sequence[str], min_age: int | None, phone: str = "", locale: str = "zh_CN",
    with_call: bool = True,
) -> str:
    """Who a type with an eligibility rule is for, in one plain sentence in ``locale``, and
    (``with_call``) whom to phone: "上门理发仅为独居老人、残障人员、行动不便的居民或80岁以上的老人
    提供。如有需要，请打电话给社区：0371-…". "" when the type has no rule."""
    from community_app.i18n import t

    who = [t(f"eligibility.who.{c}", locale) for c in care if c in {cc.value for cc in CareCategory}]
    if min_age is not None:
        who.append(t("eligibility.who.min_age", locale, n=min_age))
    if not who:
        return ""
    joined = who[0] if len(who) == 1 else (
        t("eligibility.join.sep", locale).join(who[:-1]) + t("eligibility.join.or", locale) + who[-1])
    text = t("eligibility.only_for", locale, service=service_name, who=joined)
    if with_call:
        call = t("eligibility.call", locale, phone=phone) if phone else t("eligibility.call_office", locale)
        text += ("" if locale.startswith("zh") else " ") + call
    return text


def offered_services(session: Session, actor: Actor) -> list[ServiceOffer]:
    """Active types of the resident's community, each with an ``eligible`` flag."""
    require_resident(actor)
    resident = session.get(Resident, actor.resident_id)
    if resident is None:
        raise NotFound()
    community = session.get(Community, resident.community_id)
    zone = community_zone(session, resident.community_id)
    today = local_today(zone)
    types = session.exec(
        select(ServiceType)
        .where(ServiceType.community_id == resident.community_id, ServiceType.active.is_(True),
               ServiceType.staff_only.is_(False))
        .order_by(ServiceType.id)
    ).all()
    return [
        ServiceOffer(
            id=t.id, code=t.code, name=t.name_in(actor.locale), description=t.description_in(actor.locale),
            kind=t.kind,
            category=t.category, icon=t.icon, home_visit=t.home_visit,
            eligible=is_eligible(session, t, resident, today), location=t.location,
            contact_phone=t.contact_phone or (community.hotline if community else ""),
            cancel_cutoff_minutes=t.cancel_cutoff_minutes, limit_count=t.limit_count,
            limit_period=t.limit_period, eligible_care=tuple(care_categories(t)),
            eligible_min_age=t.eligible_min_age,
        )
        for t in types
    ]


