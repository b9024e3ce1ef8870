"""chromadb clients for the knowledge index: a local ``PersistentClient`` or an ``HttpClient``
to a Chroma server (``CHROMA_HOST``), checked within a 3 s connect timeout before use, and the
helpers that drop chromadb's per-path client cache."""

from __future__ import annotations

from pathlib import Path
from typing import Any

#: Connect timeout for a Chroma server, seconds; a request may take at most READ_TIMEOUT_S.
CONNECT_TIMEOUT_S = 3.0
READ_TIMEOUT_S = 30.0


class IndexUnavailable(RuntimeError):
    """The index cannot be reached or opened (e.g. a Chroma server that does not answer)."""


def _chroma_settings() -> Any:
    from chromadb.config import Settings as ChromaSettings

    return ChromaSettings(anonymized_telemetry=False, allow_reset=True)


def _http_client(host: str, port: int) -> Any:
    """A chromadb HttpClient, after checking within the timeouts that the server answers."""
    import chromadb
    import httpx

    timeout = httpx.Timeout(READ_TIMEOUT_S, connect=CONNECT_TIMEOUT_S)
    try:
        resp = httpx.get(f"http://{host}:{port}/api/v2/heartbeat", timeout=timeout)
        resp.raise_for_status()
    except httpx.HTTPError as exc:
        raise IndexUnavailable(
            f"Chroma server at {host}:{port} did not answer ({type(exc).__name__}: {exc}); "
            "start it or unset CHROMA_HOST to use the local index"
        ) from exc
    client = chromadb.HttpClient(host=host, port=port, settings=_chroma_settings())
    session = getattr(getattr(client, "_server", None), "_session", None)
    if session is not None:  # chromadb's own client has no timeout (httpx timeout=None)
        session.timeout = timeout
    return client


def _persistent_client(path: Path) -> Any:
    import chromadb

    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=_chroma_settings())


def _forget_client(path: Path) -> None:
    """Drop chromadb's cached client of one index folder, so the next one re-reads it from disk."""
    from chromadb.api.shared_system_client import SharedSystemClient

    key = str(path)
    with SharedSystemClient._refcount_lock:
        SharedSystemClient._identifier_to_refcount.pop(key, None)
    system = SharedSystemClient._identifier_to_system.pop(key, None)
    if system is not None:
        system.stop()


def _forget_clients() -> None:
    """Drop chromadb's per-path client cache (needed before deleting or recreating a directory)."""
    from chromadb.api.shared_system_client import SharedSystemClient

    SharedSystemClient.clear_system_cache()
