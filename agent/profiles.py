"""Where saved calibration profiles live for the front-ends: ``<data dir>/profiles``.

The calculators never locate the data directory themselves (``tools/`` reads no settings): every
front-end passes it in as ``profile_dir`` when a request names a ``profile``. A directory given by a
language model or an MCP client is replaced, so they read profiles from the data directory only; the CLI
keeps a ``--profile-dir`` the user typed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


def profiles_dir() -> Path:
    """``<data dir>/profiles`` from the settings."""
    from agent.settings import load_settings

    return Path(load_settings().data_dir) / "profiles"


def with_profile_dir(model: type, args: dict[str, Any], trust_given: bool = False) -> dict[str, Any]:
    """``args`` with ``profile_dir`` set to the data directory's when a profile is named and ``model`` takes one.
    ``trust_given``: keep a directory the user typed (the CLI's ``--profile-dir``)."""
    if "profile_dir" not in getattr(model, "model_fields", {}) or (trust_given and args.get("profile_dir")):
        return args
    rest = {k: v for k, v in args.items() if k != "profile_dir"}
    return {**rest, "profile_dir": str(profiles_dir())} if args.get("profile") else rest
