"""The one place where classes meet the volunteering ledger (志愿积分).

Teachers earn points for the sessions they teach, and volunteers who attend may earn points too.
The points ledger belongs to the volunteering issue, built in parallel: until both land this is a
no-op that awards nothing and returns 0. The lead connects it by calling the ledger here (one
entry per ``source``, which is unique per deed, so calling twice never pays twice); nothing else
in the classes code needs to change.

Called inside the attendance transaction (it must not commit):
- ``role="teacher"``: once per session, when its roll is first marked; ``resident_id`` is the
  teacher's resident record (None for a staff teacher without one: nothing to award);
- ``role="attendee"``: each time a person is marked present; the ledger decides whether they
  earn anything (e.g. only volunteers, or only in some programmes).
"""

from __future__ import annotations

from sqlmodel import Session


def award_attendance_points(session: Session, *, community_id: int, resident_id: int | None, role: str,
                            source: str, course_title: str) -> int:
    """Points awarded for one attendance (0 until the volunteering ledger is connected)."""
    del session, community_id, resident_id, role, source, course_title
    return 0
