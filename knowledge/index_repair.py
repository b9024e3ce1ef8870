"""Repairs of the on-disk index: probe it, replace a damaged one, drop the folders old builds leave.

A chromadb ``PersistentClient`` folder holds ``chroma.sqlite3`` and one ``<uuid>/`` folder per vector
segment. Deleting a collection (as every rebuild does) leaves its segment folder on disk; a missing
or damaged segment folder makes every vector query fail while the database opens fine, hence the probe.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path
from typing import Any

from knowledge.index import IndexUnavailable

log = logging.getLogger("knowledge.index")


def probe(collection: Any) -> None:
    """One tiny vector query, so a damaged vector segment (missing or garbage files) fails here, at open."""
    got = collection.get(limit=1, include=["embeddings"])
    if len(got["ids"]):
        collection.query(query_embeddings=[list(got["embeddings"][0])], n_results=1, include=[])


def reset(index_dir: Path) -> None:
    """Remove whatever is at ``index_dir`` and recreate it empty; IndexUnavailable naming the path if impossible.
    (Drop chromadb's cached clients first.)"""
    try:
        if index_dir.is_dir():
            shutil.rmtree(index_dir)
        elif index_dir.exists() or index_dir.is_symlink():
            index_dir.unlink()
        index_dir.mkdir(parents=True)
    except OSError as exc:
        raise IndexUnavailable(
            f"the index at {index_dir} is damaged and cannot be replaced ({exc.strerror or exc}); "
            "fix or remove that path, or set SILICONOMICS_DATA_DIR to another folder"
        ) from exc


def remove_old_segments(index_dir: Path) -> list[str]:
    """Delete segment folders (``<uuid>/`` under the index) that no live segment uses: what a rebuild leaves."""
    import sqlite3
    import uuid

    try:
        with sqlite3.connect(f"file:{index_dir / 'chroma.sqlite3'}?mode=ro", uri=True) as conn:
            live = {str(row[0]) for row in conn.execute("SELECT id FROM segments")}
    except sqlite3.Error as exc:
        log.warning("old index folders not cleaned (%s)", exc)
        return []
    removed = []
    for folder in index_dir.iterdir():
        try:
            uuid.UUID(folder.name)
        except ValueError:
            continue
        if folder.is_dir() and folder.name not in live:
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder.name)
    return removed
