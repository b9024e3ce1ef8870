"""The question's text made readable for the patterns: lower case, counts split from names, and each quantity read
once (the exact form of a rounded one, a total without its parts, spelled-out counts as digits)."""

from __future__ import annotations

import re

from agent.offline.tpu_slices import as_chip_count


def one_reading(text: str) -> str:
    """Two forms of one quantity read once: the exact form for a rounded one ("32k ctx (32768 tokens)" ->
    "32768 ctx tokens"), and a total without its parts ("9,000 tokens (1k answer + 8k thinking)" -> "9,000 tokens");
    spelled-out counts as digits ("fifty million" -> "50000000") and spelled-out power with digits ("a gigawatt" ->
    "1 gigawatt")."""
    from tools.quantities import lex

    for q in reversed(lex(text)):
        if q.unit == "W" and not re.search(r"\d", q.text):  # "half a gigawatt" -> "0.5 gigawatt"
            text = text[: q.start] + f"{q.digits} {q.text.split()[-1]}" + text[q.end :]
            continue
        if re.fullmatch(r"[a-z]+\s+[a-z]+", q.text):  # spelled out ("fifty million"): the digits the patterns read
            text = text[: q.start] + f"{q.value:.12g}" + text[q.end :]
            continue
        if "(" not in q.text or not (q.parts or q.rounded is not None):
            continue
        outside, inside = q.text.split("(", 1)
        if re.match(r"\d+(?:\.\d+)?\s?b\b", outside.strip()):
            continue  # "qwen3 32b (32.8b params)": the size is part of the model's name, the exact count stays apart
        if q.parts:
            new = outside.rstrip()
        else:
            words = re.sub(r"^[\s\d.,]+(?:e\d+)?|\)$", "", inside)
            new = re.sub(r"^\$?[\d.,]+\s?[kmb]?(?![a-z])", f"{q.value:.12g}", outside.strip()) + " " + words.strip()
        text = text[: q.start] + new + text[q.start + len(q.text) :]
    return text


def normalise_text(question: str) -> str:
    """Lower-case and split counts glued to names: '8xH100' -> '8 x h100', 'H100x8' -> 'h100 x 8', a TPU slice
    named by size as its chips: 'v5p-16' -> '8 x v5p' (:mod:`agent.offline.tpu_slices`)."""
    t = one_reading(as_chip_count(question.lower().replace("×", "x").replace("’", "'")))  # "v6e-8" -> "8 x v6e"
    t = re.sub(r"\$\s*-\s*(?=\d)", "-$", t)  # "$-2/hr" -> "-$2/hr": a negative amount, read as one
    t = re.sub(
        r"(?<![\w$])(\d[\d,]*(?:\.\d+)?)\s*(?:bucks?|dollars?|usd)\b", r"$\1", t
    )  # "2 bucks an hour" -> "$2 an hour"
    t = re.sub(r"\bfy\s*'?(\d{2})\b", r"fy20\1", t)  # "FY24" -> "fy2024"
    t = re.sub(r"(?<![a-z0-9])(\d[\d,]*)\s*x\s*(?=[a-z])", r"\1 x ", t)
    t = re.sub(r"(?<=[a-z0-9])x(\d+)\b", r" x \1", t)
    t = re.sub(r"(?<![a-z0-9])x(\d+)\b", r"x \1", t)
    return t
