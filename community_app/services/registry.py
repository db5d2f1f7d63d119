"""The register (台账): communities, compounds, residents and their care categories."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, select

from community_app.models import (
    Account,
    AuditLog,
    CareCategory,
    Community,
    Compound,
    Grid,
    Household,
    Resident,
    ResidentCare,
    Team,
)
from community_app.services.access import Actor, require_staff


def list_communities(session: Session) -> list[Community]:
    """Public: the communities a new resident can choose from when signing up."""
    return list(session.exec(select(Community).order_by(Community.id)).all())


def list_compounds(session: Session, community_id: int) -> list[Compound]:
    return list(
        session.exec(select(Compound).where(Compound.community_id == community_id).order_by(Compound.id)).all()
    )


def list_grids(session: Session, actor: Actor) -> list[Grid]:
    """The grids (网格, not micro-grids) of the staff member's community, for filters."""
    require_staff(actor)
    return list(
        session.exec(
            select(Grid)
            .where(Grid.community_id == actor.community_id, Grid.parent_id.is_(None))
            .order_by(Grid.id)
        ).all()
    )


def list_teams(session: Session, actor: Actor) -> list[Team]:
    """The service teams (服务队) of the staff member's community, e.g. for 派单."""
    require_staff(actor)
    return list(
        session.exec(select(Team).where(Team.community_id == actor.community_id).order_by(Team.id)).all()
    )


@dataclass(frozen=True)
class Overview:
    community_name: str
    residents: int
    households: int
    accounts: int
    grids: int
    micro_grids: int
    care_counts: dict[str, int]
    recent_actions: list[AuditLog]


def community_overview(session: Session, actor: Actor) -> Overview:
    """Staff home figures for the staff member's community."""
    require_staff(actor)
    cid = actor.community_id
    community = session.get(Community, cid)

    def count(stmt) -> int:
        return int(session.exec(stmt).one())

    care_rows = session.exec(
        select(ResidentCare.category, func.count(ResidentCare.id))
        .join(Resident, Resident.id == ResidentCare.resident_id)
        .where(Resident.community_id == cid)
        .group_by(ResidentCare.category)
    ).all()
    care_counts = {c.value: 0 for c in CareCategory}
    care_counts.update({cat: int(n) for cat, n in care_rows})
    recent = list(
        session.exec(
            # Views of a mediation case are audited but are not actions: they stay out of the feed.
            select(AuditLog).where(AuditLog.community_id == cid, AuditLog.action != "mediation.case.view")
            .order_by(AuditLog.id.desc()).limit(10)
        ).all()
    )
    return Overview(
        community_name=community.name if community else "",
        residents=count(select(func.count(Resident.id)).where(Resident.community_id == cid)),
        households=count(select(func.count(Household.id)).where(Household.community_id == cid)),
        accounts=count(select(func.count(Account.id)).where(Account.community_id == cid)),
        grids=count(select(func.count(Grid.id)).where(Grid.community_id == cid, Grid.parent_id.is_(None))),
        micro_grids=count(select(func.count(Grid.id)).where(Grid.community_id == cid, Grid.parent_id.is_not(None))),
        care_counts=care_counts,
        recent_actions=recent,
    )
