"""Remember which Slack deliveries were already handled, so a retry or a replay is answered once.

Slack re-sends an event (same ``event_id``, header ``X-Slack-Retry-Num``) when it did not see
a 200 within 3 seconds, and one user message can arrive as two events (``app_mention`` and
``message``). Keys are kept for ``ttl_s`` seconds (Slack retries within minutes: three
retries, the last after about 5 minutes per https://docs.slack.dev/apis/events-api/; a signed
request older than 5 minutes is refused anyway), and at most ``max_keys`` of them, oldest dropped first.

With ``path`` the keys live in a SQLite file (``seen(key PRIMARY KEY, at)``), so a request
replayed after a restart is still recognised, and several bot processes sharing the file agree;
without it they live in memory. Times are wall-clock seconds (they must survive a restart).
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

_SCHEMA = "CREATE TABLE IF NOT EXISTS seen (key TEXT PRIMARY KEY, at REAL NOT NULL)"


class Deduper:
    """A thread-safe "seen before?" set with expiry, in memory or in SQLite."""

    def __init__(
        self,
        ttl_s: float = 3600.0,
        max_keys: int = 10_000,
        clock: Callable[[], float] = time.time,
        path: Path | None = None,
    ):
        self.ttl_s = ttl_s
        self.max_keys = max_keys
        self._clock = clock
        self._seen: OrderedDict[str, float] = OrderedDict()
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(str(path), check_same_thread=False, timeout=30.0, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute(_SCHEMA)

    def seen(self, key: str) -> bool:
        """True when ``key`` was seen within the TTL; otherwise record it and return False."""
        now = self._clock()
        with self._lock:
            return self._seen_db(key, now) if self._db is not None else self._seen_memory(key, now)

    def _seen_memory(self, key: str, now: float) -> bool:
        while self._seen:
            oldest, at = next(iter(self._seen.items()))
            if now - at < self.ttl_s and len(self._seen) < self.max_keys:
                break
            self._seen.popitem(last=False)
        if key in self._seen:
            return True
        self._seen[key] = now
        return False

    def _seen_db(self, key: str, now: float) -> bool:
        db = self._db
        assert db is not None
        db.execute("BEGIN IMMEDIATE")
        try:
            db.execute("DELETE FROM seen WHERE at <= ?", (now - self.ttl_s,))
            inserted = db.execute("INSERT OR IGNORE INTO seen (key, at) VALUES (?, ?)", (key, now)).rowcount
            db.execute(
                "DELETE FROM seen WHERE key IN (SELECT key FROM seen ORDER BY at DESC LIMIT -1 OFFSET ?)",
                (self.max_keys,),
            )
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        return inserted == 0
