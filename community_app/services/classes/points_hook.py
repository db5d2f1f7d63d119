"""The one place where classes meet the volunteering ledger (志愿积分).

Teachers earn points for each session they teach (``TEACHER_POINTS``) and volunteers who attend
a class earn ``VOLUNTEER_POINTS`` (residents who are not volunteers earn nothing for attending).
The entry goes through the volunteering ledger (``services/volunteering/points.award``), one per
``source``, which is unique per deed, so calling twice never pays twice.

Called inside the attendance transaction (it must not commit):
- ``role="teacher"``: once per session, when its roll is first marked; ``resident_id`` is the
  teacher's resident record (None for a staff teacher without one: nothing to award);
- ``role="attendee"``: each time a person is marked present; the ledger decides whether they
  earn anything (e.g. only volunteers, or only in some programmes).
"""

from __future__ import annotations

from sqlmodel import Session, select

from community_app.models import Account, Role, RoleGrant
from community_app.services.volunteering import points

TEACHER_POINTS = 5
VOLUNTEER_POINTS = 2


def _is_volunteer(session: Session, resident_id: int) -> bool:
    return session.exec(select(RoleGrant.id).join(Account, Account.id == RoleGrant.account_id).where(
        Account.resident_id == resident_id, RoleGrant.role == Role.VOLUNTEER)).first() is not None


def award_attendance_points(session: Session, *, community_id: int, resident_id: int | None, role: str,
                            source: str, course_title: str) -> int:
    """Points awarded for one attendance (in the caller's transaction; 0 when nothing is due)."""
    del community_id  # the ledger keeps the resident's own community
    if resident_id is None:
        return 0
    if role == "teacher":
        amount, key = TEACHER_POINTS, "points.reason.class_teacher"
    elif role == "attendee" and _is_volunteer(session, resident_id):
        amount, key = VOLUNTEER_POINTS, "points.reason.class_volunteer"
    else:
        return 0
    points.award(session, resident_id=resident_id, points=amount, reason_key=key, source=source, actor=None,
                 reason=course_title)
    return amount
