"""An exclusive file lock across threads and processes (``flock``), given up after a wait with an ``InputError``.

Used for the ingested sources (:func:`knowledge.ingest.sources_lock`) and a conversation's turns
(:func:`agent.store.conversation_lock`). The lock is released when the descriptor is closed, so a
killed process never leaves it held.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tools.errors import InputError

#: How often a waiting caller retries the lock, seconds.
POLL_S = 0.05


@contextmanager
def exclusive_lock(path: Path, wait_s: float, field: str, busy: str) -> Iterator[None]:
    """Hold an exclusive lock on ``path`` (created if missing); after ``wait_s`` seconds, ``InputError(field, busy)``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        deadline = time.monotonic() + wait_s
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise InputError(field, busy) from None
                time.sleep(POLL_S)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock
