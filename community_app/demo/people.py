"""The demo register's people and places: fixed people (the demo accounts and the parties of the
stories) and generated ones with names typical of their generation, the two communities'
compounds and grids, and small date helpers. Pure data and pure functions: no database writes
except ``add_account``."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session

from community_app.models import Account, CareCategory, Household, Resident, Role, RoleGrant, utcnow

DEMO_PASSWORD = "linli-demo-2026"
MAIN_CODE = "dfln"
PARTNER_CODE = "gucheng"
SUB_DISTRICT = "东风街道"
MIN_RESIDENTS = 40
# Ages and care categories are computed against a fixed year so a seed always gives the same
# register, whatever the date of the run.
REFERENCE_YEAR = 2026
TZ = ZoneInfo("Asia/Shanghai")

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
ACCOUNT_ROLES: dict[str, tuple[str, tuple[str, ...]]] = {
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


class Namer:
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
    """A micro-grid (微网格) of a grid: these buildings of a compound. Buildings a bigger demo
    adds beyond a compound's own go to its micro-grids in turn."""

    grid: str
    compound: str
    buildings: tuple[int, ...]


@dataclass(frozen=True)
class _CommunitySpec:
    code: str
    name: str
    address: str
    hotline: str
    compounds: tuple[_CompoundSpec, ...]
    micro_grids: tuple[_MicroSpec, ...]
    grid_leaders: dict[str, str]  # grid name -> leader (网格长)


def _one_per_building(grid: str, compound: str, buildings: int) -> tuple[_MicroSpec, ...]:
    return tuple(_MicroSpec(grid, compound, (b,)) for b in range(1, buildings + 1))


# 3 grids and 29 micro-grids (one building each: the 楼栋长 is the micro-grid leader).
MAIN_SPEC = _CommunitySpec(
    code=MAIN_CODE,
    name="东风路南社区",
    address="东风路以南、建设南大街以西（社区党群服务中心）",
    hotline="0311-86120001",
    compounds=(
        _CompoundSpec("邮电园小区", 12, 3, 6),
        _CompoundSpec("南院", 8, 2, 5),
        _CompoundSpec("建胜小区", 6, 3, 6),
        _CompoundSpec("平安南大街甲12号院", 3, 2, 7),
    ),
    micro_grids=(
        _one_per_building("第一网格", "邮电园小区", 12)
        + _one_per_building("第二网格", "南院", 8)
        + _one_per_building("第三网格", "建胜小区", 6)
        + _one_per_building("第三网格", "平安南大街甲12号院", 3)
    ),
    grid_leaders={"第一网格": "刘婷", "第二网格": "杨帆", "第三网格": "马丽"},
)

PARTNER_SPEC = _CommunitySpec(
    code=PARTNER_CODE,
    name="古城社区",
    address="古城路18号（社区党群服务中心）",
    hotline="0311-86120002",
    compounds=(_CompoundSpec("古城小区", 5, 2, 5), _CompoundSpec("西谷窖小区", 8, 2, 6)),
    micro_grids=(
        _MicroSpec("第一网格", "古城小区", (1, 2, 3, 4, 5)),
        _MicroSpec("第一网格", "西谷窖小区", (1, 2, 3, 4)),
        _MicroSpec("第一网格", "西谷窖小区", (5, 6, 7, 8)),
    ),
    grid_leaders={"第一网格": "郝文静"},
)


@dataclass(eq=False)
class Person:
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
class House:
    compound: str
    building: str
    unit: str
    room: str
    members: list[Person]
    living_alone: bool = False
    household: Household | None = None



# ---------------------------------------------------------------------------------------------
# The register: fixed people (the demo accounts and the parties of the stories) + generated ones
# ---------------------------------------------------------------------------------------------

def _p(name, gender, birth_year, mobile=None, care=(), notes=()) -> Person:
    """A fixed person; mobile "m" means "give them a generated number"."""
    return Person(name, gender, birth_year, mobile, set(care), list(notes), fixed=True)


def fixed_main_houses() -> list[House]:
    E, A, D, M, C = (
        CareCategory.ELDERLY, CareCategory.LIVING_ALONE, CareCategory.DISABLED,
        CareCategory.LIMITED_MOBILITY, CareCategory.CHILD,
    )
    return [
        House("邮电园小区", "3", "2", "201", [
            _p("李秀英", "女", 1948, "13800000001", (E, A), ("子女在外地工作，独居",)),
        ], living_alone=True),
        House("邮电园小区", "5", "1", "102", [
            _p("赵桂兰", "女", 1939, None, (E, A, D, M), ("失能老人，需上门服务;儿子赵建军住建胜小区",)),
        ], living_alone=True),
        House("南院", "2", "1", "101", [
            _p("张建国", "男", 1968, "13800000002"),
            _p("孟丽华", "女", 1970, "m"),
            _p("张浩", "男", 1996, "m"),
        ]),
        # 王芳's flat is right above 张建国's, 周海涛's above hers (the mediation stories).
        House("南院", "2", "1", "301", [_p("周海涛", "男", 1991, "m"), _p("吴婷", "女", 1993, "m")]),
        House("南院", "2", "1", "201", [
            _p("王芳", "女", 1992, "13800000003"),
            _p("陈伟", "男", 1990, "m"),
            _p("陈一诺", "女", 2021, None, (C,)),
        ]),
        House("南院", "1", "1", "102", [
            _p("闫爱民", "男", 1955, "13700000001", (E,), ("老党员，曾在兵工厂做维修;银发爱心义剪队队长",)),
            _p("高秀荣", "女", 1957, "m", (E,)),
        ]),
        House("邮电园小区", "1", "2", "301", [
            _p("孙志刚", "男", 1958, "13700000002", (E,), ("夕阳维修队队长",)),
            _p("李淑芬", "女", 1960, "m", (E,)),
        ]),
        House("平安南大街甲12号院", "1", "1", "502", [
            _p("陈晓东", "男", 1985, "13700000003"),
            _p("马静", "女", 1987, "m"),
            _p("陈子轩", "男", 2015, None, (C,)),
        ]),
        House("建胜小区", "2", "3", "401", [_p("赵建军", "男", 1966, "m"), _p("田丽", "女", 1968, "m")]),
        House("邮电园小区", "4", "1", "101", [
            _p("刘立新", "男", 1972, "m"), _p("韩红梅", "女", 1974, "m"), _p("刘佳琪", "女", 2001, "m"),
        ]),
        House("邮电园小区", "4", "2", "602", [_p("何鹏飞", "男", 1994, "m"), _p("徐倩", "女", 1995, "m")]),
    ]


def fixed_partner_houses() -> list[House]:
    return [
        House("古城小区", "2", "1", "301", [
            _p("刘桂芝", "女", 1950, "13800000004", (CareCategory.ELDERLY,)),
            _p("段福海", "男", 1947, "m", (CareCategory.ELDERLY,)),
        ]),
        House("西谷窖小区", "8", "1", "402", [
            _p("牛秀兰", "女", 1942, None, (CareCategory.ELDERLY, CareCategory.LIVING_ALONE),
               ("独居，冬季需关注供暖",)),
        ], living_alone=True),
    ]


_ALONE_NOTES = ("子女在外地工作", "老伴已去世，子女在本市", "子女在国外", "无子女，需定期探望", "子女在外省")
_DISABLED_NOTES = ("肢体残疾", "视力残疾", "听力残疾", "言语残疾")
_HARDSHIP_NOTES = ("低保户", "特困供养", "因病致困", "低收入家庭")


class _Generator:
    def __init__(self, rng: random.Random, namer: Namer):
        self.rng = rng
        self.namer = namer

    def year(self, lo: int, hi: int) -> int:
        return self.rng.randint(lo, hi)

    def person(self, gender: str, lo: int, hi: int, surname: str | None = None) -> Person:
        y = self.year(lo, hi)
        return Person(self.namer.name(gender, y, surname), gender, y)

    def living_alone(self) -> list[Person]:
        gender = "女" if self.rng.random() < 0.68 else "男"  # widows outnumber widowers
        return [self.person(gender, 1935, 1958)]

    def household(self) -> list[Person]:
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


def build_register(
    rng: random.Random, namer: Namer, spec: _CommunitySpec, fixed: list[House], total: int
) -> list[House]:
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
    generated: list[House] = []
    for _ in range(max(0, min(alone_target, total - count))):
        generated.append(House(*pool.pop(), members=gen.living_alone(), living_alone=True))
        count += 1
    while count < total:
        members = gen.household()[: total - count]
        generated.append(House(*pool.pop(), members=members))
        count += len(members)
    # Interleave so living-alone households are spread over the compounds' addresses.
    rng.shuffle(generated)
    return houses + generated


def assign_care(rng: random.Random, houses: list[House], namer: Namer, pregnant: int) -> None:
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

def at(day: date, hh: int, mm: int = 0) -> datetime:
    """Local wall time in the community's zone -> aware UTC."""
    return datetime.combine(day, time(hh, mm), tzinfo=TZ).astimezone(UTC)


def next_weekday(today: date, weekday: int, weeks: int = 0) -> date:
    days = (weekday - today.weekday()) % 7 or 7
    return today + timedelta(days=days + 7 * weeks)


def month_day(today: date, day: int, months_offset: int) -> date:
    month_index = today.year * 12 + today.month - 1 + months_offset
    return date(month_index // 12, month_index % 12 + 1, day)


def next_26th(today: date) -> date:
    return month_day(today, 26, 0 if today.day < 26 else 1)


def count_of(result) -> int | None:
    if result is None:
        return None
    if isinstance(result, int):
        return result
    try:
        return len(result)
    except TypeError:
        return None


def add_account(
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


