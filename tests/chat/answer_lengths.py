"""Lines of the default (brief) and full answers at 80 columns over the offline question suite.

Run ``python -m tests.chat.answer_lengths`` to print the medians; the test module
``test_brief_answers`` asserts them. Each question is asked through the real ``ask()`` with the
offline planner (follow-ups with their earlier questions as history, as the suite does).
"""

from __future__ import annotations

import io
import statistics

from rich.console import Console

WIDTH = 80


def rendered_lines(renderable) -> int:
    console = Console(width=WIDTH, file=io.StringIO(), force_terminal=False, color_system=None)
    console.print(renderable)
    return len(console.file.getvalue().rstrip("\n").splitlines())


def suite_answers(settings=None):
    """(case id, tags, Answer) for every case of the agent_offline suite."""
    from agent.ask import ask
    from evals.loader import load_suites

    (suite,) = load_suites(["agent_offline"])
    for case in suite.cases:
        history: list[tuple[str, str]] = [(t.role, t.content) for t in case.history]
        for earlier in case.follow_up_of:
            prior = ask(earlier, model="offline", history=history, settings=settings)
            history += [("user", earlier), ("assistant", prior.answer)]
        yield case.id, list(case.tags), ask(case.question, model="offline", history=history, settings=settings)


def measure(settings=None) -> dict[str, object]:
    from agent.render.answer import answer_renderable, brief_renderable

    brief, full, fit = [], [], []
    for case_id, tags, answer in suite_answers(settings):
        b = rendered_lines(brief_renderable(answer))
        brief.append(b)
        full.append(rendered_lines(answer_renderable(answer)))
        if "memory_fit" in tags:
            fit.append((case_id, b))
    return {
        "questions": len(brief),
        "brief_median": statistics.median(brief),
        "brief_max": max(brief),
        "full_median": statistics.median(full),
        "fit": fit,
    }


if __name__ == "__main__":  # pragma: no cover
    result = measure()
    print({k: v for k, v in result.items() if k != "fit"})
    print("fit answers over 15 lines:", [f for f in result["fit"] if f[1] > 15])
