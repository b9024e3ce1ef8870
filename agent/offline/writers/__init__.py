"""The offline answer's writers: one module per tool (its section and its lead lines), the passages, the
provenance blocks (formula, defaults, assumptions, sources), and the leads that put what was asked first."""
