"""Terminal chat front-end: prompt input, session state and slash commands, the `chat` command."""
