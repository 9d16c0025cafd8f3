"""Following challenges: news by email (at once or in a daily digest) and unfollowing from an email's link."""

from __future__ import annotations

# `from app.challenges import follows` (app/demo.py) still reaches the service's `follow`.
from app.challenges.follows.service import follow

__all__ = ["follow"]
