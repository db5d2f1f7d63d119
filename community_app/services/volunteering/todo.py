"""The staff home's volunteering items (``services/todo.py`` PROVIDERS): shifts short of
people in the next two days, elders whose visit is overdue, concerns volunteers raised,
applications to join a team, and shifts whose people wait for their time to be confirmed."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func
from sqlmodel import Session, select

from community_app import routes
from community_app.models import (
    Activity,
    MemberStatus,
    Shift,
    ShiftSignup,
    SignupStatus,
    Team,
    TeamMember,
    VisitLog,
    utcnow,
)
from community_app.services.access import Actor
from community_app.services.volunteering.activities import understaffed
from community_app.services.volunteering.shiftview import VERIFY_DAYS
from community_app.services.volunteering.visits import overdue_count

__all__ = ["volunteer_todo"]


def _count(session: Session, stmt) -> int:
    return int(session.exec(stmt).one())


def volunteer_todo(session: Session, actor: Actor) -> list:
    """Items for staff of ``actor``'s community (the caller, ``staff_todo``, checked the role)."""
    from community_app.services.todo import TodoItem  # services/todo.py lists this provider

    cid = actor.community_id
    now = utcnow()
    concerns = _count(session, select(func.count(VisitLog.id)).where(VisitLog.community_id == cid,
                                                                      VisitLog.concern_status == "open"))
    applications = _count(session, select(func.count(TeamMember.id)).join(Team, Team.id == TeamMember.team_id)
                          .where(Team.community_id == cid, TeamMember.status == MemberStatus.APPLIED))
    to_verify = _count(session, select(func.count(func.distinct(Shift.id)))
                       .join(Activity, Activity.id == Shift.activity_id)
                       .join(ShiftSignup, ShiftSignup.holding_shift_id == Shift.id)
                       .where(Activity.community_id == cid, Activity.status == "open", Shift.status == "open",
                              Shift.ends_at <= now, Shift.starts_at > now - timedelta(days=VERIFY_DAYS),
                              ShiftSignup.status == SignupStatus.SIGNED_UP))
    return [
        TodoItem("volunteer.understaffed", "volunteer.todo.understaffed", len(understaffed(session, cid)),
                 routes.STAFF_VOL_ACTIVITIES + "?f=short", urgent=True),
        TodoItem("volunteer.visits_overdue", "volunteer.todo.visits_overdue", overdue_count(session, cid),
                 routes.STAFF_VOL_VISITS + "?f=overdue", urgent=True),
        TodoItem("volunteer.concerns", "volunteer.todo.concerns", concerns, routes.STAFF_VOL_VISITS + "?f=concerns",
                 urgent=True),
        TodoItem("volunteer.applications", "volunteer.todo.applications", applications,
                 routes.STAFF_VOL_TEAMS + "?f=pending"),
        TodoItem("volunteer.to_verify", "volunteer.todo.to_verify", to_verify, routes.STAFF_VOL_VERIFY),
    ]
