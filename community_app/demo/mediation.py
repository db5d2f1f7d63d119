"""Demo mediation cases (小胡说事). (Written as history for now; the mediation issue moves it onto
its services.)"""

from __future__ import annotations

from datetime import timedelta

from community_app.demo.context import DemoContext
from community_app.demo.people import (
    MAIN_CODE,
)
from community_app.models import CaseParty, CaseUpdate, Community, MediationCase


def seed_mediation(ctx: DemoContext) -> None:
    """Three cases with their parties and progress."""
    session = ctx.session
    now = ctx.now
    main = ctx.communities[MAIN_CODE]
    mp = ctx.people[MAIN_CODE]
    secretary = ctx.accounts["蔡铮欣"]
    grid_worker = ctx.accounts["刘婷"]
    def case(community: Community, category, title, description, status, assigned, parties, updates,
             outcome="", opened_days_ago=30):
        opened = now - timedelta(days=opened_days_ago)
        c = MediationCase(community_id=community.id, category=category, title=title, description=description,
                          status=status, assigned_account_id=assigned.id, created_by_account_id=assigned.id,
                          outcome=outcome, created_at=opened)
        session.add(c)
        session.flush()
        for person, role in parties:
            session.add(CaseParty(case_id=c.id, resident_id=person.resident.id, role=role))
        for i, body in enumerate(updates):
            at = opened + timedelta(days=i * max(1, opened_days_ago // max(1, len(updates))), hours=2)
            session.add(CaseUpdate(case_id=c.id, author_account_id=assigned.id, body=body, created_at=min(at, now)))
        if status in ("settled", "closed"):
            c.closed_at = min(now, opened + timedelta(days=opened_days_ago - 2))
            session.add(c)
        return c

    cases = [
        case(main, "neighbour", "楼上装修漏水殃及楼下",
             "南院2号楼1单元201装修时卫生间防水层破损，楼下101厨房顶棚渗水、墙皮脱落。", "settled", secretary,
             [(mp["张建国"], "applicant"), (mp["周海涛"], "respondent")],
             ["接到张建国反映后当天上门查看，确认渗水来自楼上卫生间。",
              "约双方到议事调解室面谈：楼上装修未做闭水试验，承担主要责任;物业配合检查公共管道。",
              "双方商定：楼上重做防水并承担楼下顶棚和墙面修缮费用，物业出具检测结果。",
              "修缮完成，回访双方均表示满意，结案。"],
             outcome="楼上重做防水并赔偿楼下修缮费用，双方签字确认。", opened_days_ago=40),
        case(main, "parking", "邮电园小区电动车充电难、飞线充电",
             "4号楼住户从楼上拉线给电动车充电，楼下住户担心火灾隐患，双方争执。", "in_progress", grid_worker,
             [(mp["刘立新"], "applicant"), (mp["何鹏飞"], "respondent")],
             ["网格员当天到场劝导，飞线已拆除，双方情绪稳定。",
              "四方联席协调会议定：在邮电园小区东侧安装充电桩，安装前临时在车棚集中充电。"],
             opened_days_ago=12),
        case(main, "elderly_support", "失能老人赡养问题",
             "赵桂兰老人失能独居，儿子与女儿对照料分工和费用意见不一。", "in_progress", secretary,
             [(mp["赵桂兰"], "applicant"), (mp["赵建军"], "respondent")],
             ["入户看望赵桂兰老人，了解日常照料和用药情况。",
              "与赵建军电话沟通，约定周末在社区调解室与家人共同商量照料分工。"],
             opened_days_ago=6),
    ]

    ctx.counts["mediation_cases"] = len(cases)

