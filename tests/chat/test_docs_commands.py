"""The README's and guides' commands, run, and their printed figures compared with the docs.

Every ``$ siliconomics ...`` line in README.md and .readme/*.md whose shown output can be checked:

- ``--json`` output shown as ``"key": value`` pairs: each pair must be in the real JSON (numbers to
  the digits shown);
- an ``error: ...`` line: the real error line, exit code 2;
- an ``ask`` example: each shown passage of output (between ``[...]`` trims) must appear in the real
  ``ask --verbose`` output, whitespace aside (the docs show the whole answer; the default is brief).

Counts the docs state about the bundled data (chapters, chips, models) are compared with the data.
Run in-process with an isolated data directory, offline.
"""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
DOCS = [ROOT / "README.md", *sorted((ROOT / ".readme").glob("*.md"))]
_PAIR = re.compile(r'"(\w+)": (-?[\d.]+(?:e[-+]?\d+)?|true|false|"[^"]*")')
_TRIM = re.compile(r"\s*(?:\[(?:\.\.\.|…)(?:[^\[\]]|\[[^\]]*\])*\]|\.\.\.|…)\s*")


def _examples() -> list[tuple[str, int, str, list[str]]]:
    """(doc, line number, command, the output lines shown under it) for each ``$ siliconomics`` line."""
    out = []
    for doc in DOCS:
        lines = doc.read_text(encoding="utf-8").splitlines()
        for i, line in enumerate(lines):
            if not line.startswith("$ siliconomics "):
                continue
            command, rest = line[2:], lines[i + 1 :]
            while command.endswith("\\") and rest:  # a command continued on the next line
                command, rest = command[:-1].rstrip() + " " + rest[0].strip(), rest[1:]
            shown = []
            for nxt in rest:
                if nxt.startswith(("$ ", "```")):
                    break
                shown.append(nxt)
            out.append((doc.name, i + 1, command, shown))
    return out


def _run(command: str, data_dir: Path):
    from agent.cli.main import cli

    args = shlex.split(re.split(r"\s*[|;]\s|\s{2,}", command)[0])[1:]  # no pipe, no "; echo", no trailing note
    return CliRunner().invoke(
        cli, args, env={"SILICONOMICS_DATA_DIR": str(data_dir), "COLUMNS": "200"}, catch_exceptions=False
    )


def _values(data, out=None) -> dict[str, list]:
    """Every value under each key, anywhere in the JSON."""
    out = {} if out is None else out
    if isinstance(data, dict):
        for k, v in data.items():
            out.setdefault(k, []).append(v)
            _values(v, out)
    elif isinstance(data, list):
        for v in data:
            _values(v, out)
    return out


def _matches(expected: str, values: list) -> bool:
    if expected in ("true", "false"):
        return (expected == "true") in values
    if expected.startswith('"'):
        text = expected.strip('"')
        if text.endswith("..."):  # "text shortened here"
            return any(isinstance(v, str) and v.startswith(text[:-3].rstrip()) for v in values)
        return text in values
    decimals = len(expected.split(".")[1]) if "." in expected and "e" not in expected.lower() else 0
    tolerance = 0.5 * 10**-decimals if decimals else 0.5
    return any(
        isinstance(v, (int, float))
        and not isinstance(v, bool)
        and abs(v - float(expected)) <= max(tolerance, 1e-9 * abs(v))
        for v in values
    )


_CITE = re.compile(r"\[\d{1,2}\]")
_TIMING = re.compile(r"(offline|openai:\S+|anthropic:\S+) · [\d.]+ s")


def _norm(text: str) -> str:
    """Whitespace collapsed, quote bars dropped, the answer's seconds left out (they vary run to run)."""
    text = _CITE.sub(" ", _TIMING.sub(r"\1 · N s", text))  # citation numbers follow the passage order, not a figure
    return " ".join(text.replace("▌", " ").split())


def _needs_files(command: str) -> bool:
    """An example that reads files only the user has (``ingest good.pdf``): not runnable here."""
    args = shlex.split(re.split(r"\s*[|;]\s|\s{2,}", command)[0])
    return args[1:2] == ["ingest"] and any(not (ROOT / a).exists() for a in args[2:] if not a.startswith("-"))


CASES = _examples()


def test_the_docs_show_commands():
    assert len(CASES) >= 30


@pytest.mark.parametrize(("doc", "line", "command", "shown"), CASES, ids=[f"{d}:{n}" for d, n, _, _ in CASES])
def test_doc_command_prints_what_the_doc_shows(doc, line, command, shown, data_dir):
    if _needs_files(command):
        pytest.skip("the example reads the user's own files")
    pairs = [p for s in shown for p in _PAIR.findall(s)]
    errors = [s for s in shown if s.startswith("error: ")]
    if "--json" in command and pairs:
        result = _run(command, data_dir)
        assert result.exit_code == 0, result.output
        values = _values(json.loads(result.output))
        wrong = [(k, v, values.get(k)) for k, v in pairs if not _matches(v, values.get(k, []))]
        assert wrong == [], f"{doc}:{line} {command}"
    elif errors:
        result = _run(command, data_dir)
        assert result.exit_code == 2 and result.output.strip() == errors[0], f"{doc}:{line} {command}"
    elif command.startswith("siliconomics ask ") and shown:
        verbose = command.replace("siliconomics ask ", "siliconomics ask --verbose --model offline ", 1)
        result = _run(verbose.replace(" --model offline --model offline", " --model offline"), data_dir)
        assert result.exit_code == 0, result.output
        actual = _norm(result.output)
        passages = [_norm(p) for p in _TRIM.split("\n".join(shown)) if _norm(p)]
        missing = [p for p in passages if p not in actual]
        assert missing == [], f"{doc}:{line} {command}\n--- not in the real output:\n" + "\n".join(missing)
    else:
        pytest.skip("no checkable output shown")


def test_counts_the_docs_state_match_the_bundled_data():
    from agent.chat.app import knowledge_facts

    facts = knowledge_facts()
    for doc in DOCS:
        text = doc.read_text(encoding="utf-8")
        for n in re.findall(r"\((\d+) chapters\)|all (\d+) chapters|(\d+) chapters\)", text):
            assert int(next(x for x in n if x)) == facts["chapters"], doc.name
        for chips, models in re.findall(r"(\d+) chips, (\d+) models", text):
            assert (int(chips), int(models)) == (facts["chips"], facts["models"]), doc.name
