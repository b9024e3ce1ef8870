"""Fault suite: concurrent questions on one conversation each get their turn stored, in order.

Real processes (four ``ask()`` callers on one conversation id) and threads (two simultaneous
Slack-style callers in one process); the offline planner answers, so no model is called.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path

from agent.ask import ask
from agent.store import open_store

QUESTIONS = [f"kv cache for llama 3.1 70b at {k}k context" for k in (2, 4, 8)]

_WORKER = """
import sys
from agent.ask import ask
conv, tag = sys.argv[1], sys.argv[2]
for q in {questions!r}:
    ask(f"{{q}} ({{tag}})", conversation_id=conv, model="offline")
"""


def _stored(conversation_id: str) -> list[dict]:
    with open_store() as store:
        return store.turns(conversation_id)


def test_four_processes_on_one_conversation_lose_no_turn(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("SILICONOMICS_DATA_DIR", str(tmp_path))
    script = _WORKER.format(questions=QUESTIONS)
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", script, "shared", f"p{i}"], stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        for i in range(4)
    ]
    for p in procs:
        _, err = p.communicate(timeout=240)
        assert p.returncode == 0, err.decode()[-2000:]
    turns = _stored("shared")
    asked = {f"{q} (p{i})" for q in QUESTIONS for i in range(4)}
    print(f"\nconcurrent turns stored (processes): {len(turns)} of {len(asked)}")
    assert {t["question"] for t in turns} == asked and len(turns) == len(asked)
    assert all("327,680" in t["answer"] for t in turns)  # each answer stored with its own question
    for i in range(4):  # each process's questions in the order it asked them
        mine = [t["question"] for t in turns if t["question"].endswith(f"(p{i})")]
        assert mine == [f"{q} (p{i})" for q in QUESTIONS]


def test_two_simultaneous_slack_threads_callers_lose_no_turn(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("SILICONOMICS_DATA_DIR", str(tmp_path))
    from agent.settings import load_settings

    load_settings.cache_clear()
    settings = load_settings()
    errors: list[BaseException] = []

    def mention(tag: str) -> None:
        try:
            for q in QUESTIONS + QUESTIONS[:2]:
                ask(f"{q} ({tag})", conversation_id="slack:C1:1700000000.000100", model="offline", settings=settings)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=mention, args=(t,)) for t in ("a", "b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=240)
    assert not errors, errors
    turns = _stored("slack:C1:1700000000.000100")
    print(f"\nconcurrent turns stored (threads): {len(turns)} of 10")
    assert len(turns) == 10
    assert json.dumps(turns)  # exportable as it is
