"""Command-line front-end: the `siliconomics` root group, calculator commands, ask, search and index."""
