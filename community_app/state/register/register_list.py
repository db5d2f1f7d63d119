"""台账: the register list with its filters (grid, micro-grid, compound, building, care category,
moved out, overdue visits), search, export to .xlsx, "notify them", and adding a resident."""

from __future__ import annotations

import reflex as rx

from community_app import routes
from community_app.models import CareCategory
from community_app.services.core.paging import Page
from community_app.services.register import exports, people, search
from community_app.services.register.people import NewAddress, PersonFields
from community_app.state.base import AppState, parse_id
from community_app.state.listing import StaffListMixin, is_id
from community_app.state.register.common import care_text, gender_text, id_str

CARE = tuple(c.value for c in CareCategory)
FILTERS = ("q", "grid", "micro", "compound", "building", "care", "status", "visit")


def _text(form: dict, key: str) -> str:
    value = form.get(key, "") if isinstance(form, dict) else ""
    return value if isinstance(value, str) else ""


class RegisterListState(StaffListMixin, AppState):
    grid_options: list[dict[str, str]] = []
    micro_options: list[dict[str, str]] = []  # id, name, parent
    compound_options: list[dict[str, str]] = []
    building_options: list[dict[str, str]] = []  # id, name, compound
    can_edit: bool = False
    home_grid: str = ""
    exporting: bool = False
    add_open: bool = False
    add_errors: dict[str, str] = {}
    add_message: str = ""
    add_compound: str = ""
    add_care: list[str] = []

    # ---- the list (StaffListMixin hooks)
    def _filter_spec(self):
        return {
            "q": lambda v: len(v) <= 40, "grid": is_id, "micro": is_id, "compound": is_id,
            "building": lambda v: len(v) <= 16, "care": lambda v: v == "" or v in CARE,
            "status": lambda v: v in ("active", "moved_out"), "visit": lambda v: v in ("", "overdue"),
        }

    def _default_filters(self):
        return {"q": "", "grid": self.home_grid, "micro": "", "compound": "", "building": "", "care": "",
                "status": "active", "visit": ""}

    def _fetch(self, session, actor, filters, page) -> Page:
        result = search.search_register(session, actor, filters=filters, page=page, page_size=20)
        loc = self._loc()
        rows = [{
            "id": str(r.resident_id), "can_select": "", "name": r.name, "gender": gender_text(r.gender, loc),
            "age": id_str(r.age), "mobile": r.mobile, "address": r.address, "grid": r.micro_grid or r.grid,
            "care": care_text(r.care, loc), "account": "1" if r.has_account else "",
            "href": routes.staff_household(r.household_id) if r.household_id else "", "note": r.note[:60],
        } for r in result.items]
        return Page(rows, result.total, result.page, result.page_size)

    # ---- opening the page (filters from the to-do links: ?care=living_alone&visit=overdue)
    @rx.event
    async def load(self):
        out = await self._run(search.register_options, role="staff")
        if not out.ok:
            return self._refused(out)
        o = out.value
        self.grid_options = [{"id": str(i), "name": n} for i, n in o.grids]
        self.micro_options = [{"id": str(i), "name": n, "parent": str(p)} for i, n, p in o.micro_grids]
        self.compound_options = [{"id": str(i), "name": n} for i, n in o.compounds]
        self.building_options = [{"id": n, "name": n, "compound": str(c)} for _i, c, n in o.buildings]
        self.can_edit = o.can_edit
        self.home_grid = id_str(o.home_grid_id)
        spec = self._filter_spec()
        query = self.router.url.query_parameters
        filters = self._default_filters()
        for key in FILTERS:
            value = query.get(key)
            if isinstance(value, str) and spec[key](value.strip()[:40]):
                filters[key] = value.strip()[:40]
        self.filters, self.page, self.selected = filters, 1, []
        return await self._reload()

    @rx.var
    def micro_choices(self) -> list[dict[str, str]]:
        grid = self.filters.get("grid", "")
        return [m for m in self.micro_options if not grid or m["parent"] == grid]

    @rx.var
    def building_choices(self) -> list[dict[str, str]]:
        compound = self.filters.get("compound", "")
        return [b for b in self.building_options if compound and b["compound"] == compound]

    @rx.var
    def add_buildings(self) -> list[dict[str, str]]:
        """The buildings of the compound chosen in the add form (only listed buildings are offered)."""
        return [b for b in self.building_options if b["compound"] == self.add_compound]

    @rx.var
    def notify_href(self) -> str:
        """The notice form for the people on screen: their grid (or micro-grid) and category."""
        grid = self.filters.get("micro") or self.filters.get("grid") or ""
        care = self.filters.get("care") or ""
        return f"{routes.STAFF_NOTICES}?grid={grid}&care={care}"

    # ---- export
    @rx.event
    async def export(self):
        if self.exporting:
            return
        self.exporting = True
        yield
        filters = {**self._default_filters(), **self.filters}
        out = await self._run(exports.export_register, filters=filters, locale=self._loc(), role="staff")
        self.exporting = False
        if not out.ok:
            yield self._refused(out)
            return
        data, filename, n = out.value
        yield rx.download(data=data, filename=filename,
                          mime_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        yield rx.toast.success(self._t("register.export.done", n=n))

    # ---- adding a resident
    @rx.event
    def open_add(self):
        self.add_open, self.add_errors, self.add_message, self.add_care = True, {}, "", []
        self.add_compound = self.compound_options[0]["id"] if self.compound_options else ""

    @rx.event
    def close_add(self):
        self.add_open = False

    @rx.event
    def pick_add_compound(self, value: str):
        if isinstance(value, str) and any(c["id"] == value for c in self.compound_options):
            self.add_compound = value

    @rx.event
    def toggle_add_care(self, key: str):
        if key in CARE:
            self.add_care = [c for c in self.add_care if c != key] if key in self.add_care else [*self.add_care, key]

    @rx.event
    async def submit_add(self, form: dict):
        if self.busy:
            return
        person = PersonFields(name=_text(form, "name"), mobile=_text(form, "mobile"), gender=_text(form, "gender"),
                              birth=_text(form, "birth"), note=_text(form, "note"))
        address = NewAddress(parse_id(self.add_compound) or 0, _text(form, "building"), _text(form, "unit"),
                             _text(form, "room"))
        self.busy = True
        yield
        out = await self._run(people.add_resident, person=person, address=address, care=list(self.add_care),
                              write=True, role="staff")
        self.busy = False
        if not out.ok:
            if out.error is not None:
                self.add_errors, self.add_message = self._form_errors(out.error)
            else:
                yield self._refused(out)
            return
        self.add_open = False
        yield rx.toast.success(self._t("register.add.done", name=out.value.name))
        yield rx.redirect(routes.staff_household(out.value.household_id))
