"""Rendering of values, tool calls and answers for the terminal (rich) and plain text."""
