"""The synonym layer: transcription slips and spelling variants mapped to catalog names.

The transcript keeps its slips ("Tranium", "Lama70B", "KB cache", "Grok", "Cerebrus"); the
index embeds and tokenises :func:`canonicalize` of each chunk, and every query goes through
the same function, so "Trainium" finds "Tranium" and "KV cache" finds "KB cache". The passage
shown to the user is always the original text.

Each rule names what it fixes; the slips were read in the BG2 transcript
(``knowledge/data/bg2-dylan-patel-ai-semiconductor-landscape.txt``), the canonical names are
those of ``accelerators.csv`` / ``models.csv`` or the company's own spelling.
"""

from __future__ import annotations

import re

#: (pattern, replacement), applied in order, case-insensitive.
RULES: tuple[tuple[str, str], ...] = (
    # Amazon's chip: "Tranium", "Trinium 2", "Neutranium", "Tranium 2" -> Trainium2 / Trainium.
    (r"\b(?:neu)?tr[ai]{1,2}n?ium\s?2\b", "Trainium2"),
    (r"\b(?:neu)?tr(?:ai|a|i)n?ium\b", "Trainium"),
    # Meta's model: "Lama70B", "LLAMA 405B", "Lama" -> "Llama 70B", "Llama 405B", "Llama".
    (r"\bl{1,2}ama[ -]?(\d+(?:\.\d+)?)\s?b\b", r"Llama \1B"),
    (r"\bl{1,2}ama\b", "Llama"),
    # The attention cache: "KB cache" -> "KV cache".
    (r"\bkb cache\b", "KV cache"),
    # Inference-chip startups: "Grok" (Groq), "Cerebrus" (Cerebras).
    (r"\bgrok\b", "Groq"),
    (r"\bcerebrus\b", "Cerebras"),
    # Memory: "Hynex" -> Hynix, "HPM" -> HBM, "high bandwidth memory" -> HBM.
    (r"\bhynex\b", "Hynix"),
    (r"\bhpm\b", "HBM"),
    (r"\bhigh[- ]bandwidth memory\b", "HBM"),
    # OpenAI / Anthropic model names: "GPD 4.0" -> GPT-4o, "Cloud 3.5, Sunet" -> Claude 3.5 Sonnet.
    (r"\bgpd 4\.0\b", "GPT-4o"),
    (r"\bcloud 3\.5\b", "Claude 3.5"),
    (r"\bsunet\b", "Sonnet"),
    # Companies and people: "Semi-Analysis", "Corby" (CoreWeave), "Murady" (Murati).
    (r"\bsemi-analysis\b", "SemiAnalysis"),
    (r"\bcorby\b", "CoreWeave"),
    (r"\bmurady\b", "Murati"),
    # Networking: "SERTIs" (SerDes), "Taurus" (torus), "L-chip" (Alchip), "LLM SIS" (LMSYS).
    (r"\bserti(?:s|es)?\b", "SerDes"),
    (r"\btaurus\b", "torus"),
    (r"\bl-chip\b", "Alchip"),
    (r"\bllm sis\b", "LMSYS"),
    # Vendor capitalisation.
    (r"\bnvidia\b", "NVIDIA"),
    # Stock tickers analysts type for the companies the speakers name (NASDAQ/NYSE symbols),
    # and AWS's instance name for Trainium2 ("trn2", listed as an alias in accelerators.csv).
    (r"\bnvda\b", "NVIDIA"),
    (r"\bmsft\b", "Microsoft"),
    (r"\bgoogl?\b", "Google"),
    (r"\bamzn\b", "Amazon"),
    (r"\bavgo\b", "Broadcom"),
    (r"\bcsco\b", "Cisco"),
    (r"\bintc\b", "Intel"),
    (r"\bmrvl\b", "Marvell"),
    (r"\borcl\b", "Oracle"),
    (r"\btsm\b", "TSMC"),
    (r"\baapl\b", "Apple"),
    (r"\bcrwv\b", "CoreWeave"),
    (r"\btrn2\b", "Trainium2"),
)

_COMPILED = tuple((re.compile(p, re.IGNORECASE), r) for p, r in RULES)


def canonicalize(text: str) -> str:
    """``text`` with every slip replaced by its canonical name.

    >>> canonicalize("I can run Lama70B on one Nvidia GPU, Amazon Tranium, the KB cache, Grok")
    'I can run Llama 70B on one NVIDIA GPU, Amazon Trainium, the KV cache, Groq'
    """
    for pattern, replacement in _COMPILED:
        text = pattern.sub(replacement, text)
    return text
