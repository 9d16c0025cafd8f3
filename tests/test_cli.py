"""The `samskap` command: help, migrate, demo, createadmin, worker, verify-audit, and refusing unsafe settings.

Commands that touch a database run as the installed script in a subprocess, against a SQLite file of their own.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session

from app import cli
from app.config import ROOT
from app.db import make_engine
from app.demo import DEMO_PASSWORD, DEMO_SIGN_INS, USERS
from tests.factories import make_outbox_message

SAMSKAP = Path(sys.executable).parent / "samskap"
COMMANDS = ("serve", "migrate", "demo", "createadmin", "worker", "verify-audit", "verify-votes")
TABLES = ("organizations", "users", "memberships", "invitations", "audit_events", "outbox_messages")


# --- Help, in process ---------------------------------------------------------------------------------------------


def run_main(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    try:
        code = cli.main(argv)
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    return code, capsys.readouterr().out


def test_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run_main(["--help"], capsys)
    assert code == 0
    assert out.startswith("usage: samskap")
    for command in COMMANDS:
        assert command in out
    assert "Exit codes" in out


@pytest.mark.parametrize("command", COMMANDS)
def test_each_command_has_help(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run_main([command, "--help"], capsys)
    assert code == 0
    assert out.startswith(f"usage: samskap {command}")
    # A sentence of its own, not just the usage line.
    assert len(out.split("\n\n")[1].strip()) > 10


def test_an_unknown_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        cli.main(["frobnicate"])
    assert exit_.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


def test_serve_lists_the_demo_sign_ins(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    started: dict[str, Any] = {}
    monkeypatch.setattr("uvicorn.run", lambda app, **options: started.update(app=app, **options))
    code, out = run_main(["serve", "--port", "8765"], capsys)
    assert code == 0
    assert started["app"] == "app.main:create_app"
    assert started["port"] == 8765
    assert "http://127.0.0.1:8765" in out
    assert DEMO_PASSWORD in out
    assert "admin@samskap.no" in out
    assert "/dev/mail" in out
    for email, _description in DEMO_SIGN_INS["users"]:
        assert email in out


# --- Commands against a database of their own ----------------------------------------------------------------------


@dataclass
class Result:
    code: int
    out: str
    err: str


@dataclass
class Samskap:
    """Runs `samskap` with its own SQLite database and environment."""

    database: Path
    environment: dict[str, str]
    cwd: Path

    @property
    def url(self) -> str:
        return f"sqlite:///{self.database}"

    def __call__(self, *args: str, stdin: str = "", **environment: str) -> Result:
        env = {**self.environment, **environment}
        done = subprocess.run(  # noqa: S603  (our own script, fixed arguments)
            [str(SAMSKAP), *args], input=stdin, capture_output=True, text=True, env=env, cwd=self.cwd, timeout=120
        )
        return Result(done.returncode, done.stdout, done.stderr)

    def count(self, table: str) -> int:
        with sqlite3.connect(self.database) as connection:
            return int(connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0])  # noqa: S608

    def counts(self) -> dict[str, int]:
        return {table: self.count(table) for table in TABLES}

    def query(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        with sqlite3.connect(self.database) as connection:
            return connection.execute(sql, params).fetchall()

    def execute(self, sql: str, *params: Any) -> None:
        connection = sqlite3.connect(self.database)
        try:
            connection.execute(sql, params)
            connection.commit()
        finally:
            connection.close()


def runner(database: Path, workdir: Path) -> Samskap:
    environment = {key: value for key, value in os.environ.items() if not key.startswith("SAMSKAP_")}
    environment.update(
        SAMSKAP_ENVIRONMENT="development",
        SAMSKAP_DATABASE_URL=f"sqlite:///{database}",
        SAMSKAP_SECRET_KEY="cli-test-secret-key-0123456789-abcdefghijklmnop",
        SAMSKAP_LOG_JSON="false",
    )
    return Samskap(database=database, environment=environment, cwd=workdir)


@pytest.fixture
def samskap(tmp_path: Path) -> Samskap:
    assert SAMSKAP.exists(), f"{SAMSKAP} is missing: run `pip install -e .`"
    # Run outside the checkout so a developer's .env does not leak in.
    workdir = tmp_path / "cwd"
    workdir.mkdir()
    return runner(tmp_path / "samskap.db", workdir)


def built_database(directory: Path, *commands: str) -> Path:
    once = runner(directory / "samskap.db", directory)
    for command in commands:
        result = once(command)
        assert result.code == 0, result.err
    return once.database


def copy_database(source: Path, target: Path) -> None:
    # The backup API copies what is still in the write-ahead log too.
    source_connection, target_connection = sqlite3.connect(source), sqlite3.connect(target)
    try:
        source_connection.backup(target_connection)
    finally:
        source_connection.close()
        target_connection.close()


@pytest.fixture(scope="module")
def migrated_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated, empty database, made once for this module (each process start takes a moment)."""
    return built_database(tmp_path_factory.mktemp("migrated"), "migrate")


@pytest.fixture(scope="module")
def demo_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database migrated and loaded with the demo, made once for this module."""
    return built_database(tmp_path_factory.mktemp("demo"), "migrate", "demo")


@pytest.fixture
def migrated(samskap: Samskap, migrated_database: Path) -> Samskap:
    """`samskap` on a fresh copy of a migrated, empty database."""
    copy_database(migrated_database, samskap.database)
    return samskap


@pytest.fixture
def demo(samskap: Samskap, demo_database: Path) -> Samskap:
    """`samskap` on a fresh copy of the demo database."""
    copy_database(demo_database, samskap.database)
    return samskap


def test_migrate_then_demo_twice_changes_nothing_the_second_time(samskap: Samskap) -> None:
    migrated = samskap("migrate")
    assert migrated.code == 0, migrated.err
    assert "newest schema" in migrated.out
    assert samskap("migrate").code == 0  # repeating is harmless

    first = samskap("demo")
    assert first.code == 0, first.err
    assert first.out.strip() == "Demo data loaded."
    counts = samskap.counts()
    assert counts["organizations"] == 6
    assert counts["users"] >= 25
    assert counts["invitations"] >= 2
    # The demo people are created audited; the voting citizens (bulk demo data) are not.
    assert counts["audit_events"] > counts["organizations"] + len(USERS)

    second = samskap("demo")
    assert second.code == 0, second.err
    assert "nothing changed" in second.out
    assert samskap.counts() == counts


def test_demo_is_what_it_promises(demo: Samskap) -> None:
    slugs = {row[0] for row in demo.query("SELECT slug FROM organizations")}
    assert {"halden", "baerum", "stavanger", "helsingborg"} <= slugs
    assert demo.query("SELECT default_language, timezone FROM organizations WHERE slug = 'helsingborg'") == [
        ("sv", "Europe/Stockholm")
    ]
    logos = demo.query("SELECT logo, logo_content_type FROM organizations")
    assert all(logo.startswith(b"\x89PNG\r\n\x1a\n") and kind == "image/png" for logo, kind in logos)
    assert len({logo for logo, _kind in logos}) == len(logos), "every organisation has a logo of its own"
    assert demo.query("SELECT is_platform_admin FROM users WHERE email = 'admin@samskap.no'") == [(1,)]
    unverified = demo.query("SELECT count(*) FROM users WHERE email_verified_at IS NULL")[0][0]
    assert unverified >= 1
    # One Argon2 hash, reused: hashing is deliberately slow.
    assert demo.query("SELECT count(DISTINCT password_hash) FROM users") == [(1,)]


def test_verify_audit_passes_on_the_demo_and_fails_after_tampering(demo: Samskap) -> None:
    intact = demo("verify-audit")
    assert intact.code == 0, intact.err
    assert "intact" in intact.out

    demo.execute("UPDATE audit_events SET actor_label = 'someone else' WHERE id = 3")
    tampered = demo("verify-audit")
    assert tampered.code == 2
    assert "TAMPERED" in tampered.err
    assert "event 3" in tampered.err


def test_verify_audit_notices_a_removed_event(demo: Samskap) -> None:
    demo.execute("DELETE FROM audit_events WHERE id = 5")
    result = demo("verify-audit")
    assert result.code == 2
    assert "event 6" in result.err


def queue_emails(database_url: str, *recipients: str) -> None:
    engine = make_engine(database_url)
    try:
        with Session(engine) as session:
            for recipient in recipients:
                make_outbox_message(session, recipient=recipient, subject="Velkommen", body="Hei!\n")
            session.commit()
    finally:
        engine.dispose()


def test_worker_once_sends_the_pending_emails_to_the_log(migrated: Samskap) -> None:
    queue_emails(migrated.url, "nora.dahl@example.org", "elsa.nilsson@example.org")

    result = migrated("worker", "--once")
    assert result.code == 0, result.err
    assert "Sent 2 message(s)." in result.out
    assert "Email to nora.dahl@example.org: Velkommen" in result.err  # no SMTP server: the log is the mailbox
    assert migrated.query("SELECT status, attempts FROM outbox_messages") == [("sent", 1), ("sent", 1)]

    again = migrated("worker", "--once")
    assert "Sent 0 message(s)." in again.out


def test_worker_retries_later_when_the_mail_server_is_down(migrated: Samskap) -> None:
    queue_emails(migrated.url, "nora.dahl@example.org")
    # Nothing listens on port 9 (discard) of localhost.
    result = migrated("worker", "--once", SAMSKAP_SMTP_HOST="127.0.0.1", SAMSKAP_SMTP_PORT="9")
    assert result.code == 0, result.err
    assert "Sent 0 message(s)." in result.out
    ((status, attempts, error),) = migrated.query("SELECT status, attempts, last_error FROM outbox_messages")
    assert (status, attempts) == ("pending", 1)
    assert error


@pytest.fixture
def has_createadmin() -> None:
    from app.accounts import service as accounts

    assert hasattr(accounts, "create_platform_admin"), "app.accounts.service.create_platform_admin is missing"


def test_createadmin_reads_the_password_from_stdin(migrated: Samskap, has_createadmin: None) -> None:
    result = migrated(
        "createadmin", "Marte.Solberg@Example.org", "--name", "Marte Solberg", "--password-stdin",
        stdin="riktig-hest-batteri-stift\n",
    )  # fmt: skip
    assert result.code == 0, result.out + result.err
    assert "marte.solberg@example.org" in result.out.lower()
    rows = migrated.query("SELECT email, display_name, is_platform_admin, email_verified_at FROM users")
    assert len(rows) == 1
    email, name, is_admin, verified_at = rows[0]
    assert (email, name, is_admin) == ("marte.solberg@example.org", "Marte Solberg", 1)
    assert verified_at is not None
    assert migrated.count("audit_events") >= 1
    assert migrated("verify-audit").code == 0


def test_createadmin_refuses_a_weak_password(migrated: Samskap, has_createadmin: None) -> None:
    result = migrated("createadmin", "marte@example.org", "--password-stdin", stdin="kort\n")
    assert result.code == 1
    assert "password" in result.err.lower()
    assert migrated.count("users") == 0


def test_createadmin_promotes_an_existing_demo_user(demo: Samskap, has_createadmin: None) -> None:
    result = demo("createadmin", "nora.dahl@example.org", "--password-stdin", stdin="\n")
    assert result.code == 0, result.out + result.err
    assert demo.query("SELECT is_platform_admin FROM users WHERE email = 'nora.dahl@example.org'") == [(1,)]


# --- Production --------------------------------------------------------------------------------------------------


def test_production_without_a_secret_refuses_to_migrate(samskap: Samskap) -> None:
    del samskap.environment["SAMSKAP_SECRET_KEY"]
    result = samskap("migrate", SAMSKAP_ENVIRONMENT="production")
    assert result.code == 3
    assert "Refusing to start" in result.err
    assert "SAMSKAP_SECRET_KEY" in result.err
    assert "Traceback" not in result.err
    assert not samskap.database.exists(), "nothing may touch the database"


def test_invalid_settings_are_named_without_a_traceback(samskap: Samskap) -> None:
    result = samskap("migrate", SAMSKAP_SMTP_PORT="twenty-five")
    assert result.code == 3
    assert "SAMSKAP_SMTP_PORT" in result.err
    assert "Traceback" not in result.err


@pytest.fixture
def production(samskap: Samskap) -> Samskap:
    samskap.environment.update(
        SAMSKAP_ENVIRONMENT="production",
        SAMSKAP_SECRET_KEY="k3J9-fQz_8vLw2Xr7TbN1mYc5HpD0sGe4AuVjRqW6o",
        SAMSKAP_BASE_URL="https://samskap.example.org",
        SAMSKAP_SMTP_HOST="smtp.example.org",
        SAMSKAP_ALLOW_SQLITE_IN_PRODUCTION="true",
    )
    return samskap


def test_production_with_safe_settings_migrates(production: Samskap) -> None:
    result = production("migrate")
    assert result.code == 0, result.err


def test_production_refuses_the_demo_data(production: Samskap, migrated_database: Path) -> None:
    copy_database(migrated_database, production.database)
    result = production("demo")
    assert result.code == 1
    assert "production" in result.err
    assert production.count("users") == 0


@pytest.fixture(autouse=True)
def _no_stray_var_files() -> Iterator[None]:
    """The commands here never write into the checkout's var/ directory."""
    secret = ROOT / "var" / "secret_key"
    existed = secret.exists()
    yield
    assert secret.exists() == existed


def test_verify_audit_prints_an_anchor_that_later_catches_a_cut_off_log(demo: Samskap) -> None:
    first = demo("verify-audit")
    anchor = first.out.strip().splitlines()[-1].rsplit(" ", 1)[-1]
    assert demo("verify-audit", "--anchor", anchor).code == 0

    last_id = anchor.split(":")[0]
    demo.execute("DELETE FROM audit_events WHERE id = ?", int(last_id))
    cut = demo("verify-audit", "--anchor", anchor)
    assert cut.code == 2
    assert "cut off" in cut.err


def test_verify_audit_refuses_a_malformed_anchor(demo: Samskap) -> None:
    result = demo("verify-audit", "--anchor", "not-an-anchor")
    assert result.code == 2
    assert "not an audit anchor" in result.err


def test_verify_votes_recounts_the_sealed_demo_votes(demo: Samskap) -> None:
    intact = demo("verify-votes")
    assert intact.code == 0, intact.err
    assert "Sealed votes intact: 2 vote(s) recounted from their exports, as published." in intact.out
    demo.execute("UPDATE sealed_tallies SET counts = '{}' WHERE id = 1")
    tampered = demo("verify-votes")
    assert tampered.code == 2
    assert "the stored counts differ from a recount of the export" in tampered.err
