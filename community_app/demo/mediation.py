"""Demo mediation (小胡说事) and 议事, all through the mediation services, history replayed on its
own dates (``clock.travel``), so numbers, timelines, notifications and the audit log are what
the app makes:

- the mediation room: a "room" service type of the catalogue (议事调解室), open Tuesday and
  Thursday, its days generated like every other type's;
- settled cases of the past months in several categories (the numbers page has something to
  count), among them 王芳 (南院2号楼1单元201) and 周海涛 upstairs (301) over noise, closed
  with a follow-up visit;
- in progress: 赵桂兰 (no phone; staff filed it when she called) and her son 赵建军 over her care,
  with phone calls logged and a session booked in the room next week;
- flagged on the staff home: a renovation case quiet for five days, a pet case not answered for
  thirty hours, and a parking case closed twelve days ago whose 回访 is due today;
- 议事: the 邮电园小区 charging point (decided and published: it is a shared problem, not a
  two-party case) and the 南院 roof leak (open, with a poll).

张建国 (南院2号楼1单元101) and 王芳 (201, right above him) have no open case: a visitor files
one as 张建国 against 王芳.
"""

from __future__ import annotations

from datetime import time, timedelta

from sqlmodel import select

from community_app.demo.context import DemoContext
from community_app.demo.people import MAIN_CODE, Person, at
from community_app.models import Compound, MediationCase
from community_app.services.access import Actor, load_actor
from community_app.services.catalogue import add_schedule, create_service_type, generate_days
from community_app.services.core.clock import travel
from community_app.services.mediation import cases, sessions, topics, updates, workflow
from community_app.services.mediation.common import parties_of
from community_app.services.mediation.parties import PartyInput

ROOM = dict(code=sessions.ROOM_CODE, name="议事调解室（小胡说事）", kind="slot", category="room", icon="users",
            description="“小胡说事”议事调解室：邻里纠纷、家庭矛盾在这里坐下来谈。工作人员安排调解会时占用时段。",
            location="社区党群服务中心一楼 议事调解室", cancel_cutoff_minutes=240, staff_only=True,
            name_en="Mediation room (Xiaohu Shuoshi)",
            description_en="The Xiaohu Shuoshi mediation room: neighbours and families sit down here to talk "
                           "their disputes through. Staff book its times for mediation sessions.")

# (category, applicant index, respondent index, what happened, days ago, days to close, outcome,
#  responsibility, agreement, remedy)
HISTORY = [
    ("leak", 0, 1, "楼上卫生间防水层破损，我家厨房顶棚渗水、墙皮脱落。", 290, 6, "agreed", "respondent",
     "楼上重做卫生间防水，承担楼下顶棚和墙面修缮费用。", "修缮费1800元"),
    ("renovation", 2, 3, "隔壁装修周末早上七点就开始砸墙。", 235, 4, "agreed", "respondent",
     "装修只在工作日8:00-12:00、14:00-18:00施工，周末不做噪音大的活。", ""),
    ("pet", 4, 5, "楼上的狗在楼道里随地大小便，遛狗不拴绳。", 180, 9, "partly", "respondent",
     "遛狗拴绳，楼道卫生由养狗户负责清理；是否限制养狗的问题交物业处理。", ""),
    ("property", 6, 7, "车库顶渗水泡坏了我存的东西，物业说不归他们管。", 130, 15, "not_agreed", "none", "", ""),
    ("family", 8, 9, "和儿子因为老房子的归属闹矛盾，已经半年不来往。", 95, 20, "agreed", "equal",
     "房子维持现状由老人居住，老人百年后按法定继承办理；儿子每周回家看望一次。", ""),
    ("leak", 10, 11, "对门空调外机冷凝水滴到我家窗台。", 50, 3, "agreed", "respondent", "对门加装冷凝水管。",
     "冷凝水管由对门出资安装"),
]


def seed_mediation(ctx: DemoContext) -> None:
    """The room, then the cases and topics (in date order within each story)."""
    staff = _actor(ctx, "蔡铮欣")
    _room(ctx, staff)
    people = _people(ctx)
    # In date order, so that case numbers follow the filing dates.
    made = _history(ctx, staff, people, older_than=75) + _noise_upstairs(ctx, staff)
    made += _history(ctx, staff, people, newer_than=75) + _parking_followup_due(ctx, staff, people)
    made += _quiet_renovation(ctx, staff, people) + _elderly_support(ctx, staff) + _unanswered_pet(ctx, staff, people)
    ctx.counts["mediation_cases"] = made
    ctx.counts["topics"] = _charging_topic(ctx) + _roof_topic(ctx)
    ctx.session.commit()


def _actor(ctx: DemoContext, name: str) -> Actor:
    return load_actor(ctx.session, ctx.accounts[name])


def _room(ctx: DemoContext, staff: Actor) -> None:
    """The mediation room in the catalogue: Tuesday and Thursday, 9-11 and 14-17, hour slots."""
    s = ctx.session
    room = create_service_type(s, staff, **ROOM)
    for weekday in (1, 3):
        add_schedule(s, staff, service_type_id=room.id, weekday=weekday, start_time=time(9, 0),
                     end_time=time(11, 0), slot_minutes=60, places_per_slot=1, location=room.location,
                     generate_days_ahead=60)
        add_schedule(s, staff, service_type_id=room.id, weekday=weekday, start_time=time(14, 0),
                     end_time=time(17, 0), slot_minutes=60, places_per_slot=1, location=room.location,
                     generate_days_ahead=60)
    made = generate_days(s, community_id=ctx.communities[MAIN_CODE].id)
    ctx.counts["service_days"] = ctx.counts.get("service_days", 0) + made


def _people(ctx: DemoContext) -> list[Person]:
    """Grown-up residents of the register who are not demo accounts nor in a fixed story (in a
    small demo register, any grown-up who is not a demo account)."""
    grown = [p for p in ctx.people[MAIN_CODE].values() if p.resident is not None
             and p.resident.household_id is not None and 25 <= p.age <= 80 and p.name not in ctx.reserved_names]
    people = [p for p in grown if not p.fixed]
    people = people if len(people) >= 17 else people + [p for p in grown if p.fixed]
    ctx.rng.shuffle(people)
    return people


def _party(p: Person | list[Person], i: int | None = None) -> PartyInput:
    """A registered party: a person, or the ``i``-th of a list (wrapping round a small register)."""
    person = p[i % len(p)] if i is not None else p
    return PartyInput(resident_id=person.resident.id)


def _settle(ctx: DemoContext, staff: Actor, case: MediationCase, start, days: int, outcome: str, resp: str,
            agreement: str, remedy: str, talk: str) -> None:
    """Accepted the same day, talked over, settled and closed ``days`` later."""
    with travel(start + timedelta(hours=3)):
        workflow.assign_mediator(ctx.session, staff, case_id=case.id, account_id=staff.account_id)
    with travel(start + timedelta(days=1, hours=2)):
        updates.post_update(ctx.session, staff, case_id=case.id, text=talk)
    with travel(start + timedelta(days=days, hours=-2)):
        workflow.record_outcome(ctx.session, staff, case_id=case.id, responsibility=resp, outcome=outcome,
                                agreement=agreement, remedy=remedy)
    with travel(start + timedelta(days=days)):
        workflow.close_case(ctx.session, staff, case_id=case.id)


def _history(ctx: DemoContext, staff: Actor, people: list[Person], *, older_than: int = 0,
             newer_than: int = 10_000) -> int:
    """Cases of the past months (filed between ``newer_than`` and ``older_than`` days ago), filed
    when the applicant phoned, settled (or not) and closed."""
    made = 0
    for category, a, b, text, ago, days, outcome, resp, agreement, remedy in HISTORY:
        if not older_than < ago < newer_than:
            continue
        made += 1
        start = at(ctx.today - timedelta(days=ago), 9, 30)
        with travel(start):
            case = cases.file_case_for(ctx.session, staff, applicant=_party(people, a), respondent=_party(people, b),
                                       category=category, description=text, channel="phone", privacy_ack=True,
                                       consent_share=True)
        _settle(ctx, staff, case, start, days, outcome, resp, agreement, remedy,
                "已上门了解情况，约双方到议事调解室面谈。")
    return made


def _noise_upstairs(ctx: DemoContext, staff: Actor) -> int:
    """王芳 asked in the app about 周海涛's late-night workouts upstairs: settled, then 回访."""
    s, mp = ctx.session, ctx.people[MAIN_CODE]
    start = at(ctx.today - timedelta(days=75), 20, 10)
    with travel(start):
        case = cases.file_case(s, _actor(ctx, "王芳"), category="noise", respondent=_party(mp["周海涛"]),
                               description="楼上301每天晚上十点以后在家跳操、跑步，孩子睡不着。",
                               since=ctx.today - timedelta(days=100), contact_times="工作日晚上", consent_share=True,
                               privacy_ack=True)
    _settle(ctx, staff, case, start + timedelta(hours=13), 9, "agreed", "respondent",
            "晚上十点以后不在家健身；跑步机下加铺减震垫；有事先在楼栋群里说。", "减震垫由301购买",
            "与周海涛电话沟通，他不知道楼下听得这么清楚，愿意调整。")
    with travel(at(ctx.today - timedelta(days=60), 16, 0)):
        workflow.plan_followup(s, staff, case_id=case.id, followup_on=ctx.today - timedelta(days=52))
    with travel(at(ctx.today - timedelta(days=52), 15, 0)):
        workflow.record_followup(s, staff, case_id=case.id, channel="visit",
                                 note="回访：晚上已经安静了，双方见面会打招呼。")
    return 1


def _elderly_support(ctx: DemoContext, staff: Actor) -> int:
    """赵桂兰 (no phone) called about her care; her son 赵建军 is the other party. Calls logged,
    a session booked in the mediation room."""
    s, mp, grid = ctx.session, ctx.people[MAIN_CODE], _actor(ctx, "刘婷")
    start = at(ctx.today - timedelta(days=6), 10, 0)
    with travel(start):
        case = cases.file_case_for(s, staff, applicant=_party(mp["赵桂兰"]), respondent=_party(mp["赵建军"]),
                                   category="elderly_support", channel="phone", privacy_ack=True, consent_share=True,
                                   description="赵桂兰老人失能独居，儿子和女儿对照料分工和费用意见不一，老人很着急。")
        parties = {p.role: p.id for p in parties_of(s, case.id)}
    with travel(start + timedelta(hours=2)):
        workflow.assign_mediator(s, staff, case_id=case.id, account_id=grid.account_id)
    with travel(start + timedelta(days=1)):
        updates.post_update(s, grid, case_id=case.id, visibility="private", party_id=parties["applicant"],
                            channel="visit", text="入户看望赵阿姨，了解日常照料和用药情况，告诉她社区会帮她协调。")
        updates.post_update(s, grid, case_id=case.id, visibility="internal",
                            text="女儿在外地，电话里说愿意多出钱，但不能常回来。")
    with travel(start + timedelta(days=4)):
        updates.post_update(s, grid, case_id=case.id, visibility="private", party_id=parties["respondent"],
                            channel="phone", text="与赵建军电话沟通，他同意到社区调解室和家人一起商量。")
    slot = next((o for o in sessions.free_room_slots(s, grid, case_id=case.id)
                 if o.starts_at > at(ctx.today + timedelta(days=2), 0, 0)), None)
    if slot is not None:
        sessions.schedule_session(s, grid, case_id=case.id, slot_id=slot.slot_id, note="请赵建军和妹妹（视频）参加")
    return 1


def _quiet_renovation(ctx: DemoContext, staff: Actor, people: list[Person]) -> int:
    """Accepted six days ago, last news five days ago: quiet for longer than the 3-day promise."""
    s, grid = ctx.session, _actor(ctx, "刘婷")
    start = at(ctx.today - timedelta(days=6), 9, 0)
    with travel(start):
        quiet = cases.file_case_for(s, staff, applicant=_party(people, 12), channel="visit", privacy_ack=True,
                                    respondent=PartyInput(name="", address="邮电园小区1号楼2单元401（新业主，正在装修）"),
                                    category="renovation", description="楼上装修把我家卫生间的管道砸裂了。")
        workflow.assign_mediator(s, staff, case_id=quiet.id, account_id=grid.account_id)
    with travel(start + timedelta(days=1)):
        updates.post_update(s, grid, case_id=quiet.id, text="已联系物业找到401业主，约好下周一起看管道。")
    return 1


def _unanswered_pet(ctx: DemoContext, staff: Actor, people: list[Person]) -> int:
    """Phoned in thirty hours ago and nobody has answered yet (the 24-hour promise)."""
    with travel(ctx.now - timedelta(hours=30)):
        cases.file_case_for(ctx.session, staff, applicant=_party(people, 13), respondent=_party(people, 14),
                            channel="phone", category="pet", privacy_ack=True,
                            description="邻居家的狗整夜叫，已经一个星期了。")
    return 1


def _parking_followup_due(ctx: DemoContext, staff: Actor, people: list[Person]) -> int:
    """Settled sixteen days ago; its 回访 is planned for today."""
    start = at(ctx.today - timedelta(days=16), 10, 0)
    with travel(start):
        parking = cases.file_case_for(ctx.session, staff, applicant=_party(people, 15), respondent=_party(people, 16),
                                      channel="visit", category="parking", privacy_ack=True, consent_share=True,
                                      description="邻居长期把车停在我家车库门口，出不了车。")
    _settle(ctx, staff, parking, start, 4, "agreed", "respondent", "不再占用车库门口，停到小区西侧车位。", "",
            "请物业调出监控，确认占道情况。")
    with travel(start + timedelta(days=4, hours=1)):
        workflow.plan_followup(ctx.session, staff, case_id=parking.id, followup_on=ctx.today)
    return 1


def _compound(ctx: DemoContext, name: str) -> int:
    cid = ctx.communities[MAIN_CODE].id
    return ctx.session.exec(select(Compound.id).where(Compound.community_id == cid, Compound.name == name)).one()


def _charging_topic(ctx: DemoContext) -> int:
    """邮电园小区's e-bike charging: opened by the grid worker, discussed, voted, decided at the
    四方联席 meeting and published."""
    s, grid = ctx.session, _actor(ctx, "刘婷")
    with travel(at(ctx.today - timedelta(days=12), 9, 0)):
        topic = topics.open_topic(s, grid, title="邮电园小区电动车充电难、飞线充电怎么办", compound_id=_compound(ctx, "邮电园小区"),
                                  body="4号楼有住户从楼上拉线给电动车充电，楼下住户担心着火。网格员已到场劝导拆除飞线。"
                                       "小区要不要装充电桩、装在哪里，请大家一起商量。",
                                  poll_question="充电桩装在哪里？", options=["小区东侧空地", "4号楼北侧车棚", "暂不安装"])
    options = [o.id for o in topics.topic_view(s, grid, topic_id=topic.id).options]
    with travel(at(ctx.today - timedelta(days=11), 19, 30)):
        topics.comment(s, _actor(ctx, "孙志刚"), topic_id=topic.id, body="飞线充电太危险了。我们维修队可以帮忙检查车棚的线路。")
        topics.vote(s, _actor(ctx, "孙志刚"), topic_id=topic.id, option_id=options[0])
    with travel(at(ctx.today - timedelta(days=10), 10, 0)):
        topics.comment(s, _actor(ctx, "李秀英"), topic_id=topic.id, body="楼道里停电动车，我们老人走路都要侧着身子。")
        topics.vote(s, _actor(ctx, "李秀英"), topic_id=topic.id, option_id=options[0])
    with travel(at(ctx.today - timedelta(days=3), 16, 0)):
        topics.comment(s, grid, topic_id=topic.id, body="四方联席会议（居民代表、物业、业委会、社区）已开会商量。")
    with travel(at(ctx.today - timedelta(days=2), 17, 0)):
        topics.decide(s, grid, topic_id=topic.id,
                      decision="在小区东侧空地安装10个充电桩，物业负责施工，本月底前完成；安装前在车棚临时集中充电，"
                               "禁止飞线充电。")
    return 1


def _roof_topic(ctx: DemoContext) -> int:
    """南院 buildings 1 and 2: the roof leaks; opened by a resident (闫爱民), poll open."""
    s, yan = ctx.session, _actor(ctx, "闫爱民")
    with travel(at(ctx.today - timedelta(days=4), 8, 30)):
        topic = topics.open_topic(s, yan, title="南院1号楼、2号楼屋顶防水老化，下雨漏水", compound_id=_compound(ctx, "南院"),
                                  buildings="1,2", body="顶楼好几户下雨天屋里漏水，墙皮都泡了。屋顶防水是公共部分，"
                                                        "想请大家商量一下怎么修、钱怎么出。",
                                  poll_question="屋顶维修的钱怎么出？", options=["申请住宅专项维修资金", "两栋楼各户分摊", "请物业承担"])
    with travel(at(ctx.today - timedelta(days=3), 10, 0)):
        topics.comment(s, _actor(ctx, "蔡铮欣"), topic_id=topic.id,
                       body="社区已请物业查看屋顶，下周把维修报价贴在楼道公告栏。")
    return 1
