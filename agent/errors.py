"""The one error type front-ends raise for bad input or usage.

:class:`UsageError` is a :class:`click.ClickException`: inside a click command, click prints
``error: <message>`` on stderr and exits with :attr:`exit_code` (2 by default: bad input or
usage; 1 for a failure that is not the user's input, such as an unreachable provider).
"""

from __future__ import annotations

from typing import IO, Any

import click


class UsageError(click.ClickException):
    """Bad input or usage: one line on stderr, exit code 2 (or the ``exit_code`` given)."""

    def __init__(self, message: str, exit_code: int = 2) -> None:
        super().__init__(message)
        self.exit_code = exit_code  # type: ignore[misc]  # click reads it per instance

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(f"error: {self.format_message()}", err=True, file=file)
