"""Questions and answers on a challenge: people ask, the hosts answer, merge duplicates and hide abuse."""

from __future__ import annotations

# `from app.challenges import questions` (app/demo.py) still reaches the service's writes.
from app.challenges.questions.service import answer, ask, hide, merge

__all__ = ["answer", "ask", "hide", "merge"]
