"""Staff: a resident's household for the classes — the members with their birth dates, completing a
birth date (an age-limited course needs it), and adding a member without an account (a child)."""

from __future__ import annotations

import reflex as rx

from community_app.services import booking
from community_app.services.classes import household
from community_app.state.base import parse_id
from community_app.state.classes.base import ClassesBase, text_of


class StaffHouseholdState(ClassesBase):
    results: list[dict[str, str]] = []
    searched: bool = False
    resident_id: str = ""
    household_id: str = ""
    address: str = ""
    members: list[dict[str, str]] = []
    errors: dict[str, str] = {}
    busy: bool = False

    @rx.event
    def load(self):
        self.results, self.searched, self.resident_id, self.members, self.errors = [], False, "", [], {}

    @rx.event
    async def search(self, form: dict):
        out = await self._run(booking.find_residents, role="staff", query=text_of(form, "q", 64))
        self.searched = True
        if not out.ok:
            self.results = []
            yield self._refused(out)
            return
        self.results = [{"id": str(r.resident_id), "name": r.name, "address": r.address, "mobile": r.mobile}
                        for r in out.value]

    async def _show(self, resident_id: int):
        out = await self._run(household.household_of, role="staff", resident_id=resident_id)
        if not out.ok:
            self.errors = {"resident": self._err(out.error)} if out.error is not None else {}
            return self._refused(out) if out.signed_out else None
        v: household.HouseholdView = out.value
        self.resident_id, self.household_id, self.address = str(resident_id), str(v.household_id), v.address
        self.members = [{
            "id": str(m.resident_id), "name": m.name, "gender": m.gender,
            "birth": m.birth_date.isoformat() if m.birth_date else "",
            "age": self._t("classes.person.age", n=m.age) if m.age is not None else self._t("classes.person.no_date"),
            "account": self._t("classes.staff.has_account") if m.has_account else self._t("classes.staff.no_account"),
        } for m in v.members]
        return None

    @rx.event
    async def pick(self, resident_id: str):
        rid = parse_id(resident_id)
        if rid is not None:
            self.errors = {}
            return await self._show(rid)
        return None

    @rx.event
    async def set_birth(self, form: dict):
        rid = parse_id(text_of(form, "member", 20))
        if rid is None or self.busy:
            return
        self.busy, self.errors = True, {}
        yield
        out = await self._run(household.set_birth_date, write=True, role="staff", resident_id=rid,
                              birth_date=text_of(form, "birth_date", 12))
        self.busy = False
        if not out.ok:
            self.errors = {f"birth-{rid}": self._err(out.error)} if out.error is not None else {}
            yield self._refused(out) if out.signed_out else None
            return
        yield await self._show(parse_id(self.resident_id) or rid)
        yield rx.toast.success(self._t("classes.staff.birth_saved"))

    @rx.event
    async def add_member(self, form: dict):
        hid = parse_id(self.household_id)
        if hid is None or self.busy:
            return
        self.busy, self.errors = True, {}
        yield
        out = await self._run(household.add_household_member, write=True, role="staff", household_id=hid,
                              name=text_of(form, "name", 40), birth_date=text_of(form, "birth_date", 12),
                              gender=text_of(form, "gender", 4))
        self.busy = False
        if not out.ok:
            if out.signed_out:
                yield self._refused(out)
                return
            self.errors, message = self._form_errors(out.error)
            if message:
                self.errors = {"form": message}
            return
        yield await self._show(parse_id(self.resident_id))
        yield rx.set_value("f-name", "")
        yield rx.toast.success(self._t("classes.staff.member_added", name=out.value.name))
