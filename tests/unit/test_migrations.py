"""Alembic is the only way tables are made: upgrade head must equal the models, and
downgrade base must remove everything."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect
from sqlmodel import SQLModel

import community_app.models  # noqa: F401
from tests.conftest import alembic_config


def _diff(url: str):
    engine = create_engine(url)
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(ctx, SQLModel.metadata)
    engine.dispose()
    return diff


def _tables(url: str) -> set[str]:
    engine = create_engine(url)
    names = set(inspect(engine).get_table_names()) - {"alembic_version"}
    engine.dispose()
    return names


def test_upgrade_head_matches_models_and_downgrade_base_empties(any_db_url):
    # any_db_url is already at head (fixtures migrate it)
    assert _diff(any_db_url) == []
    assert _tables(any_db_url) == set(SQLModel.metadata.tables)
    cfg = alembic_config(any_db_url)
    command.downgrade(cfg, "base")
    assert _tables(any_db_url) == set()
    command.upgrade(cfg, "head")
    assert _diff(any_db_url) == []
