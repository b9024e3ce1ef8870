"""Speed of the knowledge store: first build, warm search latency, cold CLI search.

Figures, never assertions (timings depend on the machine and its load). Run it with
``python -m knowledge.bench_search`` or call :func:`benchmark` (the ``siliconomics bench``
command can). Targets from issue 4: build < 30 s on 2 cores, warm search < 50 ms, cold CLI
search (index exists) < 2 s.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

#: Queries timed warm: a mix of transcript and spec questions (from the retrieval suite's topics).
QUERIES = (
    "what did he say about HBM gross margins",
    "H200 bandwidth",
    "why is Trainium2 called an Amazon Basics TPU",
    "how many users fit on one server for Llama 405B with reasoning",
    "CXMT",
    "$5,000 per chip",
    "is scaling dead, why bigger clusters",
    "Google TPU scale-up domain",
)


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    idx = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[idx]


def benchmark(repeats: int = 5, data_dir: Path | None = None, cold_runs: int = 3) -> dict[str, Any]:
    """Build a fresh index (real embedder) in a temporary directory, then time searches.

    Returns ``build_seconds``, ``chunks``, ``warm_p50_ms``/``warm_p95_ms`` (over
    ``repeats`` x the queries, hybrid, k=5), ``cold_cli_seconds`` (median wall time of
    ``siliconomics search ... --json`` in a new process against the built index) and
    ``load_average`` (1-minute, at the end: context for the figures).
    """
    from knowledge.embeddings import MiniLMEmbedding
    from knowledge.index import open_store
    from knowledge.search import search

    with tempfile.TemporaryDirectory(prefix="siliconomics-bench-") as tmp:
        where = Path(data_dir) if data_dir else Path(tmp)
        started = time.perf_counter()
        store = open_store(data_dir=where, embedder=MiniLMEmbedding(), rebuild=True, chroma_host="")
        build = time.perf_counter() - started
        for q in QUERIES:  # warm-up: ONNX session, BM25 index
            search(q, store=store)
        times = []
        for _ in range(repeats):
            for q in QUERIES:
                t = time.perf_counter()
                search(q, k=5, store=store)
                times.append((time.perf_counter() - t) * 1000)
        exe = Path(sys.executable).with_name("siliconomics")
        env = {**os.environ, "SILICONOMICS_DATA_DIR": str(where)}
        env.pop("CHROMA_HOST", None)
        cold = []
        for _ in range(cold_runs):
            t = time.perf_counter()
            subprocess.run([str(exe), "search", QUERIES[0], "--json"], env=env, capture_output=True, check=True)
            cold.append(time.perf_counter() - t)
        return {
            "build_seconds": round(build, 2),
            "chunks": len(store.docs),
            "vectors": store.collection.count(),
            "warm_p50_ms": round(statistics.median(times), 2),
            "warm_p95_ms": round(_percentile(times, 0.95), 2),
            "cold_cli_seconds": round(statistics.median(cold), 2),
            "load_average": round(os.getloadavg()[0], 2),
        }


if __name__ == "__main__":
    print(json.dumps(benchmark(), indent=2))
