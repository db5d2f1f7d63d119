"""One course or group: what it is, when it meets, places left, and for each person the reader
acts for (themself, a child) what they may do now: 报名, 加入候补, 申请加入, 退出 (after a
confirmation). Members see each other and the announcements; the leader decides join requests
and posts; during a session the people enrolled sign in with the teacher's code."""

from __future__ import annotations

from dataclasses import dataclass, field

import reflex as rx

from community_app import routes
from community_app.services.classes import attendance, enrolment, groups, views
from community_app.state.base import parse_id
from community_app.state.classes.base import PROGRAMME_ICONS, ClassesBase, text_of


@dataclass
class PersonRow:
    id: int = 0
    name: str = ""
    sub: str = ""  # 本人 / 4岁
    status: str = ""
    status_text: str = ""
    enrollment_id: int = 0
    reason: str = ""
    can_enrol: bool = False
    can_wait: bool = False
    can_request: bool = False
    can_withdraw: bool = False


@dataclass
class SessionRow:
    id: int = 0
    when: str = ""
    location: str = ""
    cancelled: bool = False
    note: str = ""
    checkin: bool = False
    roll: bool = False
    roll_href: str = ""


@dataclass
class MemberRow:
    enrollment_id: int = 0
    name: str = ""
    requested: bool = False
    leader: bool = False


@dataclass
class PostRow:
    id: int = 0
    body: str = ""
    meta: str = ""


@dataclass
class CourseView:
    id: int = 0
    kind: str = ""
    icon: str = ""
    programme: str = ""
    title: str = ""
    description: str = ""
    teacher: str = ""
    location: str = ""
    ages: str = ""
    places_text: str = ""
    full: bool = False
    partner: str = ""
    closed: bool = False
    ics_href: str = ""
    can_lead: bool = False
    is_member: bool = False
    people: list[PersonRow] = field(default_factory=list)
    sessions: list[SessionRow] = field(default_factory=list)
    members: list[MemberRow] = field(default_factory=list)
    posts: list[PostRow] = field(default_factory=list)
    marks: list[str] = field(default_factory=list)


class CourseState(ClassesBase):
    course: CourseView = CourseView()
    loaded: bool = False
    found: bool = False
    load_error: str = ""
    busy: bool = False
    action_error: str = ""
    checkin_session: int = 0
    checkin_error: str = ""
    post_error: str = ""
    confirm_id: int = 0  # the enrolment to end, while the confirmation is open
    confirm_text: str = ""

    def _course_id(self) -> int | None:
        return parse_id(self.router.page.params.get("course_id", ""))

    def _view(self, d: views.CourseDetail) -> CourseView:
        z = d.zone
        if d.kind == "group":
            places = self._t("classes.card.group_places", n=d.places_left) if d.places_left else \
                self._t("classes.card.group_full")
        else:
            places = self._t("classes.card.places", n=d.places_left) if d.places_left else \
                self._t("classes.card.full_wait", n=d.waiting)
        people = []
        for p in d.people:
            sub = self._t("classes.person.me") if p.is_me else (
                self._t("classes.person.age", n=p.age) if p.age is not None else self._t("classes.person.no_date"))
            status = self._t("classes.status.waiting_n", n=p.position) if p.status == "waiting" else (
                self._status(p.status, d.kind) if p.status else "")
            people.append(PersonRow(p.resident_id, p.name, sub, p.status, status, p.enrollment_id,
                                    self._refusal(p.refusal_key, p.refusal_params), p.can_enrol, p.can_wait,
                                    p.can_request, p.can_withdraw))
        sessions = [SessionRow(s.id, self._when(s.starts_at, z, end=s.ends_at), s.location, s.status == "cancelled",
                               s.note, s.checkin, s.roll, routes.class_roll(s.id)) for s in d.sessions]
        return CourseView(
            id=d.id, kind=d.kind, icon=PROGRAMME_ICONS.get(d.programme, "book-open"),
            programme=self._programme(d.programme), title=d.title, description=d.description, teacher=d.teacher,
            location=d.location, ages=self._ages(d.ages), places_text=places, full=d.places_left == 0,
            partner=self._t("classes.card.partner", name=d.partner) if d.partner else "", closed=not d.active,
            ics_href=routes.course_ics(d.id), can_lead=d.can_lead, is_member=d.is_member, people=people,
            sessions=sessions,
            members=[MemberRow(m.enrollment_id, m.name, m.status == "requested", m.is_leader) for m in d.members],
            posts=[PostRow(p.id, p.body, f"{p.author} · {self._when(p.at, z)}") for p in d.posts],
            marks=[f"{self._when(a.starts_at, z)} · {a.person} · {self._t('classes.mark.' + a.status)}"
                   for a in d.attendance],
        )

    async def _reload(self):
        course_id = self._course_id()
        if course_id is None:
            self.found, self.loaded = False, True
            return None
        out = await self._run(views.course_detail, course_id=course_id)
        self.loaded = True
        if not out.ok:
            self.found = False
            self.load_error = self._err(out.error)
            return self._refused(out) if out.signed_out else None
        self.found, self.load_error = True, ""
        self.course = self._view(out.value)
        open_now = [s.id for s in self.course.sessions if s.checkin]
        self.checkin_session = open_now[0] if open_now else 0
        return None

    @rx.event
    async def load(self):
        self.action_error = self.checkin_error = self.post_error = ""
        self.confirm_id = 0
        return await self._reload()

    async def _act(self, fn, done_key: str, **kw):
        if self.busy:
            return
        self.busy = True
        self.action_error = ""
        yield
        out = await self._run(fn, write=True, **kw)
        self.busy = False
        if not out.ok:
            if out.signed_out:
                yield self._refused(out)
                return
            self.action_error = self._err(out.error)
            yield await self._reload()
            return
        yield await self._reload()
        yield rx.toast.success(self._t(done_key))

    @rx.event
    async def enrol(self, resident_id: int):
        rid, cid = parse_id(resident_id), self._course_id()
        if rid and cid:
            async for ev in self._act(enrolment.enrol, "classes.done.enrolled", course_id=cid, resident_id=rid):
                yield ev

    @rx.event
    async def wait(self, resident_id: int):
        rid, cid = parse_id(resident_id), self._course_id()
        if rid and cid:
            async for ev in self._act(enrolment.join_waitlist, "classes.done.waiting", course_id=cid, resident_id=rid):
                yield ev

    @rx.event
    async def request(self, resident_id: int):
        rid, cid = parse_id(resident_id), self._course_id()
        if rid and cid:
            async for ev in self._act(groups.request_join, "classes.done.requested", course_id=cid, resident_id=rid):
                yield ev

    @rx.event
    def ask_withdraw(self, enrollment_id: int):
        eid = parse_id(enrollment_id)
        person = next((p for p in self.course.people if p.enrollment_id == eid), None) if eid else None
        if person is None:
            return
        self.confirm_id = eid
        key = {"waiting": "classes.confirm.leave_wait", "requested": "classes.confirm.cancel_request"}.get(
            person.status, "classes.confirm.withdraw")
        self.confirm_text = self._t(key, name=person.name, course=self.course.title)

    @rx.event
    def close_confirm(self):
        self.confirm_id = 0

    @rx.event
    async def confirm_withdraw(self):
        eid = self.confirm_id
        self.confirm_id = 0
        if eid:
            async for ev in self._act(enrolment.withdraw, "classes.done.withdrawn", enrollment_id=eid):
                yield ev

    @rx.event
    async def check_in(self, form: dict):
        sid = self.checkin_session
        if not sid or self.busy:
            return
        self.busy = True
        self.checkin_error = ""
        yield
        out = await self._run(attendance.check_in, write=True, session_id=sid, code=text_of(form, "code", 12))
        self.busy = False
        if not out.ok:
            if out.signed_out:
                yield self._refused(out)
                return
            self.checkin_error = self._err(out.error)
            return
        yield await self._reload()
        yield rx.toast.success(self._t("classes.done.checked_in", names=self._t("english.list_sep").join(out.value)))

    @rx.event
    async def decide(self, enrollment_id: int, approve: bool):
        eid = parse_id(enrollment_id)
        if eid:
            key = "classes.done.approved" if approve is True else "classes.done.declined"
            async for ev in self._act(groups.decide_request, key, enrollment_id=eid, approve=approve is True):
                yield ev

    @rx.event
    async def post(self, form: dict):
        cid = self._course_id()
        if not cid or self.busy:
            return
        self.busy = True
        self.post_error = ""
        yield
        out = await self._run(groups.post_announcement, write=True, course_id=cid, body=text_of(form, "body"))
        self.busy = False
        if not out.ok:
            if out.signed_out:
                yield self._refused(out)
                return
            self.post_error = self._err(out.error)
            return
        yield rx.set_value("post-body", "")
        yield await self._reload()
        yield rx.toast.success(self._t("classes.done.posted"))

    @rx.event
    async def unpost(self, post_id: int):
        pid = parse_id(post_id)
        if pid:
            async for ev in self._act(groups.remove_post, "classes.done.unposted", post_id=pid):
                yield ev
