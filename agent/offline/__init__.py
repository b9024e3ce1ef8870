"""The deterministic offline planner: a LangChain chat model that needs no key and no network."""
