"""Demo requests and opinions (诉求与民意) with the five steps, and the staff diary (民情日记).
(Written as history for now; the register issue moves it onto its services.)"""

from __future__ import annotations

from datetime import timedelta

from community_app.demo.context import DemoContext
from community_app.demo.people import (
    MAIN_CODE,
    PARTNER_CODE,
    Person,
)
from community_app.models import Account, Community, DiaryEntry, RequestUpdate, ResidentRequest


def seed_requests(ctx: DemoContext) -> None:
    """诉求 with the five steps."""
    session = ctx.session
    now = ctx.now
    main = ctx.communities[MAIN_CODE]
    partner = ctx.communities[PARTNER_CODE]
    mp = ctx.people[MAIN_CODE]
    pp = ctx.people[PARTNER_CODE]
    reserved_names = ctx.reserved_names
    secretary = ctx.accounts["蔡铮欣"]
    grid_worker = ctx.accounts["刘婷"]
    partner_staff = ctx.accounts["路晓红"]
    def request(community: Community, person: Person | None, category, description, location, urgent, status,
                steps, author: Account, days_ago):
        created = now - timedelta(days=days_ago)
        r = ResidentRequest(community_id=community.id, resident_id=person.resident.id if person else None,
                            category=category, description=description, location=location, urgent=urgent,
                            status=status, created_at=created)
        if steps:
            r.responded_at = created + timedelta(minutes=8 if urgent else 90)
        if status == "solved":
            r.solved_at = min(now, created + timedelta(days=max(1, days_ago - 1)))
        session.add(r)
        session.flush()
        for i, (step, body) in enumerate(steps):
            at = r.responded_at + timedelta(hours=i * 20) if i else r.responded_at
            session.add(RequestUpdate(request_id=r.id, author_account_id=author.id, step=step, body=body,
                                      created_at=min(at, now)))
        return r

    alley_resident = next(p for p in mp.values() if p.age >= 70 and p.name not in reserved_names
                          and p.resident.household_id is not None)
    requests = [
        request(main, alley_resident, "lighting", "南院西侧小巷没有路灯，晚上出门看不清路，老人容易摔倒。", "南院西侧小巷",
                False, "solved",
                [("respond", "已收到，网格员今晚到现场查看。"), ("inform", "已告知居民：需市政部门安装，预计两周。"),
                 ("coordinate", "已与市政部门协调，安装3盏太阳能路灯。"), ("fix", "路灯已安装并通电。"),
                 ("review", "回访居民，夜间照明良好。")], grid_worker, 25),
        request(main, mp["闫爱民"], "road", "小区大门口那段路坑洼不平，下雨积水，希望修平整。", "南院大门口",
                False, "in_progress",
                [("respond", "已到现场拍照测量。"), ("inform", "已在楼长微信群通报进展。"),
                 ("coordinate", "已报街道和物业，等待路面修补排期。")], secretary, 9),
        request(main, mp["孙志刚"], "fire_risk", "邮电园小区3号楼1单元楼道堆放杂物，有人飞线充电，存在火灾隐患。",
                "邮电园小区3号楼1单元", True, "responded",
                [("respond", "10分钟内到场，已清理飞线，通知住户三天内清走杂物。")], grid_worker, 2),
        request(main, mp["李秀英"], "opinion", "希望社区多组织老年人智能手机培训，学会视频通话和挂号。", "", False, "new",
                [], secretary, 1),
        request(partner, pp["牛秀兰"], "heating", "西谷窖8号楼1单元热力水管破裂，家里没有暖气。", "西谷窖小区8号楼1单元",
                True, "solved",
                [("respond", "24小时热线接报，10分钟内工作人员到场。"), ("inform", "微信群发布停暖和维修信息。"),
                 ("coordinate", "联系热力公司和产权单位，当晚制定抢修方案。"), ("fix", "次日上午修复管道，恢复供暖。"),
                 ("review", "召开复盘会，建立管网巡查机制。")], partner_staff, 30),
    ]

    ctx.counts["requests"] = len(requests)

def seed_diary(ctx: DemoContext) -> None:
    """民情日记 entries."""
    session = ctx.session
    now = ctx.now
    main = ctx.communities[MAIN_CODE]
    partner = ctx.communities[PARTNER_CODE]
    mp = ctx.people[MAIN_CODE]
    pp = ctx.people[PARTNER_CODE]
    secretary = ctx.accounts["蔡铮欣"]
    grid_worker = ctx.accounts["刘婷"]
    partner_staff = ctx.accounts["路晓红"]
    session.add_all([
        DiaryEntry(community_id=main.id, author_account_id=grid_worker.id, resident_id=mp["赵桂兰"].resident.id,
                   household_id=mp["赵桂兰"].resident.household_id,
                   body="入户探望赵桂兰老人，天气转凉，提醒添衣;药品够用，下周陪同复诊。",
                   created_at=now - timedelta(days=3)),
        DiaryEntry(community_id=main.id, author_account_id=secretary.id, resident_id=mp["李秀英"].resident.id,
                   household_id=mp["李秀英"].resident.household_id,
                   body="李秀英阿姨想学用手机视频通话，已帮她报名桑榆课堂智能手机班。",
                   created_at=now - timedelta(days=1)),
        DiaryEntry(community_id=partner.id, author_account_id=partner_staff.id, resident_id=pp["牛秀兰"].resident.id,
                   household_id=pp["牛秀兰"].resident.household_id,
                   body="暖气恢复后回访牛秀兰老人，室温正常。", created_at=now - timedelta(days=27)),
    ])



