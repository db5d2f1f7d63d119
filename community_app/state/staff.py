"""Staff workspace: overview figures and the accounts desk (代办开户, 重置密码).
Every handler calls a service that checks the staff role again on the server."""

from __future__ import annotations

import asyncio

import reflex as rx

from community_app import db
from community_app.i18n import t
from community_app.services import auth, registry, todo
from community_app.services.catalogue import community_zone
from community_app.services.errors import DomainError
from community_app.state.base import AppState, form_address


class StaffHomeState(AppState):
    community_name: str = ""
    todo: list[dict[str, str]] = []  # what needs doing now, from every domain (services/todo.py)
    stats: list[dict[str, str]] = []
    care: list[dict[str, str]] = []
    recent: list[dict[str, str]] = []

    @rx.event
    def load(self):
        actor = self._staff_actor()
        if actor is None:
            return
        with db.session() as s:
            ov = registry.community_overview(s, actor)
            zone = community_zone(s, actor.community_id)
            items = todo.staff_todo(s, actor)
        loc = self.locale
        self.todo = [{"key": i.key, "text": t(i.title_key, loc, n=i.count), "link": i.link,
                      "urgent": "1" if i.urgent else ""} for i in items]
        self.community_name = ov.community_name
        self.stats = [
            {"label": t("staff.stat.residents", loc), "value": str(ov.residents)},
            {"label": t("staff.stat.households", loc), "value": str(ov.households)},
            {"label": t("staff.stat.accounts", loc), "value": str(ov.accounts)},
            {"label": t("staff.stat.grids", loc), "value": f"{ov.grids} / {ov.micro_grids}"},
        ]
        self.care = [{"label": t(f"care.{k}", loc), "value": str(v)} for k, v in ov.care_counts.items()]
        self.recent = [
            {"action": t(f"audit.{a.action}", loc), "when": a.created_at.astimezone(zone).strftime("%m-%d %H:%M") if a.created_at else ""}
            for a in ov.recent_actions
        ]


class StaffAccountsState(AppState):
    errors: dict[str, str] = {}
    message: str = ""
    busy: bool = False
    compounds: list[dict[str, str]] = []
    compound_id: str = ""
    query: str = ""
    results: list[dict[str, str]] = []
    searched: bool = False
    reset_target_id: str = ""
    reset_target_name: str = ""
    reset_errors: dict[str, str] = {}

    @rx.event
    def load(self):
        actor = self._staff_actor()
        if actor is None:
            return
        with db.session() as s:
            self.compounds = [
                {"id": str(c.id), "name": c.name} for c in registry.list_compounds(s, actor.community_id)
            ]
        self.compound_id = self.compounds[0]["id"] if self.compounds else ""

    @rx.event
    def pick_compound(self, value: str):
        self.compound_id = value

    @rx.event
    async def create_account(self, form: dict):
        actor = self._actor()
        if actor is None:
            yield self._login_redirect()
            return
        if self.busy:
            return
        self.errors = {}
        self.message = ""
        birth_raw = str(form.get("birth_year", "")).strip()
        if birth_raw and not birth_raw.isdigit():
            self.errors = {"birth_year": self._t("auth.error.birth_year_invalid")}
            return
        kwargs = dict(
            mobile=str(form.get("mobile", "")),
            password=str(form.get("password", "")),
            name=str(form.get("name", "")),
            address=form_address(self.compound_id, form),
            birth_year=int(birth_raw) if birth_raw else None,
        )
        self.busy = True
        yield

        def work():
            with db.write_session() as s:
                acc = auth.staff_create_account(s, actor, **kwargs)
                return acc.display_name

        try:
            name = await asyncio.to_thread(work)
        except DomainError as err:
            self.busy = False
            self.errors, self.message = self._form_errors(err)
            return
        self.busy = False
        yield rx.toast.success(self._t("staff.accounts.created", name=name))
        yield rx.set_value("f-name", "")
        yield rx.set_value("f-mobile", "")
        yield rx.set_value("f-password", "")

    @rx.event
    def search(self, form: dict):
        actor = self._actor()
        if actor is None:
            return self._login_redirect()
        self.query = str(form.get("q", ""))[:40]
        try:
            with db.session() as s:
                found = auth.find_accounts(s, actor, query=self.query)
        except DomainError as err:
            return rx.toast.error(self._error_text(err))
        self.results = [
            {"id": str(a.id), "name": a.display_name, "mobile": a.mobile[:3] + "****" + a.mobile[-4:]}
            for a in found
        ]
        self.searched = True

    @rx.event
    def start_reset(self, account_id: str, name: str):
        # Only an account from the last search (the name shown comes from there too).
        row = next((r for r in self.results if r["id"] == account_id), None) if isinstance(account_id, str) else None
        if row is None:
            return
        self.reset_target_id = row["id"]
        self.reset_target_name = row["name"][:32]
        self.reset_errors = {}

    @rx.event
    def cancel_reset(self):
        self.reset_target_id = ""
        self.reset_errors = {}

    @rx.event
    async def confirm_reset(self, form: dict):
        actor = self._actor()
        if actor is None:
            yield self._login_redirect()
            return
        if self.busy or not self.reset_target_id.isdigit() or len(self.reset_target_id) > 12:
            return
        target = int(self.reset_target_id)
        value = form.get("new_password", "") if isinstance(form, dict) else ""
        new_password = value if isinstance(value, str) else ""
        self.busy = True
        yield

        def work():
            with db.write_session() as s:
                auth.staff_reset_password(s, actor, account_id=target, new_password=new_password)

        try:
            await asyncio.to_thread(work)
        except DomainError as err:
            self.busy = False
            self.reset_errors = {err.field or "new_password": self._error_text(err)}
            return
        self.busy = False
        name = self.reset_target_name
        self.reset_target_id = ""
        yield rx.toast.success(self._t("staff.accounts.reset_done", name=name))
