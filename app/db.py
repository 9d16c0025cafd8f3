"""Engine, session dependency, naming convention and column types shared by all models."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy import DateTime, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Dialect, Engine
from sqlalchemy.types import TypeDecorator
from sqlmodel import Session, SQLModel, create_engine

from app.config import VAR_DIR, get_settings
from app.kit import bounds

# The kit's bounded id under the names the domains import it by (app/kit/bounds.py says why it is bounded).
MAX_ROW_ID = bounds.MAX_ID
RowId = bounds.Id

SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC datetime on every database (SQLite keeps no zone of its own)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use timezone-aware UTC")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utcnow() -> datetime:
    """Now, timezone-aware UTC (for column defaults; request code uses the clock)."""
    return datetime.now(UTC)


# Execution option: this transaction will write (on SQLite it then begins IMMEDIATE).
WRITE_INTENT = "samskap_write_intent"
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not pysqlite, decide where transactions begin (needed for SAVEPOINTs).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection: Any) -> None:
        # A transaction that reads and then writes cannot wait for another writer (SQLite refuses the upgrade at
        # once with "database is locked"); one that starts IMMEDIATE takes the write lock first and waits its turn.
        immediate = connection.get_execution_options().get(WRITE_INTENT, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def make_engine(url: str, *, pool_size: int = 40) -> Engine:
    """An engine for `url`; SQLite gets WAL, foreign keys and a busy timeout."""
    if url.startswith("sqlite"):
        if url.startswith(f"sqlite:///{VAR_DIR}"):
            VAR_DIR.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 5})
        _configure_sqlite(engine)
        return engine
    # The pool matches the thread pool that runs the plain `def` handlers.
    return create_engine(url, pool_size=pool_size, max_overflow=10, pool_pre_ping=True)


_engine: Engine | None = None


def get_engine() -> Engine:
    """The process's one engine."""
    global _engine
    if _engine is None:
        _engine = make_engine(get_settings().database_url)
    return _engine


def begin_writing(session: Session) -> None:
    """Begin `session`'s transaction as a writer: on SQLite it then waits for other writers instead of failing."""
    if session.get_bind().dialect.name == "sqlite":
        session.connection(execution_options={WRITE_INTENT: True})


def get_session(request: Request) -> Iterator[Session]:
    """One request, one transaction: commit at the end, roll back on any error."""
    with Session(get_engine(), expire_on_commit=False) as session:
        if request.method not in READ_METHODS:
            begin_writing(session)
        try:
            yield session
            session.commit()
        except BaseException:
            # Rolling back would expire every loaded object, and once the session closes they could not be
            # reloaded; the error page still shows the signed-in user. Detach them as loaded, then roll back.
            session.expunge_all()
            session.rollback()
            raise


SessionDep = Annotated[Session, Depends(get_session, scope="function")]


def writing_session(session: SessionDep) -> Session:
    """The request's session begun as a writer, for a read that may write once (sealing a tally on first read).

    Name it before any other dependency that uses the session, so the transaction begins here."""
    if not session.in_transaction():  # a test's session is already in its own (writing) transaction
        begin_writing(session)
    return session


WritingSessionDep = Annotated[Session, Depends(writing_session)]


def upsert_dialect(session: Session) -> Any:
    """The dialect module whose `insert` has `ON CONFLICT` (PostgreSQL's, else SQLite's), for races that the
    database's unique constraints settle."""
    return postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
