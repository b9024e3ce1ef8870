"""Persistent conversations: LangGraph's SQLite checkpointer under the data directory.

One file, ``<data_dir>/conversations.sqlite``, holds the agent's checkpoints (every message of
every conversation, keyed by conversation id = LangGraph thread id) and a small
``conversations`` table (id, title = first question, created and updated times) so that
``chat --resume`` can find the latest conversation and list them. It survives restarts.

One turn at a time per conversation: :func:`conversation_lock` is an exclusive ``flock`` on
``<data_dir>/locks/<hash of id>.lock`` held for the whole turn (read history, run, store), so
two questions on one conversation at the same moment (two Slack mentions in a thread, two
``ask --conversation`` processes) each get their turn stored, one after the other, instead of
the second overwriting the first. Different conversations never wait for each other.
"""

from __future__ import annotations

import hashlib
import sqlite3
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from langchain_core.messages import BaseMessage
    from langchain_core.runnables import RunnableConfig

    from agent.settings import Settings

DB_NAME = "conversations.sqlite"
#: Seconds a connection waits for another process's write lock before failing.
LOCK_TIMEOUT_S = 30.0
#: Seconds a turn waits for the previous turn of the same conversation (a slow model answer) before failing.
TURN_WAIT_S = 600.0

_SCHEMA = """
CREATE TABLE IF NOT EXISTS conversations (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL
)
"""


@dataclass(frozen=True)
class Conversation:
    id: str
    title: str
    created_at: float
    updated_at: float


def new_conversation_id() -> str:
    """A fresh conversation id (12 hex characters)."""
    return uuid.uuid4().hex[:12]


def db_path(settings: Settings | None = None) -> Path:
    from agent.settings import load_settings

    return (settings or load_settings()).data_dir / DB_NAME


class ConversationStore:
    """The checkpointer ``create_agent`` persists into, plus the list of conversations."""

    def __init__(self, path: Path) -> None:
        from langgraph.checkpoint.sqlite import SqliteSaver

        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.conn = sqlite3.connect(str(path), check_same_thread=False, timeout=LOCK_TIMEOUT_S)
        self.conn.execute(_SCHEMA)
        self.conn.commit()
        self.checkpointer = SqliteSaver(self.conn)

    def __enter__(self) -> ConversationStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.conn.close()

    @staticmethod
    def config(conversation_id: str) -> dict[str, Any]:
        return {"configurable": {"thread_id": conversation_id}}

    def touch(self, conversation_id: str, title: str) -> None:
        """Record that ``conversation_id`` was used now (its title is set once, from the first question)."""
        now = time.time()
        self.conn.execute(
            "INSERT INTO conversations (id, title, created_at, updated_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(id) DO UPDATE SET updated_at = excluded.updated_at",
            (conversation_id, title[:200], now, now),
        )
        self.conn.commit()

    def conversations(self, limit: int = 50) -> list[Conversation]:
        """Conversations, most recently used first."""
        rows = self.conn.execute(
            "SELECT id, title, created_at, updated_at FROM conversations ORDER BY updated_at DESC, rowid DESC LIMIT ?",
            (limit,),
        ).fetchall()
        return [Conversation(*row) for row in rows]

    def messages(self, conversation_id: str) -> list[BaseMessage]:
        """Every message stored for ``conversation_id`` (empty for an unknown id)."""
        saved = self.checkpointer.get_tuple(cast("RunnableConfig", self.config(conversation_id)))
        if saved is None:
            return []
        return list(saved.checkpoint.get("channel_values", {}).get("messages", []))

    def latest_checkpoint_id(self, conversation_id: str) -> str | None:
        saved = self.checkpointer.get_tuple(cast("RunnableConfig", self.config(conversation_id)))
        return saved.config["configurable"].get("checkpoint_id") if saved else None

    def get(self, conversation_id: str) -> Conversation | None:
        row = self.conn.execute(
            "SELECT id, title, created_at, updated_at FROM conversations WHERE id = ?", (conversation_id,)
        ).fetchone()
        return Conversation(*row) if row else None

    def turns(self, conversation_id: str) -> list[dict[str, Any]]:
        """The conversation as question/answer pairs, in order (the answer is the turn's last AI text)."""
        from langchain_core.messages import AIMessage, HumanMessage

        out: list[dict[str, Any]] = []
        for message in self.messages(conversation_id):
            if isinstance(message, HumanMessage):
                out.append({"question": message.text, "answer": ""})
            elif isinstance(message, AIMessage) and out and message.text.strip():
                out[-1]["answer"] = message.text.strip()
        return out

    def delete(self, conversation_id: str) -> None:
        self.checkpointer.delete_thread(conversation_id)
        self.conn.execute("DELETE FROM conversations WHERE id = ?", (conversation_id,))
        self.conn.commit()


@contextmanager
def conversation_lock(
    conversation_id: str, settings: Settings | None = None, wait_s: float = TURN_WAIT_S
) -> Iterator[None]:
    """Hold the conversation's turn lock (across threads and processes); ``InputError`` after ``wait_s``."""
    from agent.settings import load_settings
    from knowledge.file_lock import exclusive_lock

    folder = (settings or load_settings()).data_dir / "locks"
    path = folder / (hashlib.sha256(conversation_id.encode()).hexdigest()[:20] + ".lock")
    busy = f"{conversation_id!r} is still answering another question after {wait_s:.0f} s; try again."
    with exclusive_lock(path, wait_s, "conversation", busy):
        yield


def open_store(settings: Settings | None = None) -> ConversationStore:
    """The store under the data directory (use as a context manager)."""
    return ConversationStore(db_path(settings))


def last_conversation_id(settings: Settings | None = None) -> str | None:
    """The most recently used conversation id, or ``None`` when there is none (for ``chat --resume``)."""
    path = db_path(settings)
    if not path.exists():
        return None
    with open_store(settings) as store:
        recent = store.conversations(limit=1)
    return recent[0].id if recent else None
