"""Alembic environment: target is SQLModel.metadata, URL from our settings (DATABASE_URL)."""

from logging.config import fileConfig

from alembic import context
from sqlmodel import SQLModel

import community_app.models  # noqa: F401  (registers every table)
from community_app.db import get_engine, reset_engine
from community_app.settings import get_settings, reset_settings

config = context.config
if config.config_file_name is not None and not config.attributes.get("skip_logging"):
    fileConfig(config.config_file_name, disable_existing_loggers=False)

target_metadata = SQLModel.metadata


def run_migrations_offline() -> None:
    context.configure(
        url=get_settings().database_url,
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
        dialect_opts={"paramstyle": "named"},
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    reset_settings()
    reset_engine()
    with get_engine().connect() as connection:
        _run(connection)


def _run(connection) -> None:
    # SQLite: batch mode rebuilds a table by copying it and dropping the old one; with foreign
    # keys on, dropping a table that other rows reference fails (or leaves the check failing at
    # commit). Turn them off for the migration (a pragma that only works outside a transaction)
    # and check every key before committing instead.
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        connection.connection.dbapi_connection.execute("PRAGMA foreign_keys=OFF")
    try:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=True,  # SQLite cannot ALTER most things; batch mode copies tables
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
            if sqlite and (broken := connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()):
                raise RuntimeError(f"migration left broken foreign keys: {broken[:5]}")
    finally:
        if sqlite:
            connection.connection.dbapi_connection.execute("PRAGMA foreign_keys=ON")


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
