"""Demo classes (清瑞课堂) and groups, all through the classes services, with their history
replayed on its own dates (``clock.travel``): staff created the courses a month ago, sessions
began three weeks ago (the 早教课堂 in the 活动室, reserved through the room's slots), people
phoned to enrol (代办), past sessions were marked, groups took members through join requests.

What a visitor finds:
- 早教课堂·亲子绘本共读 (0-6, 刘婷 teaches) has one place left: 王芳 can enrol her daughter 陈一诺,
  and 陈晓东 can then put his daughter 陈语桐 (added to his household here) on the waitlist;
- 桑榆课堂·书法入门 is full with a waitlist; 李秀英 is enrolled in 桑榆课堂·智能手机使用;
- 百姓宣讲团·防范养老诈骗 is shared with 古城社区 (刘桂芝 enrolled from there);
- 技能学习小组 is led by 闫爱民 (one join request waits for him); 朗诵队 and 模特队 have members and
  announcements.
"""

from __future__ import annotations

from datetime import date, time, timedelta

from sqlmodel import select

from community_app.demo.context import DemoContext
from community_app.demo.people import MAIN_CODE, PARTNER_CODE, Person, at
from community_app.models import Course, CourseSession, ServiceType, utcnow
from community_app.services.access import Actor, load_actor
from community_app.services.catalogue import ensure_default_catalogue, generate_days
from community_app.services.classes import attendance, courses, enrolment, groups, household, sessions
from community_app.services.core import clock
from community_app.services.core.clock import travel
from community_app.services.errors import DomainError

# (key, community, kind, programme, title, description, teacher name, teacher account, room code,
#  location, min, max, capacity, weekday, start, end, weeks back, weeks ahead)
COURSES = [
    ("early", MAIN_CODE, "course", "early_years", "早教课堂·亲子绘本共读", "0-6岁儿童和家长一起读绘本、做游戏。",
     "刘婷", "刘婷", "room_activity", "", 0, 6, 12, 4, (9, 30), (10, 30), 3, 4),
    ("youth", MAIN_CODE, "course", "youth", "人才讲堂·青少年成长与职业规划", "请身边的优秀青年讲学习方法和职业选择。",
     "程志远", None, None, "党群服务中心多功能厅", 12, 28, 30, 5, (15, 0), (16, 30), 2, 3),
    ("phone", MAIN_CODE, "course", "elderly", "桑榆课堂·智能手机使用", "教老年人用手机挂号、视频通话、识别诈骗短信。",
     "刘婷", "刘婷", None, "党群服务中心一楼活动室", 60, None, 25, 1, (9, 0), (10, 30), 2, 4),
    ("brush", MAIN_CODE, "course", "elderly", "桑榆课堂·书法入门", "毛笔字入门，笔墨纸由社区提供。",
     "宋文华", None, None, "老年活动中心书画室", 55, None, 8, 3, (14, 30), (16, 0), 2, 4),
    ("talk", MAIN_CODE, "course", "talks", "百姓宣讲团·防范养老诈骗", "退休教师、老党员讲常见养老诈骗套路，古城社区居民也可报名。",
     "牛淑兰（退休教师）", None, None, "党群服务中心多功能厅", None, None, 60, 2, (9, 30), (10, 30), 0, 1),
    ("skills", MAIN_CODE, "group", "skills", "技能学习小组·理发与小家电维修", "义剪队和维修队的师傅手把手教剪发和修小家电。",
     "闫爱民", "闫爱民", None, "社区理发室", 18, None, 10, 1, (14, 0), (16, 0), 2, 4),
    ("recite", MAIN_CODE, "group", "arts", "红色经典朗诵队", "朗诵技巧与排练，逢节日在社区演出。",
     "白丽萍", None, None, "老年活动中心", None, None, 30, 0, (19, 0), (20, 30), 2, 4),
    ("model", MAIN_CODE, "group", "arts", "夕阳红模特队", "形体训练和走秀排练，活跃业余文化生活。",
     "赵红梅", None, None, "社区广场", None, None, 20, 4, (19, 0), (20, 30), 2, 4),
    ("taichi", PARTNER_CODE, "course", "elderly", "桑榆课堂·太极拳", "二十四式太极拳，强身健体。",
     "侯德胜", None, None, "古城社区广场", 55, None, 30, 1, (7, 30), (8, 30), 2, 4),
]
STAFF = {MAIN_CODE: "蔡铮欣", PARTNER_CODE: "路晓红"}
POSTS = {
    "recite": ["国庆演出定在10月1日上午，请大家提前半小时到。", "本周排练《我的祖国》，请带上稿子。"],
    "model": ["下周五排练改到晚上7点半，请穿平底鞋。"],
    "skills": ["本周学剪男士短发，工具由义剪队提供。"],
}


def seed_classes(ctx: DemoContext) -> None:
    """The rooms' earlier days, 陈晓东's younger daughter, the courses with their history, then
    what a visitor tries."""
    first = ctx.today - timedelta(days=35)
    for code in (MAIN_CODE, PARTNER_CODE):
        ensure_default_catalogue(ctx.session, ctx.communities[code].id)
        made = generate_days(ctx.session, today=first, community_id=ctx.communities[code].id)
        ctx.counts["service_days"] = ctx.counts.get("service_days", 0) + made
    _children(ctx)
    ids = {}
    for spec in COURSES:
        course_id = _course(ctx, spec, first)
        if course_id is not None:
            ids[spec[0]] = course_id
    _enrolments(ctx, ids)
    _groups(ctx, ids)
    _history(ctx, ids)
    ctx.counts["courses"] = len(ids)


def _staff(ctx: DemoContext, code: str) -> Actor:
    return load_actor(ctx.session, ctx.accounts[STAFF[code]])


def _actor(ctx: DemoContext, name: str) -> Actor:
    return load_actor(ctx.session, ctx.accounts[name])


def _attempt(ctx: DemoContext, fn, **kw):
    """A step the rules may refuse (a date already past today, a person too old): skipped."""
    try:
        return fn(ctx.session, **kw)
    except DomainError:
        ctx.session.rollback()
        return None


def _children(ctx: DemoContext) -> None:
    """陈一诺 (王芳's daughter) is four; 陈晓东's household gets 陈语桐, three: both fit the 0-6 class
    whatever the date of the run. Staff complete / add them through the household service."""
    staff, people = _staff(ctx, MAIN_CODE), ctx.people[MAIN_CODE]
    with travel(at(ctx.today - timedelta(days=40), 10, 0)):
        household.set_birth_date(ctx.session, staff, resident_id=people["陈一诺"].resident.id,
                                 birth_date=_born(ctx.today, 4, 130))
        chen = people["陈晓东"].resident
        household.add_household_member(ctx.session, staff, household_id=chen.household_id, name="陈语桐",
                                       birth_date=_born(ctx.today, 3, 200), gender="女")


def _born(today: date, years: int, days: int) -> date:
    return date(today.year - years, 6, 15) if (today.month, today.day) == (2, 29) else \
        today.replace(year=today.year - years) - timedelta(days=days)


def _course(ctx: DemoContext, spec, first: date) -> int | None:
    (key, code, kind, programme, title, desc, teacher, account, room, location, lo, hi, cap, weekday, start, end,
     back, ahead) = spec
    s, staff = ctx.session, _staff(ctx, code)
    room_id = None
    if room:
        room_id = s.exec(select(ServiceType.id).where(ServiceType.community_id == ctx.communities[code].id,
                                                      ServiceType.code == room)).first()
    fields = courses.CourseFields(kind=kind, programme=programme, title=title, description=desc, teacher=teacher,
                                  teacher_account_id=ctx.accounts[account].id if account else None,
                                  room_type_id=room_id, location=location, min_age=lo, max_age=hi, capacity=cap)
    with travel(at(first, 9, 0)):
        course = courses.create_course(s, staff, fields=fields)
    begin = _weekday_on_or_after(ctx.today - timedelta(weeks=back) if back else ctx.today + timedelta(days=1), weekday)
    last = _weekday_on_or_after(ctx.today, weekday) + timedelta(weeks=max(0, ahead - 1))
    with travel(at(min(begin, ctx.today) - timedelta(days=3), 10, 0)):
        made = _attempt(ctx, sessions.add_weekly, actor=staff, course_id=course.id, weekdays=[weekday],
                        start=time(*start), end=time(*end), first=begin, last=last)
    if made is None:  # the room was not free every week: one date at a time, keeping those that fit
        for day in sessions.weekly_dates({weekday}, begin, last):
            with travel(at(min(day, ctx.today) - timedelta(days=3), 10, 0)):
                _attempt(ctx, sessions.add_session, actor=staff, course_id=course.id, day=day, start=time(*start),
                         end=time(*end))
    if key == "talk":
        courses.set_shares(s, staff, course_id=course.id, community_ids=[ctx.communities[PARTNER_CODE].id])
    return course.id


def _weekday_on_or_after(day: date, weekday: int) -> date:
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def _fits(ctx: DemoContext, code: str, lo: int | None, hi: int | None, skip: set[str]) -> list[Person]:
    people = [p for p in ctx.people[code].values() if p.resident is not None and p.name not in skip
              and p.resident.birth_date is not None]
    then, today = ctx.today - timedelta(days=30), ctx.today  # old enough a month ago, young enough today
    out = [p for p in people if (lo is None or clock.age_on(p.resident.birth_date, then) >= lo)
           and (hi is None or clock.age_on(p.resident.birth_date, today) <= hi)]
    ctx.rng.shuffle(out)
    return out


def _enrol_many(ctx: DemoContext, code: str, course_id: int, people: list[Person], n: int, days_ago: int,
                waitlist: bool = False) -> int:
    staff, made = _staff(ctx, code), 0
    for i, p in enumerate(people[:n]):
        with travel(at(ctx.today - timedelta(days=days_ago - i // 3), 9 + i % 8, 10 * (i % 5))):
            row = _attempt(ctx, enrolment.enrol_on_behalf, actor=staff, course_id=course_id,
                           resident_id=p.resident.id, waitlist=waitlist)
        made += row is not None
    return made


def _enrolments(ctx: DemoContext, ids: dict[str, int]) -> None:
    """People who phoned or came in (代办), and the demo accounts who enrolled themselves."""
    skip = set(ctx.reserved_names) | {"陈一诺", "陈语桐", "陈子轩"}
    by_key = {spec[0]: spec for spec in COURSES}
    for key, n in (("early", 11), ("youth", 9), ("phone", 14), ("brush", 8), ("talk", 22), ("taichi", 9)):
        if key not in ids:
            continue
        spec = by_key[key]
        pool = _fits(ctx, spec[1], spec[10], spec[11], skip)
        _enrol_many(ctx, spec[1], ids[key], pool, n, 20)
        if key == "brush":
            _enrol_many(ctx, spec[1], ids[key], pool[n:], 2, 6, waitlist=True)
    if "early" in ids:
        _one_place_left(ctx, ids["early"])
    with travel(at(ctx.today - timedelta(days=12), 15, 20)):
        if "phone" in ids:
            _attempt(ctx, enrolment.enrol, actor=_actor(ctx, "李秀英"), course_id=ids["phone"])
        if "talk" in ids:
            _attempt(ctx, enrolment.enrol, actor=_actor(ctx, "刘桂芝"), course_id=ids["talk"])


def _one_place_left(ctx: DemoContext, course_id: int) -> None:
    """The 早教课堂 keeps one place (for 王芳's daughter, then 陈晓东's goes on the waitlist)."""
    spec = COURSES[0]
    course = ctx.session.get(Course, course_id)
    fields = courses.CourseFields(kind=course.kind, programme=course.programme, title=course.title,
                                  description=course.description, teacher=course.teacher,
                                  teacher_account_id=course.teacher_account_id, room_type_id=course.room_type_id,
                                  location=course.location, min_age=spec[10], max_age=spec[11],
                                  capacity=course.enrolled + 1)
    with travel(at(ctx.today - timedelta(days=14), 11, 0)):
        courses.update_course(ctx.session, _staff(ctx, MAIN_CODE), course_id=course_id, fields=fields)


def _groups(ctx: DemoContext, ids: dict[str, int]) -> None:
    """Members who came to a rehearsal were added by staff (代办); 孙志刚 asked in the app to join the
    技能学习小组 and 闫爱民 approved him; 张建国's request waits for 闫爱民; announcements."""
    skip = set(ctx.reserved_names) | {"陈一诺", "陈语桐"}
    staff = _staff(ctx, MAIN_CODE)
    for key, n, lo in (("skills", 4, 18), ("recite", 9, 40), ("model", 7, 40)):
        if key not in ids:
            continue
        _enrol_many(ctx, MAIN_CODE, ids[key], _fits(ctx, MAIN_CODE, lo, None, skip), n, 28)
    if "skills" in ids:
        with travel(at(ctx.today - timedelta(days=9), 20, 0)):
            row = _attempt(ctx, groups.request_join, actor=_actor(ctx, "孙志刚"), course_id=ids["skills"])
        if row is not None:
            with travel(at(ctx.today - timedelta(days=8), 9, 0)):
                _attempt(ctx, groups.decide_request, actor=_actor(ctx, "闫爱民"), enrollment_id=row.id, approve=True)
        with travel(at(ctx.today - timedelta(days=1), 19, 30)):
            _attempt(ctx, groups.request_join, actor=_actor(ctx, "张建国"), course_id=ids["skills"])
    for key, texts in POSTS.items():
        if key not in ids:
            continue
        by = _actor(ctx, "闫爱民") if key == "skills" else staff
        for j, text in enumerate(texts):
            with travel(at(ctx.today - timedelta(days=10 - 4 * j), 18, 0)):
                _attempt(ctx, groups.post_announcement, actor=by, course_id=ids[key], body=text)


def _history(ctx: DemoContext, ids: dict[str, int]) -> None:
    """The rolls of the sessions held so far: most came, a few did not."""
    s = ctx.session
    now = utcnow()
    for key, course_id in ids.items():
        code = next(spec[1] for spec in COURSES if spec[0] == key)
        staff = _staff(ctx, code)
        past = s.exec(select(CourseSession).where(CourseSession.course_id == course_id, CourseSession.ends_at < now)
                      .order_by(CourseSession.starts_at)).all()
        for row in past:
            with travel(row.ends_at + timedelta(minutes=20)):
                try:
                    roll = attendance.roll(s, staff, session_id=row.id)
                except DomainError:
                    continue
                for r in roll.rows:
                    status = "present" if ctx.rng.random() < 0.85 else "absent"
                    _attempt(ctx, attendance.mark, actor=staff, session_id=row.id, resident_id=r.resident_id,
                             status=status)
