"""Remember which Slack deliveries were already handled, so a retry is answered once.

Slack re-sends an event (same ``event_id``, header ``X-Slack-Retry-Num``) when it did not see
a 200 within 3 seconds, and one user message can arrive as two events (``app_mention`` and
``message``). Keys are kept for ``ttl_s`` seconds (Slack retries within minutes: three
retries, the last after about 5 minutes per https://docs.slack.dev/apis/events-api/), and at
most ``max_keys`` of them, oldest dropped first.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable


class Deduper:
    """A thread-safe "seen before?" set with expiry."""

    def __init__(self, ttl_s: float = 3600.0, max_keys: int = 10_000, clock: Callable[[], float] = time.monotonic):
        self.ttl_s = ttl_s
        self.max_keys = max_keys
        self._clock = clock
        self._seen: OrderedDict[str, float] = OrderedDict()
        self._lock = threading.Lock()

    def seen(self, key: str) -> bool:
        """True when ``key`` was seen within the TTL; otherwise record it and return False."""
        now = self._clock()
        with self._lock:
            while self._seen:
                oldest, at = next(iter(self._seen.items()))
                if now - at < self.ttl_s and len(self._seen) < self.max_keys:
                    break
                self._seen.popitem(last=False)
            if key in self._seen:
                return True
            self._seen[key] = now
            return False
