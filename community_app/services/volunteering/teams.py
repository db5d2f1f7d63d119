"""Service teams (服务队): a resident applies to join, the team's leader (队长) or staff approve
or decline; joining gives the volunteer role; members see their team's page; staff create
teams and name leaders. Leaders' and staff's decisions are audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, select

from community_app import routes
from community_app.models import Account, MemberStatus, Resident, Role, RoleGrant, Team, TeamMember, utcnow
from community_app.services import audit
from community_app.services.access import Actor, require_resident, require_staff
from community_app.services.core.notify import notify_t
from community_app.services.core.paging import Page, paginate
from community_app.services.core.text import clean_text
from community_app.services.core.tx import lock, mutating
from community_app.services.errors import Conflict, NotAllowed, NotFound, ValidationError
from community_app.services.volunteering.common import check_id, get_resident, is_leader, resident_names

__all__ = [
    "CATEGORIES", "MemberView", "TeamCard", "TeamView", "add_member", "apply", "create_team", "decide", "get_team",
    "grant_volunteer", "leave", "list_teams", "remove_member", "set_leader", "team_detail", "teams_page",
]

CATEGORIES = ("haircut", "repair", "party_education", "patrol", "environment", "mutual_aid", "youth",
              "elderly_care", "safety", "other")


@dataclass(frozen=True)
class TeamCard:
    id: int
    name: str
    category: str
    description: str
    leader_name: str
    members: int
    my_status: str  # "" / applied / active / declined / left / leader
    can_apply: bool


@dataclass(frozen=True)
class MemberView:
    member_id: int
    resident_id: int
    name: str
    status: str
    note: str
    since: datetime | None
    is_leader: bool


@dataclass(frozen=True)
class TeamView:
    card: TeamCard
    members: list[MemberView]  # active members: only for members, the leader and staff
    applications: list[MemberView]  # waiting: only for the leader and staff
    can_manage: bool  # leader or staff: decide applications, publish activities
    can_leave: bool
    leader_mobile: str  # for members: whom to call


def get_team(session: Session, team_id) -> Team:
    team = session.get(Team, team_id) if isinstance(team_id, int) and not isinstance(team_id, bool) else None
    if team is None:
        raise NotFound("team.error.not_found")
    return team


def _member(session: Session, team_id: int, resident_id: int | None) -> TeamMember | None:
    if resident_id is None:
        return None
    return session.exec(select(TeamMember).where(TeamMember.team_id == team_id,
                                                 TeamMember.resident_id == resident_id)).first()


def _counts(session: Session, team_ids: list[int]) -> dict[int, int]:
    if not team_ids:
        return {}
    return dict(session.exec(select(TeamMember.team_id, func.count(TeamMember.id))
                             .where(TeamMember.team_id.in_(team_ids), TeamMember.status == MemberStatus.ACTIVE)
                             .group_by(TeamMember.team_id)).all())


def _card(team: Team, leader_name: str, members: int, mine: TeamMember | None, actor: Actor) -> TeamCard:
    if team.leader_resident_id is not None and team.leader_resident_id == actor.resident_id:
        status = "leader"
    else:
        status = mine.status if mine is not None else ""
    can_apply = (actor.resident_id is not None and actor.community_id == team.community_id
                 and status in ("", MemberStatus.DECLINED, MemberStatus.LEFT))
    return TeamCard(team.id, team.name, team.category, team.description, leader_name, members, status, can_apply)


def list_teams(session: Session, actor: Actor) -> list[TeamCard]:
    """The teams of the resident's community with their own standing in each."""
    require_resident(actor)
    teams = list(session.exec(select(Team).where(Team.community_id == actor.community_id).order_by(Team.id)).all())
    counts = _counts(session, [t.id for t in teams])
    names = resident_names(session, (t.leader_resident_id for t in teams))
    mine = {m.team_id: m for m in session.exec(select(TeamMember).where(TeamMember.resident_id == actor.resident_id))}
    return [_card(t, names.get(t.leader_resident_id, ""), int(counts.get(t.id, 0)), mine.get(t.id), actor)
            for t in teams]


def team_detail(session: Session, actor: Actor, *, team_id: int) -> TeamView:
    """One team. Members, the leader and staff see who is in it; the leader and staff also see
    applications waiting."""
    if actor is None:
        raise NotAllowed("error.sign_in_required")
    team = get_team(session, team_id)
    staff = actor.can_staff(team.community_id)
    if not staff and actor.community_id != team.community_id:
        raise NotFound("team.error.not_found")
    mine = _member(session, team.id, actor.resident_id)
    leader = is_leader(session, actor, team.id)
    member = leader or (mine is not None and mine.status == MemberStatus.ACTIVE)
    rows = list(session.exec(select(TeamMember).where(TeamMember.team_id == team.id,
                                                      TeamMember.status.in_((MemberStatus.ACTIVE, MemberStatus.APPLIED)))
                             .order_by(TeamMember.joined_at, TeamMember.id)).all())
    names = resident_names(session, [r.resident_id for r in rows] + [team.leader_resident_id])
    views = [MemberView(r.id, r.resident_id, names.get(r.resident_id, ""), r.status, r.note,
                        r.joined_at if r.status == MemberStatus.ACTIVE else r.applied_at,
                        r.resident_id == team.leader_resident_id) for r in rows]
    leader_res = session.get(Resident, team.leader_resident_id) if team.leader_resident_id else None
    card = _card(team, names.get(team.leader_resident_id, ""), sum(1 for v in views if v.status == "active"), mine,
                 actor)
    return TeamView(
        card=card,
        members=[v for v in views if v.status == MemberStatus.ACTIVE] if (member or staff) else [],
        applications=[v for v in views if v.status == MemberStatus.APPLIED] if (leader or staff) else [],
        can_manage=leader or staff,
        can_leave=mine is not None and mine.status == MemberStatus.ACTIVE and not leader,
        leader_mobile=(leader_res.mobile or "") if leader_res is not None and (member or staff) else "",
    )


def grant_volunteer(session: Session, resident_id: int, community_id: int) -> None:
    """Give the resident's account the volunteer role (joining a team does). In the caller's
    transaction; nothing when they have no account or have the role already."""
    account = session.exec(select(Account).where(Account.resident_id == resident_id)).first()
    if account is None:
        return
    has = session.exec(select(RoleGrant.id).where(RoleGrant.account_id == account.id,
                                                  RoleGrant.role == Role.VOLUNTEER)).first()
    if has is None:
        session.add(RoleGrant(account_id=account.id, role=Role.VOLUNTEER, community_id=community_id))


def _leader_account(session: Session, team: Team) -> int | None:
    if team.leader_resident_id is None:
        return None
    return session.exec(select(Account.id).where(Account.resident_id == team.leader_resident_id)).first()


@mutating
def apply(session: Session, actor: Actor, *, team_id: int, note: str = "") -> TeamMember:
    """申请加入: a resident of the team's community asks to join (again after a decline or
    leaving). The leader is told. Commits."""
    require_resident(actor)
    team = get_team(session, team_id)
    if team.community_id != actor.community_id:
        raise NotAllowed("volunteer.error.other_community")
    note = clean_text(note, field="note", max_len=200)
    if team.leader_resident_id == actor.resident_id:
        raise Conflict("team.error.already_member")
    row = session.exec(lock(session, select(TeamMember).where(TeamMember.team_id == team.id,
                                                              TeamMember.resident_id == actor.resident_id))).first()
    if row is not None and row.status in (MemberStatus.ACTIVE, MemberStatus.APPLIED):
        raise Conflict("team.error.already_member" if row.status == MemberStatus.ACTIVE else "team.error.already_applied")
    now = utcnow()
    if row is None:
        row = TeamMember(team_id=team.id, resident_id=actor.resident_id, joined_at=now)
    row.status, row.note, row.applied_at, row.decided_by_account_id = MemberStatus.APPLIED, note, now, None
    session.add(row)
    session.flush()
    leader = _leader_account(session, team)
    if leader is not None:
        notify_t(session, account_id=leader, kind="team.applied", title_key="team.notify.applied.title",
                 body_key="team.notify.applied.body", link=routes.volunteer_team(team.id), team=team.name,
                 name=actor.display_name)
    session.commit()
    return row


def _manager(session: Session, actor: Actor, team: Team) -> None:
    if actor is None:
        raise NotAllowed("error.sign_in_required")
    if not (is_leader(session, actor, team.id) or actor.can_staff(team.community_id)):
        raise NotAllowed("team.error.not_leader")


@mutating
def decide(session: Session, actor: Actor, *, member_id: int, approve: bool, note: str = "") -> TeamMember:
    """The leader or staff approve (the applicant becomes a member and a volunteer) or decline
    an application. The applicant is told. Audited. Commits."""
    row = session.get(TeamMember, member_id) if isinstance(member_id, int) and not isinstance(member_id, bool) else None
    if row is None:
        raise NotFound("team.error.application_not_found")
    team = get_team(session, row.team_id)
    _manager(session, actor, team)
    note = clean_text(note, field="note", max_len=200)
    row = session.exec(lock(session, select(TeamMember).where(TeamMember.id == row.id))).one()
    if row.status != MemberStatus.APPLIED:
        raise Conflict("team.error.not_applied")
    row.status = MemberStatus.ACTIVE if approve is True else MemberStatus.DECLINED
    row.decided_by_account_id = actor.account_id
    if row.status == MemberStatus.ACTIVE:
        row.joined_at = utcnow()
        grant_volunteer(session, row.resident_id, team.community_id)
    session.add(row)
    key = "team.notify.approved" if row.status == MemberStatus.ACTIVE else "team.notify.declined"
    notify_t(session, resident_id=row.resident_id, kind="team.decided", title_key=f"{key}.title",
             body_key=f"{key}.body", link=routes.volunteer_team(team.id), team=team.name, note=note)
    audit.record(session, actor, "team.approve" if row.status == MemberStatus.ACTIVE else "team.decline",
                 target_type="team", target_id=team.id, community_id=team.community_id, resident_id=row.resident_id,
                 note=note)
    session.commit()
    return row


@mutating
def leave(session: Session, actor: Actor, *, team_id: int) -> TeamMember:
    """退出 / 撤回申请: a member leaves the team, or an applicant withdraws. Not the leader
    (staff name another leader first). Commits."""
    require_resident(actor)
    team = get_team(session, team_id)
    if team.leader_resident_id == actor.resident_id:
        raise Conflict("team.error.leader_cannot_leave")
    row = session.exec(lock(session, select(TeamMember).where(TeamMember.team_id == team.id,
                                                              TeamMember.resident_id == actor.resident_id))).first()
    if row is None or row.status not in (MemberStatus.ACTIVE, MemberStatus.APPLIED):
        raise Conflict("team.error.not_member")
    row.status = MemberStatus.LEFT
    session.add(row)
    session.commit()
    return row


@mutating
def remove_member(session: Session, actor: Actor, *, member_id: int, note: str = "") -> TeamMember:
    """The leader or staff take a member off the team (not the leader). Audited. Commits."""
    row = session.get(TeamMember, member_id) if isinstance(member_id, int) and not isinstance(member_id, bool) else None
    if row is None:
        raise NotFound("team.error.application_not_found")
    team = get_team(session, row.team_id)
    _manager(session, actor, team)
    if row.resident_id == team.leader_resident_id:
        raise Conflict("team.error.leader_cannot_leave")
    if row.status != MemberStatus.ACTIVE:
        raise Conflict("team.error.not_member")
    row.status, row.decided_by_account_id = MemberStatus.LEFT, actor.account_id
    session.add(row)
    audit.record(session, actor, "team.remove", target_type="team", target_id=team.id, community_id=team.community_id,
                 resident_id=row.resident_id, note=clean_text(note, field="note", max_len=200))
    session.commit()
    return row


def _make_member(session: Session, team: Team, resident_id: int, actor: Actor) -> None:
    row = _member(session, team.id, resident_id)
    if row is None:
        row = TeamMember(team_id=team.id, resident_id=resident_id)
    if row.status != MemberStatus.ACTIVE:
        row.status, row.joined_at, row.decided_by_account_id = MemberStatus.ACTIVE, utcnow(), actor.account_id
    session.add(row)
    grant_volunteer(session, resident_id, team.community_id)


@mutating
def add_member(session: Session, actor: Actor, *, team_id: int, resident_id: int) -> TeamMember:
    """代办入队: the leader or staff add a resident of the community (e.g. one without a phone)
    straight to the team; they become a volunteer. Audited. Commits."""
    team = get_team(session, team_id)
    _manager(session, actor, team)
    person = get_resident(session, check_id(resident_id, field="resident_id"))
    if person.community_id != team.community_id:
        raise ValidationError("volunteer.error.other_community", field="resident_id")
    existing = _member(session, team.id, person.id)
    if existing is not None and existing.status == MemberStatus.ACTIVE:
        raise Conflict("team.error.already_member")
    _make_member(session, team, person.id, actor)
    session.flush()
    audit.record(session, actor, "team.add_member", target_type="team", target_id=team.id,
                 community_id=team.community_id, resident_id=person.id)
    session.commit()
    return _member(session, team.id, person.id)


def _leader_resident(session: Session, actor: Actor, leader_resident_id) -> Resident | None:
    if leader_resident_id in (None, ""):
        return None
    resident = get_resident(session, check_id(leader_resident_id, field="leader", key="team.error.leader_invalid"))
    if resident.community_id != actor.community_id:
        raise ValidationError("team.error.leader_invalid", field="leader")
    return resident


@mutating
def create_team(session: Session, actor: Actor, *, name, category: str = "other", description: str = "",
                leader_resident_id: int | None = None) -> Team:
    """Staff add a service team to their community, with a leader (who becomes a member).
    Audited. Commits."""
    require_staff(actor)
    name = clean_text(name, field="name", max_len=64, required_key="team.error.name_required")
    if category not in CATEGORIES:
        raise ValidationError("team.error.category_invalid", field="category")
    description = clean_text(description, field="description", max_len=500)
    leader = _leader_resident(session, actor, leader_resident_id)
    if session.exec(select(Team.id).where(Team.community_id == actor.community_id, Team.name == name)).first():
        raise ValidationError("team.error.name_taken", field="name")
    team = Team(community_id=actor.community_id, name=name, category=category, description=description,
                leader_resident_id=leader.id if leader else None)
    session.add(team)
    session.flush()
    if leader is not None:
        _make_member(session, team, leader.id, actor)
    audit.record(session, actor, "team.create", target_type="team", target_id=team.id, name=name,
                 leader_resident_id=team.leader_resident_id)
    session.commit()
    return team


@mutating
def set_leader(session: Session, actor: Actor, *, team_id: int, leader_resident_id: int) -> Team:
    """Staff name a team's leader (队长); the leader becomes a member and a volunteer. Audited."""
    team = get_team(session, team_id)
    require_staff(actor, team.community_id)
    leader = _leader_resident(session, actor, leader_resident_id)
    if leader is None:
        raise ValidationError("team.error.leader_invalid", field="leader")
    team = session.exec(lock(session, select(Team).where(Team.id == team.id))).one()
    team.leader_resident_id = leader.id
    session.add(team)
    _make_member(session, team, leader.id, actor)
    notify_t(session, resident_id=leader.id, kind="team.leader", title_key="team.notify.leader.title",
             body_key="team.notify.leader.body", link=routes.volunteer_team(team.id), team=team.name)
    audit.record(session, actor, "team.set_leader", target_type="team", target_id=team.id,
                 community_id=team.community_id, leader_resident_id=leader.id)
    session.commit()
    return team


@dataclass(frozen=True)
class TeamRow:
    id: int
    name: str
    category: str
    leader_name: str
    leader_resident_id: int | None
    members: int
    applications: int


def teams_page(session: Session, actor: Actor, *, pending_only: bool = False, page: int = 1,
               page_size: int = 20) -> Page[TeamRow]:
    """Staff list of the community's teams with members and applications waiting."""
    require_staff(actor)
    waiting = (select(TeamMember.team_id, func.count(TeamMember.id).label("n"))
               .where(TeamMember.status == MemberStatus.APPLIED).group_by(TeamMember.team_id).subquery())
    stmt = (select(Team).join(waiting, waiting.c.team_id == Team.id, isouter=True)
            .where(Team.community_id == actor.community_id))
    if pending_only:
        stmt = stmt.where(waiting.c.n > 0)
    rows, total, page, size = paginate(session, stmt.order_by(Team.id), page=page, page_size=page_size)
    ids = [t.id for t in rows]
    counts = _counts(session, ids)
    apps = dict(session.exec(select(TeamMember.team_id, func.count(TeamMember.id))
                             .where(TeamMember.team_id.in_(ids), TeamMember.status == MemberStatus.APPLIED)
                             .group_by(TeamMember.team_id)).all()) if ids else {}
    names = resident_names(session, (t.leader_resident_id for t in rows))
    items = [TeamRow(t.id, t.name, t.category, names.get(t.leader_resident_id, ""), t.leader_resident_id,
                     int(counts.get(t.id, 0)), int(apps.get(t.id, 0))) for t in rows]
    return Page(items, total, page, size)
