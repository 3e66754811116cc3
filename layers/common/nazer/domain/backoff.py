"""Retry under contention: exponential backoff with full jitter, inside a bounded time budget.

Full jitter (``sleep = uniform(0, min(cap, base · 2^attempt))``) spreads competing writers out
instead of letting them collide again in lock step; the budget keeps a request well inside API
Gateway's 29-second limit, after which the caller is told to come back (503 + Retry-After).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class RetryPolicy:
    """How long and how often a contended write may be retried."""

    base_delay: float = 0.02
    max_delay: float = 1.0
    budget_seconds: float = 10.0
    max_tries: int = 60
    retry_after_seconds: int = 2

    def __post_init__(self) -> None:
        if not (0 < self.base_delay <= self.max_delay):
            raise ValueError("need 0 < base_delay <= max_delay")
        if self.budget_seconds <= 0 or self.max_tries < 1 or self.retry_after_seconds < 1:
            raise ValueError("budget, tries and Retry-After must be positive")

    def ceiling(self, retry: int) -> float:
        """The upper bound of the ``retry``-th delay (0-based): ``min(cap, base · 2^retry)``."""
        return min(self.max_delay, self.base_delay * float(2 ** max(0, min(retry, 32))))

    def delay(self, retry: int, rng: Callable[[], float]) -> float:
        """The full-jitter delay before retry number ``retry``; ``rng`` returns a float in [0, 1)."""
        return self.ceiling(retry) * rng()


class Budget:
    """Tracks tries and elapsed time against a policy; says whether another try fits."""

    def __init__(self, policy: RetryPolicy, clock: Callable[[], float]):
        self.policy = policy
        self.clock = clock
        self.started = clock()
        self.tries = 0

    def next_delay(self, rng: Callable[[], float]) -> float | None:
        """The pause before the next try, or None when the budget cannot afford another try."""
        if self.tries >= self.policy.max_tries:
            return None
        pause = self.policy.delay(self.tries - 1, rng)
        if self.clock() + pause - self.started > self.policy.budget_seconds:
            return None
        return pause
