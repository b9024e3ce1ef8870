"""The installed ``siliconomics chat`` driven end to end: under a real pseudo-terminal (pexpect), and piped.

No key and no network: the offline planner answers, the index is built in a private data
directory on the first run. For Ctrl-C "during an answer" to be deterministic, the session
switches to an OpenAI-compatible model served by a loopback fake (tests/agent/fake_providers.py)
that holds the request open; the test presses Ctrl-C once the request has reached it. The same
fake, scripted, checks a provider session: streamed request, tool line, answer.

Expected figures (tools/kv_cache.py docstring; knowledge/data/models.csv kv_bytes_per_token_bf16):
Llama-3.1-70B bf16 KV = 327,680 B/token; 32,000 tokens x 8 sequences = 83,886,080,000 B (83.9 GB);
fp8 is half: 163,840 B/token, 41,943,040,000 B (41.9 GB).
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import pexpect
import pytest

pytestmark = pytest.mark.slow

BIN = Path(sys.executable).parent / "siliconomics"
_ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)|\x1b[()][A-Z0-9]|\x1b[=>78]|\r")
_DROP_VARS = (
    "OPENAI_API_KEY",
    "OPENAI_BASE_URL",
    "ANTHROPIC_API_KEY",
    "ANTHROPIC_BASE_URL",
    "SILICONOMICS_MODEL",
    "SILICONOMICS_FALLBACK",
    "CHROMA_HOST",
    "SLACK_BOT_TOKEN",
    "SLACK_APP_TOKEN",
)


def child_env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _DROP_VARS}
    env.update(SILICONOMICS_DATA_DIR=str(data_dir), TERM="xterm-256color", PROMPT_TOOLKIT_NO_CPR="1", **extra)
    return env


class Screen:
    """Everything the child printed, with terminal escape sequences removed, and a read position."""

    def __init__(self, child: pexpect.spawn) -> None:
        self.child = child
        self.raw = ""
        self.pos = 0

    @property
    def text(self) -> str:
        return _ANSI.sub("", self.raw)

    def wait(self, pattern: str, timeout: float = 120) -> re.Match:
        """Read until ``pattern`` (regex) appears after the read position; move the position past it."""
        deadline = time.monotonic() + timeout
        regex = re.compile(pattern)
        while True:
            match = regex.search(self.text, self.pos)
            if match:
                self.pos = match.end()
                return match
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"{pattern!r} not on screen within {timeout} s; screen so far:\n{self.text[-3000:]}"
                )
            try:
                self.raw += self.child.read_nonblocking(65536, timeout=0.5)
            except pexpect.TIMEOUT:
                continue
            except pexpect.EOF:
                match = regex.search(self.text, self.pos)
                if match:
                    self.pos = match.end()
                    return match
                raise AssertionError(f"chat exited before {pattern!r}; screen:\n{self.text[-3000:]}") from None

    def ask(self, line: str, until: str, timeout: float = 120) -> str:
        """Type a line at the prompt, wait for ``until``, then for the next prompt; the text in between."""
        start = len(self.text)
        self.child.send(line + "\r")
        self.wait(until, timeout)
        self.prompt()
        return self.text[start : self.pos]

    def prompt(self, timeout: float = 60) -> None:
        self.wait(r"›", timeout)


def _fake_providers():
    """The agent tests' loopback fake of the OpenAI/Anthropic HTTP APIs (tests/agent/fake_providers.py)."""
    name = "chat_fake_providers"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, Path(__file__).parents[1] / "agent" / "fake_providers.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


@pytest.fixture(scope="module")
def chat_data(tmp_path_factory) -> Path:
    """One data directory for this module: the first chat run builds its index."""
    return tmp_path_factory.mktemp("chat-data")


@pytest.fixture
def held_request():
    """An OpenAI-compatible server whose first request is held open until the test ends."""
    fakes = _fake_providers()
    received, release = threading.Event(), threading.Event()

    def hold(body):
        received.set()
        release.wait(120)
        return fakes.Fail(500, "released at the end of the test")

    with fakes.FakeProvider([hold]) as server:
        server.received = received
        yield server
        release.set()


def spawn(data_dir: Path, *args: str, **env: str) -> tuple[pexpect.spawn, Screen]:
    child = pexpect.spawn(
        str(BIN),
        ["chat", *args],
        env=child_env(data_dir, **env),
        cwd=str(data_dir),
        dimensions=(60, 200),
        encoding="utf-8",
        codec_errors="replace",
        timeout=30,
    )
    return child, Screen(child)


def test_first_run_three_questions_reset_ctrl_c_quit(chat_data, held_request):
    # --model offline: with OPENAI_BASE_URL set, the default would be the (fake) OpenAI server
    child, screen = spawn(
        chat_data, "--model", "offline", OPENAI_BASE_URL=held_request.openai_base_url, SILICONOMICS_MAX_RETRIES="0"
    )
    try:
        # welcome: the model, that no key is needed, what it knows, example questions
        screen.wait(r"Model: offline \(deterministic planner: no API key and no network needed\)")
        screen.wait(
            r"Knows: the BG2 podcast with Dylan Patel \(\d+ chapters\), 24 chips, 24 models, hyperscaler capex\s+history 2015–2026"
        )
        screen.wait(r"KV cache for Llama 3\.1 70B at 32k context, batch 8\?")
        # first run: the index is built with a progress bar
        screen.wait(r"building the search index \(first run\)", timeout=60)
        screen.wait(r"search index built in \d+ s", timeout=400)
        screen.prompt()

        brief = screen.ask("KV cache for Llama 3.1 70B at 32k context, batch 8?", r"offline · [\d.]+ s[^\n]*")
        assert "83.89 GB" in brief and "▸ kv_cache(" not in brief and "/work: formula" in brief, brief
        first = screen.ask("/work", r"offline · [\d.]+ s")
        tool_line = re.search(r"▸ kv_cache\(([^)]*)\) → ([^\n]*)", first)
        assert tool_line, first
        args = tool_line.group(1)
        assert "batch=8" in args and "context=32000" in args and re.search(r"model=llama.?3\.1.?70b", args, re.I)
        assert "bytes_per_token=327,680 B" in tool_line.group(2)
        assert "total_bytes=83,886,080,000 B (83.9 GB)" in tool_line.group(2)

        # the follow-up carries model, context and batch over, visibly, and halves the figures
        screen.ask("and at fp8?", r"offline · [\d.]+ s[^\n]*")
        follow = screen.ask("/work", r"offline · [\d.]+ s")
        tool_line = re.search(r"▸ kv_cache\(([^)]*)\) → ([^\n]*)", follow)
        assert tool_line, follow
        args = tool_line.group(1)
        assert "kv_dtype=fp8" in args and "batch=8" in args and "context=32000" in args, args
        assert re.search(r"model=llama.?3\.1.?70b", args, re.I), args
        assert "bytes_per_token=163,840 B" in tool_line.group(2)
        assert "total_bytes=41,943,040,000 B (41.9 GB)" in tool_line.group(2)

        # a transcript question: a citation with chapter and time on screen
        screen.ask("What did Dylan say about Trainium2's price per chip?", r"offline · [\d.]+ s[^\n]*")
        said = screen.ask("/work", r"offline · [\d.]+ s")
        assert "▸ search_knowledge(" in said
        assert re.search(r"\[1\] [^\n·]+ · \d{1,3}:\d{2} — [^\n]*Dylan Patel", said), said

        screen.ask("/reset", r"new conversation [0-9a-f]+")

        # Ctrl-C while an answer is in progress (the fake provider holds the request open)
        screen.ask("/model openai:held-open", r"model set to openai:held-open")
        child.send("What does an H100 cost per hour?\r")
        assert held_request.received.wait(120), "the question never reached the provider"
        child.sendintr()
        screen.wait(r"cancelled", timeout=30)
        screen.prompt()

        # the session goes on after the cancel
        screen.ask("/model offline", r"model set to offline")
        after = screen.ask("KV cache for Llama 3.1 8B at 8k context?", r"offline · [\d.]+ s[^\n]*")
        assert "KV cache" in after and "/work: formula" in after

        child.send("/quit\r")
        screen.wait(r"bye")
        child.expect(pexpect.EOF, timeout=30)
        child.wait()  # the pty closes a moment before the process has exited
    finally:
        child.close()
    assert child.exitstatus == 0, screen.text[-2000:]
    assert "Traceback" not in screen.text


def test_later_run_starts_at_once_and_resumes(chat_data):
    """Second run on the same data: no index build, and --resume continues the last conversation."""
    child, screen = spawn(chat_data, "--resume")
    try:
        screen.wait(r"Model: offline")
        screen.wait(r"resumed [0-9a-f]+ \(\d+ earlier questions?\); the last one:")
        screen.wait(r"offline · [\d.]+ s")  # the last answer, shown again
        screen.prompt()
        assert "building the search index" not in screen.text
        child.sendeof()  # Ctrl-D leaves, here while the warm-up may still be loading the index
        screen.wait(r"bye")
        child.expect(pexpect.EOF, timeout=30)
        child.wait()  # the pty closes a moment before the process has exited
    finally:
        child.close()
    assert child.exitstatus == 0, (child.signalstatus, screen.text[-1500:])


def test_provider_model_streams_and_shows_its_tool_calls(chat_data):
    """With a provider (here the loopback fake), the chat asks for a stream and renders tools and text."""
    fakes = _fake_providers()
    text = "For 8 sequences of 32,000 tokens the KV cache is 83,886,080,000 B (83.9 GB), from the kv_cache tool."
    script = [
        fakes.reply(tools=[("kv_cache", {"model": "llama-3.1-70b", "context": 32000, "batch": 8})]),
        fakes.reply(text),
    ]
    with fakes.FakeProvider(script) as server:
        child, screen = spawn(
            chat_data,
            "--model",
            "openai:gpt-test",
            OPENAI_BASE_URL=server.openai_base_url,
            OPENAI_API_KEY="test-key",
            SILICONOMICS_MAX_RETRIES="0",
        )
        try:
            screen.wait(r"Model: openai:gpt-test")
            screen.prompt()
            out = screen.ask("KV cache for Llama 3.1 70B at 32k context, batch 8?", r"openai:gpt-test · [\d.]+ s[^\n]*")
            out += screen.ask("/work", r"openai:gpt-test · [\d.]+ s")
            child.send("/quit\r")
            child.expect(pexpect.EOF, timeout=30)
            child.wait()  # the pty closes a moment before the process has exited
        finally:
            child.close()
        bodies = [body for _, _, body in server.requests]
    assert child.exitstatus == 0
    assert "the KV cache is 83,886,080,000 B (83.9 GB)" in out
    assert "▸ kv_cache(model=llama-3.1-70b, context=32000, batch=8) → bytes_per_token=327,680 B" in out
    assert "unverified" not in out  # every figure traces to the tool result
    assert len(bodies) == 2 and all(body.get("stream") for body in bodies)


def run_piped(data_dir: Path, lines: str, *args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(BIN), "chat", *args],
        input=lines,
        capture_output=True,
        text=True,
        env=child_env(data_dir, **env),
        cwd=str(data_dir),
        timeout=600,
    )


def test_piped_questions_are_answered_in_order_and_exit_zero(chat_data):
    done = run_piped(chat_data, "KV cache for Llama 3.1 70B at 32k context, batch 8?\n\nand at fp8?\n")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert (
        out.index("› KV cache for Llama 3.1 70B")
        < out.index("83.89 GB")
        < out.index("› and at fp8?")
        < out.index("41.94 GB")
    )
    assert "Model:" not in out  # no welcome screen in a pipe
    assert "Traceback" not in done.stderr


def test_piped_provider_failure_is_one_line_and_the_rest_is_answered(chat_data):
    lines = "KV cache for Llama 3.1 8B at 8k context?\n/model offline\nKV cache for Llama 3.1 8B at 8k context?\n"
    done = run_piped(
        chat_data,
        lines,
        "--model",
        "openai:nowhere",
        OPENAI_BASE_URL="http://127.0.0.1:9/v1",
        SILICONOMICS_MAX_RETRIES="0",
    )
    assert done.returncode == 1  # a question failed
    errors = [line for line in done.stdout.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "openai:nowhere" in errors[0], done.stdout
    assert "/work: formula" in done.stdout.split(errors[0])[1]
    assert "Traceback" not in done.stdout + done.stderr
