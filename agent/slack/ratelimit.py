"""Per-user rate limit: at most ``limit`` questions in any ``window_s`` seconds (sliding window).

The limit protects the provider budget and the shared worker pool from one busy user; the
defaults come from :class:`agent.settings.Settings` (``slack_rate_limit``,
``slack_rate_window_s``), a product choice rather than a Slack rule.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable


class RateLimiter:
    """Sliding-window counter per key (a Slack user id)."""

    def __init__(self, limit: int, window_s: float, clock: Callable[[], float] = time.monotonic):
        if limit < 1 or window_s <= 0:
            raise ValueError("limit must be >= 1 and window_s > 0")
        self.limit = limit
        self.window_s = window_s
        self._clock = clock
        self._hits: defaultdict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def allow(self, key: str) -> tuple[bool, float]:
        """``(True, 0)`` and count the hit, or ``(False, seconds until the next one is allowed)``."""
        now = self._clock()
        with self._lock:
            hits = self._hits[key]
            while hits and now - hits[0] >= self.window_s:
                hits.popleft()
            if len(hits) >= self.limit:
                return False, hits[0] + self.window_s - now
            hits.append(now)
            return True, 0.0
