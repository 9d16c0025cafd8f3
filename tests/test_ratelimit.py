"""Rate limits count per identifier, answer 429 with Retry-After, and are shared through Redis."""

from __future__ import annotations

import uuid

import pytest
from limits import parse
from limits.strategies import MovingWindowRateLimiter

from app import ratelimit
from app.errors import TooManyRequests


def test_the_eleventh_attempt_within_the_window_is_refused_with_a_retry_time() -> None:
    for _ in range(10):
        ratelimit.hit(ratelimit.SIGN_IN, "test-sign-in", "198.51.100.7")
    with pytest.raises(TooManyRequests) as refused:
        ratelimit.hit(ratelimit.SIGN_IN, "test-sign-in", "198.51.100.7")
    assert 1 <= refused.value.retry_after <= 20
    ratelimit.hit(ratelimit.SIGN_IN, "test-sign-in", "198.51.100.8")  # another address is not affected


def test_identifiers_are_counted_case_insensitively() -> None:
    for _ in range(10):
        ratelimit.hit(ratelimit.SIGN_IN, "test-email", "Kari@Example.no")
    with pytest.raises(TooManyRequests):
        ratelimit.hit(ratelimit.SIGN_IN, "test-email", "kari@example.no")


def test_two_workers_share_counts_through_redis() -> None:
    """Two limiters with separate connections (as two uvicorn workers have) see one count."""
    item = parse(ratelimit.SIGN_IN)
    key = f"test-shared:{uuid.uuid4().hex}"
    worker_a = MovingWindowRateLimiter(ratelimit.storage_for("redis://127.0.0.1:6379/15"))
    worker_b = MovingWindowRateLimiter(ratelimit.storage_for("redis://127.0.0.1:6379/15"))
    for attempt in range(10):
        limiter = worker_a if attempt % 2 else worker_b
        assert limiter.hit(item, key)
    assert not worker_a.hit(item, key)
    assert not worker_b.hit(item, key)
