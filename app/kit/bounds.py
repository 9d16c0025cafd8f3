"""Bounded input types: every id and every date the API or a form takes stays within what the databases store and
what date arithmetic survives, so an extreme value is refused (422, the field named), never a crash."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated

from pydantic import AfterValidator, Field

from app.i18n import gettext as _

# The largest integer primary key on every supported database (PostgreSQL's `integer`): a larger id names no row,
# and binding it would overflow the driver (SQLite's at 2**63, PostgreSQL's column at 2**31).
MAX_ID = 2**31 - 1
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
"""The id of a row, as a path, query or body parameter."""

# Far enough on either side for any challenge, log or follow-up; near year 1 or 9999 a time-zone shift overflows.
FIRST_YEAR = 2000
LAST_YEAR = 2999
_EARLIEST = datetime(FIRST_YEAR, 1, 1, tzinfo=UTC)
_LATEST = datetime(LAST_YEAR, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)


def _out_of_range() -> ValueError:
    return ValueError(_("Give a date from %(first)s to %(last)s.") % {"first": FIRST_YEAR, "last": LAST_YEAR})


def _bounded_moment(value: datetime) -> datetime:
    if value.utcoffset() is None:
        raise ValueError(_("Give the time with a time zone, such as 2027-03-01T12:00:00+01:00."))
    if not _EARLIEST <= value <= _LATEST:
        raise _out_of_range()
    return value


def _bounded_day(value: date) -> date:
    if not _EARLIEST.date() <= value <= _LATEST.date():
        raise _out_of_range()
    return value


Moment = Annotated[datetime, AfterValidator(_bounded_moment)]
"""A moment with its time zone, between the years FIRST_YEAR and LAST_YEAR."""
Day = Annotated[date, AfterValidator(_bounded_day)]
"""A calendar day between the years FIRST_YEAR and LAST_YEAR."""
