"""The one clock: phases and expiries read time from here so tests can move it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated

from fastapi import Depends


class Clock:
    """Real time, timezone-aware UTC."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class FrozenClock(Clock):
    """A clock that stands still until moved (for tests and demo data)."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def now(self) -> datetime:
        return self.at

    def advance(self, by: timedelta) -> None:
        self.at += by


SYSTEM_CLOCK = Clock()


async def get_clock() -> Clock:
    # async: a dependency this small runs on the event loop, not handed to a thread and back.
    return SYSTEM_CLOCK


ClockDep = Annotated[Clock, Depends(get_clock)]
