"""The migrations: dated files, one head, upgrade from empty to exactly the models' schema, and back down again.

They run on the test database's dialect, in a scratch database of their own so the suite's schema is untouched:
a temporary SQLite file, or (with SAMSKAP_TEST_DATABASE_URL on PostgreSQL) a database made for this run.
"""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, make_url, text
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

import app.models  # noqa: F401  (registers every table)
from app import migrate
from app.config import ROOT
from app.db import make_engine
from tests.conftest import TEST_DATABASE_URL

VERSIONS = ROOT / "migrations" / "versions"
DATED_NAME = re.compile(r"^(?P<date>\d{8})_(?P<time>\d{4})_[0-9a-f]+_[a-z0-9_]+\.py$")


@pytest.fixture(scope="module")
def scratch_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """An empty database on the test database's dialect, dropped afterwards."""
    url = make_url(TEST_DATABASE_URL)
    if url.get_backend_name() != "postgresql":
        engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('migrations') / 'scratch.db'}", pool_size=1)
        yield engine
        engine.dispose()
        return
    name = f"samskap_migrations_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    admin = make_engine(TEST_DATABASE_URL, pool_size=1).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine = make_engine(url.set(database=name).render_as_string(hide_password=False), pool_size=1)
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def tables(engine: Engine) -> set[str]:
    return set(inspect(engine).get_table_names()) - {"alembic_version"}


def schema_differences(engine: Engine) -> list[object]:
    """What autogenerate would write: differences between the models and the migrated schema."""
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True, "compare_server_default": True})
        return list(compare_metadata(context, SQLModel.metadata))


def test_migration_files_start_with_their_date() -> None:
    names = sorted(path.name for path in VERSIONS.glob("*.py"))
    assert names, "no migrations found"
    for name in names:
        match = DATED_NAME.match(name)
        assert match, f"{name} should be named YYYYMMDD_HHMM_<revision>_<slug>.py (see alembic.ini file_template)"
        datetime.strptime(match["date"] + match["time"], "%Y%m%d%H%M")  # a real date, or this raises


def test_there_is_exactly_one_head() -> None:
    heads = ScriptDirectory.from_config(migrate.alembic_config()).get_heads()
    assert len(heads) == 1, f"several heads {heads}: merge them with `alembic merge heads`"


def test_upgrade_check_downgrade_upgrade(scratch_engine: Engine) -> None:
    assert tables(scratch_engine) == set()

    with scratch_engine.begin() as connection:
        migrate.upgrade(connection)
    assert tables(scratch_engine) == set(SQLModel.metadata.tables)
    assert schema_differences(scratch_engine) == [], "the models and the migrations differ: add a migration"
    with scratch_engine.begin() as connection:
        command.check(migrate.alembic_config(connection))  # `alembic check`: raises when autogenerate finds changes

    with scratch_engine.begin() as connection:
        migrate.downgrade(connection, "base")
    assert tables(scratch_engine) == set(), "downgrading to base should remove every table"

    with scratch_engine.begin() as connection:
        migrate.upgrade(connection)
    assert tables(scratch_engine) == set(SQLModel.metadata.tables)
    assert schema_differences(scratch_engine) == []


def test_each_revision_downgrades_and_upgrades_again(scratch_engine: Engine) -> None:
    """Step down one revision at a time to base, then up one at a time: every downgrade() works on its own."""
    script = ScriptDirectory.from_config(migrate.alembic_config())
    revisions = list(reversed(list(script.walk_revisions("base", "heads"))))
    with scratch_engine.begin() as connection:
        migrate.upgrade(connection)
    for _revision in revisions:
        with scratch_engine.begin() as connection:
            migrate.downgrade(connection, "-1")
    assert tables(scratch_engine) == set()
    for _revision in revisions:
        with scratch_engine.begin() as connection:
            migrate.upgrade(connection, "+1")
    assert schema_differences(scratch_engine) == []


def test_alembic_ini_names_new_files_by_date() -> None:
    ini = Path(ROOT / "alembic.ini").read_text()
    assert "file_template = %%(year)d%%(month).2d%%(day).2d_" in ini
