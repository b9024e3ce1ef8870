"""Keep tokens and keys out of logs and replies.

:func:`redact` replaces every configured secret value (Slack tokens, signing secret, provider
keys) and anything shaped like a Slack token (``xoxb-``, ``xapp-``...) or an ``Authorization``
header value. :class:`RedactingFormatter` applies it to each formatted log line, traceback
included, so a library logging its request headers at DEBUG cannot leak a token.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

_TOKEN_SHAPES = re.compile(
    r"\b(xox[abposr]|xapp|xoxe(?:\.xox[bp])?)-[A-Za-z0-9-]{6,}|(?i:bearer)\s+[A-Za-z0-9._~+/=-]{8,}"
)
REPLACEMENT = "[redacted]"


def secret_values(settings: object) -> list[str]:
    """Every secret in the settings (``SecretStr`` fields), as plain strings, longest first."""
    from pydantic import SecretStr

    values = [getattr(settings, name) for name in type(settings).model_fields]  # type: ignore[attr-defined]
    out = [v.get_secret_value() for v in values if isinstance(v, SecretStr)]
    return sorted({s for s in out if len(s) >= 6}, key=len, reverse=True)


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """``text`` with the given secrets and token-shaped strings replaced by ``[redacted]``."""
    for secret in secrets:
        text = text.replace(secret, REPLACEMENT)
    return _TOKEN_SHAPES.sub(REPLACEMENT, text)


class RedactingFormatter(logging.Formatter):
    """A formatter whose every output line has passed through :func:`redact`."""

    def __init__(self, fmt: str, secrets: Iterable[str] = ()):
        super().__init__(fmt)
        self.secrets = list(secrets)

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record), self.secrets)
