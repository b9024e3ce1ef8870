"""The analyst's own catalog rows: one JSON file in the data directory.

Layout of ``<data_dir>/user_catalog.json``::

    {"version": 1, "models": [ModelSpec fields...], "chips": [Accelerator fields...], "prices": [PriceRow fields...]}

Every change is validated in full before anything is written, then written atomically (a
temporary file renamed over the old one), so a bad row leaves the file exactly as it was. A row
whose name or alias is a shipped row's needs ``replace=True`` (it then shadows the shipped row);
a name or alias that belongs to a *different* row is refused either way (lookup would depend on
row order). The data directory is passed in by the caller; this module never reads settings.
"""

from __future__ import annotations

import datetime
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from tools.errors import InputError

FILENAME = "user_catalog.json"
VERSION = 1
KINDS = ("models", "chips", "prices")


def catalog_path(data_dir: Path) -> Path:
    """Where the user catalog of ``data_dir`` lives."""
    return Path(data_dir) / FILENAME


def empty() -> dict[str, Any]:
    return {"version": VERSION, "models": [], "chips": [], "prices": []}


def read(data_dir: Path) -> dict[str, Any]:
    """The stored rows (an empty catalog when the file does not exist); a corrupt file is an error naming it."""
    path = catalog_path(data_dir)
    if not path.exists():
        return empty()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise InputError("catalog", f"cannot read your catalog {path}: {exc}. Fix or delete the file.") from None
    out = empty()
    for kind in KINDS:
        rows = data.get(kind, [])
        if not isinstance(rows, list):
            raise InputError("catalog", f"your catalog {path}: '{kind}' must be a list. Fix or delete the file.")
        out[kind] = rows
    return out


def write(data_dir: Path, data: dict[str, Any]) -> Path:
    """Replace the catalog file atomically; returns its path."""
    path = catalog_path(data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".user_catalog.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump({**data, "version": VERSION}, fh, indent=2, sort_keys=True)
            fh.write("\n")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def today() -> str:
    return datetime.date.today().isoformat()


def _labels(row: Any) -> set[str]:
    from tools.catalog import _normalise

    return {_normalise(x) for x in (row.name, *row.aliases)}


def _check_names(new: Any, existing: tuple[Any, ...], kind: str, replace: bool) -> None:
    """Refuse a clash with another row; a clash with the same-named row needs ``replace``."""
    mine = _labels(new)
    for row in existing:
        clash = mine & _labels(row)
        if not clash:
            continue
        if row.name != new.name:
            raise InputError(
                "name",
                f"{new.name!r} (or one of its aliases) is already a name of the {kind} {row.name!r}; choose another "
                "name or alias.",
            )
        if not replace:
            where = "your catalog" if row.origin != "shipped" else "the shipped catalog"
            raise InputError("name", f"{new.name!r} is already in {where}; add --replace to shadow it with your row.")


def add_row(data_dir: Path, kind: str, row: Any, *, replace: bool = False) -> Path:
    """Add (or, with ``replace``, overwrite) one validated model or chip row; returns the file written."""
    from tools import catalog

    catalog.use_user_catalog(data_dir)
    existing = catalog.models() if kind == "models" else catalog.accelerators()
    _check_names(row, existing, "model" if kind == "models" else "chip", replace)
    data = read(data_dir)
    stored = row.model_dump(exclude={"origin", "est_price_usd"}, mode="json")
    data[kind] = [r for r in data[kind] if r.get("name") != row.name] + [stored]
    return write(data_dir, data)


def add_price(data_dir: Path, price: Any) -> Path:
    """Add one price row for a catalog chip (canonical name); a new default demotes the user's older ones."""
    from tools import catalog

    catalog.use_user_catalog(data_dir)
    data = read(data_dir)
    stored = price.model_dump(exclude={"origin"}, mode="json")
    rows = data["prices"]
    if price.default:
        rows = [{**r, "default": False} if r.get("chip") == price.chip else r for r in rows]
    data["prices"] = rows + [stored]
    return write(data_dir, data)


def remove(data_dir: Path, name: str) -> tuple[Path, list[str]]:
    """Remove the user's model or chip called ``name`` (forgiving) and that chip's user prices."""
    from tools import catalog

    catalog.use_user_catalog(data_dir)
    data = read(data_dir)
    target = None
    for kind, finder in (("models", catalog.find_model), ("chips", catalog.find_accelerator)):
        try:
            row = finder(name, field="name")
        except InputError:
            continue
        if row.origin == catalog.USER:
            target = (kind, row.name)
            break
    if target is None:
        mine = [r["name"] for k in ("models", "chips") for r in data[k]]
        raise InputError(
            "name",
            f"{name!r} is not a row of your catalog; yours: {', '.join(mine) if mine else 'none'}. "
            "Shipped rows cannot be removed.",
        )
    kind, full = target
    data[kind] = [r for r in data[kind] if r.get("name") != full]
    removed = [full]
    if kind == "chips":
        kept = [p for p in data["prices"] if p.get("chip") != full]
        removed += (
            [f"{len(data['prices']) - len(kept)} price row(s) of {full}"] if len(kept) != len(data["prices"]) else []
        )
        data["prices"] = kept
    return write(data_dir, data), removed
