"""The Slack bot: ``siliconomics slack`` (Socket Mode or ``--http``), answering in threads."""
