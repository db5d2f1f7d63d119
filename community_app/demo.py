"""The demo community (演示数据): a sub-district (东风街道) with 东风路南社区 (the main community:
four compounds, three grids split into micro-grids, about 200 residents with their care
categories, service teams, classes, points, mediation cases and requests) and its partner
古城社区 (smaller).

Everything is drawn from ``random.Random(rng_seed)`` so the same seed gives the same people;
only dates of activities, sessions and updates move with today so the demo always has
something upcoming. All demo accounts share one password, hashed once (argon2 is slow on
purpose). ``seed_demo`` refuses to run twice. No reflex imports here: the CLI and tests use it.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from community_app.models import (
    Account,
    Activity,
    Booking,
    BookingEvent,
    CareCategory,
    CaseParty,
    CaseUpdate,
    Community,
    Compound,
    Course,
    CourseSession,
    DiaryEntry,
    Enrollment,
    Grid,
    Household,
    MediationCase,
    PointsEntry,
    Redemption,
    RequestUpdate,
    Resident,
    ResidentCare,
    ResidentRequest,
    Reward,
    Role,
    RoleGrant,
    ServiceDay,
    ServiceSlot,
    ServiceType,
    Shift,
    Team,
    TeamMember,
    utcnow,
)
from community_app.services import audit
from community_app.services.errors import Conflict, ValidationError
from community_app.services.passwords import hash_password

DEMO_PASSWORD = "linli-demo-2026"
MAIN_CODE = "dfln"
PARTNER_CODE = "gucheng"
SUB_DISTRICT = "东风街道"
MIN_RESIDENTS = 40
# Ages and care categories are computed against a fixed year so a seed always gives the same
# register, whatever the date of the run.
REFERENCE_YEAR = 2026
_TZ = ZoneInfo("Asia/Shanghai")

# (role label, mobile, name, password): the accounts the README lists.
DEMO_ACCOUNTS: list[tuple[str, str, str, str]] = [
    ("居民（东风路南社区）", "13800000001", "李秀英", DEMO_PASSWORD),
    ("居民（东风路南社区）", "13800000002", "张建国", DEMO_PASSWORD),
    ("居民（东风路南社区）", "13800000003", "王芳", DEMO_PASSWORD),
    ("居民（古城社区）", "13800000004", "刘桂芝", DEMO_PASSWORD),
    ("志愿者·银发爱心义剪队队长", "13700000001", "闫爱民", DEMO_PASSWORD),
    ("志愿者·夕阳维修队队长", "13700000002", "孙志刚", DEMO_PASSWORD),
    ("志愿者·治安巡防服务队", "13700000003", "陈晓东", DEMO_PASSWORD),
    ("工作人员·社区书记（东风路南社区）", "13900000001", "蔡铮欣", DEMO_PASSWORD),
    ("网格员（东风路南社区）", "13900000003", "刘婷", DEMO_PASSWORD),
    ("工作人员·社区书记（古城社区）", "13900000002", "路晓红", DEMO_PASSWORD),
    ("管理员（东风街道）", "13900000000", "韩静", DEMO_PASSWORD),
]

# mobile -> (community code, roles). Residents and volunteers also get a resident record.
_ACCOUNT_ROLES: dict[str, tuple[str, tuple[str, ...]]] = {
    "13800000001": (MAIN_CODE, (Role.RESIDENT,)),
    "13800000002": (MAIN_CODE, (Role.RESIDENT,)),
    "13800000003": (MAIN_CODE, (Role.RESIDENT,)),
    "13800000004": (PARTNER_CODE, (Role.RESIDENT,)),
    "13700000001": (MAIN_CODE, (Role.RESIDENT, Role.VOLUNTEER)),
    "13700000002": (MAIN_CODE, (Role.RESIDENT, Role.VOLUNTEER)),
    "13700000003": (MAIN_CODE, (Role.RESIDENT, Role.VOLUNTEER)),
    "13900000001": (MAIN_CODE, (Role.STAFF,)),
    "13900000003": (MAIN_CODE, (Role.STAFF,)),
    "13900000002": (PARTNER_CODE, (Role.STAFF,)),
    "13900000000": (MAIN_CODE, (Role.ADMIN,)),
}

# ---------------------------------------------------------------------------------------------
# Names
# ---------------------------------------------------------------------------------------------

_SURNAMES = (
    "王 李 张 刘 赵 杨 陈 高 郭 孙 马 吴 周 徐 胡 朱 何 韩 吕 贾 郝 田 武 任 闫 宋 谢 冯 董 梁 "
    "曹 许 邓 崔 程 石 侯 段 范 白 史 齐 康 薛 苏 魏 牛 耿 申 孟"
).split()
_SURNAME_WEIGHTS = [max(2, 40 - i) for i in range(len(_SURNAMES))]

# Given names by generation: what people born in those years were typically called.
_GIVEN = {
    ("old", "女"): "秀英 桂兰 秀兰 玉兰 桂英 淑珍 凤英 玉珍 秀珍 淑兰 桂芝 素芬 凤兰 玉梅 淑芬 秀云 桂珍 "
    "翠兰 金凤 月英 玉芬 秀荣 素珍 淑英 兰英 素梅 凤琴",
    ("old", "男"): "建国 国强 志明 德明 振华 国庆 永福 德胜 文华 宝成 金山 福海 长林 守义 玉林 树森 明德 "
    "春生 援朝 卫东 保国 庆祥 万里 福山 俊德 树林 广才",
    ("mid", "女"): "丽华 红梅 丽娟 海燕 春梅 秀梅 玉红 晓红 丽萍 艳霞 建英 彩霞 燕 敏 静 红 丽 芳 艳 娟 "
    "慧芳 晓燕 雪梅 利平 爱华",
    ("mid", "男"): "建军 海涛 志刚 国华 红军 卫国 立新 永强 俊峰 晓东 建平 伟 勇 军 强 磊 刚 斌 宏伟 "
    "新民 跃进 建新 文斌 海军",
    ("young", "女"): "婷 静怡 晓雪 丹丹 佳琪 雪 倩 梦瑶 思雨 晓琳 雅楠 欣然 璐 颖 佳慧 文静 琳 悦 蕾",
    ("young", "男"): "浩 鹏飞 子豪 宇航 博文 鑫 晨阳 振宇 帅 超 杰 旭 昊天 一帆 家豪 俊杰 凯 亮",
    ("child", "女"): "梓涵 欣怡 一诺 语桐 可馨 雨萱 诗涵 子萱 若汐 芊芊 沐晴 悦悦 梓萌 安琪",
    ("child", "男"): "浩然 子轩 宇轩 梓睿 俊熙 一鸣 奕辰 铭泽 沐阳 皓轩 锦程 天佑 嘉树",
}
_GIVEN_LISTS = {k: v.split() for k, v in _GIVEN.items()}

_MOBILE_PREFIXES = (
    "133 135 136 137 138 139 150 151 152 155 157 158 159 176 177 180 181 183 185 186 187 188 189 199"
).split()


def _generation(birth_year: int) -> str:
    if birth_year <= 1960:
        return "old"
    if birth_year <= 1985:
        return "mid"
    if birth_year <= 2005:
        return "young"
    return "child"


class _Namer:
    """Unique names and mobiles drawn from one rng."""

    def __init__(self, rng: random.Random, reserved_names: set[str], reserved_mobiles: set[str]):
        self.rng = rng
        self.names = set(reserved_names)
        self.mobiles = set(reserved_mobiles)

    def surname(self) -> str:
        return self.rng.choices(_SURNAMES, weights=_SURNAME_WEIGHTS)[0]

    def name(self, gender: str, birth_year: int, surname: str | None = None) -> str:
        given = _GIVEN_LISTS[(_generation(birth_year), gender)]
        candidate = ""
        for _ in range(40):
            candidate = (surname or self.surname()) + self.rng.choice(given)
            if candidate not in self.names:
                break
        self.names.add(candidate)
        return candidate

    def mobile(self) -> str:
        while True:
            number = self.rng.choice(_MOBILE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"
            # Keep clear of the fixed demo ranges (1380000xxxx, 1370000xxxx, 1390000xxxx).
            if number[3:7] != "0000" and number not in self.mobiles:
                self.mobiles.add(number)
                return number


# ---------------------------------------------------------------------------------------------
# Places
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _CompoundSpec:
    name: str
    buildings: int
    units: int
    floors: int
    doors: int = 2


@dataclass(frozen=True)
class _MicroSpec:
    """A micro-grid: part ``part`` of ``parts`` (by building number) of a compound."""

    grid: str
    compound: str
    part: int = 0
    parts: int = 1


@dataclass(frozen=True)
class _CommunitySpec:
    code: str
    name: str
    address: str
    hotline: str
    compounds: tuple[_CompoundSpec, ...]
    micro_grids: tuple[_MicroSpec, ...]
    grid_leaders: dict[str, str]  # grid name -> leader (网格长)


_MAIN = _CommunitySpec(
    code=MAIN_CODE,
    name="东风路南社区",
    address="东风路以南、建设南大街以西（社区党群服务中心）",
    hotline="0311-86120001",
    compounds=(
        _CompoundSpec("邮电园小区", 6, 3, 6),
        _CompoundSpec("南院", 4, 2, 5),
        _CompoundSpec("建胜小区", 3, 3, 6),
        _CompoundSpec("平安南大街甲12号院", 2, 2, 7),
    ),
    micro_grids=(
        _MicroSpec("第一网格", "邮电园小区", 0, 3),
        _MicroSpec("第一网格", "邮电园小区", 1, 3),
        _MicroSpec("第一网格", "邮电园小区", 2, 3),
        _MicroSpec("第二网格", "南院", 0, 2),
        _MicroSpec("第二网格", "南院", 1, 2),
        _MicroSpec("第三网格", "建胜小区", 0, 2),
        _MicroSpec("第三网格", "建胜小区", 1, 2),
        _MicroSpec("第三网格", "平安南大街甲12号院", 0, 1),
    ),
    grid_leaders={"第一网格": "刘婷", "第二网格": "杨帆", "第三网格": "马丽"},
)

_PARTNER = _CommunitySpec(
    code=PARTNER_CODE,
    name="古城社区",
    address="古城路18号（社区党群服务中心）",
    hotline="0311-86120002",
    compounds=(_CompoundSpec("古城小区", 5, 2, 5), _CompoundSpec("西谷窖小区", 8, 2, 6)),
    micro_grids=(
        _MicroSpec("第一网格", "古城小区", 0, 1),
        _MicroSpec("第一网格", "西谷窖小区", 0, 2),
        _MicroSpec("第一网格", "西谷窖小区", 1, 2),
    ),
    grid_leaders={"第一网格": "郝文静"},
)


@dataclass(eq=False)
class _Person:
    name: str
    gender: str
    birth_year: int
    mobile: str | None = None
    care: set[str] = field(default_factory=set)
    notes: list[str] = field(default_factory=list)
    fixed: bool = False  # one of the demo accounts or story parties: keep as written
    resident: Resident | None = None

    @property
    def age(self) -> int:
        return REFERENCE_YEAR - self.birth_year


@dataclass
class _House:
    compound: str
    building: str
    unit: str
    room: str
    members: list[_Person]
    living_alone: bool = False
    household: Household | None = None


@dataclass(frozen=True)
class DemoSummary:
    """What ``seed_demo`` created."""

    community_ids: dict[str, int]
    residents: int  # in the main community
    residents_total: int
    households: int
    accounts: int
    teams: int
    courses: int
    activities: int
    mediation_cases: int
    requests: int
    service_days: int | None
    bookings: int = 0


# ---------------------------------------------------------------------------------------------
# The register: fixed people (the demo accounts and the parties of the stories) + generated ones
# ---------------------------------------------------------------------------------------------

def _p(name, gender, birth_year, mobile=None, care=(), notes=()) -> _Person:
    """A fixed person; mobile "m" means "give them a generated number"."""
    return _Person(name, gender, birth_year, mobile, set(care), list(notes), fixed=True)


def _fixed_main_houses() -> list[_House]:
    E, A, D, M, C = (
        CareCategory.ELDERLY, CareCategory.LIVING_ALONE, CareCategory.DISABLED,
        CareCategory.LIMITED_MOBILITY, CareCategory.CHILD,
    )
    return [
        _House("邮电园小区", "3", "2", "201", [
            _p("李秀英", "女", 1948, "13800000001", (E, A), ("子女在外地工作，独居",)),
        ], living_alone=True),
        _House("邮电园小区", "5", "1", "102", [
            _p("赵桂兰", "女", 1939, None, (E, A, D, M), ("失能老人，需上门服务;儿子赵建军住建胜小区",)),
        ], living_alone=True),
        _House("南院", "2", "1", "101", [
            _p("张建国", "男", 1968, "13800000002"),
            _p("孟丽华", "女", 1970, "m"),
            _p("张浩", "男", 1996, "m"),
        ]),
        _House("南院", "2", "1", "201", [_p("周海涛", "男", 1991, "m"), _p("吴婷", "女", 1993, "m")]),
        _House("建胜小区", "1", "2", "302", [
            _p("王芳", "女", 1992, "13800000003"),
            _p("陈伟", "男", 1990, "m"),
            _p("陈一诺", "女", 2021, None, (C,)),
        ]),
        _House("南院", "1", "1", "102", [
            _p("闫爱民", "男", 1955, "13700000001", (E,), ("老党员，曾在兵工厂做维修;银发爱心义剪队队长",)),
            _p("高秀荣", "女", 1957, "m", (E,)),
        ]),
        _House("邮电园小区", "1", "2", "301", [
            _p("孙志刚", "男", 1958, "13700000002", (E,), ("夕阳维修队队长",)),
            _p("李淑芬", "女", 1960, "m", (E,)),
        ]),
        _House("平安南大街甲12号院", "1", "1", "502", [
            _p("陈晓东", "男", 1985, "13700000003"),
            _p("马静", "女", 1987, "m"),
            _p("陈子轩", "男", 2015, None, (C,)),
        ]),
        _House("建胜小区", "2", "3", "401", [_p("赵建军", "男", 1966, "m"), _p("田丽", "女", 1968, "m")]),
        _House("邮电园小区", "4", "1", "101", [
            _p("刘立新", "男", 1972, "m"), _p("韩红梅", "女", 1974, "m"), _p("刘佳琪", "女", 2001, "m"),
        ]),
        _House("邮电园小区", "4", "2", "602", [_p("何鹏飞", "男", 1994, "m"), _p("徐倩", "女", 1995, "m")]),
    ]


def _fixed_partner_houses() -> list[_House]:
    return [
        _House("古城小区", "2", "1", "301", [
            _p("刘桂芝", "女", 1950, "13800000004", (CareCategory.ELDERLY,)),
            _p("段福海", "男", 1947, "m", (CareCategory.ELDERLY,)),
        ]),
        _House("西谷窖小区", "8", "1", "402", [
            _p("牛秀兰", "女", 1942, None, (CareCategory.ELDERLY, CareCategory.LIVING_ALONE),
               ("独居，冬季需关注供暖",)),
        ], living_alone=True),
    ]


_ALONE_NOTES = ("子女在外地工作", "老伴已去世，子女在本市", "子女在国外", "无子女，需定期探望", "子女在外省")
_DISABLED_NOTES = ("肢体残疾", "视力残疾", "听力残疾", "言语残疾")
_HARDSHIP_NOTES = ("低保户", "特困供养", "因病致困", "低收入家庭")


class _Generator:
    def __init__(self, rng: random.Random, namer: _Namer):
        self.rng = rng
        self.namer = namer

    def year(self, lo: int, hi: int) -> int:
        return self.rng.randint(lo, hi)

    def person(self, gender: str, lo: int, hi: int, surname: str | None = None) -> _Person:
        y = self.year(lo, hi)
        return _Person(self.namer.name(gender, y, surname), gender, y)

    def living_alone(self) -> list[_Person]:
        gender = "女" if self.rng.random() < 0.68 else "男"  # widows outnumber widowers
        return [self.person(gender, 1935, 1958)]

    def household(self) -> list[_Person]:
        kind = self.rng.choices(
            ["elderly_couple", "young_family", "middle_family", "young_couple", "three_gen", "single"],
            weights=[25, 24, 20, 12, 9, 10],
        )[0]
        s = self.namer.surname()
        if kind == "elderly_couple":
            return [self.person("男", 1936, 1960, s), self.person("女", 1938, 1962)]
        if kind == "young_family":
            members = [self.person("男", 1982, 1995, s), self.person("女", 1984, 1997)]
            members += [self.person(self.rng.choice("男女"), 2010, 2023, s)
                        for _ in range(self.rng.choice((1, 1, 2)))]
            if self.rng.random() < 0.3:
                members.append(self.person("女", 1945, 1960))
            return members
        if kind == "middle_family":
            return [self.person("男", 1963, 1980, s), self.person("女", 1965, 1982),
                    self.person(self.rng.choice("男女"), 1995, 2008, s)]
        if kind == "young_couple":
            return [self.person("男", 1988, 2000, s), self.person("女", 1990, 2001)]
        if kind == "three_gen":
            return [self.person("男", 1940, 1955, s), self.person("女", 1942, 1957),
                    self.person("男", 1968, 1985, s), self.person("女", 1970, 1987),
                    self.person(self.rng.choice("男女"), 2008, 2022, s)]
        return [self.person(self.rng.choice("男女"), 1960, 2002)]


def _address_pool(spec: _CommunitySpec, rng: random.Random, scale: int) -> list[tuple[str, str, str, str]]:
    pool = [
        (c.name, str(b), str(u), f"{f}0{d}")
        for c in spec.compounds
        for b in range(1, c.buildings * scale + 1)
        for u in range(1, c.units + 1)
        for f in range(1, c.floors + 1)
        for d in range(1, c.doors + 1)
    ]
    rng.shuffle(pool)
    return pool


def _build_register(
    rng: random.Random, namer: _Namer, spec: _CommunitySpec, fixed: list[_House], total: int
) -> list[_House]:
    """Households of one community with exactly ``total`` residents, ~18% elderly living alone."""
    gen = _Generator(rng, namer)
    for house in fixed:
        for person in house.members:
            namer.names.add(person.name)
    houses = list(fixed)
    count = sum(len(h.members) for h in houses)
    capacity = sum(c.buildings * c.units * c.floors * c.doors for c in spec.compounds)
    scale = max(1, math.ceil(total / capacity))  # more buildings for a big demo
    taken = {(h.compound, h.building, h.unit, h.room) for h in houses}
    pool = [a for a in _address_pool(spec, rng, scale) if a not in taken]

    alone_target = round(total * 0.18) - sum(1 for h in houses if h.living_alone)
    generated: list[_House] = []
    for _ in range(max(0, min(alone_target, total - count))):
        generated.append(_House(*pool.pop(), members=gen.living_alone(), living_alone=True))
        count += 1
    while count < total:
        members = gen.household()[: total - count]
        generated.append(_House(*pool.pop(), members=members))
        count += len(members)
    # Interleave so living-alone households are spread over the compounds' addresses.
    rng.shuffle(generated)
    return houses + generated


def _assign_care(rng: random.Random, houses: list[_House], namer: _Namer, pregnant: int) -> None:
    people = [p for h in houses for p in h.members]
    for house in houses:
        for p in house.members:
            if p.age >= 65:
                p.care.add(CareCategory.ELDERLY)
            if p.age < 14:
                p.care.add(CareCategory.CHILD)
            if house.living_alone and p.age >= 65 and CareCategory.LIVING_ALONE not in p.care:
                p.care.add(CareCategory.LIVING_ALONE)
                p.notes.append(rng.choice(_ALONE_NOTES))
    untouched = [p for p in people if not p.fixed]
    adults = [p for p in untouched if p.age >= 18]
    for p in rng.sample(adults, k=min(len(adults), round(len(people) * 0.04))):
        p.care.add(CareCategory.DISABLED)
        p.notes.append(rng.choice(_DISABLED_NOTES))
        if rng.random() < 0.5:
            p.care.add(CareCategory.LIMITED_MOBILITY)
    hardship_pool = [p for p in untouched if p.age >= 30 and CareCategory.DISABLED not in p.care]
    for p in rng.sample(hardship_pool, k=min(len(hardship_pool), round(len(people) * 0.04))):
        p.care.add(CareCategory.HARDSHIP)
        p.notes.append(rng.choice(_HARDSHIP_NOTES))
    for p in people:
        if p.age >= 82 and not p.fixed and CareCategory.LIMITED_MOBILITY not in p.care and rng.random() < 0.5:
            p.care.add(CareCategory.LIMITED_MOBILITY)
            p.notes.append("行动不便")
    women = [p for p in untouched if p.gender == "女" and 24 <= p.age <= 36 and not p.care]
    for p in rng.sample(women, k=min(len(women), pregnant)):
        p.care.add(CareCategory.PREGNANT)
        p.notes.append(f"孕期，预产期{rng.randint(1, 12)}月")
    # Mobiles: many of the oldest have none (staff act for them), children under 16 never.
    for p in people:
        if p.mobile == "m":
            p.mobile = namer.mobile()
        elif not p.fixed:
            chance_none = 1.0 if p.age < 16 else 0.6 if p.age >= 85 else 0.3 if p.age >= 75 else 0.0
            p.mobile = None if rng.random() < chance_none else namer.mobile()


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------

def _at(day: date, hh: int, mm: int = 0) -> datetime:
    """Local wall time in the community's zone -> aware UTC."""
    return datetime.combine(day, time(hh, mm), tzinfo=_TZ).astimezone(UTC)


def _next_weekday(today: date, weekday: int, weeks: int = 0) -> date:
    days = (weekday - today.weekday()) % 7 or 7
    return today + timedelta(days=days + 7 * weeks)


def _month_day(today: date, day: int, months_offset: int) -> date:
    month_index = today.year * 12 + today.month - 1 + months_offset
    return date(month_index // 12, month_index % 12 + 1, day)


def _next_26th(today: date) -> date:
    return _month_day(today, 26, 0 if today.day < 26 else 1)


def _count(result) -> int | None:
    if result is None:
        return None
    if isinstance(result, int):
        return result
    try:
        return len(result)
    except TypeError:
        return None


def _add_account(
    session: Session,
    *,
    mobile: str,
    name: str,
    community_id: int,
    password_hash: str,
    roles: tuple[str, ...],
    resident_id: int | None = None,
) -> Account:
    now = utcnow()
    account = Account(
        mobile=mobile, password_hash=password_hash, display_name=name, community_id=community_id,
        resident_id=resident_id, password_changed_at=now,
        elder_mode=False,
    )
    session.add(account)
    session.flush()
    for role in roles:
        if role == Role.RESIDENT:
            scope = None  # as sign_up does
        elif role == Role.ADMIN:
            scope = None  # deployment-wide, as create_admin(community_id=None) does
        else:
            scope = community_id
        session.add(RoleGrant(account_id=account.id, role=role, community_id=scope))
    if Role.ADMIN in roles:
        session.add(RoleGrant(account_id=account.id, role=Role.STAFF, community_id=community_id))
    return account


# ---------------------------------------------------------------------------------------------
# The seed
# ---------------------------------------------------------------------------------------------

def seed_demo(session: Session, *, residents: int = 200, rng_seed: int = 2026) -> DemoSummary:
    """Load the demo community into an empty deployment. Commits.

    Refuses (Conflict) when a demo community or a demo account's mobile already exists, so
    it can never double-seed.
    """
    if residents < MIN_RESIDENTS:
        raise ValidationError("cli.seed.residents_min", field="residents", n=MIN_RESIDENTS)
    existing = session.exec(
        select(Community.code).where(Community.code.in_([MAIN_CODE, PARTNER_CODE]))
    ).first()
    if existing is not None:
        raise Conflict("cli.seed.already", code=existing)
    mobiles = [m for _, m, _, _ in DEMO_ACCOUNTS]
    taken = session.exec(select(Account.mobile).where(Account.mobile.in_(mobiles))).first()
    if taken is not None:
        raise Conflict("cli.seed.mobile_taken", mobile=taken)

    rng = random.Random(rng_seed)
    now = utcnow()
    today = now.astimezone(_TZ).date()
    reserved_names = {n for _, _, n, _ in DEMO_ACCOUNTS}
    namer = _Namer(rng, reserved_names, set(mobiles))

    # --- communities, grids, compounds, households, residents -------------------------------
    partner_total = max(20, residents // 5)
    registers = {
        MAIN_CODE: _build_register(rng, namer, _MAIN, _fixed_main_houses(), residents),
        PARTNER_CODE: _build_register(rng, namer, _PARTNER, _fixed_partner_houses(), partner_total),
    }
    _assign_care(rng, registers[MAIN_CODE], namer, pregnant=2)
    _assign_care(rng, registers[PARTNER_CODE], namer, pregnant=0)

    communities: dict[str, Community] = {}
    people: dict[str, dict[str, _Person]] = {}
    households = 0
    for spec in (_MAIN, _PARTNER):
        community = Community(
            code=spec.code, name=spec.name, sub_district=SUB_DISTRICT, address=spec.address,
            hotline=spec.hotline, created_at=now,
        )
        session.add(community)
        session.flush()
        communities[spec.code] = community
        cid = community.id

        compounds = {c.name: Compound(community_id=cid, name=c.name) for c in spec.compounds}
        session.add_all(compounds.values())
        grids: dict[str, Grid] = {}
        for gname in dict.fromkeys(m.grid for m in spec.micro_grids):
            leader = spec.grid_leaders[gname]
            phone = "13900000003" if leader == "刘婷" else namer.mobile()
            grids[gname] = Grid(community_id=cid, name=gname, leader_name=leader, leader_phone=phone)
        session.add_all(grids.values())
        session.flush()

        micro: dict[tuple[str, int], Grid] = {}
        numbering: dict[str, int] = {}
        for m in spec.micro_grids:
            numbering[m.grid] = numbering.get(m.grid, 0) + 1
            g = Grid(community_id=cid, parent_id=grids[m.grid].id, name=f"{m.grid}{numbering[m.grid]}号微网格")
            micro[(m.compound, m.part)] = g
        session.add_all(micro.values())
        session.flush()

        houses = registers[spec.code]
        max_building = {c.name: max(int(h.building) for h in houses if h.compound == c.name)
                        for c in spec.compounds if any(h.compound == c.name for h in houses)}
        parts = {m.compound: m.parts for m in spec.micro_grids}
        for h in houses:
            n_parts = parts[h.compound]
            buildings = max(max_building[h.compound], next(
                c.buildings for c in spec.compounds if c.name == h.compound))
            part = min(n_parts - 1, (int(h.building) - 1) * n_parts // buildings)
            h.household = Household(
                community_id=cid, compound_id=compounds[h.compound].id, grid_id=micro[(h.compound, part)].id,
                building=h.building, unit=h.unit, room=h.room,
            )
        session.add_all([h.household for h in houses])
        session.flush()
        households += len(houses)

        by_name: dict[str, _Person] = {}
        for h in houses:
            for p in h.members:
                p.resident = Resident(
                    community_id=cid, household_id=h.household.id, name=p.name, mobile=p.mobile,
                    birth_year=p.birth_year, gender=p.gender, note=";".join(p.notes)[:500], created_at=now,
                )
                by_name[p.name] = p
        session.add_all([p.resident for p in by_name.values()])
        session.flush()
        session.add_all([
            ResidentCare(resident_id=p.resident.id, category=c)
            for p in by_name.values() for c in sorted(p.care)
        ])
        people[spec.code] = by_name

        # 微网格长: an adult of the micro-grid with a phone, not one of the demo accounts.
        for g in micro.values():
            candidates = [
                p for h in houses if h.household.grid_id == g.id for p in h.members
                if p.mobile and 1950 <= p.birth_year <= 1990 and p.name not in reserved_names
            ]
            if candidates:
                leader = rng.choice(candidates)
                g.leader_name, g.leader_phone = leader.name, leader.mobile
            else:
                g.leader_name = namer.name("女", 1970)
                g.leader_phone = namer.mobile()
            session.add(g)
    session.flush()

    main, partner = communities[MAIN_CODE], communities[PARTNER_CODE]
    mp, pp = people[MAIN_CODE], people[PARTNER_CODE]

    # --- accounts (one hash for all) ------------------------------------------------------------
    password_hash = hash_password(DEMO_PASSWORD)
    accounts: dict[str, Account] = {}
    for _label, mobile, name, _pw in DEMO_ACCOUNTS:
        code, roles = _ACCOUNT_ROLES[mobile]
        resident = people[code].get(name).resident if Role.RESIDENT in roles else None
        accounts[name] = _add_account(
            session, mobile=mobile, name=name, community_id=communities[code].id,
            password_hash=password_hash, roles=roles, resident_id=resident.id if resident else None,
        )
    accounts["李秀英"].elder_mode = True
    session.add(accounts["李秀英"])
    session.flush()
    secretary, grid_worker = accounts["蔡铮欣"], accounts["刘婷"]
    partner_staff = accounts["路晓红"]

    # --- teams and members ------------------------------------------------------------------
    def pool(by_name: dict[str, _Person], lo: int, hi: int) -> list[_Person]:
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
        (MAIN_CODE, "红色朗诵团", "arts", "经典诵读，每周一晚排练。", None, (1945, 1975), 6),
        (MAIN_CODE, "夕阳红模特队", "arts", "时装走秀与形体训练。", None, (1950, 1972), 6),
        (PARTNER_CODE, "近邻志愿服务队", "mutual_aid",
         "与东风路南社区联合开展防养老诈骗宣传、免费理发等跨区融合服务。", None, (1950, 1995), 5),
        (PARTNER_CODE, "古城义警巡逻队", "patrol", "楼宇安全排查和夜间巡逻。", None, (1955, 1995), 4),
    ]
    teams: dict[str, Team] = {}
    members: dict[str, list[_Person]] = {}
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

    # --- points: carried over, activities (past attended, upcoming signed up) -------------------
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
        day = _month_day(_next_26th(today), 26, -months_ago)
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
         "社区老年活动中心", _next_26th(today), (9, 0), (11, 30), 10),
        (MAIN_CODE, "治安巡防服务队", "夜间治安巡逻", "沿东风路、建胜路巡逻，检查楼道消防隐患。", "社区党群服务中心集合",
         _next_weekday(today, 2), (19, 0), (21, 0), 5),
        (MAIN_CODE, "夕阳维修队", "广场桌椅和健身器材维修", "维修广场上的长椅、凉亭和健身器材。", "初心亭广场",
         _next_weekday(today, 5), (9, 0), (11, 0), 10),
        (MAIN_CODE, "关爱未成年服务队", "周末作业辅导", "为小学生辅导作业。", "社区自习室",
         _next_weekday(today, 5), (14, 0), (16, 0), 5),
        (MAIN_CODE, "敬老爱老服务队", "独居老人定期探望", "两人一组入户探望独居老人，了解需求。", "各小区",
         _next_weekday(today, 1), (15, 0), (17, 0), 8),
        (MAIN_CODE, "安全文明服务队", "楼宇服务日消防安全检查", "每周五楼宇服务日，检查楼道杂物和电动车飞线充电。",
         "邮电园小区", _next_weekday(today, 4), (9, 0), (11, 0), 5),
        (MAIN_CODE, "党员教育服务队", "主题党日：党员亮身份", "学习交流，认领服务岗位。", "社区党群服务中心",
         _next_weekday(today, 3), (9, 30), (11, 0), 5),
        (PARTNER_CODE, "近邻志愿服务队", "跨区融合：防养老诈骗宣传暨免费理发",
         "古城社区与东风路南社区银发爱心义剪队联合开展。", "古城社区党群服务中心",
         _next_weekday(today, 5, weeks=1), (9, 0), (11, 30), 10),
    ]
    activities: list[tuple[Activity, str, bool]] = []
    for code, team_name, title, desc, location, day, start, end, points in activity_specs:
        act = Activity(
            community_id=communities[code].id, team_id=teams[team_name].id, title=title, description=desc,
            location=location, starts_at=_at(day, *start), ends_at=_at(day, *end), points=points,
            created_at=min(now, _at(day, *start) - timedelta(days=14)),
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

    # --- points supermarket (爱心积分超市) ------------------------------------------------------
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

    # --- classes (清瑞课堂 and groups) -------------------------------------------------------------
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
        first = _next_weekday(today, weekday, weeks=-1 if n > 1 else 0)
        for i in range(n + (1 if n > 1 else 0)):
            day = first + timedelta(weeks=i)
            session.add(CourseSession(course_id=course.id, starts_at=_at(day, *start), ends_at=_at(day, *end),
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

    # --- mediation (小胡说事 style: step in fast, establish responsibility, report every step) ----
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

    # --- requests and opinions (诉求与民意) with the five steps -----------------------------------
    def request(community: Community, person: _Person | None, category, description, location, urgent, status,
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

    # --- 民情日记 ------------------------------------------------------------------------------------
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

    audit.record(session, None, "demo.seed", target_type="community", target_id=main.id,
                 community_id=main.id, residents=residents, rng_seed=rng_seed)
    session.commit()

    # --- the service catalogue (义剪, 上门理发, 维修, 功能室 ...) and its upcoming days ------------------
    from community_app.services.catalogue import ensure_default_catalogue, generate_days

    ensure_default_catalogue(session, main.id)
    ensure_default_catalogue(session, partner.id)
    days = generate_days(session)
    session.commit()
    bookings = _seed_bookings(session, main, mp, accounts, teams, reserved_names, rng, now)

    return DemoSummary(
        community_ids={code: c.id for code, c in communities.items()},
        residents=len(mp),
        residents_total=len(mp) + len(pp),
        households=households,
        accounts=len(accounts),
        teams=len(teams),
        courses=len(courses),
        activities=len(activities),
        mediation_cases=len(cases),
        requests=len(requests),
        service_days=_count(days),
        bookings=bookings,
    )


# ---------------------------------------------------------------------------------------------
# Bookings (预约 / 报修): a history of done and rated visits, and what staff find today
# ---------------------------------------------------------------------------------------------

def _seed_bookings(session: Session, community: Community, people: dict[str, _Person],
                   accounts: dict[str, Account], teams: dict[str, Team], reserved: set[str],
                   rng: random.Random, now: datetime) -> int:
    """Bookings of the main community, so every booking page has something real on it:
    visits done and rated in the past months (written as history), and, through the booking
    services themselves (so capacity, limits, timelines, notifications and the audit log are
    exactly what the app would produce): 李秀英's home haircut assigned to 闫爱民, part of the
    next 义剪 day booked (every slot keeps a free place), and new requests waiting in the
    staff queue. The demo accounts other than 李秀英 are left without bookings: they are the
    ones a visitor tries booking with. Returns how many bookings there are."""
    from community_app.services import booking as svc
    from community_app.services.access import load_actor
    from community_app.services.errors import DomainError

    types = {t.code: t for t in session.exec(select(ServiceType).where(ServiceType.community_id == community.id))}
    today = now.astimezone(_TZ).date()
    staff = load_actor(session, accounts["蔡铮欣"])
    elders = [p for p in people.values() if p.name not in reserved and p.resident is not None
              and p.resident.household_id is not None and p.age >= 60]
    rng.shuffle(elders)
    alone = [p for p in elders if "living_alone" in p.care] or elders
    others = [p for p in elders if p not in alone] or elders
    count = 0

    def address(p: _Person) -> str:
        return svc.household_address(session, p.resident)

    # History: done, most of it rated (居民满意度). Written directly, with the full timeline.
    history = [
        ("home_haircut", alone[0], "腿脚不好下不了楼，想理个短发。", "闫爱民", "银发爱心义剪队", 33,
         "剪了短发，顺便修了胡子。", 5, "闫师傅手艺好，还陪我聊了会儿天。"),
        ("appliance_repair", others[0], "电视机有声音没图像。", "孙志刚", "夕阳维修队", 41,
         "换了背光灯条，图像恢复。", 5, "修得快，一分钱没收，谢谢维修队！"),
        ("gas_check", alone[1 % len(alone)], "燃气灶打不着火。", "孙志刚", "夕阳维修队", 20,
         "换了电池和气阀，检测无漏气。", 4, ""),
        ("plumbing", others[1 % len(others)], "厨房水龙头一直滴水。", "孙志刚", "夕阳维修队", 12,
         "换了阀芯。", None, ""),
    ]
    for code, person, text, who, team_name, days_ago, note, rating, comment in history:
        stype, volunteer = types[code], accounts[who]
        created = _at(today - timedelta(days=days_ago), 9, 20)
        visit = _at(today - timedelta(days=days_ago - 2), 15, 0)
        assignee = f"{who}（{team_name}）"
        b = Booking(community_id=community.id, service_type_id=stype.id, resident_id=person.resident.id,
                    status="done", description=text, address=address(person), scheduled_at=visit,
                    assignee_name=assignee, assignee_account_id=volunteer.id, assignee_team_id=teams[team_name].id,
                    completion_note=note, rating=rating, rating_comment=comment, created_by_account_id=staff.account_id,
                    on_behalf=True, created_at=created, updated_at=visit + timedelta(hours=1))
        session.add(b)
        session.flush()
        session.add_all([
            BookingEvent(booking_id=b.id, status="submitted", actor_account_id=staff.account_id, created_at=created),
            BookingEvent(booking_id=b.id, status="approved", actor_account_id=staff.account_id,
                         created_at=created + timedelta(hours=1)),
            BookingEvent(booking_id=b.id, status="assigned", actor_account_id=staff.account_id, assignee_name=assignee,
                         scheduled_at=visit, created_at=created + timedelta(hours=1)),
            BookingEvent(booking_id=b.id, status="done", actor_account_id=volunteer.id, note=note,
                         created_at=visit + timedelta(hours=1)),
        ])
        count += 1
    session.commit()

    def attempt(fn, **kw) -> Booking | None:
        """A demo step that the rules may refuse on some dates (e.g. the 义剪 day is today
        and its slots have started): skipped, the rest of the demo goes on."""
        try:
            return fn(session, **kw)
        except DomainError:
            session.rollback()
            return None

    # 李秀英 (78, lives alone) asked for a home haircut; staff sent 闫爱民 of the 义剪队.
    li = load_actor(session, accounts["李秀英"])
    visit_day = today + timedelta(days=2)
    made = [attempt(svc.request_service, actor=li, service_type_id=types["home_haircut"].id,
                    description="我腿脚不方便，想请师傅上门理个发，剪短一点。", preferred_times=["工作日下午"])]
    if made[-1] is not None:
        attempt(svc.assign, actor=staff, booking_id=made[-1].id, visit_at=_at(visit_day, 15, 0),
                assignee_account_id=accounts["闫爱民"].id, team_id=teams["银发爱心义剪队"].id,
                note="闫师傅会提前打电话。")

    # The next 义剪 day after today: residents who phoned were booked by staff (代办), one per
    # slot from the second slot on, so every slot still has a free chair.
    day = session.exec(select(ServiceDay).where(ServiceDay.service_type_id == types["yijian"].id,
                                                ServiceDay.status == "open", ServiceDay.day > today)
                       .order_by(ServiceDay.day)).first()
    if day is not None:
        slots = session.exec(select(ServiceSlot).where(ServiceSlot.service_day_id == day.id)
                             .order_by(ServiceSlot.number)).all()
        for slot, person in zip(slots[1:8], elders[4:11], strict=False):
            made.append(attempt(svc.book_on_behalf, actor=staff, resident_id=person.resident.id, slot_id=slot.id))

    # New requests in the staff queue (submitted a day or two ago), one approved, one assigned.
    waiting = [
        ("gas_check", alone[2 % len(alone)], "燃气灶打火很费劲，想顺便检查一下管子有没有老化。", ["工作日上午"], 2),
        ("plumbing", others[2 % len(others)], "卫生间地漏返臭味，下水也很慢。", ["周末全天"], 1),
        ("facility_report", others[3 % len(others)], "初心亭旁边的长椅木条断了两根，老人坐着不安全。", [], 1),
        ("appliance_repair", alone[3 % len(alone)], "电饭煲不加热了，指示灯也不亮。", ["工作日下午"], 3),
        ("appliance_repair", others[4 % len(others)], "洗衣机脱水时响声很大，还会挪位置。", ["工作日上午"], 4),
    ]
    for i, (code, person, text, times, days_ago) in enumerate(waiting):
        b = attempt(svc.book_on_behalf, actor=staff, resident_id=person.resident.id, service_type_id=types[code].id,
                    description=text, preferred_times=times)
        made.append(b)
        if b is None:
            continue
        if i == 3:
            attempt(svc.approve, actor=staff, booking_id=b.id)
        elif i == 4:
            attempt(svc.assign, actor=staff, booking_id=b.id, visit_at=_at(visit_day - timedelta(days=1), 10, 0),
                    assignee_account_id=accounts["孙志刚"].id, team_id=teams["夕阳维修队"].id)
        # As if they had come in over the last days (the timeline keeps its order).
        came_in = _at(today - timedelta(days=days_ago), 8 + 2 * i, 40)
        b = session.get(Booking, b.id)
        b.created_at = came_in
        session.add(b)
        first = session.exec(select(BookingEvent).where(BookingEvent.booking_id == b.id)
                             .order_by(BookingEvent.id)).first()
        first.created_at = came_in
        session.add(first)
    session.commit()
    return count + sum(1 for b in made if b is not None)
