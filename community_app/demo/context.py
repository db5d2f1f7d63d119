"""What the demo seeders share while they build the demo: the session, the random source, the
clock, and what earlier seeders made (communities, people, accounts, teams)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlmodel import Session

from community_app.demo.people import Namer, Person
from community_app.models import Account, Community, Compound, Team


@dataclass
class DemoContext:
    session: Session
    rng: random.Random
    now: datetime
    today: date  # in the demo communities' zone
    residents: int
    rng_seed: int
    namer: Namer
    reserved_names: set[str]
    communities: dict[str, Community] = field(default_factory=dict)
    compounds: dict[tuple[str, str], Compound] = field(default_factory=dict)  # (code, name) -> compound
    people: dict[str, dict[str, Person]] = field(default_factory=dict)  # community code -> name -> person
    accounts: dict[str, Account] = field(default_factory=dict)  # demo account name -> account
    teams: dict[str, Team] = field(default_factory=dict)
    members: dict[str, list[Person]] = field(default_factory=dict)  # team name -> people
    counts: dict[str, int] = field(default_factory=dict)  # what each seeder made, for the summary

    def community(self, code: str) -> Community:
        return self.communities[code]

    def person(self, code: str, name: str) -> Person:
        return self.people[code][name]

    def account(self, name: str) -> Account:
        return self.accounts[name]
