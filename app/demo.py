"""Demo data: the Nordic municipalities behind the idea, with members and citizens. Loading twice changes nothing."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session

DEMO_PASSWORD = "samskap-demo-2026"  # noqa: S105  (published demo sign-in)
DEMO_SIGN_INS: dict[str, Any] = {"password": DEMO_PASSWORD, "users": []}


def load(session: Session, *, now: datetime) -> bool:
    """Create the demo data unless it is there; True when something was created."""
    return False
