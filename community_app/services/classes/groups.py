"""Groups (兴趣小组: 朗诵队, 模特队, 技能学习小组): a ``Course`` of kind "group". People ask to join;
the leader (the course's ``teacher_account_id``) or staff of the group's community approve or
decline, and the person is told. Members see each other and the group's announcements, which
the leader or staff post (members are told of each new one)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from community_app import routes
from community_app.models import Account, Course, CoursePost, Enrollment, Resident
from community_app.services import audit
from community_app.services.access import Actor
from community_app.services.classes import common
from community_app.services.classes.enrolment import close_row, live_row, locked_row, record, tell
from community_app.services.core import capacity
from community_app.services.core.notify import notify_t
from community_app.services.core.text import clean_text
from community_app.services.core.tx import mutating
from community_app.services.errors import Conflict, NotAllowed, NotFound

MAX_POSTS = 30


def can_lead(actor: Actor | None, course: Course) -> bool:
    """The leader or staff of the group's community."""
    return common.is_teacher(actor, course) or common.can_manage(actor, course)


def is_member(session: Session, actor: Actor | None, course: Course) -> bool:
    """The actor, or someone they act for, is an enrolled member."""
    people = [p.id for p in common.household_people(session, actor)]
    if not people:
        return False
    return session.exec(select(Enrollment.id).where(Enrollment.open_course_id == course.id,
                                                    Enrollment.status == "enrolled",
                                                    Enrollment.resident_id.in_(people))).first() is not None


@mutating
def request_join(session: Session, actor: Actor, *, course_id: int, resident_id: int | None = None) -> Enrollment:
    """Ask to join a group (for oneself or a household member); the leader is told. Commits."""
    resident = common.require_act_for(session, actor, resident_id)
    course = common.get_course(session, course_id, locked=True)
    common.require_see(session, actor, course)
    if course.kind != "group":
        raise Conflict("classes.error.not_a_group")
    common.check_eligible(session, course, resident, common.today_of(session, course))
    existing = live_row(session, course.id, resident.id)
    if existing is not None:
        raise Conflict("classes.error.already_member" if existing.status == "enrolled"
                       else "classes.error.already_requested")
    if course.enrolled >= course.capacity:
        raise Conflict("classes.error.group_full")
    row = Enrollment(course_id=course.id, resident_id=resident.id, status="requested", open_course_id=course.id,
                     created_by_account_id=actor.account_id)
    session.add(row)
    session.flush()
    record(session, row, actor, "requested")
    if course.teacher_account_id is not None:
        notify_t(session, account_id=course.teacher_account_id, kind="classes.request",
                 title_key="classes.notify.request.title", body_key="classes.notify.request.body",
                 link=routes.class_course(course.id), name=resident.name, course=course.title)
    session.commit()
    return row


@mutating
def decide_request(session: Session, actor: Actor, *, enrollment_id: int, approve: bool, reason: str = "") -> Enrollment:
    """The leader or staff approve (a place is taken) or decline a join request; the person is
    told. Staff decisions are audited. Commits."""
    reason = clean_text(reason, field="reason", max_len=200)
    row, course = locked_row(session, enrollment_id)
    if not can_lead(actor, course):
        raise NotAllowed("classes.error.leader_only")
    if row.status != "requested":
        raise Conflict("classes.error.not_requested")
    if approve:
        if not capacity.take(session, Course, course.id, taken="enrolled"):
            raise Conflict("classes.error.group_full")
        row.status = "enrolled"
        session.add(row)
        record(session, row, actor, "enrolled", note=reason, note_key="" if reason else "classes.note.approved")
        tell(session, row, course, "classes.notify.approved", kind="classes.approved")
    else:
        close_row(session, actor, row, course, "declined", note=reason)
        tell(session, row, course, "classes.notify.declined", kind="classes.declined",
             reason=reason or "-")
    if common.can_manage(actor, course):
        audit.record(session, actor, "classes.group.approve" if approve else "classes.group.decline",
                     target_type="enrollment", target_id=row.id, community_id=course.community_id)
    session.commit()
    return row


@mutating
def post_announcement(session: Session, actor: Actor, *, course_id: int, body: str) -> CoursePost:
    """The leader or staff post an announcement; every member (or the parent who enrolled them)
    is told. Commits."""
    body = clean_text(body, field="body", max_len=1000, required_key="classes.error.post_required")
    course = common.get_course(session, course_id, locked=True)
    if not can_lead(actor, course):
        raise NotAllowed("classes.error.leader_only")
    post = CoursePost(course_id=course.id, author_account_id=actor.account_id, body=body)
    session.add(post)
    session.flush()
    members = session.exec(select(Enrollment).where(Enrollment.open_course_id == course.id,
                                                    Enrollment.status == "enrolled")).all()
    told: set[int] = set()
    for row in members:
        account_id = common.tell_account(session, row.resident_id, row.created_by_account_id)
        if account_id is None or account_id in told or account_id == actor.account_id:
            continue
        told.add(account_id)
        notify_t(session, account_id=account_id, kind="classes.post", title_key="classes.notify.post.title",
                 body_key="classes.notify.post.body", link=routes.class_course(course.id),
                 dedupe_key=f"classes.post:{post.id}:{account_id}", course=course.title, text=body[:80])
    if common.can_manage(actor, course):
        audit.record(session, actor, "classes.group.post", target_type="coursepost", target_id=post.id,
                     community_id=course.community_id)
    session.commit()
    return post


@mutating
def remove_post(session: Session, actor: Actor, *, post_id: int) -> CoursePost:
    """Take an announcement down (it stays as history). Commits."""
    post = session.get(CoursePost, post_id) if isinstance(post_id, int) and post_id > 0 else None
    if post is None:
        raise NotFound("classes.error.post_not_found")
    course = common.get_course(session, post.course_id, locked=True)
    if not can_lead(actor, course):
        raise NotAllowed("classes.error.leader_only")
    post.removed = True
    session.add(post)
    if common.can_manage(actor, course):
        audit.record(session, actor, "classes.group.unpost", target_type="coursepost", target_id=post.id,
                     community_id=course.community_id)
    session.commit()
    return post


@dataclass(frozen=True)
class PostView:
    id: int
    body: str
    author: str
    at: datetime  # UTC


@dataclass(frozen=True)
class MemberView:
    enrollment_id: int
    name: str
    status: str  # enrolled / requested
    is_leader: bool = False


def posts(session: Session, course: Course) -> list[PostView]:
    rows = session.exec(select(CoursePost).where(CoursePost.course_id == course.id, CoursePost.removed.is_(False))
                        .order_by(CoursePost.created_at.desc(), CoursePost.id.desc()).limit(MAX_POSTS)).all()
    names = dict(session.exec(select(Account.id, Account.display_name).where(
        Account.id.in_({p.author_account_id for p in rows if p.author_account_id}))).all()) if rows else {}
    return [PostView(p.id, p.body, names.get(p.author_account_id, ""), p.created_at) for p in rows]


def members(session: Session, course: Course, *, with_requests: bool) -> list[MemberView]:
    """Members by name (and, for the leader, the pending requests first)."""
    statuses = ["enrolled", "requested"] if with_requests else ["enrolled"]
    rows = session.exec(
        select(Enrollment, Resident.name).join(Resident, Resident.id == Enrollment.resident_id)
        .where(Enrollment.open_course_id == course.id, Enrollment.status.in_(statuses))
        .order_by(Enrollment.status.desc(), Enrollment.created_at, Enrollment.id)
    ).all()
    leader_resident = None
    if course.teacher_account_id is not None:
        account = session.get(Account, course.teacher_account_id)
        leader_resident = account.resident_id if account else None
    return [MemberView(e.id, name, e.status, e.resident_id == leader_resident) for e, name in rows]
