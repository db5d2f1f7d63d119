"""户卡: one household of the register, its members and their care categories, the services
received, cases, 诉求, the 民情日记 and care-category history; editing a member, changing care
categories with a reason, recording a move-out, adding a member and writing a diary entry."""

from __future__ import annotations

from dataclasses import dataclass, field

import reflex as rx

from community_app import routes
from community_app.i18n import t
from community_app.models import CareCategory
from community_app.services.core.clock import community_zone
from community_app.services.register import diary, households, people
from community_app.services.register.people import PersonFields
from community_app.state.base import AppState, parse_id
from community_app.state.register.common import care_text, gender_text, id_str, when

CARE = tuple(c.value for c in CareCategory)


@dataclass
class MemberRow:
    id: str = ""
    name: str = ""
    gender: str = ""  # 男 / 女, as stored (the edit form's value)
    gender_label: str = ""
    age: str = ""
    birth: str = ""
    mobile: str = ""
    note: str = ""
    care: list[str] = field(default_factory=list)
    care_text: str = ""
    account: bool = False
    moved_out: bool = False


@dataclass
class Line:
    """One line of a list on the page (a service, a case, a 诉求, a diary entry, a care change)."""

    id: str = ""
    title: str = ""
    sub: str = ""
    body: str = ""
    when: str = ""
    href: str = ""
    status: str = ""


def _text(form: dict, key: str) -> str:
    value = form.get(key, "") if isinstance(form, dict) else ""
    return value if isinstance(value, str) else ""


def _detail(session, actor, household_id: int):
    return households.household_detail(session, actor, household_id=household_id), community_zone(
        session, actor.community_id)


class HouseholdState(AppState):
    found: bool = False
    loaded: bool = False
    household_id: int = 0
    address: str = ""
    grid: str = ""
    leader: str = ""
    members: list[MemberRow] = []
    services: list[Line] = []
    cases: list[Line] = []
    requests: list[Line] = []
    diary: list[Line] = []
    care_history: list[Line] = []
    can_edit: bool = False
    busy: bool = False
    # dialogs: "", "edit", "care", "move", "add"
    dialog: str = ""
    target: MemberRow = MemberRow()
    care_pick: list[str] = []
    errors: dict[str, str] = {}
    message: str = ""
    diary_kind: str = "visit"
    diary_person: str = ""
    diary_errors: dict[str, str] = {}

    def _household_id(self) -> int | None:
        return parse_id(self.router.page.params.get("household_id", ""))

    @rx.event
    async def load(self):
        hid = self._household_id()
        self.loaded, self.dialog = False, ""
        if hid is None:
            self.found, self.loaded = False, True
            return None
        out = await self._run(_detail, hid, role="staff")
        self.loaded = True
        if not out.ok:
            self.found = False
            return None if out.error is not None else self._refused(out)
        d, zone = out.value
        loc = self._loc()
        self.found, self.household_id = True, d.id
        self.address = d.address
        self.grid = " · ".join(x for x in (d.grid, d.micro_grid) if x)
        self.leader = f"{d.leader} {d.leader_phone}".strip()
        self.can_edit = d.can_edit
        self.members = [MemberRow(str(m.resident_id), m.name, m.gender, gender_text(m.gender, loc), id_str(m.age), m.birth,
                                  m.mobile, m.note, m.care, care_text(m.care, loc), m.has_account, m.moved_out)
                        for m in d.members]
        self.services = [Line(str(s.booking_id), s.service, s.person, t(f"booking.status.{s.status}", loc),
                              when(s.at, zone, loc), status=s.status) for s in d.services]
        self.cases = [Line(str(c.case_id), c.title, "", c.status, when(c.at, zone, loc)) for c in d.cases]
        self.requests = [Line(str(r.request_id), t(f"request.category.{r.category}", loc), "",
                              r.description, when(r.at, zone, loc), routes.staff_request(r.request_id),
                              t(f"request.status.{r.status}", loc)) for r in d.requests]
        self.diary = [Line(str(e.id), t(f"diary.kind.{e.kind}", loc), " · ".join(x for x in (e.author, e.person) if x),
                           e.body, when(e.at, zone, loc)) for e in d.diary]
        self.care_history = [Line("", c.person, c.author, self._care_change(c, loc), when(c.at, zone, loc))
                             for c in d.care_history]
        self.diary_person = ""
        return None

    def _care_change(self, c, loc: str) -> str:
        parts = []
        if c.added:
            parts.append(t("household.care.added", loc, cats=care_text(c.added, loc)))
        if c.removed:
            parts.append(t("household.care.removed", loc, cats=care_text(c.removed, loc)))
        return "；".join(parts) + (f"（{c.reason}）" if loc == "zh_CN" else f" ({c.reason})")

    # ---- dialogs
    def _member(self, member_id) -> MemberRow | None:
        return next((m for m in self.members if m.id == member_id), None) if isinstance(member_id, str) else None

    @rx.event
    def open_dialog(self, kind: str, member_id: str = ""):
        if kind not in ("edit", "care", "move", "add") or not self.can_edit:
            return
        member = self._member(member_id) if kind != "add" else MemberRow()
        if member is None:
            return
        self.target, self.errors, self.message = member, {}, ""
        self.care_pick = list(member.care)
        self.dialog = kind

    @rx.event
    def close_dialog(self):
        self.dialog = ""

    @rx.event
    def toggle_care(self, key: str):
        if key in CARE:
            self.care_pick = [c for c in self.care_pick if c != key] if key in self.care_pick else [*self.care_pick, key]

    async def _act(self, fn, done_key: str, **kwargs):
        if self.busy:
            return
        self.busy = True
        yield
        out = await self._run(fn, write=True, role="staff", **kwargs)
        self.busy = False
        if not out.ok:
            if out.error is not None:
                self.errors, self.message = self._form_errors(out.error)
            else:
                yield self._refused(out)
            return
        self.dialog = ""
        yield rx.toast.success(self._t(done_key))
        yield HouseholdState.load

    @rx.event
    async def submit_member(self, form: dict):
        person = PersonFields(name=_text(form, "name"), mobile=_text(form, "mobile"), gender=_text(form, "gender"),
                              birth=_text(form, "birth"), note=_text(form, "note"))
        if self.dialog == "add":
            gen = self._act(people.add_resident, "household.added", person=person, household_id=self.household_id,
                            care=list(self.care_pick))
        else:
            gen = self._act(people.update_resident, "household.saved", resident_id=parse_id(self.target.id) or 0,
                            person=person)
        async for event in gen:
            yield event

    @rx.event
    async def submit_care(self, form: dict):
        async for event in self._act(people.set_care, "household.care_saved", resident_id=parse_id(self.target.id) or 0,
                                     categories=list(self.care_pick), reason=_text(form, "reason")):
            yield event

    @rx.event
    async def submit_move(self, form: dict):
        async for event in self._act(people.move_out, "household.moved", resident_id=parse_id(self.target.id) or 0,
                                     reason=_text(form, "reason")):
            yield event

    # ---- 民情日记
    @rx.event
    def pick_diary_kind(self, value: str):
        if value in diary.DIARY_KINDS:
            self.diary_kind = value

    @rx.event
    def pick_diary_person(self, value: str):
        if value == "" or self._member(value) is not None:
            self.diary_person = value

    @rx.event
    async def submit_diary(self, form: dict):
        if self.busy:
            return
        self.busy = True
        yield
        out = await self._run(diary.add_entry, household_id=self.household_id, kind=self.diary_kind,
                              body=_text(form, "body"), resident_id=parse_id(self.diary_person),
                              write=True, role="staff")
        self.busy = False
        if not out.ok:
            if out.error is not None:
                self.diary_errors = {out.error.field or "body": self._error_text(out.error)}
            else:
                yield self._refused(out)
            return
        self.diary_errors = {}
        yield rx.set_value("diary-body", "")
        yield rx.toast.success(self._t("household.diary_saved"))
        yield HouseholdState.load
