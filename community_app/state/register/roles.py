"""权限: the admins of a community manage its staff (add by mobile, a grid, permissions, remove);
the audit log search for any staff member of the community."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import reflex as rx

from community_app.i18n import t
from community_app.services.core.clock import community_zone
from community_app.services.core.paging import Page
from community_app.services.register import audit_search, roles
from community_app.services.register.scope import PERMISSIONS
from community_app.state.base import AppState, parse_id
from community_app.state.listing import StaffListMixin, is_iso_date
from community_app.state.register.common import id_str, when


@dataclass
class StaffRow:
    id: str = ""
    name: str = ""
    mobile: str = ""
    grid: str = ""
    perms: list[str] = field(default_factory=list)
    admin: bool = False
    me: bool = False


def _text(form: dict, key: str) -> str:
    value = form.get(key, "") if isinstance(form, dict) else ""
    return value if isinstance(value, str) else ""


def _desk(session, actor, community_id: int | None):
    communities = roles.admin_communities(session, actor)
    ids = [c for c, _ in communities]
    cid = community_id if community_id in ids else (actor.community_id if actor.community_id in ids else
                                                    (ids[0] if ids else None))
    if cid is None:
        return communities, None, [], []
    return (communities, cid, roles.staff_members(session, actor, community_id=cid),
            roles.community_grids(session, actor, community_id=cid))


class RolesState(AppState):
    communities: list[dict[str, str]] = []
    community: str = ""
    staff: list[StaffRow] = []
    grid_options: list[dict[str, str]] = []
    is_admin: bool = False
    loaded: bool = False
    busy: bool = False
    add_errors: dict[str, str] = {}
    remove_id: str = ""
    remove_name: str = ""

    @rx.event
    async def load(self):
        return await self._load(parse_id(self.community))

    async def _load(self, community_id: int | None):
        out = await self._run(_desk, community_id, role="staff")
        self.loaded = True
        if not out.ok:
            return self._refused(out)
        communities, cid, staff, grids = out.value
        self.is_admin = cid is not None
        self.communities = [{"id": str(i), "name": n} for i, n in communities]
        self.community = id_str(cid)
        self.staff = [StaffRow(str(s.account_id), s.name, s.mobile, id_str(s.grid_id), s.perms, s.is_admin, s.is_self)
                      for s in staff]
        self.grid_options = [{"id": str(i), "name": n} for i, n in grids]
        return None

    @rx.event
    async def pick_community(self, value: str):
        if any(c["id"] == value for c in self.communities):
            return await self._load(parse_id(value))

    async def _act(self, fn, **kwargs):
        if self.busy:
            return
        self.busy = True
        yield
        out = await self._run(fn, community_id=parse_id(self.community) or 0, write=True, role="staff", **kwargs)
        self.busy = False
        if not out.ok:
            if out.error is not None and out.field:
                self.add_errors = {out.field: self._error_text(out.error)}
            else:
                yield self._refused(out)
            return
        self.add_errors = {}
        yield rx.toast.success(self._t("roles.saved"))
        yield RolesState.load

    @rx.event
    async def toggle(self, account_id: str, perm: str, on: bool):
        aid = parse_id(account_id)
        if aid is None or perm not in PERMISSIONS:
            return
        async for e in self._act(roles.set_permission, account_id=aid, perm=perm, on=on is True):
            yield e

    @rx.event
    async def set_grid(self, account_id: str, grid_id: str):
        aid = parse_id(account_id)
        if aid is None:
            return
        async for e in self._act(roles.set_staff_grid, account_id=aid, grid_id=parse_id(grid_id)):
            yield e

    @rx.event
    async def add(self, form: dict):
        async for e in self._act(roles.add_staff, mobile=_text(form, "mobile"), name=_text(form, "name"),
                                 password=_text(form, "password")):
            yield e

    @rx.event
    def ask_remove(self, account_id: str):
        row = next((s for s in self.staff if s.id == account_id), None)
        if row is not None and not row.me:
            self.remove_id, self.remove_name = row.id, row.name

    @rx.event
    def cancel_remove(self):
        self.remove_id = ""

    @rx.event
    async def remove(self):
        aid, self.remove_id = parse_id(self.remove_id), ""
        if aid is None:
            return
        async for e in self._act(roles.remove_staff, account_id=aid):
            yield e


def _audit_page(session, actor, filters: dict, page: int):
    result = audit_search.search_audit(session, actor, person=filters["person"], action=filters["action"],
                                       date_from=filters["from"], date_to=filters["to"], page=page, page_size=30)
    return result, community_zone(session, actor.community_id)


class AuditState(StaffListMixin, AppState):
    actions: list[dict[str, str]] = []

    def _filter_spec(self):
        return {"person": lambda v: len(v) <= 32, "action": lambda v: v == "" or any(a["id"] == v for a in self.actions),
                "from": is_iso_date, "to": is_iso_date}

    def _default_filters(self):
        return {"person": "", "action": "", "from": "", "to": ""}

    def _fetch(self, session, actor, filters, page) -> Page:
        result, zone = _audit_page(session, actor, filters, page)
        loc = self._loc()
        rows = [{"id": str(r.id), "can_select": "", "when": when(r.at, zone, loc), "actor": r.actor or "—",
                 "action": t(f"audit.{r.action}", loc), "person": r.person or _target(r, loc),
                 "detail": _detail_text(r.detail)} for r in result.items]
        return Page(rows, result.total, result.page, result.page_size)

    @rx.event
    async def load(self):
        out = await self._run(audit_search.audit_actions, role="staff")
        if not out.ok:
            return self._refused(out)
        loc = self._loc()
        self.actions = sorted(({"id": a, "name": t(f"audit.{a}", loc)} for a in out.value), key=lambda a: a["name"])
        self.filters, self.page = self._default_filters(), 1
        return await self._reload()


def _detail_text(detail: dict) -> str:
    """The detail a person wants first: a reason, a title, a file, what changed."""
    for key in ("reason", "title", "file", "name", "perm"):
        if detail.get(key):
            return str(detail[key])[:120]
    return json.dumps(detail, ensure_ascii=False)[:120] if detail else ""


def _target(r, loc: str) -> str:
    """What an action was about when it is not a resident: 诉求 #12, 通知 #3 ..."""
    if not r.target_type or r.target_id is None:
        return ""
    return f"{t(f'audit.target.{r.target_type}', loc)} #{r.target_id}"
