"""Demo 诉求 (requests and opinions) answered in five steps, the 民情日记 (staff visits), and
通知公告 — all through the register's services, replayed on their own dates (``clock.travel``):
residents with an account report themselves, the others were taken on the 24-hour hotline."""

from __future__ import annotations

from datetime import timedelta

from community_app.demo.context import DemoContext
from community_app.demo.people import MAIN_CODE, PARTNER_CODE, Person
from community_app.demo.register import actor
from community_app.models import Household
from community_app.services.access import Actor
from community_app.services.core.clock import travel
from community_app.services.register import diary, notices, requests, requests_desk

# (who, kind, category, what, where, urgent, days ago, [(step, minutes after the report, reply)], rating)
STORIES = [
    ("alley", "report", "lighting", "南院西侧小巷没有路灯，晚上出门看不清路，老人容易摔倒。", "南院西侧小巷", False, 25,
     [("respond", 90, "已收到，网格员今晚到现场查看。"), ("inform", 600, "已告知居民：需市政部门安装，预计两周。"),
      ("coordinate", 2000, "已与市政部门协调，安装3盏太阳能路灯。"), ("fix", 20000, "路灯已安装并通电。"),
      ("review", 22000, "回访居民，夜间照明良好。")], None),
    ("闫爱民", "report", "road", "小区大门口那段路坑洼不平，下雨积水，希望修平整。", "南院大门口", False, 9,
     [("respond", 60, "已到现场拍照测量。"), ("inform", 300, "已在楼长微信群通报进展。"),
      ("coordinate", 1500, "已报街道和物业，等待路面修补排期。")], None),
    ("孙志刚", "report", "fire_risk", "邮电园小区3号楼1单元楼道堆放杂物，有人飞线充电，存在火灾隐患。", "邮电园小区3号楼1单元",
     True, 2, [("respond", 8, "10分钟内到场，已清理飞线，通知住户三天内清走杂物。"),
               ("fix", 1500, "杂物已清走，楼道畅通。"), ("review", 1700, "回访住户，已安装电动车充电桩指引。")], 5),
    ("李秀英", "opinion", "", "希望社区多组织老年人智能手机培训，学会视频通话和挂号。", "", False, 1, [], None),
]
PARTNER_STORY = ("牛秀兰", "report", "heating", "西谷窖8号楼1单元热力水管破裂，家里没有暖气。", "西谷窖小区8号楼1单元",
                 True, 30, [("respond", 9, "24小时热线接报，10分钟内工作人员到场。"), ("inform", 40, "微信群发布停暖和维修信息。"),
                            ("coordinate", 180, "联系热力公司和产权单位，当晚制定抢修方案。"),
                            ("fix", 900, "次日上午修复管道，恢复供暖。"), ("review", 1500, "召开复盘会，建立管网巡查机制。")], None)
# Everyday reports taken on the hotline over the last two months, all answered.
EVERYDAY = [
    ("lighting", "楼门口的路灯不亮了，晚上进出看不见台阶。", "{place}门口"),
    ("facility", "健身器材的扶手松了，老人用着不安全。", "{compound}健身广场"),
    ("sanitation", "楼后面的垃圾桶满了两天没人清。", "{place}后面"), ("water", "地下室渗水，越积越多。", "{place}地下室"),
    ("parking", "消防通道被私家车占了，救护车进不来。", "{compound}东侧消防通道"),
    ("noise", "晚上十点后广场舞音乐太响，影响休息。", "{compound}中心广场"), ("road", "楼前的井盖松动了，踩上去会晃。", "{place}前"),
]


def seed_requests(ctx: DemoContext) -> None:
    main = ctx.people[MAIN_CODE]
    alley = next(p for p in main.values() if p.age >= 70 and p.name not in ctx.reserved_names
                 and p.resident.household_id is not None)
    made = 0
    for who, *story in STORIES:
        person = alley if who == "alley" else main[who]
        _story(ctx, MAIN_CODE, person, *story, staff="刘婷" if who in ("alley", "孙志刚") else "蔡铮欣")
        made += 1
    _story(ctx, PARTNER_CODE, ctx.people[PARTNER_CODE][PARTNER_STORY[0]], *PARTNER_STORY[1:], staff="路晓红")
    made += 1 + _everyday(ctx)
    ctx.counts["requests"] = made


def _reporter(ctx: DemoContext, person: Person) -> Actor | None:
    """The person's own account when they have one (else staff take it on the phone)."""
    return actor(ctx, person.name) if person.name in ctx.accounts else None


def _story(ctx: DemoContext, code: str, person: Person, kind: str, category: str, what: str, where: str,
           urgent: bool, days_ago: int, steps: list, rating: int | None, *, staff: str) -> None:
    s = ctx.session
    at = ctx.now - timedelta(days=days_ago, hours=3)
    staff_actor = actor(ctx, staff)
    me = _reporter(ctx, person)
    with travel(at):
        if me is not None:
            req = requests.submit_request(s, me, kind=kind, category=category, description=what, location=where,
                                          urgent=urgent)
        else:
            req = requests_desk.report_on_behalf(s, staff_actor, resident_id=person.resident.id, kind=kind,
                                                 category=category, description=what, location=where, urgent=urgent)
    for step, minutes, reply in steps:
        with travel(min(at + timedelta(minutes=minutes), ctx.now - timedelta(minutes=5))):
            requests_desk.add_step(s, staff_actor, request_id=req.id, step=step, note=reply)
    if rating is not None and me is not None:
        with travel(ctx.now - timedelta(hours=2)):
            requests.rate_request(s, me, request_id=req.id, rating=rating, comment="处理得很及时，谢谢！")


def _everyday(ctx: DemoContext) -> int:
    """A dozen ordinary reports from residents without an account, each responded to, fixed and
    reviewed within days."""
    people = [p for p in ctx.people[MAIN_CODE].values() if p.name not in ctx.reserved_names and not p.mobile
              and p.resident.household_id is not None]
    ctx.rng.shuffle(people)
    staff = actor(ctx, "蔡铮欣")
    compounds = {c.id: c.name for c in ctx.compounds.values()}
    for i, person in enumerate(people[:12]):
        category, text, where = EVERYDAY[i % len(EVERYDAY)]
        home = ctx.session.get(Household, person.resident.household_id)
        compound = compounds.get(home.compound_id, "")
        at = ctx.now - timedelta(days=3 + i * 4, hours=ctx.rng.randrange(8))
        with travel(at):
            req = requests_desk.report_on_behalf(
                ctx.session, staff, resident_id=person.resident.id, kind="report", category=category,
                description=text, location=where.format(place=f"{compound}{home.building}号楼", compound=compound))
        for step, hours, reply in (("respond", 2, "已收到，马上安排。"), ("fix", 30, "已处理好。"),
                                   ("review", 50, "回访居民，问题已解决。")):
            with travel(at + timedelta(hours=hours)):
                requests_desk.add_step(ctx.session, staff, request_id=req.id, step=step, note=reply)
    return min(12, len(people))


def seed_diary(ctx: DemoContext) -> None:
    """民情日记: the stories' visits, and regular visits to about half the elderly living alone
    (the rest are the staff home's overdue visits)."""
    s = ctx.session
    mp, pp = ctx.people[MAIN_CODE], ctx.people[PARTNER_CODE]
    for staff, person, kind, body, days_ago in (
        ("刘婷", mp["赵桂兰"], "visit", "入户探望赵桂兰老人，天气转凉，提醒添衣；药品够用，下周陪同复诊。", 3),
        ("蔡铮欣", mp["李秀英"], "visit", "李秀英阿姨想学用手机视频通话，已帮她报名桑榆课堂智能手机班。", 1),
        ("路晓红", pp["牛秀兰"], "visit", "暖气恢复后回访牛秀兰老人，室温正常。", 27),
        ("刘婷", mp["赵桂兰"], "call", "电话联系赵建军（儿子），约好周末一起带老人复诊。", 2),
    ):
        with travel(ctx.now - timedelta(days=days_ago, hours=4)):
            diary.add_entry(s, actor(ctx, staff), household_id=person.resident.household_id, kind=kind, body=body,
                            resident_id=person.resident.id)
    alone = [p for p in mp.values() if "living_alone" in p.care and p.name not in ("赵桂兰", "李秀英")]
    ctx.rng.shuffle(alone)
    workers = [actor(ctx, "刘婷"), actor(ctx, "蔡铮欣")]
    visited = alone[: len(alone) // 2]
    for i, person in enumerate(visited):
        with travel(ctx.now - timedelta(days=ctx.rng.randint(2, 25), hours=ctx.rng.randint(1, 6))):
            diary.add_entry(s, workers[i % 2], household_id=person.resident.household_id, kind="visit",
                            body=ctx.rng.choice(VISIT_NOTES), resident_id=person.resident.id)
    ctx.counts["diary"] = 4 + len(visited)


VISIT_NOTES = ("上门探望，老人身体不错，叮嘱按时吃药。", "帮老人检查了燃气阀门，一切正常。", "老人反映膝盖疼，已联系社区医生上门。",
               "陪老人聊了半小时，子女下周回来看望。", "天冷了，送去社区爱心棉被一床。")


def seed_notices(ctx: DemoContext) -> None:
    """通知公告: one to the whole community, a cold-wave warning to the elderly living alone, one
    to 第一网格; and one in the partner community."""
    s = ctx.session
    secretary, worker = actor(ctx, "蔡铮欣"), actor(ctx, "刘婷")
    with travel(ctx.now - timedelta(days=2)):
        notices.publish_notice(s, secretary, title="本月26日义剪活动通知",
                               body="银发爱心义剪队本月26日上午9点在老年活动中心义剪，行动不便的老人可预约上门理发。")
    with travel(ctx.now - timedelta(days=1)):
        notices.publish_notice(s, secretary, title="寒潮降温提醒", categories=["living_alone"],
                               body="明后两天有寒潮，最低气温零下8度。请关好门窗、注意保暖，用电暖器时远离被褥；有困难请打社区电话。")
    with travel(ctx.now - timedelta(hours=5)):
        notices.publish_notice(s, worker, title="邮电园小区周六上午停水",
                               body="因管道检修，本周六8:00至12:00停水，请提前储水。")
    with travel(ctx.now - timedelta(days=3)):
        notices.publish_notice(s, actor(ctx, "路晓红"), title="古城社区冬季供暖巡查",
                               body="社区将联合热力公司入户巡查暖气管道，请家中留人。")
    ctx.counts["notices"] = 4
