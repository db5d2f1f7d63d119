"""Demo classes (清瑞课堂 and groups) with sessions and enrolments. (Written as history for now;
the classes issue moves it onto its services.)"""

from __future__ import annotations

from datetime import timedelta

from community_app.demo.context import DemoContext
from community_app.demo.people import (
    MAIN_CODE,
    PARTNER_CODE,
    at,
    next_weekday,
)
from community_app.models import Course, CourseSession, Enrollment


def seed_classes(ctx: DemoContext) -> None:
    """Courses with their sessions and enrolments."""
    session = ctx.session
    rng = ctx.rng
    now = ctx.now
    today = ctx.today
    people = ctx.people
    communities = ctx.communities
    course_specs = [
        # (community, programme, title, description, teacher, location, min, max, capacity, weekday, start, end, n)
        (MAIN_CODE, "early_years", "早教课堂·亲子绘本共读", "0-6岁儿童和家长一起读绘本、做游戏。", "郝丽娟",
         "党群服务中心二楼亲子活动室", 0, 6, 12, 5, (9, 30), (10, 30), 4),
        (MAIN_CODE, "youth", "人才讲堂·青少年成长与职业规划", "请身边的优秀青年讲学习方法和职业选择。", "程志远",
         "党群服务中心多功能厅", 12, 28, 30, 6, (15, 0), (16, 30), 3),
        (MAIN_CODE, "elderly", "桑榆课堂·智能手机使用", "教老年人用手机挂号、视频通话、识别诈骗短信。", "刘婷",
         "党群服务中心一楼活动室", 60, None, 25, 1, (9, 0), (10, 30), 4),
        (MAIN_CODE, "elderly", "桑榆课堂·书法入门", "毛笔字入门，笔墨纸由社区提供。", "宋文华",
         "老年活动中心书画室", 55, None, 20, 3, (14, 30), (16, 0), 4),
        (MAIN_CODE, "talks", "百姓宣讲团·防范养老诈骗", "退休教师、老党员讲常见养老诈骗套路。", "牛淑兰（退休教师）",
         "党群服务中心多功能厅", None, None, 60, 3, (9, 30), (10, 30), 1),
        (MAIN_CODE, "skills", "技能学习小组·理发与小家电维修", "义剪队和维修队的师傅手把手教剪发和修小家电。",
         "闫爱民、孙志刚", "社区理发室", 18, None, 10, 2, (14, 0), (16, 0), 4),
        (MAIN_CODE, "arts", "红色经典朗诵", "朗诵技巧与排练。", "白丽萍", "老年活动中心", None, None, 30, 0,
         (19, 0), (20, 30), 4),
        (PARTNER_CODE, "elderly", "桑榆课堂·太极拳", "二十四式太极拳，强身健体。", "侯德胜", "古城社区广场",
         55, None, 30, 1, (7, 30), (8, 30), 4),
    ]
    courses: list[Course] = []
    for code, prog, title, desc, teacher, loc, lo, hi, cap, weekday, start, end, n in course_specs:
        course = Course(community_id=communities[code].id, programme=prog, title=title, description=desc,
                        teacher=teacher, location=loc, min_age=lo, max_age=hi, capacity=cap, enrolled=0,
                        created_at=now - timedelta(days=30))
        session.add(course)
        session.flush()
        courses.append(course)
        # A series has one session already held; a one-off talk is upcoming.
        first = next_weekday(today, weekday, weeks=-1 if n > 1 else 0)
        for i in range(n + (1 if n > 1 else 0)):
            day = first + timedelta(weeks=i)
            session.add(CourseSession(course_id=course.id, starts_at=at(day, *start), ends_at=at(day, *end),
                                      location=loc))
        ages_ok = [
            p for p in people[code].values()
            if (lo is None or p.age >= lo) and (hi is None or p.age <= hi)
        ]
        wanted = {"桑榆课堂·智能手机使用": ["李秀英"], "早教课堂·亲子绘本共读": ["陈一诺"]}.get(title, [])
        chosen = [people[code][w] for w in wanted]
        others = [p for p in ages_ok if p not in chosen]
        k = min(len(others), max(0, int(cap * rng.uniform(0.3, 0.8)) - len(chosen)))
        chosen += rng.sample(others, k=k)
        for p in chosen:
            session.add(Enrollment(course_id=course.id, resident_id=p.resident.id, status="enrolled",
                                   created_at=now - timedelta(days=rng.randint(1, 20))))
        course.enrolled = len(chosen)
        session.add(course)

    ctx.counts["courses"] = len(courses)

