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


def test_the_counters_storage_is_made_once_when_many_requests_come_first_at_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import threading
    import time

    from limits.storage import MemoryStorage

    made: list[int] = []

    def slow_storage(_url: str) -> MemoryStorage:
        made.append(1)
        time.sleep(0.05)  # as importing the Redis client takes a while on first use
        return MemoryStorage()

    monkeypatch.setattr(ratelimit, "_made", None)
    monkeypatch.setattr(ratelimit, "storage_for", slow_storage)
    barrier = threading.Barrier(20)

    def first_request(n: int) -> None:
        barrier.wait()
        ratelimit.hit("100/minute", "first-use", str(n))

    threads = [threading.Thread(target=first_request, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert made == [1]
