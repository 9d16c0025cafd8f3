"""`samskap serve | migrate | demo | createadmin | worker | verify-audit | verify-votes`."""

from __future__ import annotations

import argparse
import getpass
import logging
import os
import sys
import time
from collections.abc import Sequence

from pydantic import ValidationError
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from app.clock import SYSTEM_CLOCK
from app.config import UnsafeSettings, get_settings
from app.db import begin_writing, get_engine
from app.logging import configure_logging

logger = logging.getLogger("samskap.cli")


def _out(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def _err(text: str) -> None:
    sys.stderr.write(text + "\n")
    sys.stderr.flush()


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    settings = get_settings()
    if not settings.is_production and "SAMSKAP_BASE_URL" not in os.environ:
        # Links in development emails should point at the address actually served.
        os.environ["SAMSKAP_BASE_URL"] = f"http://{args.host}:{args.port}"
        get_settings.cache_clear()
        settings = get_settings()
    if settings.is_production and args.workers > 1 and not settings.redis_url:
        logger.warning("Several workers without SAMSKAP_REDIS_URL: each keeps its own rate limits.")
    _out(f"Samskap is running on http://{args.host}:{args.port}  (environment: {settings.environment})")
    if not settings.is_production:
        from app.demo import DEMO_SIGN_INS

        _out("Demo sign-ins (password for all: " + DEMO_SIGN_INS["password"] + "):")
        for email, what in DEMO_SIGN_INS["users"]:
            _out(f"  {email:38} {what}")
        _out(f"Emails appear at http://{args.host}:{args.port}/dev/mail")
    uvicorn.run(
        "app.main:create_app", factory=True, host=args.host, port=args.port, workers=args.workers,
        proxy_headers=True, log_level="warning", access_log=False,
    )  # fmt: skip
    return 0


def cmd_migrate(_args: argparse.Namespace) -> int:
    from app import migrate

    migrate.upgrade()
    _out("Database is at the newest schema.")
    return 0


def cmd_demo(_args: argparse.Namespace) -> int:
    from app import demo

    if get_settings().is_production:
        # The demo accounts have a published password.
        _err("Refusing to load demo data in production: its accounts share a published password.")
        return 1
    with Session(get_engine()) as session:
        created = demo.load(session, now=SYSTEM_CLOCK.now())
        session.commit()
    _out("Demo data loaded." if created else "Demo data already present; nothing changed.")
    return 0


def cmd_createadmin(args: argparse.Namespace) -> int:
    from app.accounts import service as accounts
    from app.errors import AppError

    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = getpass.getpass("Password: ")
        if getpass.getpass("Password (again): ") != password:
            _err("The passwords do not match.")
            return 1
    with Session(get_engine()) as session:
        try:
            user = accounts.create_platform_admin(
                session, email=args.email, display_name=args.name, password=password, now=SYSTEM_CLOCK.now()
            )
        except AppError as error:
            _err(f"Could not create the admin: {error.detail}")
            for field, message in getattr(error, "errors", {}).items():
                _err(f"  {field}: {message}")
            return 1
        session.commit()
        _out(f"Platform admin {user.email} is ready.")
    return 0


def cmd_worker(args: argparse.Namespace) -> int:
    from app.challenges.follows import service as follows
    from app.integrations import sender
    from app.main import load_domains
    from app.submissions import reminders
    from app.voting import service as voting

    load_domains()  # the registrations the notices read (the people's choice, the awards, the jury's gate)
    if not args.once:
        _out("Worker started; sending the outbox. Stop with Ctrl+C.")
    try:
        while True:
            with Session(get_engine()) as session:
                # Followers' news first (recorded and queued in one transaction), so it goes out in this tick.
                # Each transaction begins as a writer: on SQLite it then queues behind the web's writes.
                begin_writing(session)
                now = SYSTEM_CLOCK.now()
                # Closed votes are sealed first, so the results emails can name the people's choice and its hash.
                voting.seal_closed(session, now=now)
                follows.record_due_notices(session, now=now)
                follows.deliver_notifications(session, now=now)
                reminders.remind_drafts(session, now=now)
                session.commit()
                begin_writing(session)
                sent = sender.send_due(session, now=SYSTEM_CLOCK.now())
                session.commit()
            if args.once:
                _out(f"Sent {sent} message(s).")
                return 0
            if not sent:
                time.sleep(args.interval)
    except KeyboardInterrupt:
        _out("Worker stopped.")
        return 0


def cmd_verify_audit(args: argparse.Namespace) -> int:
    from app.audit import service as audit

    try:
        anchors = [audit.Anchor.parse(text) for text in args.anchor]
    except ValueError as error:
        _err(str(error))
        return 2
    with Session(get_engine()) as session:
        report = audit.verify_chain(session, anchors=anchors)
    if report.ok:
        _out(f"Audit log intact: {report.checked} event(s) verified.")
        _out(f"Anchor (keep it outside the database; pass it back with --anchor): {report.anchor}")
        return 0
    _err(f"Audit log TAMPERED: {report.problem}")
    return 2


def cmd_verify_votes(_args: argparse.Namespace) -> int:
    from app.voting import service as voting

    with Session(get_engine()) as session:
        drifts, checked = voting.verify(session)
    for drift in drifts:
        _err(f"{drift.challenge_slug}: {drift.problem}")
    if drifts:
        _err(f"Sealed votes DIFFER: {len(drifts)} problem(s) in {checked} sealed vote(s).")
        return 2
    _out(f"Sealed votes intact: {checked} vote(s) recounted from their exports, as published.")
    return 0


EPILOG = """\
Settings come from SAMSKAP_* environment variables or a .env file (see README).
Exit codes: 0 done, 1 failed, 2 usage error, tampered audit log or differing votes, 3 unsafe or invalid settings.

A first start:  samskap migrate && samskap demo && samskap serve
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="samskap",
        description="Samskap: citizen co-creation and idea challenges.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, summary: str, details: str = "") -> argparse.ArgumentParser:
        description = summary[0].upper() + summary[1:] + "." + (f" {details}" if details else "")
        return commands.add_parser(name, help=summary, description=description)

    serve = command("serve", "serve the web app and API", "Outside production it also lists the demo sign-ins.")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
    serve.add_argument("--workers", type=int, default=1, help="number of worker processes (default 1)")
    serve.set_defaults(handler=cmd_serve)

    command(
        "migrate", "apply database migrations", "Brings SAMSKAP_DATABASE_URL to the newest schema; safe to repeat."
    ).set_defaults(handler=cmd_migrate)
    command(
        "demo",
        "load demo data (idempotent)",
        "Nordic organisations, members and citizens sharing one published password; refused in production.",
    ).set_defaults(handler=cmd_demo)

    admin = command(
        "createadmin", "create (or promote) a platform admin", "An existing account with this email is promoted."
    )
    admin.add_argument("email", help="the admin's email address")
    admin.add_argument("--name", default="Platform admin", help="display name")
    admin.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    admin.set_defaults(handler=cmd_createadmin)

    worker = command(
        "worker",
        "send queued emails from the outbox",
        "Each tick first queues followers' news about challenges. Without SAMSKAP_SMTP_HOST, emails are written to "
        "the log.",
    )
    worker.add_argument("--once", action="store_true", help="send what is due, then exit")
    worker.add_argument("--interval", type=float, default=2.0, help="seconds to wait when idle (default 2)")
    worker.set_defaults(handler=cmd_worker)

    verify = command(
        "verify-audit",
        "check the audit log's hash chain",
        "Exits with 2 when an event was changed or the chain is broken. Prints an anchor (the newest event's id "
        "and hash): kept outside the database and passed back with --anchor, it also catches deleted newest events.",
    )
    verify.add_argument(
        "--anchor", action="append", default=[], metavar="ID:HASH", help="an anchor printed by an earlier run"
    )
    verify.set_defaults(handler=cmd_verify_audit)
    command(
        "verify-votes",
        "recount every sealed public vote",
        "Checks each sealed export against its published SHA-256, its stored counts against a recount, and its "
        "ballots against its receipts; exits with 2 on any difference.",
    ).set_defaults(handler=cmd_verify_votes)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; exit codes: 0 done, 1 failed, 2 usage or tampered audit log, 3 unsafe settings."""
    args = build_parser().parse_args(argv)
    try:
        settings = get_settings()
    except UnsafeSettings as error:
        _err(str(error))
        return 3
    except ValidationError as error:
        problems = "; ".join(f"SAMSKAP_{'_'.join(map(str, e['loc'])).upper()}: {e['msg']}" for e in error.errors())
        _err(f"Refusing to start: invalid settings: {problems}")
        return 3
    configure_logging(json_lines=settings.json_logs)
    try:
        return int(args.handler(args))
    except OperationalError as error:
        _err(f"The database could not be used: {error.orig or error}")
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
