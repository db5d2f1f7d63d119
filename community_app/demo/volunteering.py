"""Demo volunteering: the seeds' service teams with their leaders and members, points carried over
and earned, activities (past attended, upcoming signed up) and the points supermarket.
(Written as history for now; the volunteering issue moves it onto its services.)"""

from __future__ import annotations

from datetime import timedelta

from community_app.demo.context import DemoContext
from community_app.demo.people import (
    MAIN_CODE,
    PARTNER_CODE,
    Person,
    at,
    month_day,
    next_26th,
    next_weekday,
)
from community_app.models import Activity, PointsEntry, Redemption, Reward, Shift, Team, TeamMember


def seed_teams(ctx: DemoContext) -> None:
    """Teams (服务队) and their members."""
    session = ctx.session
    rng = ctx.rng
    now = ctx.now
    mp = ctx.people[MAIN_CODE]
    people = ctx.people
    communities = ctx.communities
    reserved_names = ctx.reserved_names
    def pool(by_name: dict[str, Person], lo: int, hi: int) -> list[Person]:
        return [p for p in by_name.values() if lo <= p.birth_year <= hi and p.mobile]

    team_specs = [
        # (community, name, category, description, leader name or None, member birth range, size)
        (MAIN_CODE, "银发爱心义剪队", "haircut",
         "成立于2018年8月。每月26日在社区老年活动中心义剪，也为行动不便的老人上门理发，已理发上千次;"
         "开设技能学习小组，教授剪发和维修技能。", "闫爱民", (1948, 1968), 6),
        (MAIN_CODE, "夕阳维修队", "repair",
         "免费为居民维修家电;联合燃气灶商家为老人检修旧灶（换气阀、换电池、检测燃气安全）;"
         "维修广场娱乐设施和桌椅板凳。", "孙志刚", (1950, 1970), 5),
        (MAIN_CODE, "党员教育服务队", "party_education", "组织党员学习、主题党日和政策宣讲。", None, (1950, 1985), 5),
        (MAIN_CODE, "治安巡防服务队", "patrol", "夜间巡逻，排查治安和消防隐患。", "陈晓东", (1960, 1995), 6),
        (MAIN_CODE, "绿色环保服务队", "environment", "垃圾分类宣传、楼道清理和小区绿化。", None, (1950, 2000), 5),
        (MAIN_CODE, "爱心互助服务队", "mutual_aid", "邻里互助，为困难家庭送温暖。", None, (1955, 1995), 5),
        (MAIN_CODE, "关爱未成年服务队", "youth", "课后作业辅导、假期托管和安全教育。", None, (1970, 2003), 4),
        (MAIN_CODE, "敬老爱老服务队", "elderly_care", "定期探望独居老人，陪伴就医，代买代办。", None, (1955, 1990), 6),
        (MAIN_CODE, "安全文明服务队", "safety", "消防安全检查、文明劝导和电动车规范停放。", None, (1960, 1995), 4),
        (PARTNER_CODE, "近邻志愿服务队", "mutual_aid",
         "与东风路南社区联合开展防养老诈骗宣传、免费理发等跨区融合服务。", None, (1950, 1995), 5),
        (PARTNER_CODE, "古城义警巡逻队", "patrol", "楼宇安全排查和夜间巡逻。", None, (1955, 1995), 4),
    ]
    teams: dict[str, Team] = {}
    members: dict[str, list[Person]] = {}
    for code, name, category, desc, leader_name, (lo, hi), size in team_specs:
        by_name = people[code]
        candidates = [p for p in pool(by_name, lo, hi) if p.name not in reserved_names]
        leader = by_name[leader_name] if leader_name else rng.choice(candidates)
        others = rng.sample([p for p in candidates if p is not leader], k=min(size - 1, len(candidates) - 1))
        team = Team(community_id=communities[code].id, name=name, category=category, description=desc,
                    leader_resident_id=leader.resident.id)
        session.add(team)
        teams[name] = team
        members[name] = [leader, *others]
    # The three demo volunteers also serve in a second team.
    members["敬老爱老服务队"].append(mp["闫爱民"])
    members["安全文明服务队"].append(mp["孙志刚"])
    members["关爱未成年服务队"].append(mp["陈晓东"])
    session.flush()
    joined = now - timedelta(days=400)
    session.add_all([
        TeamMember(team_id=teams[t].id, resident_id=p.resident.id, joined_at=joined)
        for t, ms in members.items() for p in dict.fromkeys(ms)
    ])

    ctx.teams, ctx.members = teams, members
    ctx.counts["teams"] = len(teams)

def seed_points_and_activities(ctx: DemoContext) -> None:
    """Points carried over; activities with shifts; points for the attended ones."""
    session = ctx.session
    rng = ctx.rng
    now = ctx.now
    today = ctx.today
    main = ctx.communities[MAIN_CODE]
    communities = ctx.communities
    secretary = ctx.accounts["蔡铮欣"]
    teams, members = ctx.teams, ctx.members
    carried_at = now - timedelta(days=120)
    volunteers_main = list(dict.fromkeys(
        p for t, ms in members.items() if teams[t].community_id == main.id for p in ms))
    for p in volunteers_main:
        delta = 150 if p.name == "闫爱民" else rng.randrange(20, 130, 5)
        session.add(PointsEntry(community_id=main.id, resident_id=p.resident.id, delta=delta,
                                reason="往年志愿服务积分结转", actor_account_id=secretary.id, created_at=carried_at))

    activity_specs = [
        # (community, team, title, description, location, day, start, end, points, past?)
    ]
    for months_ago in (3, 2, 1):
        day = month_day(next_26th(today), 26, -months_ago)
        activity_specs.append((MAIN_CODE, "银发爱心义剪队", "每月26日义剪", "老年活动中心义剪，先到先剪。",
                               "社区老年活动中心", day, (9, 0), (11, 30), 10))
    activity_specs += [
        (MAIN_CODE, "夕阳维修队", "旧燃气灶维修检测联合行动",
         "联合燃气灶商家为老人换气阀、换电池、检测燃气安全。", "邮电园小区广场", today - timedelta(days=20),
         (9, 0), (12, 0), 15),
        (MAIN_CODE, "敬老爱老服务队", "独居老人定期探望", "两人一组入户探望独居老人，了解需求。", "各小区",
         today - timedelta(days=10), (15, 0), (17, 0), 8),
        (MAIN_CODE, "绿色环保服务队", "垃圾分类宣传", "在小区门口宣传垃圾分类投放。", "南院门口",
         today - timedelta(days=14), (8, 30), (10, 30), 5),
        # upcoming
        (MAIN_CODE, "银发爱心义剪队", "每月26日义剪", "老年活动中心义剪，先到先剪;行动不便的老人可预约上门理发。",
         "社区老年活动中心", next_26th(today), (9, 0), (11, 30), 10),
        (MAIN_CODE, "治安巡防服务队", "夜间治安巡逻", "沿东风路、建胜路巡逻，检查楼道消防隐患。", "社区党群服务中心集合",
         next_weekday(today, 2), (19, 0), (21, 0), 5),
        (MAIN_CODE, "夕阳维修队", "广场桌椅和健身器材维修", "维修广场上的长椅、凉亭和健身器材。", "初心亭广场",
         next_weekday(today, 5), (9, 0), (11, 0), 10),
        (MAIN_CODE, "关爱未成年服务队", "周末作业辅导", "为小学生辅导作业。", "社区自习室",
         next_weekday(today, 5), (14, 0), (16, 0), 5),
        (MAIN_CODE, "敬老爱老服务队", "独居老人定期探望", "两人一组入户探望独居老人，了解需求。", "各小区",
         next_weekday(today, 1), (15, 0), (17, 0), 8),
        (MAIN_CODE, "安全文明服务队", "楼宇服务日消防安全检查", "每周五楼宇服务日，检查楼道杂物和电动车飞线充电。",
         "邮电园小区", next_weekday(today, 4), (9, 0), (11, 0), 5),
        (MAIN_CODE, "党员教育服务队", "主题党日：党员亮身份", "学习交流，认领服务岗位。", "社区党群服务中心",
         next_weekday(today, 3), (9, 30), (11, 0), 5),
        (PARTNER_CODE, "近邻志愿服务队", "跨区融合：防养老诈骗宣传暨免费理发",
         "古城社区与东风路南社区银发爱心义剪队联合开展。", "古城社区党群服务中心",
         next_weekday(today, 5, weeks=1), (9, 0), (11, 30), 10),
    ]
    activities: list[tuple[Activity, str, bool]] = []
    for code, team_name, title, desc, location, day, start, end, points in activity_specs:
        act = Activity(
            community_id=communities[code].id, team_id=teams[team_name].id, title=title, description=desc,
            location=location, starts_at=at(day, *start), ends_at=at(day, *end), points=points,
            created_at=min(now, at(day, *start) - timedelta(days=14)),
        )
        session.add(act)
        activities.append((act, team_name, act.ends_at < now))
    session.flush()
    attended: list[tuple[Shift, Activity]] = []
    for act, team_name, past in activities:
        crew = list(dict.fromkeys(members[team_name]))
        crew = rng.sample(crew, k=max(2, len(crew) - rng.randint(0, 2)))
        for p in crew:
            shift = Shift(activity_id=act.id, resident_id=p.resident.id,
                          status="attended" if past else "signed_up", created_at=min(now, act.created_at))
            session.add(shift)
            if past:
                attended.append((shift, act))
    session.flush()
    for shift, act in attended:
        session.add(PointsEntry(
            community_id=act.community_id, resident_id=shift.resident_id, delta=act.points,
            reason=f"志愿服务:{act.title}", source=f"shift:{shift.id}", actor_account_id=secretary.id,
            created_at=act.ends_at,
        ))

    ctx.counts["activities"] = len(activities)

def seed_shop(ctx: DemoContext) -> None:
    """The points supermarket (爱心积分超市) with two redemptions."""
    session = ctx.session
    now = ctx.now
    main = ctx.communities[MAIN_CODE]
    mp = ctx.people[MAIN_CODE]
    communities = ctx.communities
    reward_specs = [
        (MAIN_CODE, "洗衣液 2kg", 30, 20), (MAIN_CODE, "食用油 5L", 80, 10), (MAIN_CODE, "挂面 1kg", 15, 40),
        (MAIN_CODE, "鸡蛋 一盒", 25, 30), (MAIN_CODE, "毛巾", 15, 50), (MAIN_CODE, "牙膏", 12, 40),
        (MAIN_CODE, "大米 5kg", 60, 15), (MAIN_CODE, "折叠雨伞", 40, 0),
        (PARTNER_CODE, "洗洁精", 10, 30), (PARTNER_CODE, "食用盐 一袋", 5, 50),
    ]
    rewards: dict[str, Reward] = {}
    for code, name, cost, stock in reward_specs:
        rewards[name] = Reward(community_id=communities[code].id, name=name, cost_points=cost, stock=stock)
        session.add(rewards[name])
    session.flush()
    for who, reward_name, status, days_ago in (("闫爱民", "食用油 5L", "handed_over", 7), ("孙志刚", "挂面 1kg", "pending", 1)):
        reward = rewards[reward_name]
        red = Redemption(reward_id=reward.id, resident_id=mp[who].resident.id, points=reward.cost_points,
                         status=status, created_at=now - timedelta(days=days_ago))
        session.add(red)
        session.flush()
        reward.stock -= 1
        session.add(reward)
        session.add(PointsEntry(community_id=main.id, resident_id=mp[who].resident.id, delta=-reward.cost_points,
                                reason=f"积分兑换:{reward.name}", source=f"redemption:{red.id}",
                                created_at=red.created_at))



