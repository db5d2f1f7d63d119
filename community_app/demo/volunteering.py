"""Demo volunteering, all through the volunteering services, replayed on its own dates
(``clock.travel``) so the ledger, the hours, the audit log and the notifications are exactly
what the app makes:

- the seeds' service teams with their leaders; members who have the app applied and were
  approved, the others were added by staff (代办入队);
- points carried over from earlier years (a staff adjustment with its reason);
- past activities: volunteers signed up, the demo accounts checked in and out with the venue
  codes, the leaders confirmed the others; upcoming activities with sign-ups;
- the points supermarket's goods; 闫爱民 picked up a bottle of oil, 孙志刚 waits for noodles;
- elders living alone paired with volunteers of 敬老爱老服务队, with visits (one overdue, one
  concern for staff);
- after the bookings: the repairs and home haircuts done by volunteers count as their time.
"""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from community_app.demo.context import DemoContext
from community_app.demo.people import MAIN_CODE, PARTNER_CODE, Person, at, month_day, next_26th, next_weekday
from community_app.models import Account, Booking, BookingStatus, Shift
from community_app.services.access import Actor, load_actor
from community_app.services.core.clock import travel
from community_app.services.errors import DomainError
from community_app.services.volunteering import activities, goods, hours, points, shop, teams, visits
from community_app.services.volunteering.activities import ShiftInput

# (community, name, category, description, leader (None: drawn), member birth years, size)
TEAMS = [
    (MAIN_CODE, "银发爱心义剪队", "haircut",
     "成立于2018年8月。每月26日在社区老年活动中心义剪，也为行动不便的老人上门理发，已理发上千次；"
     "开设技能学习小组，教授剪发和维修技能。", "闫爱民", (1948, 1968), 6),
    (MAIN_CODE, "夕阳维修队", "repair",
     "免费为居民维修家电；联合燃气灶商家为老人检修旧灶（换气阀、换电池、检测燃气安全）；"
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
SECOND_TEAMS = [("敬老爱老服务队", "闫爱民"), ("安全文明服务队", "孙志刚"), ("关爱未成年服务队", "陈晓东")]
STAFF = {MAIN_CODE: "蔡铮欣", PARTNER_CODE: "路晓红"}

# (team, title, description, location, days from today, start, end, places, points)
PAST = [
    ("夕阳维修队", "旧燃气灶维修检测联合行动", "联合燃气灶商家为老人换气阀、换电池、检测燃气安全。", "邮电园小区广场",
     -20, (9, 0), (12, 0), 6, 15),
    ("绿色环保服务队", "垃圾分类宣传", "在小区门口宣传垃圾分类投放。", "南院门口", -14, (8, 30), (10, 30), 6, 5),
    ("治安巡防服务队", "夜间治安巡逻", "沿东风路、建胜路巡逻，检查楼道消防隐患。", "社区党群服务中心集合",
     -6, (19, 0), (21, 0), 6, 5),
]
UPCOMING = [
    ("治安巡防服务队", "夜间治安巡逻", "沿东风路、建胜路巡逻，检查楼道消防隐患。", "社区党群服务中心集合",
     ("weekday", 2), (19, 0), (21, 0), 6, 5),
    ("夕阳维修队", "广场桌椅和健身器材维修", "维修广场上的长椅、凉亭和健身器材。", "初心亭广场",
     ("weekday", 5), (9, 0), (11, 0), 5, 10),
    ("关爱未成年服务队", "周末作业辅导", "为小学生辅导作业。", "社区自习室", ("weekday", 5), (14, 0), (16, 0), 4, 5),
    ("安全文明服务队", "楼宇服务日消防安全检查", "每周五楼宇服务日，检查楼道杂物和电动车飞线充电。", "邮电园小区",
     ("weekday", 4), (9, 0), (11, 0), 6, 5),
    ("党员教育服务队", "主题党日：党员亮身份", "学习交流，认领服务岗位。", "社区党群服务中心",
     ("weekday", 3), (9, 30), (11, 0), 10, 5),
    ("绿色环保服务队", "楼道清理", "清理楼道堆物，张贴垃圾分类指引。", "建胜小区", ("days", 1), (15, 0), (17, 0), 8, 5),
]
GOODS = [
    (MAIN_CODE, "洗衣液 2kg", 30, 20, None), (MAIN_CODE, "食用油 5L", 80, 10, 1), (MAIN_CODE, "挂面 1kg", 15, 40, None),
    (MAIN_CODE, "鸡蛋 一盒", 25, 30, 2), (MAIN_CODE, "毛巾", 15, 50, None), (MAIN_CODE, "牙膏", 12, 40, None),
    (MAIN_CODE, "大米 5kg", 60, 15, 1), (MAIN_CODE, "折叠雨伞", 40, 0, None),
    (PARTNER_CODE, "洗洁精", 10, 30, None), (PARTNER_CODE, "食用盐 一袋", 5, 50, None),
]


def _actor(ctx: DemoContext, name: str) -> Actor:
    return load_actor(ctx.session, ctx.accounts[name])


def _person_actor(ctx: DemoContext, p: Person) -> Actor | None:
    account = ctx.session.exec(select(Account).where(Account.resident_id == p.resident.id)).first()
    return load_actor(ctx.session, account) if account is not None else None


def _attempt(ctx: DemoContext, fn, **kw):
    """A step the rules may refuse on some dates (an overlap, a full shift): skipped."""
    try:
        return fn(ctx.session, **kw)
    except DomainError:
        ctx.session.rollback()
        return None


def _join(ctx: DemoContext, staff: Actor, team_id: int, p: Person) -> None:
    """Members with the app apply and their leader approves; the others staff add (代办入队)."""
    who = _person_actor(ctx, p)
    if who is None:
        _attempt(ctx, teams.add_member, actor=staff, team_id=team_id, resident_id=p.resident.id)
        return
    app = _attempt(ctx, teams.apply, actor=who, team_id=team_id, note="我想加入，为邻居们出份力。")
    if app is not None:
        _attempt(ctx, teams.decide, actor=staff, member_id=app.id, approve=True)


def seed_teams(ctx: DemoContext) -> None:
    """The teams (服务队), their leaders and members, joined about a year ago."""
    rng, reserved = ctx.rng, ctx.reserved_names
    ctx.teams, ctx.members = {}, {}
    with travel(ctx.now - timedelta(days=400)):
        for code, name, category, desc, leader_name, (lo, hi), size in TEAMS:
            people, staff = ctx.people[code], _actor(ctx, STAFF[code])
            pool = [p for p in people.values() if lo <= p.birth_year <= hi and p.mobile and p.name not in reserved]
            leader = people[leader_name] if leader_name else rng.choice(pool)
            others = rng.sample([p for p in pool if p is not leader], k=min(size - 1, len(pool) - 1))
            team = teams.create_team(ctx.session, staff, name=name, category=category, description=desc,
                                     leader_resident_id=leader.resident.id)
            ctx.teams[name], ctx.members[name] = team, [leader]
            for p in others:
                _join(ctx, staff, team.id, p)
                ctx.members[name].append(p)
        staff = _actor(ctx, STAFF[MAIN_CODE])
        for team_name, who in SECOND_TEAMS:
            _join(ctx, staff, ctx.teams[team_name].id, ctx.people[MAIN_CODE][who])
            ctx.members[team_name].append(ctx.people[MAIN_CODE][who])
    ctx.counts["teams"] = len(ctx.teams)


def seed_carry_over(ctx: DemoContext) -> None:
    """Points earned before the app, carried over by staff with the reason (闫爱民 the most)."""
    main, staff = ctx.communities[MAIN_CODE], _actor(ctx, STAFF[MAIN_CODE])
    volunteers = list(dict.fromkeys(p for name, ms in ctx.members.items()
                                    if ctx.teams[name].community_id == main.id for p in ms))
    with travel(ctx.now - timedelta(days=120)):
        for p in volunteers:
            delta = 150 if p.name == "闫爱民" else ctx.rng.randrange(20, 130, 5)
            points.adjust(ctx.session, staff, resident_id=p.resident.id, delta=delta, reason="往年志愿服务积分结转")


def _publish(ctx: DemoContext, team_name: str, title: str, desc: str, location: str, day, start, end, places: int,
             pts: int):
    """Published by the team's leader when they have the app, else by staff; returns the shift."""
    team = ctx.teams[team_name]
    leader = next((p for p in ctx.members[team_name] if p.resident.id == team.leader_resident_id), None)
    by = (_person_actor(ctx, leader) if leader else None) or _actor(ctx, STAFF[MAIN_CODE])
    act = activities.publish(ctx.session, by, title=title, description=desc, location=location, team_id=team.id,
                             shifts=[ShiftInput(day, f"{start[0]:02d}:{start[1]:02d}", f"{end[0]:02d}:{end[1]:02d}",
                                                places, pts)])
    return ctx.session.exec(select(Shift).where(Shift.activity_id == act.id)).one(), by


def _crew(ctx: DemoContext, team_name: str) -> list[Person]:
    crew = list(dict.fromkeys(ctx.members[team_name]))
    return ctx.rng.sample(crew, k=max(2, len(crew) - ctx.rng.randint(0, 2)))


def _sign_up(ctx: DemoContext, shift: Shift, p: Person, by: Actor):
    """The person signs up in the app if they have it, else the leader does it for them."""
    who = _person_actor(ctx, p)
    if who is not None:
        return _attempt(ctx, activities.sign_up, actor=who, shift_id=shift.id)
    return _attempt(ctx, activities.sign_up_for, actor=by, shift_id=shift.id, resident_id=p.resident.id)


class Replay:
    """Dated steps of the demo's history, run in time order (``clock.travel``), so the ledger's
    running balance reads as it happened even though the steps are planned domain by domain."""

    def __init__(self) -> None:
        self.steps: list[tuple] = []

    def at(self, when, fn) -> None:
        self.steps.append((when, len(self.steps), fn))

    def run(self) -> None:
        for when, _, fn in sorted(self.steps, key=lambda step: step[:2]):
            with travel(when):
                fn()


def _plan_activity(ctx: DemoContext, replay: Replay, spec: tuple) -> None:
    """Published two weeks before, signed up ten days before; at the venue people with the app
    check in and out with the codes, the leader confirms the others after the shift."""
    team_name, title, desc, location, day, start, end, places, pts = spec
    box: dict = {}

    def publish():
        box["shift"], box["by"] = _publish(ctx, team_name, title, desc, location, day.isoformat(), start, end,
                                           places, pts)

    def sign_up():
        box["signups"] = [(s, _person_actor(ctx, p)) for p in _crew(ctx, team_name)
                          if (s := _sign_up(ctx, box["shift"], p, box["by"])) is not None]

    def codes(which: str):
        shift = box["shift"]
        for _s, who in box["signups"]:
            if who is not None:
                _attempt(ctx, hours.use_code, actor=who, shift_id=shift.id, code=getattr(shift, which))

    def confirm():
        for s, _who in box["signups"]:
            _attempt(ctx, hours.confirm, actor=box["by"], signup_id=s.id)

    begin, finish = at(day, *start), at(day, *end)
    replay.at(at(day, 8) - timedelta(days=14), publish)
    replay.at(at(day, 8) - timedelta(days=10), sign_up)
    replay.at(begin + timedelta(minutes=3), lambda: codes("checkin_code"))
    replay.at(finish + timedelta(minutes=5), lambda: codes("checkout_code"))
    replay.at(finish + timedelta(minutes=30), confirm)


def _haircut_days(ctx: DemoContext) -> list[tuple]:
    return [("银发爱心义剪队", "每月26日义剪", "老年活动中心义剪，先到先剪。", "社区老年活动中心",
             month_day(next_26th(ctx.today), 26, -m), (9, 0), (11, 30), 6, 10) for m in (3, 2, 1)]


def _upcoming(ctx: DemoContext) -> int:
    """Upcoming activities, published three days ago with some sign-ups (陈晓东 is left free:
    visitors sign up with him)."""
    specs = [("银发爱心义剪队", "每月26日义剪", "老年活动中心义剪，先到先剪；行动不便的老人可预约上门理发。",
              "社区老年活动中心", next_26th(ctx.today), (9, 0), (11, 30), 6, 10)]
    for team_name, title, desc, location, (how, n), start, end, places, pts in UPCOMING:
        day = next_weekday(ctx.today, n) if how == "weekday" else ctx.today + timedelta(days=n)
        specs.append((team_name, title, desc, location, day, start, end, places, pts))
    for team_name, title, desc, location, day, start, end, places, pts in specs:
        with travel(ctx.now - timedelta(days=3)):
            shift, by = _publish(ctx, team_name, title, desc, location, day.isoformat(), start, end, places, pts)
            crew = [p for p in _crew(ctx, team_name) if p.name != "陈晓东"]
            for p in crew[: max(1, places - 2)]:
                _sign_up(ctx, shift, p, by)
    return len(specs)


def seed_history(ctx: DemoContext) -> None:
    """Everything dated, in time order: past activities, visits, redemptions and the time of
    the tasks volunteers did (after the bookings seeder made them); then what is upcoming."""
    replay = Replay()
    past = _haircut_days(ctx) + [(t, ti, d, loc, ctx.today + timedelta(days=n), s, e, pl, pt)
                                 for t, ti, d, loc, n, s, e, pl, pt in PAST]
    for spec in past:
        _plan_activity(ctx, replay, spec)
    _plan_shop(ctx, replay)
    _plan_visits(ctx, replay)
    _plan_task_hours(ctx, replay)
    replay.run()
    ctx.counts["activities"] = len(past) + _upcoming(ctx)


def _plan_shop(ctx: DemoContext, replay: Replay) -> None:
    """The goods; 闫爱民 picked up oil last week, 孙志刚 has noodles waiting."""
    s, box = ctx.session, {}

    def stock():
        for code, name, cost, stock_n, limit in GOODS:
            box[name] = goods.create_good(s, _actor(ctx, STAFF[code]), name=name, cost_points=cost, stock=stock_n,
                                          monthly_limit=limit)
        ctx.counts["goods"] = len(GOODS)

    replay.at(ctx.now - timedelta(days=60), stock)
    replay.at(ctx.now - timedelta(days=7),
              lambda: box.update(oil=shop.redeem(s, _actor(ctx, "闫爱民"), reward_id=box["食用油 5L"].id)))
    replay.at(ctx.now - timedelta(days=6),
              lambda: shop.hand_over(s, _actor(ctx, STAFF[MAIN_CODE]), code=box["oil"].pickup_code))
    replay.at(ctx.now - timedelta(days=1),
              lambda: shop.redeem(s, _actor(ctx, "孙志刚"), reward_id=box["挂面 1kg"].id))


def _plan_visits(ctx: DemoContext, replay: Replay) -> None:
    """Elders living alone visited by 敬老爱老服务队: 闫爱民 visits two (one overdue, one with a
    concern raised to staff, due tomorrow); members without the app were paired this week."""
    staff, yan = _actor(ctx, STAFF[MAIN_CODE]), ctx.people[MAIN_CODE]["闫爱民"]
    crew = [p for p in dict.fromkeys(ctx.members["敬老爱老服务队"]) if p.name != "闫爱民"]
    elders = [p for p in ctx.people[MAIN_CODE].values()
              if "living_alone" in p.care and p.name not in ctx.reserved_names][: len(crew) + 2]
    plan = [(elders[0], yan, 5, 30, (20, 12), None), (elders[1], yan, 7, 30, (21, 14, 6), 6)]
    plan += [(elder, vol, 7, 3, (), None) for elder, vol in zip(elders[2:], crew, strict=False)]
    ctx.counts["visit_pairs"] = len(plan)
    for elder, vol, interval, paired_ago, history, concern_on in plan:
        box: dict = {}
        replay.at(ctx.now - timedelta(days=paired_ago), lambda box=box, elder=elder, vol=vol, interval=interval:
                  box.update(pair=_attempt(ctx, visits.pair, actor=staff, elder_resident_id=elder.resident.id,
                                           volunteer_resident_id=vol.resident.id, interval_days=interval)))
        for days_ago in history:
            concern = "家里的灯坏了，老人晚上起夜不方便，请安排维修。" if days_ago == concern_on else ""
            replay.at(at(ctx.today - timedelta(days=days_ago), 15, 30),
                      lambda box=box, vol=vol, concern=concern: box.get("pair") and _attempt(
                          ctx, visits.log_visit, actor=_person_actor(ctx, vol), pair_id=box["pair"].id,
                          wellbeing="fair" if concern else "good", note="聊了天，帮忙收拾了屋子。", concern=concern,
                          minutes=60))


def _plan_task_hours(ctx: DemoContext, replay: Replay) -> None:
    """The repairs and home haircuts done by volunteers count as their time, credited by the
    volunteer right after they marked them done."""
    s = ctx.session
    done = s.exec(select(Booking).where(Booking.status == BookingStatus.DONE,
                                        Booking.assignee_account_id.is_not(None)).order_by(Booking.id)).all()
    for b in done:
        who = load_actor(s, s.get(Account, b.assignee_account_id))
        replay.at(b.updated_at + timedelta(minutes=1),
                  lambda who=who, b=b: _attempt(ctx, hours.credit_task, actor=who, booking_id=b.id, minutes=60))
