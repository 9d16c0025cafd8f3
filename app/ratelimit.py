"""Rate limits with the `limits` package: in memory by default, Redis when configured (shared by workers)."""

from __future__ import annotations

import math
import threading
import time
from functools import cache

from limits import RateLimitItem, parse
from limits.storage import MemoryStorage, Storage, storage_from_string
from limits.strategies import MovingWindowRateLimiter

from app.config import get_settings
from app.errors import TooManyRequests
from app.i18n import gettext as _

SIGN_IN = "10/20 seconds"
SIGN_UP = "10/20 seconds"
PASSWORD_RESET = "10/20 seconds"  # noqa: S105
VERIFICATION_RESEND = "10/20 seconds"
API_WRITE = "120/minute"
# Comments on concepts, per person: a lively discussion fits, a flood or a script does not.
COMMENT = "10/minute"
# Votes, per person: changing one's mind often fits; a script trying every concept does not.
VOTE_PER_PERSON = "60/minute"
# Reset emails one account receives: enough for a lost email or two, too few to flood someone's inbox.
PASSWORD_RESET_PER_ACCOUNT = "5/hour"  # noqa: S105
# Failed sign-ins an account takes before each further failure doubles the wait (1 s, 2 s, 4 s … 15 min).
FREE_FAILURES = 10
LONGEST_WAIT_SECONDS = 15 * 60
FAILURES_REMEMBERED_SECONDS = 24 * 3600


def votes_per_address() -> str:
    """Votes per network address (a setting: a school or an office shares one)."""
    return f"{get_settings().votes_per_address_per_minute}/minute"


def storage_for(redis_url: str) -> Storage:
    """Counters in Redis when a URL is given (shared by all workers), else in this process's memory."""
    if not redis_url:
        return MemoryStorage()
    storage = storage_from_string(redis_url)
    if not isinstance(storage, Storage):
        raise TypeError("SAMSKAP_REDIS_URL must name a synchronous storage (redis://…)")
    return storage


# The storage is made on first use, by whichever request thread comes first. Made by two threads at once, the
# second found the `redis` module half-imported (limits then refused it: "Found version: 0.0.0") and the
# request failed with a 500; a lock makes the first use happen once.
_first_use = threading.Lock()
_made: MovingWindowRateLimiter | None = None


def _storage() -> Storage:
    return _limiter().storage


def _limiter() -> MovingWindowRateLimiter:
    global _made
    if _made is None:
        with _first_use:
            if _made is None:
                _made = MovingWindowRateLimiter(storage_for(get_settings().redis_url))
    return _made


def prepare() -> None:
    """Make the storage now (at start-up), so no request pays for it or races for it."""
    _limiter()


@cache
def _item(rule: str) -> RateLimitItem:
    return parse(rule)


def _key(scope: str, identifier: str) -> str:
    return f"{scope}:{identifier.lower()}"


def hit(rule: str, scope: str, *identifiers: str) -> None:
    """Count one attempt against `rule` for each identifier; raise TooManyRequests when any is over."""
    limiter = _limiter()
    item = _item(rule)
    for identifier in identifiers:
        if not identifier:
            continue
        key = _key(scope, identifier)
        if not limiter.hit(item, key):
            reset_at, _remaining = limiter.get_window_stats(item, key)
            raise TooManyRequests(
                _("Too many attempts. Please wait a little and try again."),
                retry_after=math.ceil(reset_at - time.time()),
            )


def allowed(rule: str, scope: str, identifier: str) -> bool:
    """Count one attempt against `rule`; False when over (for limits the caller must keep quiet about)."""
    return _limiter().hit(_item(rule), _key(scope, identifier))


def _backoff_keys(scope: str, identifier: str) -> tuple[str, str]:
    return f"backoff-failures:{scope}:{identifier}", f"backoff-wait:{scope}:{identifier}"


def check_backoff(scope: str, identifier: str) -> None:
    """Raise TooManyRequests while `identifier` waits out the back-off its failures earned."""
    storage = _storage()
    _failures, wait = _backoff_keys(scope, identifier)
    if storage.get(wait) > 0:
        raise TooManyRequests(
            _("Too many attempts. Please wait a little and try again."),
            retry_after=max(1, math.ceil(storage.get_expiry(wait) - time.time())),
        )


def record_failure(scope: str, identifier: str) -> None:
    """One more failure: past the free ones, the next attempt must wait twice as long as the last."""
    storage = _storage()
    failures_key, wait_key = _backoff_keys(scope, identifier)
    failures = storage.incr(failures_key, FAILURES_REMEMBERED_SECONDS)
    if failures >= FREE_FAILURES:
        storage.clear(wait_key)
        storage.incr(wait_key, min(2 ** (failures - FREE_FAILURES), LONGEST_WAIT_SECONDS))


def record_success(scope: str, identifier: str) -> None:
    """A success forgets the failures."""
    storage = _storage()
    for key in _backoff_keys(scope, identifier):
        storage.clear(key)


def reset() -> None:
    """Forget every counter (tests)."""
    _storage().reset()
