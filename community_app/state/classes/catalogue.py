"""课堂: the courses and groups open to the reader, with the filters 全部 / 适合我 / 适合孩子 /
长辈课堂, and 我的课程."""

from __future__ import annotations

from dataclasses import dataclass, field

import reflex as rx

from community_app import routes
from community_app.services.classes import views
from community_app.state.classes.base import PROGRAMME_ICONS, ClassesBase


@dataclass
class CardRow:
    id: int = 0
    href: str = ""
    kind: str = ""
    icon: str = ""
    programme: str = ""
    title: str = ""
    teacher: str = ""
    location: str = ""
    ages: str = ""
    next_text: str = ""
    places_text: str = ""
    full: bool = False
    partner: str = ""
    mine: str = ""


class ClassesState(ClassesBase):
    audience: str = "all"
    cards: list[CardRow] = []
    loaded: bool = False
    load_error: str = ""

    @rx.var
    def courses(self) -> list[CardRow]:
        return [c for c in self.cards if c.kind == "course"]

    @rx.var
    def groups(self) -> list[CardRow]:
        return [c for c in self.cards if c.kind == "group"]

    async def _fetch(self):
        out = await self._run(views.catalogue, audience=self.audience)
        self.loaded = True
        if not out.ok:
            self.cards = []
            self.load_error = self._err(out.error)
            return self._refused(out) if out.signed_out else None
        cat: views.Catalogue = out.value
        self.load_error = ""
        self.cards = [self._card(c, cat) for c in cat.cards]
        return None

    def _card(self, c: views.CourseCard, cat: views.Catalogue) -> CardRow:
        if c.kind == "group":
            places = self._t("classes.card.group_places", n=c.places_left) if c.places_left else self._t("classes.card.group_full")
        elif c.places_left:
            places = self._t("classes.card.places", n=c.places_left)
        else:
            places = self._t("classes.card.full_wait", n=c.waiting)
        nxt = self._t("classes.card.next", when=self._when(c.next_start, cat.zone)) if c.next_start else \
            self._t("classes.card.no_sessions")
        return CardRow(
            id=c.id, href=routes.class_course(c.id), kind=c.kind, icon=PROGRAMME_ICONS.get(c.programme, "book-open"),
            programme=self._programme(c.programme), title=c.title, teacher=c.teacher, location=c.location,
            ages=self._ages(c.ages), next_text=nxt, places_text=places, full=c.places_left == 0,
            partner=self._t("classes.card.partner", name=c.partner) if c.partner else "",
            mine=self._t("classes.card.mine", names=self._t("english.list_sep").join(c.mine)) if c.mine else "",
        )

    @rx.event
    async def load(self):
        audience = self.router.url.query_parameters.get("for", "")
        self.audience = audience if audience in views.AUDIENCES else "all"
        return await self._fetch()

    @rx.event
    async def pick(self, audience: str):
        if audience not in views.AUDIENCES:
            return None
        self.audience = audience
        return await self._fetch()


@dataclass
class EntryRow:
    enrollment_id: int = 0
    href: str = ""
    title: str = ""
    person: str = ""
    status: str = ""
    status_text: str = ""


@dataclass
class UpcomingRow:
    session_id: int = 0
    href: str = ""
    title: str = ""
    when: str = ""
    location: str = ""
    people: str = ""
    checkin: bool = False


@dataclass
class TeachRow:
    session_id: int = 0
    title: str = ""
    when: str = ""
    location: str = ""
    roll_href: str = ""
    can_mark: bool = False


@dataclass
class MarkRow:
    title: str = ""
    person: str = ""
    when: str = ""
    status: str = ""
    status_text: str = ""


@dataclass
class MineView:
    enrolments: list[EntryRow] = field(default_factory=list)
    upcoming: list[UpcomingRow] = field(default_factory=list)
    teaching: list[TeachRow] = field(default_factory=list)
    marks: list[MarkRow] = field(default_factory=list)


class MyClassesState(ClassesBase):
    mine: MineView = MineView()
    loaded: bool = False

    @rx.event
    async def load(self):
        out = await self._run(views.my_classes)
        self.loaded = True
        if not out.ok:
            return self._refused(out)
        m: views.MyClasses = out.value
        z = m.zone
        self.mine = MineView(
            enrolments=[EntryRow(e.enrollment_id, routes.class_course(e.course_id), e.title, e.person, e.status,
                              self._t("classes.status.waiting_n", n=e.position) if e.status == "waiting"
                              else self._status(e.status, e.kind)) for e in m.entries],
            upcoming=[UpcomingRow(u.session_id, routes.class_course(u.course_id), u.title,
                                  self._when(u.starts_at, z, end=u.ends_at), u.location, self._t("english.list_sep").join(u.people), u.checkin)
                      for u in m.upcoming],
            teaching=[TeachRow(t.session_id, t.title, self._when(t.starts_at, z), t.location,
                               routes.class_roll(t.session_id), t.can_mark) for t in m.teaching],
            marks=[MarkRow(a.course_title, a.person, self._when(a.starts_at, z), a.status,
                           self._t(f"classes.mark.{a.status}")) for a in m.attendance],
        )
