"""Reading the chat's input: prompt_toolkit in a terminal, plain lines from a pipe.

In a terminal: history kept across runs in ``<data_dir>/chat/history`` (Up/Down, Ctrl-R to
search it), multi-line paste (a bracketed paste keeps its newlines; Alt-Enter inserts one),
Tab completion of slash commands, model names after ``/model``, and catalog names: chips and
language models (names and aliases from :mod:`tools.catalog`) and the companies of
``knowledge/data/capex.csv``.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TextIO

from prompt_toolkit.completion import CompleteEvent, Completer, Completion
from prompt_toolkit.document import Document

from agent.chat.session import COMMANDS

#: Suggestions after ``/model`` (any ``openai:<model>`` or ``anthropic:<model>`` is accepted).
MODEL_CHOICES = ("offline", "openai:", "anthropic:")


@cache
def capex_companies() -> tuple[str, ...]:
    """Companies with capex history in ``knowledge/data/capex.csv``."""
    path = resources.files("knowledge") / "data" / "capex.csv"
    with path.open(newline="", encoding="utf-8") as fh:
        return tuple(sorted({row["company"] for row in csv.DictReader(fh) if row.get("company")}))


@cache
def catalog_words() -> tuple[tuple[str, str], ...]:
    """``(what is typed, what is inserted)`` pairs: each catalog name and alias maps to itself.

    Aliases are inserted as typed ("h100", "llama 3.1 70b") because the catalog lookup accepts
    them; names with spaces are offered whole.
    """
    from tools.catalog import accelerators, models

    pairs: dict[str, str] = {}
    for row in (*accelerators(), *models()):
        for label in (row.name, *row.aliases):
            pairs.setdefault(label.lower(), label)
    for company in capex_companies():
        pairs.setdefault(company.lower(), company)
    return tuple(sorted(pairs.items()))


class ChatCompleter(Completer):
    """Slash commands at the start of a line, model names after /model, catalog names elsewhere."""

    def get_completions(self, document: Document, complete_event: CompleteEvent) -> Iterator[Completion]:
        text = document.text_before_cursor
        if text.startswith("/"):
            head, space, rest = text.partition(" ")
            if not space:
                for name, help_text in COMMANDS.items():
                    if name.startswith(head.lower()):
                        yield Completion(name, start_position=-len(head), display_meta=help_text.split(":")[0][:40])
                return
            if head.lower() == "/model":
                for choice in MODEL_CHOICES:
                    if choice.startswith(rest.lower()):
                        yield Completion(choice, start_position=-len(rest))
            return
        word = document.get_word_before_cursor(WORD=True)
        if len(word) < 2:
            return
        yield from (Completion(ins, start_position=-len(word)) for ins in complete_word(word))


def complete_word(word: str, limit: int = 12) -> list[str]:
    """Catalog names and aliases starting with ``word`` (case-insensitive), shortest first."""
    w = word.lower()
    hits = [ins for typed, ins in catalog_words() if typed.startswith(w) and typed != w]
    return sorted(hits, key=lambda s: (len(s), s.lower()))[:limit]


def history_path(data_dir: Path) -> Path:
    return Path(data_dir) / "chat" / "history"


def prompt_session(data_dir: Path, *, input=None, output=None):  # -> PromptSession[str]
    """A prompt with persistent history, completion, Ctrl-R search and Alt-Enter for a new line.

    ``input``/``output`` default to the terminal (tests pass a pipe input and a dummy output).
    """
    from prompt_toolkit import PromptSession
    from prompt_toolkit.history import FileHistory
    from prompt_toolkit.key_binding import KeyBindings

    path = history_path(data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    bindings = KeyBindings()

    @bindings.add("escape", "enter")
    def _newline(event) -> None:  # Alt-Enter / Esc Enter: a line break inside the question
        event.current_buffer.insert_text("\n")

    return PromptSession(
        history=FileHistory(str(path)),
        completer=ChatCompleter(),
        complete_while_typing=False,
        key_bindings=bindings,
        enable_history_search=False,  # Up/Down walk the whole history; Ctrl-R searches it
        prompt_continuation="… ",
        input=input,
        output=output,
    )


def terminal_lines(session, prompt: str = "› ") -> Iterator[str]:
    """Lines typed at the prompt until Ctrl-D. Ctrl-C on the prompt clears the line."""
    while True:
        try:
            yield session.prompt(prompt)
        except KeyboardInterrupt:
            continue
        except EOFError:
            return


def piped_lines(stream: TextIO) -> Iterable[str]:
    """One question per non-empty line of a pipe or file, until end of input."""
    for line in stream:
        if line.strip():
            yield line.rstrip("\n")
