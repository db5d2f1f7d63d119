"""Demo bookings (预约 / 报修), all through the booking services that residents and staff use, so
capacity, limits, timelines, notifications and the audit log are exactly what the app makes:

- history: visits of the past months requested, assigned, done and mostly rated, replayed on
  their own dates (``clock.travel``);
- 李秀英's home haircut assigned to 闫爱民 (银发爱心义剪队);
- part of the next 义剪 day booked by staff (代办), every slot keeping a free chair;
- new requests in the staff queue (one approved, one assigned).

The demo accounts other than 李秀英 are left without bookings: they are the ones a visitor tries
booking with.
"""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from community_app.demo.context import DemoContext
from community_app.demo.people import MAIN_CODE, PARTNER_CODE, Person, at, count_of
from community_app.models import ServiceDay, ServiceSlot, ServiceType
from community_app.services import booking as svc
from community_app.services.access import Actor, load_actor
from community_app.services.catalogue import ensure_default_catalogue, generate_days
from community_app.services.core.clock import travel
from community_app.services.errors import DomainError

# (service code, who (alone / other, index), what, volunteer, team, days ago, completion note, rating, comment)
HISTORY = [
    ("home_haircut", ("li", 0), "腿脚不好下不了楼，想理个短发。", "闫爱民", "银发爱心义剪队", 33,
     "剪了短发，顺便修了胡子。", 5, "闫师傅手艺好，还陪我聊了会儿天。"),
    ("appliance_repair", ("chen", 0), "电视机有声音没图像。", "孙志刚", "夕阳维修队", 41,
     "换了背光灯条，图像恢复。", 5, "修得快，一分钱没收，谢谢维修队！"),
    ("gas_check", ("alone", 1), "燃气灶打不着火。", "孙志刚", "夕阳维修队", 20,
     "换了电池和气阀，检测无漏气。", 4, ""),
    ("plumbing", ("other", 1), "厨房水龙头一直滴水。", "孙志刚", "夕阳维修队", 12, "换了阀芯。", None, ""),
]

# (service code, who, what, preferred times, days ago, then: "" / "approve" / "assign")
WAITING = [
    ("gas_check", ("alone", 2), "燃气灶打火很费劲，想顺便检查一下管子有没有老化。", ["工作日上午"], 2, ""),
    ("plumbing", ("other", 2), "卫生间地漏返臭味，下水也很慢。", ["周末全天"], 1, ""),
    ("appliance_repair", ("other", 3), "电风扇转不起来，一开就有焦味。", ["周末全天"], 1, ""),
    ("appliance_repair", ("alone", 3), "电饭煲不加热了，指示灯也不亮。", ["工作日下午"], 3, "approve"),
    ("appliance_repair", ("other", 4), "洗衣机脱水时响声很大，还会挪位置。", ["工作日上午"], 4, "assign"),
]


def seed_bookings(ctx: DemoContext) -> None:
    """The catalogue of both communities with its days ahead, then the bookings."""
    s = ctx.session
    for code in (MAIN_CODE, PARTNER_CODE):
        ensure_default_catalogue(s, ctx.communities[code].id)
    ctx.counts["service_days"] = count_of(generate_days(s))
    s.commit()
    groups = _elders(ctx)
    made = _history(ctx, groups) + _li_home_haircut(ctx) + _haircut_day(ctx, groups) + _queue(ctx, groups)
    s.commit()
    ctx.counts["bookings"] = made


def _elders(ctx: DemoContext) -> dict[str, list[Person]]:
    """Residents of 60 and over who are not demo accounts, shuffled: those living alone and the rest."""
    people = ctx.people[MAIN_CODE]
    elders = [p for p in people.values() if p.name not in ctx.reserved_names and p.resident is not None
              and p.resident.household_id is not None and p.age >= 60]
    ctx.rng.shuffle(elders)
    alone = [p for p in elders if "living_alone" in p.care] or elders
    others = [p for p in elders if p not in alone] or elders
    return {"alone": alone, "other": others, "all": elders, "li": [people["李秀英"]],
            "chen": [people["陈晓东"]]}


def _pick(groups: dict[str, list[Person]], who: tuple[str, int]) -> Person:
    group, i = who
    return groups[group][i % len(groups[group])]


def _types(ctx: DemoContext) -> dict[str, ServiceType]:
    cid = ctx.communities[MAIN_CODE].id
    return {t.code: t for t in ctx.session.exec(select(ServiceType).where(ServiceType.community_id == cid))}


def _actor(ctx: DemoContext, name: str) -> Actor:
    return load_actor(ctx.session, ctx.accounts[name])


def _attempt(ctx: DemoContext, fn, **kw):
    """A step the rules may refuse on some dates (e.g. the 义剪 day is today and its slots have
    started): skipped, and the rest of the demo goes on."""
    try:
        return fn(ctx.session, **kw)
    except DomainError:
        ctx.session.rollback()
        return None


def _history(ctx: DemoContext, groups) -> int:
    """Past visits, each replayed on its own days: asked for by phone (代办), assigned the next
    morning, done two days later, rated the day after."""
    types, staff, made = _types(ctx), _actor(ctx, "蔡铮欣"), 0
    for code, who, text, volunteer, team, days_ago, note, rating, comment in HISTORY:
        person, day = _pick(groups, who), ctx.today - timedelta(days=days_ago)
        with travel(at(day, 9, 20)):
            b = _attempt(ctx, svc.book_on_behalf, actor=staff, resident_id=person.resident.id,
                         service_type_id=types[code].id, description=text)
        if b is None:
            continue
        with travel(at(day, 10, 30)):
            _attempt(ctx, svc.assign, actor=staff, booking_id=b.id, visit_at=at(day + timedelta(days=2), 15, 0),
                     assignee_account_id=ctx.accounts[volunteer].id, team_id=ctx.teams[team].id)
        with travel(at(day + timedelta(days=2), 16, 10)):
            _attempt(ctx, svc.mark_done, actor=_actor(ctx, volunteer), booking_id=b.id, note=note)
        if rating is not None and person.resident is not None:
            with travel(at(day + timedelta(days=3), 10, 0)):
                _rate_for(ctx, person, b.id, rating, comment)
        made += 1
    return made


def _rate_for(ctx: DemoContext, person: Person, booking_id: int, rating: int, comment: str) -> None:
    """The resident rates in the app; residents without an account leave the visit unrated."""
    from community_app.models import Account

    account = ctx.session.exec(select(Account).where(Account.resident_id == person.resident.id)).first()
    if account is not None:
        _attempt(ctx, svc.rate_booking, actor=load_actor(ctx.session, account), booking_id=booking_id,
                 rating=rating, comment=comment)


def _li_home_haircut(ctx: DemoContext) -> int:
    """李秀英 (78, lives alone) asked for a home haircut; staff sent 闫爱民 of the 义剪队."""
    types, staff = _types(ctx), _actor(ctx, "蔡铮欣")
    b = _attempt(ctx, svc.request_service, actor=_actor(ctx, "李秀英"), service_type_id=types["home_haircut"].id,
                 description="我腿脚不方便，想请师傅上门理个发，剪短一点。", preferred_times=["工作日下午"])
    if b is None:
        return 0
    _attempt(ctx, svc.assign, actor=staff, booking_id=b.id, visit_at=at(ctx.today + timedelta(days=2), 15, 0),
             assignee_account_id=ctx.accounts["闫爱民"].id, team_id=ctx.teams["银发爱心义剪队"].id,
             note="闫师傅会提前打电话。")
    return 1


def _haircut_day(ctx: DemoContext, groups) -> int:
    """The next 义剪 day after today: residents who phoned were booked by staff (代办), one per
    slot from the second slot on, so every slot still has a free chair."""
    s, staff = ctx.session, _actor(ctx, "蔡铮欣")
    day = s.exec(select(ServiceDay).where(ServiceDay.service_type_id == _types(ctx)["yijian"].id,
                                          ServiceDay.status == "open", ServiceDay.day > ctx.today)
                 .order_by(ServiceDay.day)).first()
    if day is None:
        return 0
    slots = s.exec(select(ServiceSlot).where(ServiceSlot.service_day_id == day.id).order_by(ServiceSlot.number)).all()
    made = [_attempt(ctx, svc.book_on_behalf, actor=staff, resident_id=p.resident.id, slot_id=slot.id)
            for slot, p in zip(slots[1:8], groups["all"][4:11], strict=False)]
    return sum(b is not None for b in made)


def _soon(ctx: DemoContext):
    """Half an hour from now, or half of what is left of the day when less is left: the visit
    is always today, so 孙志刚 can mark it done (not before its day). It went to the next
    morning after 23:30, and a demo seeded then had no repair to finish that day."""
    midnight = at(ctx.today + timedelta(days=1), 0, 0)
    return min(ctx.now + timedelta(minutes=30), ctx.now + (midnight - ctx.now) / 2)


def _queue(ctx: DemoContext, groups) -> int:
    """New requests that came in over the last days, in the staff queue."""
    types, staff, made = _types(ctx), _actor(ctx, "蔡铮欣"), 0
    for i, (code, who, text, times, days_ago, then) in enumerate(WAITING):
        with travel(at(ctx.today - timedelta(days=days_ago), 8 + 2 * i, 40)):
            b = _attempt(ctx, svc.book_on_behalf, actor=staff, resident_id=_pick(groups, who).resident.id,
                         service_type_id=types[code].id, description=text, preferred_times=times)
        if b is None:
            continue
        made += 1
        if then == "approve":
            _attempt(ctx, svc.approve, actor=staff, booking_id=b.id)
        elif then == "assign":  # today, so 孙志刚 can go and mark it done in the demo
            _attempt(ctx, svc.assign, actor=staff, booking_id=b.id, visit_at=_soon(ctx),
                     assignee_account_id=ctx.accounts["孙志刚"].id, team_id=ctx.teams["夕阳维修队"].id)
    return made
