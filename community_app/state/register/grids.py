"""网格: the grid tree with leaders and buildings; new grids and micro-grids, names, leaders,
buildings listed and moved between micro-grids (their households move with them)."""

from __future__ import annotations

from dataclasses import dataclass, field

import reflex as rx

from community_app.services.register import grids
from community_app.services.registry import list_compounds
from community_app.state.base import AppState, parse_id


@dataclass
class BuildingRow:
    id: str = ""
    label: str = ""
    households: int = 0
    grid: str = ""


@dataclass
class GridRow:
    id: str = ""
    name: str = ""
    leader: str = ""
    has_account: bool = False
    households: int = 0
    residents: int = 0
    buildings: list[BuildingRow] = field(default_factory=list)
    children: list[GridRow] = field(default_factory=list)


def _text(form: dict, key: str) -> str:
    value = form.get(key, "") if isinstance(form, dict) else ""
    return value if isinstance(value, str) else ""


def _overview(session, actor):
    overview = grids.grid_overview(session, actor)
    return overview, [(c.id, c.name) for c in list_compounds(session, actor.community_id)]


class GridsState(AppState):
    tree: list[GridRow] = []
    unassigned: list[BuildingRow] = []
    micro_options: list[dict[str, str]] = []
    grid_options: list[dict[str, str]] = []
    compound_options: list[dict[str, str]] = []
    can_manage: bool = False
    loaded: bool = False
    busy: bool = False
    dialog: str = ""  # "", "grid", "rename", "leader", "building"
    target_id: str = ""
    target_name: str = ""
    parent_id: str = ""
    pick_compound: str = ""
    pick_grid: str = ""
    errors: dict[str, str] = {}
    message: str = ""

    @rx.event
    async def load(self):
        out = await self._run(_overview, role="staff")
        if not out.ok:
            return self._refused(out)
        o, compounds = out.value

        def b(v) -> BuildingRow:
            return BuildingRow(str(v.id), f"{v.compound} {v.name}", v.households, str(v.grid_id or ""))

        def node(g) -> GridRow:
            return GridRow(str(g.id), g.name, f"{g.leader_name} {g.leader_phone}".strip(),
                           g.leader_account_id is not None, g.households, g.residents,
                           [b(x) for x in g.buildings], [node(c) for c in g.children])

        self.tree = [node(g) for g in o.grids]
        self.unassigned = [b(x) for x in o.unassigned]
        self.grid_options = [{"id": str(g.id), "name": g.name} for g in o.grids]
        self.micro_options = [{"id": str(c.id), "name": f"{g.name} · {c.name}"} for g in o.grids for c in g.children]
        self.compound_options = [{"id": str(i), "name": n} for i, n in compounds]
        self.can_manage = o.can_manage
        self.loaded = True
        return None

    def _grid_name(self, grid_id: str) -> str | None:
        for g in self.tree:
            if g.id == grid_id:
                return g.name
            for c in g.children:
                if c.id == grid_id:
                    return c.name
        return None

    @rx.event
    def open_dialog(self, kind: str, grid_id: str = ""):
        if kind not in ("grid", "rename", "leader", "building") or not self.can_manage:
            return
        name = self._grid_name(grid_id) if grid_id else ""
        if grid_id and name is None:
            return
        self.dialog, self.target_id, self.target_name = kind, grid_id, name or ""
        self.parent_id = grid_id if kind == "grid" else ""
        self.pick_compound = self.compound_options[0]["id"] if self.compound_options else ""
        self.pick_grid = ""
        self.errors, self.message = {}, ""

    @rx.event
    def close_dialog(self):
        self.dialog = ""

    @rx.event
    def set_pick(self, key: str, value: str):
        if key == "compound" and any(c["id"] == value for c in self.compound_options):
            self.pick_compound = value
        elif key == "grid" and (value == "" or any(m["id"] == value for m in self.micro_options)):
            self.pick_grid = value

    async def _act(self, fn, **kwargs):
        if self.busy:
            return
        self.busy = True
        yield
        out = await self._run(fn, write=True, role="staff", **kwargs)
        self.busy = False
        if not out.ok:
            if out.error is not None:
                self.errors, self.message = self._form_errors(out.error)
                if not self.dialog:
                    yield rx.toast.error(self._error_text(out.error))
            else:
                yield self._refused(out)
            return
        self.dialog = ""
        yield rx.toast.success(self._t("grids.saved"))
        yield GridsState.load

    @rx.event
    async def submit(self, form: dict):
        kind = self.dialog
        if kind == "grid":
            gen = self._act(grids.create_grid, name=_text(form, "name"), parent_id=parse_id(self.parent_id))
        elif kind == "rename":
            gen = self._act(grids.rename_grid, grid_id=parse_id(self.target_id) or 0, name=_text(form, "name"))
        elif kind == "leader":
            gen = self._act(grids.set_leader, grid_id=parse_id(self.target_id) or 0, name=_text(form, "leader_name"),
                            phone=_text(form, "leader_phone"))
        elif kind == "building":
            gen = self._act(grids.add_building, compound_id=parse_id(self.pick_compound) or 0,
                            name=_text(form, "building"), grid_id=parse_id(self.pick_grid))
        else:
            return
        async for event in gen:
            yield event

    @rx.event
    async def assign(self, building_id: str, grid_id: str):
        bid = parse_id(building_id)
        if bid is None or not (grid_id == "" or any(m["id"] == grid_id for m in self.micro_options)):
            return
        async for event in self._act(grids.assign_building, building_id=bid, grid_id=parse_id(grid_id)):
            yield event
