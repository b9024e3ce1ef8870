"""MCP front-end: the registry tools served over stdio or streamable HTTP."""
